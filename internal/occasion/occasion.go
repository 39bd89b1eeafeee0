// Package occasion turns dates into events (DOMAIN.md §3.11, tenure and
// occasions): once a day, an "anniversary" event for every organization
// whose relationship with the operator turns another year old, and a
// "birthday" event for every active member born on that day. Programs react
// to them with ordinary rules (condition `event.type == "birthday"`, a
// fixed earn and a message).
//
// The events go through ingestion with source "occasions" and external ids
// "birthday:<member id>:<year>" and "anniversary:<organization id>:<year>",
// so running a day twice changes nothing the second time. When no program
// runs, nothing is ingested: occasions nobody can react to would only fill
// the event history.
package occasion

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Source is the source of occasion events.
const Source = "occasions"

// Since is an organization and when its relationship began.
type Since struct {
	ID    string
	Since time.Time
}

// Tx is what the occasions job reads.
type Tx interface {
	RunningPrograms(ctx context.Context, tenantID string) ([]program.Program, error)
	// MembersBornOn lists active members whose birthday's "MM-DD" is one of
	// monthDays and who were born before the date before ("YYYY-MM-DD").
	MembersBornOn(ctx context.Context, tenantID string, monthDays []string, before string) ([]party.Member, error)
	// ActiveOrganizationsSince lists active organizations created before
	// a time, with their creation time.
	ActiveOrganizationsSince(ctx context.Context, tenantID string, before time.Time) ([]Since, error)
}

// Service runs the occasions job.
type Service struct {
	Store  txn.Runner[Tx]
	Events *events.Service
}

// Counts is what a run did.
type Counts struct {
	Birthdays     int  // birthday events ingested
	Anniversaries int  // anniversary events ingested
	Repeats       int  // events ingested by an earlier run of the day
	Refused       int  // events ingestion refused (e.g. a suspended organization)
	NoProgram     bool // no program runs: nothing was ingested
}

// RunDay ingests the day's occasions of a tenant (the day in UTC).
func (s *Service) RunDay(ctx context.Context, tenantID string, day time.Time) (Counts, error) {
	var c Counts
	start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	var members []party.Member
	var orgs []Since
	err := s.Store.Read(ctx, func(tx Tx) error {
		progs, err := tx.RunningPrograms(ctx, tenantID)
		if err != nil || len(progs) == 0 {
			c.NoProgram = err == nil
			return err
		}
		if members, err = tx.MembersBornOn(ctx, tenantID, monthDays(start), start.Format(time.DateOnly)); err != nil {
			return err
		}
		orgs, err = tx.ActiveOrganizationsSince(ctx, tenantID, start)
		return err
	})
	if err != nil || c.NoProgram {
		return c, err
	}
	for _, m := range members {
		in := s.input(engine.Birthday, fmt.Sprintf("birthday:%s:%d", m.ID, start.Year()), start, m.OrganizationID)
		in.Member = m.ID
		if err := s.ingest(ctx, tenantID, in, &c, &c.Birthdays); err != nil {
			return c, err
		}
	}
	for _, o := range orgs {
		years, ok := anniversary(o.Since, start)
		if !ok {
			continue
		}
		in := s.input(engine.Anniversary, fmt.Sprintf("anniversary:%s:%d", o.ID, start.Year()), start, o.ID)
		in.Attributes = map[string]string{"years": strconv.Itoa(years)}
		if err := s.ingest(ctx, tenantID, in, &c, &c.Anniversaries); err != nil {
			return c, err
		}
	}
	return c, nil
}

func (s *Service) input(typ, ext string, at time.Time, orgID string) events.Input {
	return events.Input{Type: typ, Source: Source, ExternalID: ext, OccurredAt: at, Organization: orgID}
}

// ingest sends one occasion. An event ingestion refuses (the member's
// organization was closed, …) is counted and skipped, so one bad record
// does not stop everyone else's birthday; other errors stop the run.
func (s *Service) ingest(ctx context.Context, tenantID string, in events.Input, c *Counts, n *int) error {
	r, err := s.Events.IngestOwn(ctx, access.System(tenantID), in)
	switch {
	case err == nil && r.Duplicate:
		c.Repeats++
	case err == nil:
		*n++
	case errs.Is(err, errs.Invalid) || errs.Is(err, errs.NotFound) || errs.Is(err, errs.Conflict) || errs.Is(err, errs.Forbidden):
		c.Refused++
	default:
		return fmt.Errorf("occasion %s: %w", in.ExternalID, err)
	}
	return nil
}

// monthDays are the birthdays celebrated on day: its own "MM-DD", and on
// 28 February of a common year also 29 February.
func monthDays(day time.Time) []string {
	md := day.Format("01-02")
	if md == "02-28" && !leap(day.Year()) {
		return []string{md, "02-29"}
	}
	return []string{md, md}
}

// anniversary reports whether day is a whole number of years (≥ 1) after
// since, and how many; a relationship begun on 29 February is celebrated
// on 28 February in common years.
func anniversary(since, day time.Time) (int, bool) {
	since = since.UTC()
	years := day.Year() - since.Year()
	if years < 1 {
		return 0, false
	}
	m, d := since.Month(), since.Day()
	if m == time.February && d == 29 && !leap(day.Year()) {
		d = 28
	}
	return years, day.Month() == m && day.Day() == d
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }
