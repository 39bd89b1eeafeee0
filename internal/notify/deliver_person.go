package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/mail"
	"github.com/loyal-b2b/loyal/internal/platform/sms"
)

// delivery is what deciding a person's message found.
type delivery struct {
	it       Item
	msg      ToPerson
	person   party.Member
	settings Settings
	channel  string
	tpl      Template
	vars     map[string]string
	devices  []Device // the person's push devices
}

// deliverToPerson sends one message to one person by the first channel
// they have not withdrawn from and can be reached by, preferred first.
// Someone who withdrew from all gets nothing; quiet hours and the daily
// cap make it wait (the inbox ignores quiet hours).
func (s *Service) deliverToPerson(ctx context.Context, it Item) ([]Row, error) {
	d := &delivery{it: it}
	if err := json.Unmarshal(it.Payload, &d.msg); err != nil {
		return nil, Permanent(fmt.Errorf("malformed message: %w", err))
	}
	ok, err := s.decide(ctx, d)
	if err != nil || !ok {
		return nil, err
	}
	now := s.Clock.Now()
	if until := d.settings.QuietUntil(now); d.channel != ChannelPortal && !until.IsZero() && d.msg.Channel == "" {
		return nil, Defer(until)
	}
	if err := s.underCap(ctx, d, now); err != nil {
		return nil, err
	}
	return nil, s.send(ctx, d, now)
}

// decide loads the person and chooses the channel and template; false:
// nothing is to be sent.
func (s *Service) decide(ctx context.Context, d *delivery) (bool, error) {
	var outs []string
	var found bool
	var templates []Template
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if d.person, err = tx.GetMember(ctx, d.it.TenantID, d.msg.PersonID); err != nil {
			return err
		}
		if d.settings, found, err = tx.GetMessageSettings(ctx, d.it.TenantID); err != nil {
			return err
		} else if !found {
			d.settings = DefaultSettings
		}
		if outs, err = tx.OptOuts(ctx, d.it.TenantID, d.person.ID); err != nil {
			return err
		}
		if s.Push != nil {
			if d.devices, err = tx.DevicesOf(ctx, d.it.TenantID, d.person.ID); err != nil {
				return err
			}
		}
		templates, err = tx.FindTemplates(ctx, d.it.TenantID, d.msg.Template)
		return err
	})
	if errs.Is(err, errs.NotFound) {
		return false, nil // the person is gone
	}
	if err != nil || d.person.Status != party.MemberActive || slices.Contains(outs, "all") {
		return false, err
	}
	return s.choose(d, outs, templates), nil
}

// choose picks the first usable channel with a template, else the first
// usable channel with the generic words. Reports false if none is usable.
func (s *Service) choose(d *delivery, outs []string, templates []Template) bool {
	order := Channels
	if p := string(d.person.PreferredChannel); slices.Contains(Channels, p) {
		order = append([]string{p}, Channels...)
	}
	if d.msg.Channel != "" {
		order = []string{d.msg.Channel}
	}
	first := ""
	for _, ch := range order {
		if slices.Contains(outs, ch) || !s.reachable(ch, d) {
			continue
		}
		if first == "" {
			first = ch
		}
		if t, ok := pickTemplate(templates, ch, d.person, d.settings.DefaultLang); ok {
			d.channel, d.tpl = ch, t
			return true
		}
	}
	d.channel, d.tpl = first, genericTemplate
	return first != ""
}

// reachable reports whether a channel can reach the person on this server.
func (s *Service) reachable(ch string, d *delivery) bool {
	m := d.person
	switch ch {
	case ChannelEmail:
		return s.Mail != nil && m.Email != ""
	case ChannelSMS:
		return s.SMS != nil && m.Phone != ""
	case ChannelPush:
		return s.Push != nil && len(d.devices) > 0
	}
	return true
}

// underCap defers a message beyond the person's daily cap until the
// oldest of the day's messages is a day old.
func (s *Service) underCap(ctx context.Context, d *delivery, now time.Time) error {
	var n int
	var oldest time.Time
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		n, oldest, err = tx.RecentSends(ctx, d.it.TenantID, d.person.ID, now.Add(-24*time.Hour))
		return err
	})
	if err == nil && n >= d.settings.DailyCap && d.msg.Channel == "" {
		return Defer(oldest.Add(24*time.Hour + time.Second))
	}
	return err
}

// send renders and sends the message, then records it.
func (s *Service) send(ctx context.Context, d *delivery, now time.Time) error {
	if err := s.fillVars(ctx, d, now); err != nil {
		return err
	}
	subject, body := render(d.tpl.Subject, d.vars, false), render(d.tpl.Body, d.vars, false)
	if u := d.vars["unsubscribe_url"]; u != "" && !strings.Contains(d.tpl.Body, "unsubscribe_url") {
		body += "\n\n--\nUnsubscribe: " + u
	}
	var err error
	switch d.channel {
	case ChannelEmail:
		m := mail.Message{To: d.person.Email, Subject: subject, Text: body, ID: d.it.ID}
		if d.tpl.HTML != "" {
			m.HTML = render(d.tpl.HTML, d.vars, true)
		}
		if u := d.vars["unsubscribe_url"]; u != "" {
			m.Headers = map[string]string{"List-Unsubscribe": "<" + u + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
		}
		if err = s.track(ctx, d, &m); err == nil {
			err = s.Mail.Send(ctx, m)
		}
	case ChannelSMS:
		err = s.SMS.Send(ctx, sms.Message{To: d.person.Phone, Text: body})
	case ChannelPush:
		err = s.push(ctx, d, subject, body)
	}
	if err != nil {
		return err
	}
	return s.Store.Write(context.WithoutCancel(ctx), func(tx Tx) error {
		if d.channel == ChannelPortal {
			if err := tx.InsertInbox(ctx, d.it.TenantID, InboxMessage{ID: d.it.ID, PersonID: d.person.ID, Subject: subject, Body: body, CreatedAt: now}); err != nil {
				return err
			}
		}
		return tx.InsertSend(ctx, d.it.TenantID, Send{ID: d.it.ID, PersonID: d.person.ID, Channel: d.channel, Template: d.msg.Template, At: now})
	})
}
