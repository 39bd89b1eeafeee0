// Package party holds the participants of programs: organizations (business
// customers and channel partners, in holdings with branches), the members
// who work at them, and the consent an organization's management gives (or
// revokes) for incentives paid to its employees.
package party

import (
	"context"
	"github.com/loyal-b2b/loyal/internal/platform/outbound"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Tx is what the party service needs from storage inside a transaction.
type Tx interface {
	audit.Writer
	access.Reach

	InsertOrganization(ctx context.Context, o Organization) error
	UpdateOrganization(ctx context.Context, o Organization) error
	DeleteOrganization(ctx context.Context, tenantID, id string) error
	GetOrganization(ctx context.Context, tenantID, id string) (Organization, error)
	// LockOrganization locks an organization for the transaction: a change
	// of it, or of its consent state, is decided on what is read after.
	LockOrganization(ctx context.Context, tenantID, id string) error
	OrganizationByExternalID(ctx context.Context, tenantID, externalID string) (Organization, error)
	ListOrganizations(ctx context.Context, tenantID string, f OrgFilter, r page.Request) ([]Organization, error)
	// OrganizationRefs counts what refers to an organization (members,
	// branches, consents), which decides whether it can be deleted.
	OrganizationRefs(ctx context.Context, tenantID, id string) (OrgRefs, error)
	StaffExists(ctx context.Context, tenantID, id string) (bool, error)

	InsertMember(ctx context.Context, m Member) error
	UpdateMember(ctx context.Context, m Member) error
	DeleteMember(ctx context.Context, tenantID, id string) error
	GetMember(ctx context.Context, tenantID, id string) (Member, error)
	// LockMember locks a member for the transaction (a change of it).
	LockMember(ctx context.Context, tenantID, id string) error
	MemberByExternalID(ctx context.Context, tenantID, externalID string) (Member, error)
	ListMembers(ctx context.Context, tenantID string, f MemberFilter, r page.Request) ([]Member, error)
	MemberConsentCount(ctx context.Context, tenantID, id string) (int, error)
	InsertAffiliation(ctx context.Context, a Affiliation) error
	CloseAffiliation(ctx context.Context, tenantID, memberID string, at time.Time) error
	ListAffiliations(ctx context.Context, tenantID, memberID string) ([]Affiliation, error)

	// LatestTermsVersion returns the newest version of a program's
	// employee-incentive terms (0 if none yet), or NotFound for no program.
	LatestTermsVersion(ctx context.Context, tenantID, programID string) (int, error)
	// ProgramsWithTerms lists the ids of programs that have published terms.
	ProgramsWithTerms(ctx context.Context, tenantID string) ([]string, error)
	InsertConsent(ctx context.Context, c Consent) error
	ListConsents(ctx context.Context, tenantID, orgID, programID string) ([]Consent, error)
	TermsPublished(ctx context.Context, tenantID, programID string) ([]TermsVersion, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service manages organizations, members and consent.
type Service struct {
	Store Store
	Clock clock.Clock
	// Publish, if set, announces new members (member.registered) and
	// consent decisions (consent.recorded).
	Publish outbound.Publisher
}

// ExternalRef is the prefix that makes an id argument an external id:
// "ext:R-3001" names the organization (or member) whose ERP id is R-3001,
// so integrators need not store our ids.
const ExternalRef = "ext:"

// OrgReader reads organizations.
type OrgReader interface {
	GetOrganization(ctx context.Context, tenantID, id string) (Organization, error)
	OrganizationByExternalID(ctx context.Context, tenantID, externalID string) (Organization, error)
}

// MemberReader reads members.
type MemberReader interface {
	GetMember(ctx context.Context, tenantID, id string) (Member, error)
	MemberByExternalID(ctx context.Context, tenantID, externalID string) (Member, error)
}

// OrgByRef reads an organization by id or by "ext:<external id>".
func OrgByRef(ctx context.Context, tx OrgReader, tenantID, ref string) (Organization, error) {
	if ext, ok := strings.CutPrefix(ref, ExternalRef); ok {
		return tx.OrganizationByExternalID(ctx, tenantID, ext)
	}
	return tx.GetOrganization(ctx, tenantID, ref)
}

// orgForChange reads an organization (id or ext:) to change it, locked for
// the transaction: the whole row is written back, and a concurrent change
// read before this one's commit would otherwise undo it.
func orgForChange(ctx context.Context, tx Tx, tenantID, ref string) (Organization, error) {
	o, err := OrgByRef(ctx, tx, tenantID, ref)
	if err != nil {
		return o, err
	}
	if err := tx.LockOrganization(ctx, tenantID, o.ID); err != nil {
		return o, err
	}
	return tx.GetOrganization(ctx, tenantID, o.ID)
}

// memberForChange is orgForChange for a member.
func memberForChange(ctx context.Context, tx Tx, tenantID, ref string) (Member, error) {
	m, err := MemberByRef(ctx, tx, tenantID, ref)
	if err != nil {
		return m, err
	}
	if err := tx.LockMember(ctx, tenantID, m.ID); err != nil {
		return m, err
	}
	return tx.GetMember(ctx, tenantID, m.ID)
}

// MemberByRef reads a member by id or by "ext:<external id>".
func MemberByRef(ctx context.Context, tx MemberReader, tenantID, ref string) (Member, error) {
	if ext, ok := strings.CutPrefix(ref, ExternalRef); ok {
		return tx.MemberByExternalID(ctx, tenantID, ext)
	}
	return tx.GetMember(ctx, tenantID, ref)
}
