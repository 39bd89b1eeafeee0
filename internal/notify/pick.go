package notify

import (
	"context"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// genericTemplate is used when a tenant has no words of its own for a
// message, so that a rule's message is never lost for want of a template.
var genericTemplate = Template{Subject: "News from {{tenant.name}}",
	Body: "Hello {{person.first_name}},\n\nthere is news for you in the {{tenant.name}} loyalty program."}

// pickTemplate chooses among a code's templates the one for a channel
// that best fits the person: their role over any role, their language
// over the tenant's default over any other.
func pickTemplate(ts []Template, channel string, m party.Member, defaultLang string) (Template, bool) {
	lang := strings.ToLower(m.Locale)
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	best, bestScore := Template{}, -1
	for _, t := range ts {
		if t.Channel != channel || (t.Role != "" && !m.HasRole(party.Role(t.Role))) {
			continue
		}
		score := 0
		if t.Role != "" {
			score += 4
		}
		switch t.Lang {
		case lang:
			score += 2
		case defaultLang:
			score++
		}
		if score > bestScore {
			best, bestScore = t, score
		}
	}
	return best, bestScore >= 0
}

// fillVars gathers the template's variables: the person's and their
// organization's, the facts, the message's own, and an unsubscribe link.
func (s *Service) fillVars(ctx context.Context, d *delivery, now time.Time) error {
	v := map[string]string{"person.name": d.person.Name, "person.first_name": firstName(d.person.Name)}
	err := s.Store.Write(ctx, func(tx Tx) error {
		if t, err := tx.TenantByID(ctx, d.it.TenantID); err == nil {
			v["tenant.name"] = t.Name
		}
		if o, err := tx.GetOrganization(ctx, d.it.TenantID, d.person.OrganizationID); err == nil {
			v["organization.name"] = o.Name
		}
		if d.channel != ChannelEmail || s.PublicURL == "" {
			return nil
		}
		secret := ids.Token(24)
		v["unsubscribe_url"] = s.PublicURL + "/m/u/" + secret
		return tx.InsertUnsubscribeLink(ctx, ids.Hash(secret), d.it.TenantID, d.person.ID, ChannelEmail, now)
	})
	if err != nil {
		return err
	}
	if s.Facts != nil {
		facts, err := s.Facts.Vars(ctx, d.it.TenantID, d.person)
		if err != nil {
			return err
		}
		for k, x := range facts {
			v[k] = x
		}
	}
	if err := s.surveyVar(ctx, d, v); err != nil {
		return err
	}
	for k, x := range d.msg.Vars {
		v[k] = x
	}
	d.vars = v
	return nil
}

func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return name
}
