package party

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Decision is what an organization's management decided about a program's
// employee-incentive terms.
type Decision string

// Decisions.
const (
	Accepted Decision = "accepted"
	Revoked  Decision = "revoked"
)

// Method is how a decision reached the operator.
type Method string

// Methods: the manager clicked in the portal, or staff recorded a decision
// made on paper or by e-mail, with evidence.
const (
	ViaPortal Method = "portal"
	ViaPaper  Method = "paper"
	ViaEmail  Method = "email"
)

// Consent is one recorded decision. Decisions are never changed or
// deleted; the newest per organization and program is in force.
type Consent struct {
	ID             string           `json:"id"`
	TenantID       string           `json:"tenant_id"`
	OrganizationID string           `json:"organization_id"`
	ProgramID      string           `json:"program_id"`
	TermsVersion   int              `json:"terms_version"`
	Decision       Decision         `json:"decision"`
	Method         Method           `json:"method"`
	MemberID       string           `json:"member_id"` // the deciding member, for portal decisions (optional otherwise)
	SignerName     string           `json:"signer_name"`
	SignerTitle    string           `json:"signer_title"`
	Evidence       string           `json:"evidence"` // where the paper or e-mail is kept
	RecordedByType access.ActorType `json:"recorded_by_type"`
	RecordedByID   string           `json:"recorded_by_id"`
	DecidedAt      time.Time        `json:"decided_at"`
	CreatedAt      time.Time        `json:"created_at"`
}

// ConsentInput records a decision.
type ConsentInput struct {
	ProgramID    string
	TermsVersion int // 0 means the current version
	Decision     Decision
	Method       Method
	MemberID     string
	SignerName   string
	SignerTitle  string
	Evidence     string
	DecidedAt    time.Time // zero means now; a paper signed earlier may be dated back
}

// Consent states of an organization for a program.
const (
	ConsentNone     = "none"     // never decided
	ConsentAccepted = "accepted" // the current terms are accepted: employees may earn
	ConsentRevoked  = "revoked"
	ConsentOutdated = "outdated" // an older version was accepted; the new one needs accepting
)

// ConsentState is where an organization stands with one program.
type ConsentState struct {
	ProgramID           string
	State               string
	CurrentTermsVersion int
	Latest              *Consent
}

// Granted reports whether employees may earn personal rewards.
func (c ConsentState) Granted() bool { return c.State == ConsentAccepted }

// RecordConsent stores a decision of an organization's management.
func (s *Service) RecordConsent(ctx context.Context, p access.Principal, orgID string, in ConsentInput) (Consent, error) {
	if err := p.Can(access.RecordConsent); err != nil {
		return Consent{}, err
	}
	now := s.Clock.Now()
	c, err := in.build(p, orgID, now)
	if err != nil {
		return Consent{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Consent, error) {
		o, err := OrgByRef(ctx, tx, p.TenantID, orgID)
		if err != nil {
			return c, err
		}
		if err := p.Reaches(o.AccountManagerID); err != nil {
			return c, err
		}
		// Locked before its state is read: decisions are recorded only as
		// changes of that state, and two at once would both find it
		// unchanged.
		if err := tx.LockOrganization(ctx, p.TenantID, o.ID); err != nil {
			return c, err
		}
		c.OrganizationID = o.ID
		if err := s.checkSigner(ctx, tx, &c); err != nil {
			return c, err
		}
		cur, err := s.consentState(ctx, tx, p.TenantID, o.ID, in.ProgramID)
		if err != nil {
			return c, err
		}
		if err := c.fitsState(cur, in.TermsVersion); err != nil {
			return c, err
		}
		if err := tx.InsertConsent(ctx, c); err != nil {
			return c, err
		}
		if err := s.announceConsent(ctx, tx, p.TenantID, c); err != nil {
			return c, err
		}
		return c, audit.Record(ctx, tx, p, now, "consent."+string(c.Decision), "organization", o.ID, cur.Latest, c)
	})
}

