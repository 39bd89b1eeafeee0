package events

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// History returns a page of an organization's events, newest first, each
// with what every program did with it.
func (s *Service) History(ctx context.Context, p access.Principal, orgRef string, r page.Request) (page.Page[Record], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Record]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Record, error) {
		org, err := party.OrgByRef(ctx, tx, p.TenantID, orgRef) // a path: unknown is 404
		if err != nil {
			return nil, err
		}
		if err := p.Reaches(org.AccountManagerID); err != nil {
			return nil, err
		}
		return tx.ListEvents(ctx, p.TenantID, org.ID, r)
	})
	return page.Build(r, rows, Cursor), err
}

// Get returns one event with what every program did with it: the rules
// that fired or did not and why, the program version, the points.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Record, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Record{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Record, error) {
		r, err := tx.GetEvent(ctx, p.TenantID, id)
		if err != nil {
			return r, err
		}
		return r, p.RequireReach(ctx, tx, "organization", r.OrganizationID)
	})
}

// Cursor is the sort key of an event in an organization's history.
func Cursor(r Record) string {
	return fmt.Sprintf("%d/%s", clock.Millis(r.Event.OccurredAt), r.ID)
}

// ParseCursor reads a Cursor back.
func ParseCursor(c string) (int64, string, error) {
	ms, id, ok := strings.Cut(c, "/")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil || id == "" {
		return 0, "", errs.InvalidField("cursor", "invalid_cursor", "the cursor is not one this list gave; start again without it")
	}
	return n, id, nil
}
