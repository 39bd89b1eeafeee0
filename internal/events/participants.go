package events

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// people resolves whom a unit's events are about — the organization, the
// member, what the engine sees of them in a program — from the lookups
// read before the transaction where there are any, else inside it.
type people struct {
	*unit
	look *lookups // read before the transaction (nil: read inside it)
	// lastPlans is the last organization's paid memberships read, reused
	// while the programs of one event are evaluated.
	lastPlans struct {
		org   string
		at    time.Time
		plans []engine.Plan
	}
	// lastSegs is the last organization's segment codes read.
	lastSegs struct {
		org  string
		segs []string
	}
}

// organization resolves the event's organization, creating it from the
// event when it is unknown and a running program allows that.
func (pp *people) organization(ctx context.Context, in *Input) (party.Organization, error) {
	if pp.look != nil {
		if o, ok := pp.look.orgs[in.Organization]; ok {
			return o, nil
		}
	}
	o, err := party.OrgByRef(ctx, pp.tx, pp.p.TenantID, in.Organization)
	if !errs.Is(err, errs.NotFound) {
		return o, err
	}
	ext, isExt := strings.CutPrefix(in.Organization, party.ExternalRef)
	if !isExt || in.NewOrganization == nil || !pp.mayCreate() {
		return o, errs.InvalidField("organization", "unknown_organization",
			"no organization %q in this tenant (programs create unknown organizations only when set to, from new_organization and an ext: reference)", in.Organization)
	}
	typ := party.OrgType(in.NewOrganization.Type)
	if typ == "" {
		typ = party.OtherOrg
	}
	if !slices.Contains(party.OrgTypes, typ) {
		return o, errs.InvalidField("new_organization.type", "invalid_choice", "%q is not one of %v", typ, party.OrgTypes)
	}
	name := strings.TrimSpace(in.NewOrganization.Name)
	if name == "" || len(name) > 200 {
		return o, errs.InvalidField("new_organization.name", "required", "give the new organization's name (1–200 characters)")
	}
	o = party.Organization{ID: ids.New(), TenantID: pp.p.TenantID, Type: typ, Name: name, ExternalID: ext, Status: "active",
		Tags: []string{}, CreatedAt: pp.now, UpdatedAt: pp.now}
	return o, pp.tx.InsertOrganization(ctx, o)
}

func (pp *people) mayCreate() bool {
	for _, r := range pp.programs {
		if r.latest().Def.UnknownOrganizations == "create" {
			return true
		}
	}
	return false
}

// member resolves the event's member, who must work at the organization.
func (pp *people) member(ctx context.Context, in *Input, orgID string) (*party.Member, error) {
	if in.Member == "" {
		return nil, nil
	}
	m, err := pp.memberByRef(ctx, in.Member)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.InvalidField("member", "unknown_member", "no member %q in this tenant", in.Member)
	}
	if err != nil {
		return nil, err
	}
	if m.OrganizationID != orgID {
		return nil, errs.InvalidField("member", "other_organization", "member %q does not work at organization %s", in.Member, orgID)
	}
	return &m, nil
}

// participant builds what the engine sees of an organization (and member)
// in a program.
func (pp *people) participant(ctx context.Context, r *running, org party.Organization, m *party.Member, at time.Time) (engine.Participant, error) {
	part := engine.Participant{Org: engineOrg(org), Pilot: r.pilotOf(org.ID)}
	plans, err := pp.plans(ctx, org.ID, at)
	if err != nil {
		return part, err
	}
	part.Plans = plans
	if part.Segments, err = pp.segments(ctx, org.ID); err != nil {
		return part, err
	}
	st, err := pp.orgState(ctx, r, org.ID, at)
	if err != nil {
		return part, err
	}
	part.OrgState = st.State
	if m == nil {
		return part, nil
	}
	granted, err := pp.consent(ctx, org.ID, r.prog.ID, at)
	if err != nil {
		return part, err
	}
	role := ""
	if len(m.Roles) > 0 {
		role = string(m.Roles[0])
	}
	roles := make([]string, len(m.Roles))
	for i, r := range m.Roles {
		roles[i] = string(r)
	}
	part.Member = &engine.Member{ID: m.ID, Role: role, Roles: roles, Since: m.CreatedAt, Consent: granted, BirthMonth: m.BirthMonth()}
	ms, err := pp.state(ctx, StateKey{r.prog.ID, engine.OwnerMember, m.ID})
	part.MemberState = ms.State
	return part, err
}

func engineOrg(o party.Organization) engine.Org {
	return engine.Org{ID: o.ID, Type: string(o.Type), Region: o.Region, Industry: o.Industry, Size: string(o.Size), Tags: o.Tags}
}

func (pp *people) memberByRef(ctx context.Context, ref string) (party.Member, error) {
	if pp.look != nil {
		if m, ok := pp.look.members[ref]; ok {
			return m, nil
		}
	}
	return party.MemberByRef(ctx, pp.tx, pp.p.TenantID, ref)
}

// consent reports whether an organization's management had accepted a
// program's employee terms in force at the time of the event (the sale's
// date, not when it is reported: party.ConsentHistory.GrantedAt).
func (pp *people) consent(ctx context.Context, orgID, programID string, at time.Time) (bool, error) {
	if pp.look != nil {
		if h, found := pp.look.consent[[2]string{orgID, programID}]; found {
			return h.GrantedAt(at), nil
		}
	}
	h, err := party.ConsentHistoryOf(ctx, pp.tx, pp.p.TenantID, orgID, programID)
	return h.GrantedAt(at), err
}
