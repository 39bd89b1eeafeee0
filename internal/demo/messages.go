package demo

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/notify"
)

// seedMessages gives the demo's rule messages and triggers their words
// (English and Russian), and lets messages leave at any hour, so that a
// newcomer sees them in the log (or the SMTP server) at once.
func seedMessages(ctx context.Context, a *app.App, p access.Principal) error {
	_, err := a.Notify.PutSettings(ctx, p, notify.Settings{TimeZone: "Europe/Moscow", QuietStart: "00:00", QuietEnd: "00:00",
		DailyCap: 10, DefaultLang: "en", Tracking: true})
	if err != nil {
		return err
	}
	for _, t := range []notify.Template{
		{Code: "big_order_thanks", Lang: "en", Subject: "Thank you for a big order, {{person.first_name}}",
			Body: "Hello {{person.first_name}},\n\nthank you: {{organization.name}}'s latest order was a big one, and it earned extra points in the {{tenant.name}} club."},
		{Code: "big_order_thanks", Lang: "ru", Subject: "Спасибо за крупный заказ, {{person.first_name}}",
			Body: "Здравствуйте, {{person.first_name}}!\n\nПоследний заказ {{organization.name}} был крупным и принёс дополнительные баллы в клубе {{tenant.name}}."},
		{Code: "birthday_greeting", Lang: "en", Subject: "Happy birthday, {{person.first_name}}!",
			Body: "Happy birthday from everyone at {{tenant.name}}! A gift of points is waiting in your wallet."},
		{Code: "birthday_greeting", Lang: "ru", Subject: "С днём рождения, {{person.first_name}}!",
			Body: "{{tenant.name}} поздравляет вас с днём рождения! В кошельке вас ждут подарочные баллы."},
		{Code: notify.TemplateTierUp, Lang: "en", Subject: "{{organization.name}} is now {{tier}}",
			Body: "Congratulations: {{organization.name}} reached the {{tier}} tier of the {{tenant.name}} club."},
		{Code: notify.TemplatePointsExpiring, Lang: "en", Subject: "{{expiring.points}} points expire on {{expiring.date}}",
			Body: "Hello {{person.first_name}},\n\n{{expiring.points}} points of {{organization.name}} expire on {{expiring.date}}. Spend them in the rewards catalog before then."},
	} {
		t.Channel = notify.ChannelEmail
		if _, err := a.Notify.CreateTemplate(ctx, p, t); err != nil {
			return fmt.Errorf("template %s/%s: %w", t.Code, t.Lang, err)
		}
	}
	return nil
}
