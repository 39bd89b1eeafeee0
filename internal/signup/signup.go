// Package signup is online registration: a public form per program whose
// fields, consent texts (versioned) and review rule the operator sets.
// A registration creates the member — and their organization, waiting for
// the operator's review when the program says so — or, when someone with
// the phone or e-mail already registered, links to them without saying so:
// the answer is the same, and the sign-in code goes to the address on file.
package signup

import (
	"context"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/referral"
)

// Standard fields a form may ask; custom ones are "custom:<key>".
var Standard = []string{"name", "phone", "email", "company", "tax_id", "role", "birthday"}

// Field is one field of the form.
type Field struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Label    string `json:"label,omitempty"` // a custom field's label
}

// Consent is one consent box: its text in a version; a new text is a new
// version, and each registration records the versions it agreed to.
type Consent struct {
	Key      string `json:"key"`
	Version  int    `json:"version"`
	Text     string `json:"text"`
	Required bool   `json:"required"`
}

// Form is a program's registration form.
type Form struct {
	ProgramID string    `json:"program_id"`
	Enabled   bool      `json:"enabled"`
	Title     string    `json:"title"`
	Fields    []Field   `json:"fields"`
	Consents  []Consent `json:"consents"`
	// Review makes organizations created by registration wait (suspended)
	// until the operator reviews them.
	Review    bool          `json:"review"`
	OrgType   party.OrgType `json:"organization_type"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// DefaultForm is the form of a program that set none: name, phone, e-mail,
// company and role.
func DefaultForm(programID string) Form {
	return Form{ProgramID: programID, Enabled: true, OrgType: party.Dealer, Fields: []Field{
		{Name: "name", Required: true}, {Name: "phone", Required: true}, {Name: "email"}, {Name: "company", Required: true}, {Name: "role"}}}
}

// Has reports whether the form asks a field.
func (f Form) Has(name string) bool {
	return slices.ContainsFunc(f.Fields, func(x Field) bool { return x.Name == name })
}

// Tx is what registration needs from storage.
type Tx interface {
	party.Tx
	GetProgram(ctx context.Context, tenantID, id string) (program.Program, error)
	GetSignupForm(ctx context.Context, tenantID, programID string) ([]byte, time.Time, error)
	PutSignupForm(ctx context.Context, tenantID, programID string, config []byte, at time.Time) error
	// ClaimSignupKey makes memberID the owner of a contact (phone or
	// e-mail) unless one is, and returns the owner: of concurrent
	// registrations with one phone, one creates the member.
	ClaimSignupKey(ctx context.Context, tenantID, contact, memberID string) (string, error)
	InsertSignup(ctx context.Context, s Record) error
	MembersByContact(ctx context.Context, tenantID, channel, address string) ([]party.Member, error)
	OrganizationByTaxID(ctx context.Context, tenantID, taxID string) (party.Organization, error)
	GetReferralCode(ctx context.Context, tenantID, code string) (referral.Code, error)
	// TenantOfReferralCode finds the tenant of a referral code: the one
	// query not scoped by a tenant, since a referral link names none.
	TenantOfReferralCode(ctx context.Context, code string) (string, error)
	RunningPrograms(ctx context.Context, tenantID string) ([]program.Program, error)
}

// Record is one registration.
type Record struct {
	TenantID, ID, ProgramID, MemberID, Address string
	Consents                                   map[string]int    // key → version agreed
	Answers                                    map[string]string // custom fields
	CreatedAt                                  time.Time
}

// Service configures forms and registers people.
type Service struct {
	Store     txn.Runner[Tx]
	Clock     clock.Clock
	Party     *party.Service
	Referrals *referral.Service
}

// Referral finds the workspace and the program whose form a referral link
// (/r/CODE, without a workspace) opens: the code's tenant — codes are
// random enough to be unique across tenants — and its first running
// program with an open form.
func (s *Service) Referral(ctx context.Context, code string) (tenantID, programID string, err error) {
	err = s.Store.Read(ctx, func(tx Tx) error {
		tenantID, err = tx.TenantOfReferralCode(ctx, normalizeCode(code))
		if err != nil {
			return err
		}
		prs, err := tx.RunningPrograms(ctx, tenantID)
		for _, pr := range prs {
			if f, ferr := formOf(ctx, tx, tenantID, pr.ID); ferr == nil && f.Enabled {
				programID = pr.ID
				return nil
			}
		}
		if err == nil {
			err = errs.NotFoundf("registration", code)
		}
		return err
	})
	return tenantID, programID, err
}
