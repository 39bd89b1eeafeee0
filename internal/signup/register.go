package signup

import (
	"context"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Input is a filled-in form.
type Input struct {
	Values   map[string]string // field name → value
	Consents map[string]bool   // consent key → ticked
	Referral string
	Address  string // the client's address, kept with the record
}

// Result is the member a registration created or linked to. Whether it
// was new is for the caller's bookkeeping, never for the page.
type Result struct {
	Member       party.Member
	Organization string
	Created      bool
}

// principal is who registration acts as: the product, for a person who
// is not a member yet.
func principal(tenantID string) access.Principal {
	return access.Principal{TenantID: tenantID, ActorType: access.ActorSystem, ActorID: "signup", Scope: access.ScopeAdmin}
}

// PublicForm returns a program's form for its public page; a program that
// is not running, or whose form is off, is NotFound.
func (s *Service) PublicForm(ctx context.Context, tenantID, programID string) (Form, string, error) {
	var name string
	f, err := txn.Get(ctx, s.Store, func(tx Tx) (Form, error) {
		pr, err := tx.GetProgram(ctx, tenantID, programID)
		if err != nil {
			return Form{}, err
		}
		name = pr.Name
		if pr.Status != program.Active && pr.Status != program.Pilot {
			return Form{}, errs.NotFoundf("registration", programID)
		}
		return formOf(ctx, tx, tenantID, programID)
	})
	if err == nil && !f.Enabled {
		err = errs.NotFoundf("registration", programID)
	}
	return f, name, err
}

// Register creates or links the member of a filled-in form, all at once
// or not at all; a wrong field writes nothing. Registrations with the
// same phone (else e-mail) create one member, however many run at once.
func (s *Service) Register(ctx context.Context, tenantID, programID string, in Input) (Result, error) {
	form, _, err := s.PublicForm(ctx, tenantID, programID)
	if err != nil {
		return Result{}, err
	}
	c, err := form.read(in, s.Clock.Now())
	if err != nil {
		return Result{}, err
	}
	var res Result
	err = s.Store.Write(ctx, func(tx Tx) error {
		res, err = s.register(ctx, tx, tenantID, form, c, in)
		return err
	})
	if err == nil && res.Created && in.Referral != "" {
		// The referral is the new organization's; one the referral rules
		// refuse (not new, a loop) leaves the registration standing.
		_, _ = s.Referrals.Register(ctx, principal(tenantID), in.Referral, res.Organization)
	}
	return res, err
}

func (s *Service) register(ctx context.Context, tx Tx, tenantID string, form Form, c clean, in Input) (Result, error) {
	if code := strings.TrimSpace(in.Referral); code != "" {
		if _, err := tx.GetReferralCode(ctx, tenantID, normalizeCode(code)); err != nil {
			if errs.Is(err, errs.NotFound) {
				return Result{}, errs.InvalidField("referral", "unknown_code", "this invitation code is not known; check it, or leave it empty")
			}
			return Result{}, err
		}
	}
	owner, err := s.owner(ctx, tx, tenantID, c)
	if err != nil {
		return Result{}, err
	}
	rec := Record{TenantID: tenantID, ID: ids.New(), ProgramID: form.ProgramID, MemberID: owner, Address: in.Address,
		Consents: c.consents, Answers: c.answers, CreatedAt: s.Clock.Now()}
	if owner != c.newID { // someone registered with this phone or e-mail: link, say nothing
		m, err := tx.GetMember(ctx, tenantID, owner)
		if err != nil {
			return Result{}, err
		}
		return Result{Member: m, Organization: m.OrganizationID}, tx.InsertSignup(ctx, rec)
	}
	m, err := s.create(ctx, tx, tenantID, form, c)
	if err != nil {
		return Result{}, err
	}
	return Result{Member: m, Organization: m.OrganizationID, Created: true}, tx.InsertSignup(ctx, rec)
}

// owner is the member the registration belongs to: one already holding
// the phone or e-mail, or the new id, claimed for the contact.
func (s *Service) owner(ctx context.Context, tx Tx, tenantID string, c clean) (string, error) {
	claim := c.newID
	for _, k := range []struct{ ch, addr string }{{"sms", c.phone}, {"email", c.email}} {
		if k.addr == "" || claim != c.newID {
			continue
		}
		ms, err := tx.MembersByContact(ctx, tenantID, k.ch, k.addr)
		if err != nil {
			return "", err
		}
		if len(ms) > 0 {
			claim = ms[0].ID
		}
	}
	return tx.ClaimSignupKey(ctx, tenantID, c.key, claim)
}

// TagKnownTaxID marks an organization created by registration whose tax
// id another organization already has: it waits for the operator, who
// decides whether the person works there (and merges) or not.
const TagKnownTaxID = "signup-known-tax-id"

// create makes the member's organization and the member. A registration
// never joins an existing organization by itself — anyone can type a tax
// id — so a company whose tax id is known is created anew, suspended and
// tagged for the operator's review, and shows its registrant nothing of
// the other's.
func (s *Service) create(ctx context.Context, tx Tx, tenantID string, form Form, c clean) (party.Member, error) {
	p := principal(tenantID)
	in := party.OrgInput{Type: form.OrgType, Name: c.company, TaxID: c.taxID}
	if in.Name == "" {
		in.Type, in.Name = party.OtherOrg, c.name
	}
	if form.Review {
		in.Status = party.OrgSuspended
	}
	if c.taxID != "" {
		_, err := tx.OrganizationByTaxID(ctx, tenantID, c.taxID)
		if err == nil {
			in.Status, in.Tags = party.OrgSuspended, []string{TagKnownTaxID}
		} else if !errs.Is(err, errs.NotFound) {
			return party.Member{}, err
		}
	}
	o, err := s.Party.CreateOrganizationIn(ctx, tx, p, in)
	if err != nil {
		return party.Member{}, err
	}
	role := c.role
	if role == "" {
		role = party.RoleOwner
	}
	return s.Party.CreateMemberIn(ctx, tx, p, c.newID, party.MemberInput{OrganizationID: o.ID, Name: c.name, Roles: []party.Role{role},
		Email: c.email, Phone: c.phone, Birthday: c.birthday, PreferredChannel: c.channel})
}

// normalizeCode reads a referral code as the referral service does:
// upper case, without spaces and dashes.
func normalizeCode(c string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(c))
}
