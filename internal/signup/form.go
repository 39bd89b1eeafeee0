package signup

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// GetForm returns a program's form (the default when none was set).
func (s *Service) GetForm(ctx context.Context, p access.Principal, programID string) (Form, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Form{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Form, error) { return formOf(ctx, tx, p.TenantID, programID) })
}

func formOf(ctx context.Context, tx Tx, tenantID, programID string) (Form, error) {
	if _, err := tx.GetProgram(ctx, tenantID, programID); err != nil {
		return Form{}, err
	}
	raw, at, err := tx.GetSignupForm(ctx, tenantID, programID)
	if errs.Is(err, errs.NotFound) {
		return DefaultForm(programID), nil
	} else if err != nil {
		return Form{}, err
	}
	var f Form
	if err := json.Unmarshal(raw, &f); err != nil {
		return Form{}, err
	}
	f.ProgramID, f.UpdatedAt = programID, at
	return f, nil
}

// PutForm sets a program's form; it needs the right to manage programs.
func (s *Service) PutForm(ctx context.Context, p access.Principal, programID string, in Form) (Form, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Form{}, err
	}
	if err := in.check(); err != nil {
		return Form{}, err
	}
	in.ProgramID, in.UpdatedAt = programID, s.Clock.Now()
	raw, _ := json.Marshal(in)
	return in, s.Store.Write(ctx, func(tx Tx) error {
		before, err := formOf(ctx, tx, p.TenantID, programID)
		if err != nil {
			return err
		}
		if err := tx.PutSignupForm(ctx, p.TenantID, programID, raw, in.UpdatedAt); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, in.UpdatedAt, "signup_form.changed", "program", programID, before, in)
	})
}

// check validates a form: known or custom fields once each, a contact to
// send the sign-in code to, consent texts with keys and versions.
func (in *Form) check() error {
	var f errs.Fields
	seen := map[string]bool{}
	for i := range in.Fields {
		n := strings.TrimSpace(in.Fields[i].Name)
		custom := strings.HasPrefix(n, "custom:") && len(n) > 7 && len(n) <= 47
		if !slices.Contains(Standard, n) && !custom || seen[n] {
			f.Add("fields", "invalid_field", "field %q is unknown or repeated; use %s or custom:<key>", n, strings.Join(Standard, ", "))
		}
		if custom {
			in.Fields[i].Label = valid.Text(&f, "fields", in.Fields[i].Label, true, 100)
		}
		seen[n] = true
	}
	if !seen["name"] || !seen["phone"] && !seen["email"] {
		f.Add("fields", "required", "a form asks at least name, and phone or email (where the sign-in code goes)")
	}
	keys := map[string]bool{}
	for _, c := range in.Consents {
		if c.Key == "" || keys[c.Key] || c.Version < 1 || strings.TrimSpace(c.Text) == "" {
			f.Add("consents", "invalid_consent", "each consent has a unique key, a version from 1 and a text")
		}
		keys[c.Key] = true
	}
	in.Title = valid.Text(&f, "title", in.Title, false, 200)
	if in.OrgType == "" {
		in.OrgType = party.Dealer
	}
	valid.OneOf(&f, "organization_type", in.OrgType, true, party.OrgTypes)
	return f.Err()
}
