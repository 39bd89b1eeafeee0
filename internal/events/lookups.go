package events

import (
	"context"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// lookups are what a batch reads before its write transaction: the running
// programs, the organizations and members its events name, and the
// consents of those organizations. Reading them on the read pool keeps
// them out of the single SQLite writer, which every event waits for.
// What changes in between (a consent revoked that very millisecond) is
// seen by the next event.
type lookups struct {
	programs []*running
	orgs     map[string]party.Organization      // by reference; unknown ones are resolved (or created) in the write
	members  map[string]party.Member            // by reference
	consent  map[[2]string]party.ConsentHistory // organization id, program id → its decisions
	bulk     bool                               // orgs holds every organization of the batch that exists
}

// prefetch reads the lookups of a batch.
func (s *Service) prefetch(ctx context.Context, p access.Principal, ins []Input) (*lookups, error) {
	l := &lookups{orgs: map[string]party.Organization{}, members: map[string]party.Member{}, consent: map[[2]string]party.ConsentHistory{}}
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if l.programs, err = s.running(ctx, tx, p.TenantID); err != nil {
			return err
		}
		if err := l.readOrgs(ctx, tx, p.TenantID, ins); err != nil {
			return err
		}
		for i := range ins {
			if err := l.read(ctx, tx, p.TenantID, &ins[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return l, err
}

// readOrgs reads the organizations of a batch at once; those it does
// not find are unknown (events may create them in the write).
func (l *lookups) readOrgs(ctx context.Context, tx Tx, tenantID string, ins []Input) error {
	if len(ins) < 2 {
		return nil
	}
	var ids, exts []string
	for _, in := range ins {
		if ext, ok := strings.CutPrefix(in.Organization, party.ExternalRef); ok {
			exts = append(exts, ext)
		} else {
			ids = append(ids, in.Organization)
		}
	}
	found, err := tx.OrganizationsByRefs(ctx, tenantID, ids, exts)
	for _, o := range found {
		l.orgs[o.ID] = o
		if o.ExternalID != "" {
			l.orgs[party.ExternalRef+o.ExternalID] = o
		}
	}
	l.bulk = true
	return err
}

func (l *lookups) read(ctx context.Context, tx Tx, tenantID string, in *Input) error {
	o, ok := l.orgs[in.Organization]
	if !ok && l.bulk {
		return nil // not found by readOrgs
	}
	if !ok {
		var err error
		o, err = party.OrgByRef(ctx, tx, tenantID, in.Organization)
		if errs.Is(err, errs.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		l.orgs[in.Organization] = o
	}
	if in.Member == "" {
		return nil
	}
	if _, ok := l.members[in.Member]; !ok {
		m, err := party.MemberByRef(ctx, tx, tenantID, in.Member)
		if errs.Is(err, errs.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		l.members[in.Member] = m
	}
	for _, r := range l.programs {
		k := [2]string{o.ID, r.prog.ID}
		if _, ok := l.consent[k]; ok {
			continue
		}
		h, err := party.ConsentHistoryOf(ctx, tx, tenantID, o.ID, r.prog.ID)
		if err != nil {
			return err
		}
		l.consent[k] = h
	}
	return nil
}
