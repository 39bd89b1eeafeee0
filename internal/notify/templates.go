package notify

import (
	"context"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// CreateTemplate saves a template; an unknown variable is refused with
// its position, an over-long SMS is saved with a warning.
func (s *Service) CreateTemplate(ctx context.Context, p access.Principal, in Template) (Template, error) {
	if err := p.Can(access.ManageMessages); err != nil {
		return Template{}, err
	}
	now := s.Clock.Now()
	t := in
	t.ID, t.TenantID, t.CreatedAt, t.UpdatedAt, t.Role = ids.New(), p.TenantID, now, now, strings.TrimSpace(in.Role)
	if err := t.check(); err != nil {
		return Template{}, err
	}
	return t, s.Store.Write(ctx, func(tx Tx) error {
		if err := tx.InsertTemplate(ctx, t); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, now, "template.created", "template", t.ID, nil, t)
	})
}

// UpdateTemplate replaces a template's fields.
func (s *Service) UpdateTemplate(ctx context.Context, p access.Principal, id string, in Template) (Template, error) {
	if err := p.Can(access.ManageMessages); err != nil {
		return Template{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Template, error) {
		before, err := tx.GetTemplate(ctx, p.TenantID, id)
		if err != nil {
			return Template{}, err
		}
		t := in
		t.ID, t.TenantID, t.CreatedAt, t.UpdatedAt, t.Role = before.ID, p.TenantID, before.CreatedAt, s.Clock.Now(), strings.TrimSpace(in.Role)
		if err := t.check(); err != nil {
			return Template{}, err
		}
		if err := tx.UpdateTemplate(ctx, t); err != nil {
			return Template{}, err
		}
		return t, audit.Record(ctx, tx, p, t.UpdatedAt, "template.changed", "template", t.ID, before, t)
	})
}

// DeleteTemplate removes a template.
func (s *Service) DeleteTemplate(ctx context.Context, p access.Principal, id string) error {
	if err := p.Can(access.ManageMessages); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		ok, err := tx.DeleteTemplate(ctx, p.TenantID, id)
		if err == nil && !ok {
			err = errs.NotFoundf("template", id)
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, s.Clock.Now(), "template.deleted", "template", id, nil, nil)
	})
}

// GetTemplate reads a template.
func (s *Service) GetTemplate(ctx context.Context, p access.Principal, id string) (Template, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Template{}, err
	}
	t, err := txn.Get(ctx, s.Store, func(tx Tx) (Template, error) { return tx.GetTemplate(ctx, p.TenantID, id) })
	if err == nil {
		_ = t.check() // fills the warnings
	}
	return t, err
}

// Templates lists a page of templates.
func (s *Service) Templates(ctx context.Context, p access.Principal, r page.Request) (page.Page[Template], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Template]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Template, error) { return tx.ListTemplates(ctx, p.TenantID, r) })
	for i := range rows {
		_ = rows[i].check()
	}
	return page.Build(r, rows, func(t Template) string { return t.ID }), err
}

// Preview is a template rendered for a real person.
type Preview struct {
	Subject  string   `json:"subject"`
	Body     string   `json:"body"`
	HTML     string   `json:"html,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// PreviewTemplate renders a template with a person's variables, without
// sending (no unsubscribe link is made).
func (s *Service) PreviewTemplate(ctx context.Context, p access.Principal, id, personID string) (Preview, error) {
	t, err := s.GetTemplate(ctx, p, id)
	if err != nil {
		return Preview{}, err
	}
	d := &delivery{it: Item{TenantID: p.TenantID}, channel: ChannelPortal, tpl: t}
	err = s.Store.Read(ctx, func(tx Tx) error {
		d.person, err = s.person(ctx, tx, p, personID)
		return err
	})
	if err != nil {
		return Preview{}, err
	}
	if err := s.fillVars(ctx, d, s.Clock.Now()); err != nil {
		return Preview{}, err
	}
	pv := Preview{Subject: render(t.Subject, d.vars, false), Body: render(t.Body, d.vars, false), Warnings: t.Warnings}
	if t.HTML != "" {
		pv.HTML = render(t.HTML, d.vars, true)
	}
	if n, limit := smsLength(pv.Body); t.Channel == ChannelSMS && n > limit {
		pv.Warnings = append(pv.Warnings, "rendered for this person the text needs more than one SMS")
	}
	return pv, nil
}

// TestSend queues a template's message to one person by the template's
// channel now (quiet hours and caps do not hold it; opt-outs do).
func (s *Service) TestSend(ctx context.Context, p access.Principal, id, personID string) (string, error) {
	if err := p.Can(access.ManageMessages); err != nil {
		return "", err
	}
	msgID := ids.New()
	return msgID, s.Store.Write(ctx, func(tx Tx) error {
		t, err := tx.GetTemplate(ctx, p.TenantID, id)
		if err != nil {
			return err
		}
		if _, err := s.person(ctx, tx, p, personID); err != nil {
			return err
		}
		return tx.QueueRows(ctx, p.TenantID, []Row{{ID: msgID, Kind: PersonMessage, CreatedAt: s.Clock.Now(),
			Payload: ToPerson{Template: t.Code, PersonID: personID, Source: "test:" + p.Name(), Channel: t.Channel}}})
	})
}
