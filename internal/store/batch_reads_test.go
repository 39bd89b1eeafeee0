package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The batch reads and writes of ingestion (one statement for many rows on
// PostgreSQL, one prepared statement per row on SQLite) answer what the
// single-row ones would, within the tenant only.

func addOrg(t *testing.T, db *store.DB, tenantID, id, ext string) {
	t.Helper()
	now := time.Now()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		return tx.InsertOrganization(context.Background(), party.Organization{ID: id, TenantID: tenantID, Type: party.Dealer, Name: id, ExternalID: ext,
			Status: "active", Tags: []string{}, CreatedAt: now, UpdatedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBatchReadsOfOrganizationsAndEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := newTenant(t, db, "batch-a"), newTenant(t, db, "batch-b")
		addOrg(t, db, a, "org-1", "D-1")
		addOrg(t, db, a, "org-2", "D-2")
		addOrg(t, db, b, "org-3", "D-3")
		err := db.Write(ctx, func(tx *store.Tx) error {
			for i, org := range []string{"org-1", "org-2"} {
				rec := events.Record{ID: fmt.Sprint("ev-", i), TenantID: a, OrganizationID: org, Hash: "h", CreatedAt: time.Now(),
					Event: engine.Event{Type: "invoice", Source: "erp", ExternalID: fmt.Sprint("INV-", i), OccurredAt: time.Now()}}
				if err := tx.InsertEvent(ctx, rec); err != nil {
					return err
				}
			}
			orgs, err := tx.OrganizationsByRefs(ctx, a, []string{"org-2", "nope", "org-3"}, []string{"D-1", "D-3", "D-9"})
			if err != nil {
				return err
			}
			var ids []string
			for _, o := range orgs {
				ids = append(ids, o.ID)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, []string{"org-1", "org-2"}) {
				return fmt.Errorf("organizations by refs: %v, want org-1 and org-2 (org-3 is another tenant's)", ids)
			}
			if orgs, err := tx.OrganizationsByRefs(ctx, a, nil, nil); err != nil || len(orgs) != 0 {
				return fmt.Errorf("no refs: %v %v", orgs, err)
			}
			evs, err := tx.EventsByExternal(ctx, a, []events.ExternalKey{{Source: "erp", ExternalID: "INV-1"}, {Source: "erp", ExternalID: "INV-7"}, {Source: "pos", ExternalID: "INV-0"}, {Source: "erp", ExternalID: "INV-0"}})
			if err != nil {
				return err
			}
			if len(evs) != 2 || evs[0].TenantID != a {
				return fmt.Errorf("events by external ids: %+v, want INV-0 and INV-1 of erp", evs)
			}
			if evs, err := tx.EventsByExternal(ctx, b, []events.ExternalKey{{Source: "erp", ExternalID: "INV-1"}, {Source: "erp", ExternalID: "INV-0"}}); err != nil || len(evs) != 0 {
				return fmt.Errorf("another tenant's events: %+v %v", evs, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestBatchStatesReadAndWritten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newTenant(t, db, "states")
		k1, k2 := events.StateKey{ProgramID: "p1", OwnerType: "organization", OwnerID: "o1"}, events.StateKey{ProgramID: "p1", OwnerType: "organization", OwnerID: "o2"}
		kp, missing := events.StateKey{ProgramID: "p1", OwnerType: "program"}, events.StateKey{ProgramID: "p1", OwnerType: "member", OwnerID: "m9"}
		put := []events.StoredState{
			{Key: k1, State: engine.State{Tier: "silver", Stamps: 1}, DueAt: time.UnixMilli(1_800_000_000_000)},
			{Key: k2, State: engine.State{Stamps: 2}},
			{Key: kp, Program: engine.ProgramState{Issued: 7}},
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.PutStates(ctx, a, put, time.Now()); err != nil {
				return err
			}
			put[1].State.Stamps = 5
			return tx.PutStates(ctx, a, put[1:], time.Now()) // an update of existing rows
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			got, err := tx.GetStates(ctx, a, []events.StateKey{k2, missing, k1, kp, k1}, true)
			if err != nil {
				return err
			}
			by := map[events.StateKey]events.StoredState{}
			for _, s := range got {
				by[s.Key] = s
			}
			if by[k1].State.Tier != "silver" || by[k1].State.Stamps != 1 || !by[k1].DueAt.Equal(time.UnixMilli(1_800_000_000_000)) ||
				by[k2].State.Stamps != 5 || by[kp].Program.Issued != 7 || !by[k2].DueAt.IsZero() {
				return fmt.Errorf("states read back: %+v", got)
			}
			if s, ok := by[missing]; ok && (s.State.Tier != "" || s.State.Stamps != 0 || !s.DueAt.IsZero()) {
				return fmt.Errorf("a missing state reads as %+v, want empty", s)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestBatchFactsWrittenOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newTenant(t, db, "facts")
		fact := func(ev string, amount int64) analytics.Fact {
			return analytics.Fact{TenantID: a, EventID: ev, OrganizationID: "o1", OccurredMs: 1_780_000_000_000, Type: analytics.FactPurchase, Amount: amount, Qty: 1}
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.InsertFacts(ctx, []analytics.Fact{fact("e1", 100), fact("e2", 200)}); err != nil {
				return err
			}
			return tx.InsertFacts(ctx, []analytics.Fact{fact("e2", 200), fact("e3", 300)}) // e2 replayed: written once
		})
		if err != nil {
			t.Fatal(err)
		}
		var sum, packed int64
		err = db.Read(ctx, func(tx *store.Tx) error {
			if err := tx.ScanFacts(ctx, a, 1<<62, func(f analytics.Fact) error { sum += f.Amount; return nil }); err != nil {
				return err
			}
			return tx.ScanPacked(ctx, a, 1<<62, func(f analytics.Fact) error { packed += f.Amount; return nil })
		})
		if err != nil || sum != 600 || packed != 600 {
			t.Fatalf("facts sum %d, packed %d, want 600 each (%v)", sum, packed, err)
		}
	})
}
