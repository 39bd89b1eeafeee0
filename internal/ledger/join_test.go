package ledger_test

import (
	"encoding/json"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Earns posted as one joined batch (what a caller's concurrent earns
// become) are what they are one by one: a wallet made by its first earn,
// a debt repaid first, two earns of one wallet in turn, a repeat of a key
// posted before and of one posted before client keys had a namespace of
// their own each answered with its transaction. Every answer is what the
// ledger stores; the same batch again posts nothing.
func TestJoinedEarnsAreEarnsOneByOne(t *testing.T) {
	each(t, ledger.PointTypeInput{NegativeLimit: 50}, func(t *testing.T, f *fx) {
		f.earn(f.branch, 10)
		_, err := f.spend(f.branch, 40) // 30 points of debt
		must(t, err)
		posted, err := f.led.Earn(f.ctx, f.p, f.earnOf("inv-1", f.member, 7))
		must(t, err)
		old := f.earlierEarn("inv-old", f.holding, 5)
		newcomer := f.newOrganization("Newcomer")
		batch := []ledger.EarnInput{f.earnOf("b-1", f.branch, 20), f.earnOf("inv-1", f.member, 7), f.earnOf("b-2", f.holding, 3),
			f.earnOf("inv-old", f.holding, 5), f.earnOf("b-3", f.branch, 25), f.earnOf("b-4", newcomer, 9)}
		got, err := f.led.EarnTogether(f.ctx, f.p, batch)
		must(t, err)
		if got[1].ID != posted.ID || got[3].ID != old {
			t.Fatalf("repeats answered with %s and %s, want %s and %s", got[1].ID, got[3].ID, posted.ID, old)
		}
		if got[0].Lots[0].Remaining != 0 || got[4].Lots[0].Remaining != 15 {
			t.Fatalf("lots keep %d and %d after repaying 30 points of debt, want 0 and 15", got[0].Lots[0].Remaining, got[4].Lots[0].Remaining)
		}
		for i, tr := range got {
			f.sameAsStored(i, tr)
		}
		f.wantBal(f.branch, 15, 0)
		f.wantBal(f.holding, 8, 0)
		f.wantBal(f.member, 7, 0)
		f.wantBal(newcomer, 9, 0)
		f.check()
		again, err := f.led.EarnTogether(f.ctx, f.p, batch)
		must(t, err)
		for i := range again {
			if again[i].ID != got[i].ID {
				t.Fatalf("earn %d posted again: %s, then %s", i, got[i].ID, again[i].ID)
			}
		}
		f.wantBal(f.branch, 15, 0)
		f.wantBal(newcomer, 9, 0)
		f.check()
	})
}

// A joined batch is all or nothing: an earn whose key was used for another
// change, whose owner does not exist or whose points would expire before
// they are available fails it, and nothing of the batch is written (the
// caller's earns are then posted one by one, each with its own answer).
func TestAFailedJoinedBatchWritesNothing(t *testing.T) {
	each(t, ledger.PointTypeInput{}, func(t *testing.T, f *fx) {
		_, err := f.led.Earn(f.ctx, f.p, f.earnOf("used", f.member, 7))
		must(t, err)
		expiring := f.earnOf("too-late", f.branch, 4)
		expiring.ExpiresAt, expiring.AvailableAt = ptr(t0.AddDate(0, 1, 0)), ptr(t0.AddDate(0, 2, 0))
		bad := []struct {
			in   ledger.EarnInput
			kind errs.Kind
			code string
		}{
			{f.earnOf("used", f.member, 8), errs.Conflict, "idempotency_key_reused"},
			{f.earnOf("stranger", ledger.Owner{Type: ledger.OwnerOrganization, ID: "no-such-org"}, 3), errs.Invalid, "validation_failed"},
			{expiring, errs.Invalid, "validation_failed"},
		}
		for _, b := range bad {
			batch := []ledger.EarnInput{f.earnOf("ok-1", f.branch, 5), b.in, f.earnOf("ok-2", f.holding, 6)}
			_, err := f.led.EarnTogether(f.ctx, f.p, batch)
			wantErr(t, err, b.kind, b.code)
			f.wantBal(f.branch, 0, 0)
			f.wantBal(f.holding, 0, 0)
			f.wantBal(f.member, 7, 0)
			f.check()
		}
		got, err := f.led.EarnTogether(f.ctx, f.p, []ledger.EarnInput{f.earnOf("ok-1", f.branch, 5), f.earnOf("ok-2", f.holding, 6)})
		must(t, err)
		if len(got) != 2 || got[0].IdemKey != "ok-1" || got[1].IdemKey != "ok-2" {
			t.Fatalf("the good earns of the failed batches, posted after: %+v", got)
		}
		f.wantBal(f.branch, 5, 0)
		f.wantBal(f.holding, 6, 0)
		f.check()
	})
}

func ptr[T any](v T) *T { return &v }

// earnOf is an earn with the given key.
func (f *fx) earnOf(key string, o ledger.Owner, amount int64) ledger.EarnInput {
	return ledger.EarnInput{IdemKey: key, Owner: o, PointTypeID: f.pt.ID, Amount: amount}
}

// earlierEarn posts an earn and moves it to the id its key had before
// client keys had a namespace of their own; it returns that id.
func (f *fx) earlierEarn(key string, o ledger.Owner, amount int64) string {
	f.t.Helper()
	tr, err := f.led.Earn(f.ctx, f.p, f.earnOf(key, o, amount))
	must(f.t, err)
	old := ledger.TxID(f.p.TenantID, key)
	for _, table := range []string{"ledger_postings", "ledger_lots", "ledger_lot_uses"} {
		must(f.t, f.app.DB.Exec(f.ctx, `UPDATE `+table+` SET tx_id = $1 WHERE tx_id = $2`, old, tr.ID))
	}
	must(f.t, f.app.DB.Exec(f.ctx, `UPDATE ledger_txs SET id = $1 WHERE id = $2`, old, tr.ID))
	return old
}

// newOrganization makes an organization without a wallet.
func (f *fx) newOrganization(name string) ledger.Owner {
	f.t.Helper()
	o, err := f.app.Party.CreateOrganization(f.ctx, access.System(f.p.TenantID), party.OrgInput{Type: party.Distributor, Name: name})
	must(f.t, err)
	return ledger.Owner{Type: ledger.OwnerOrganization, ID: o.ID}
}

// sameAsStored fails the test unless the i-th answer's postings and lots
// are the transaction the ledger stores.
func (f *fx) sameAsStored(i int, tr ledger.Transaction) {
	f.t.Helper()
	stored, err := f.led.GetTransaction(f.ctx, f.p, tr.ID)
	must(f.t, err)
	a, _ := json.Marshal([]any{tr.Postings, tr.Lots, tr.Effective.UnixMilli()})
	b, _ := json.Marshal([]any{stored.Postings, stored.Lots, stored.Effective.UnixMilli()})
	if string(a) != string(b) {
		f.t.Fatalf("earn %d was answered with\n%s\nbut the ledger stores\n%s", i, a, b)
	}
}