// build validates the input and makes the record.
func (in ConsentInput) build(p access.Principal, orgID string, now time.Time) (Consent, error) {
	var f errs.Fields
	if in.ProgramID == "" {
		f.Add("program_id", "required", "program_id is required")
	}
	valid.OneOf(&f, "decision", in.Decision, true, []Decision{Accepted, Revoked})
	valid.OneOf(&f, "method", in.Method, true, []Method{ViaPortal, ViaPaper, ViaEmail})
	c := Consent{
		ID: ids.New(), TenantID: p.TenantID, OrganizationID: orgID, ProgramID: in.ProgramID,
		Decision: in.Decision, Method: in.Method, MemberID: in.MemberID,
		SignerName:     valid.Text(&f, "signer_name", in.SignerName, false, 200),
		SignerTitle:    valid.Text(&f, "signer_title", in.SignerTitle, false, 200),
		Evidence:       valid.Text(&f, "evidence", in.Evidence, false, 500),
		RecordedByType: p.ActorType, RecordedByID: p.ActorID,
		DecidedAt: in.DecidedAt, CreatedAt: now,
	}
	if c.DecidedAt.IsZero() {
		c.DecidedAt = now
	}
	if c.DecidedAt.After(now) {
		f.Add("decided_at", "in_future", "decided_at cannot be in the future")
	}
	if in.TermsVersion < 0 {
		f.Add("terms_version", "out_of_range", "terms_version must be positive (or omitted for the current version)")
	}
	switch in.Method {
	case ViaPortal:
		if in.MemberID == "" {
			f.Add("member_id", "required", "a portal decision is made by a member: give member_id")
		}
	case ViaPaper, ViaEmail:
		if c.SignerName == "" && in.MemberID == "" {
			f.Add("signer_name", "required", "name who signed (signer_name) or give their member_id")
		}
		if c.Evidence == "" {
			f.Add("evidence", "required", "say where the signed %s is kept, e.g. 'DMS #4411' or a file name", in.Method)
		}
	}
	return c, f.Err()
}

// checkSigner makes sure a deciding member is an active owner/director of
// the organization, and fills the signer's name from the member.
func (s *Service) checkSigner(ctx context.Context, tx Tx, c *Consent) error {
	if c.MemberID == "" {
		return nil
	}
	m, err := tx.GetMember(ctx, c.TenantID, c.MemberID)
	if errs.Is(err, errs.NotFound) {
		return errs.InvalidField("member_id", "unknown_member", "no member %q in this tenant", c.MemberID)
	}
	if err != nil {
		return err
	}
	switch {
	case m.OrganizationID != c.OrganizationID:
		return errs.InvalidField("member_id", "other_organization", "member %q does not work at this organization", c.MemberID)
	case m.Status != MemberActive:
		return errs.InvalidField("member_id", "inactive_member", "member %q is %s; only an active member can decide", c.MemberID, m.Status)
	case !m.HasRole(RoleOwner):
		return errs.E(errs.Forbidden, "not_authorized_signer",
			"member %q is not an owner/director of the organization; only management can accept or revoke employee incentives", c.MemberID)
	}
	if c.SignerName == "" {
		c.SignerName = m.Name
	}
	return nil
}

