package memberauth

import (
	"fmt"
	"strings"
	"time"
)

// texts are the sign-in messages in a member's language (English unless
// the member's locale is one of these).
type texts struct {
	sms, subject, mail string
	minutes, days      string
}

var byLanguage = map[string]texts{
	"en": {
		sms:     "%s: your sign-in code is %s. Or open %s",
		subject: "Your %s sign-in code: %s",
		mail: "Hello %s,\n\nYour code to sign in to %s is\n\n    %s\n\nor open this link on your phone:\n\n%s\n\n" +
			"The code works once, for %s. If you did not ask for it, ignore this message.\n",
		minutes: "%d minutes", days: "%d days",
	},
	"ru": {
		sms:     "%s: ваш код для входа %s. Или откройте %s",
		subject: "Код для входа в %s: %s",
		mail: "Здравствуйте, %s!\n\nВаш код для входа в %s:\n\n    %s\n\nили откройте ссылку на телефоне:\n\n%s\n\n" +
			"Код действует один раз, %s. Если вы его не запрашивали, просто удалите это письмо.\n",
		minutes: "%d минут", days: "%d дней",
	},
}

// textsFor picks the messages for a BCP 47 locale ("ru-RU" → Russian).
func textsFor(locale string) texts {
	lang, _, _ := strings.Cut(strings.ToLower(locale), "-")
	if t, ok := byLanguage[lang]; ok {
		return t
	}
	return byLanguage["en"]
}

func (t texts) ttl(d time.Duration) string {
	if d >= 24*time.Hour {
		return fmt.Sprintf(t.days, int(d/(24*time.Hour)))
	}
	return fmt.Sprintf(t.minutes, int(d/time.Minute))
}