// fitsState checks the decision against the organization's current state:
// accept only the current terms, and only when not already accepted; revoke
// only what is accepted.
func (c *Consent) fitsState(cur ConsentState, askedVersion int) error {
	if cur.CurrentTermsVersion == 0 {
		return errs.E(errs.Conflict, "no_terms", "program %q has no employee-incentive terms yet; publish them before recording consent", c.ProgramID)
	}
	c.TermsVersion = cur.CurrentTermsVersion
	if cur.Latest != nil && c.DecidedAt.Before(cur.Latest.DecidedAt) {
		return errs.InvalidField("decided_at", "before_latest", "decided_at is before the latest recorded decision (%s); decisions are recorded in order",
			cur.Latest.DecidedAt.Format(time.RFC3339))
	}
	if askedVersion != 0 && askedVersion != cur.CurrentTermsVersion {
		if askedVersion > cur.CurrentTermsVersion {
			return errs.InvalidField("terms_version", "unknown_version", "program %q has no terms version %d; the current is %d", c.ProgramID, askedVersion, cur.CurrentTermsVersion)
		}
		return errs.E(errs.Conflict, "terms_outdated", "terms version %d is outdated; the current version is %d", askedVersion, cur.CurrentTermsVersion)
	}
	switch {
	case c.Decision == Accepted && cur.State == ConsentAccepted:
		return errs.E(errs.Conflict, "already_accepted", "the organization already accepted version %d of these terms", cur.CurrentTermsVersion)
	case c.Decision == Revoked && cur.State != ConsentAccepted && cur.State != ConsentOutdated:
		return errs.E(errs.Conflict, "nothing_to_revoke", "the organization has no acceptance in force to revoke (state: %s)", cur.State)
	}
	return nil
}

// ConsentReport is an organization's consent state per program and the
// history of its decisions, newest first.
type ConsentReport struct {
	OrganizationID string
	States         []ConsentState
	History        []Consent
}

// ConsentStatus returns an organization's state for one program, or for
// every program with terms when programID is empty, and the history of its
// decisions, newest first.
func (s *Service) ConsentStatus(ctx context.Context, p access.Principal, orgID, programID string) (ConsentReport, error) {
	if err := p.Can(access.ReadData); err != nil {
		return ConsentReport{}, err
	}
	var rep ConsentReport
	err := s.Store.Read(ctx, func(tx Tx) error {
		o, err := OrgByRef(ctx, tx, p.TenantID, orgID)
		if err != nil {
			return err
		}
		if err := p.Reaches(o.AccountManagerID); err != nil {
			return err
		}
		rep.OrganizationID = o.ID
		programs := []string{programID}
		if programID == "" {
			if programs, err = tx.ProgramsWithTerms(ctx, p.TenantID); err != nil {
				return err
			}
		}
		for _, id := range programs {
			st, err := s.consentState(ctx, tx, p.TenantID, o.ID, id)
			if err != nil {
				return err
			}
			rep.States = append(rep.States, st)
		}
		rep.History, err = tx.ListConsents(ctx, p.TenantID, o.ID, programID)
		return err
	})
	return rep, err
}

func (s *Service) consentState(ctx context.Context, tx Tx, tenantID, orgID, programID string) (ConsentState, error) {
	return ConsentOf(ctx, tx, tenantID, orgID, programID)
}

// ConsentReader reads what consent decisions need.
type ConsentReader interface {
	LatestTermsVersion(ctx context.Context, tenantID, programID string) (int, error)
	ListConsents(ctx context.Context, tenantID, orgID, programID string) ([]Consent, error)
	// TermsPublished lists a program's terms versions, oldest first.
	TermsPublished(ctx context.Context, tenantID, programID string) ([]TermsVersion, error)
}

// ConsentOf is where an organization stands with a program's employee
// terms; engine and ingestion check Granted before crediting members.
func ConsentOf(ctx context.Context, tx ConsentReader, tenantID, orgID, programID string) (ConsentState, error) {
	cur, err := tx.LatestTermsVersion(ctx, tenantID, programID)
	if errs.Is(err, errs.NotFound) {
		return ConsentState{}, errs.InvalidField("program_id", "unknown_program", "no program %q in this tenant", programID)
	}
	if err != nil {
		return ConsentState{}, err
	}
	st := ConsentState{ProgramID: programID, State: ConsentNone, CurrentTermsVersion: cur}
	hist, err := tx.ListConsents(ctx, tenantID, orgID, programID)
	if err != nil || len(hist) == 0 {
		return st, err
	}
	latest := hist[0]
	st.Latest = &latest
	switch {
	case latest.Decision == Revoked:
		st.State = ConsentRevoked
	case latest.TermsVersion < cur:
		st.State = ConsentOutdated
	default:
		st.State = ConsentAccepted
	}
	return st, nil
}
