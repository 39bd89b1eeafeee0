package ledger_test

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// TestConcurrentLedgerProperties is the property run under concurrency:
// many writers mix earns (some pending, some expiring soon), spends,
// transfers, clawbacks and reversals on a few shared wallets while two
// "replicas" run the activation and expiry jobs over and over. Afterwards
// the ledger check is clean, and every wallet holds exactly what the
// acknowledged operations and the jobs' transactions posted to it, bucket
// by bucket: no acknowledged change is lost, no refused one left a trace,
// nothing was posted twice. It runs a few seeds; the writers' choices are
// random, the interleaving is the machine's.
func TestConcurrentLedgerProperties(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			each(t, ledger.PointTypeInput{Transfers: []string{ledger.AnyTransfer}, NegativeLimit: 30}, func(t *testing.T, f *fx) {
				run := newConcurrentRun(t, f, seed)
				run.writeWhileJobsRun(8, 30)
				run.verify()
			})
		})
	}
}

// concurrentRun is one property run: its wallets and what was
// acknowledged.
type concurrentRun struct {
	t       *testing.T
	f       *fx
	seed    uint64
	owners  []ledger.Owner
	mu      sync.Mutex
	acked   []ledger.Transaction // every change a caller was told succeeded
	refused map[string]int       // error code → count, for the log
}

func newConcurrentRun(t *testing.T, f *fx, seed uint64) *concurrentRun {
	r := &concurrentRun{t: t, f: f, seed: seed, owners: []ledger.Owner{f.holding, f.branch, f.member}, refused: map[string]int{}}
	for i := range 3 {
		o, err := f.app.Party.CreateOrganization(f.ctx, f.p, party.OrgInput{Type: party.Dealer, Name: fmt.Sprint("Dealer ", i)})
		must(t, err)
		r.owners = append(r.owners, ledger.Owner{Type: ledger.OwnerOrganization, ID: o.ID})
	}
	return r
}

// jobsAt is the moment the jobs run as of: every lot that expires or
// becomes available in this run is due by then.
var jobsAt = t0.Add(time.Hour)

// writeWhileJobsRun runs writers goroutines of ops operations each, with
// two job runners looping until the writers are done, then the jobs once
// more so that everything due is processed.
func (r *concurrentRun) writeWhileJobsRun(writers, ops int) {
	var jobs, work sync.WaitGroup
	done := make(chan struct{})
	for range 2 {
		jobs.Go(func() {
			for {
				r.runJobs()
				select {
				case <-done:
					return
				default:
				}
			}
		})
	}
	for w := range writers {
		work.Go(func() {
			rng := rand.New(rand.NewPCG(r.seed, uint64(w)))
			for i := range ops {
				r.step(rng, fmt.Sprintf("s%d-w%d-%d", r.seed, w, i))
			}
		})
	}
	work.Wait()
	close(done)
	jobs.Wait()
	r.runJobs()
}

func (r *concurrentRun) runJobs() {
	f := r.f
	if _, err := f.led.ActivateDue(f.ctx, f.p.TenantID, jobsAt, 7); err != nil {
		r.t.Errorf("activation: %v", err)
	}
	if _, err := f.led.ExpireDue(f.ctx, f.p.TenantID, jobsAt, 7); err != nil {
		r.t.Errorf("expiry: %v", err)
	}
}

// step makes one random change and records it if it was acknowledged.
func (r *concurrentRun) step(rng *rand.Rand, key string) {
	f := r.f
	owner := r.owners[rng.IntN(len(r.owners))]
	amount := int64(1 + rng.IntN(60))
	var tr ledger.Transaction
	var err error
	switch op := rng.IntN(10); {
	case op < 4:
		in := ledger.EarnInput{IdemKey: key, Owner: owner, PointTypeID: f.pt.ID, Amount: amount}
		switch rng.IntN(3) {
		case 0: // expires within the run
			at := t0.Add(time.Duration(1+rng.IntN(50)) * time.Minute)
			in.ExpiresAt = &at
		case 1: // pending, available within the run, expiring after it
			avail, exp := t0.Add(time.Duration(1+rng.IntN(50))*time.Minute), t0.Add(48*time.Hour)
			in.AvailableAt, in.ExpiresAt = &avail, &exp
		}
		tr, err = f.led.Earn(f.ctx, f.p, in)
	case op < 6:
		tr, err = f.led.Spend(f.ctx, f.p, ledger.SpendInput{IdemKey: key, Owner: owner, PointTypeID: f.pt.ID, Amount: amount})
	case op < 7:
		to := r.owners[rng.IntN(len(r.owners))]
		if to == owner {
			return
		}
		tr, err = f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: key, From: owner, To: to, PointTypeID: f.pt.ID, Amount: amount})
	case op < 8:
		lot, ok := r.pick(rng, func(t ledger.Transaction) bool { return len(t.Lots) > 0 })
		if !ok {
			return
		}
		tr, err = f.led.Clawback(f.ctx, f.p, ledger.ClawbackInput{IdemKey: key, LotID: lot.Lots[rng.IntN(len(lot.Lots))].ID, Amount: amount,
			Policy: ledger.ClawbackPolicies[rng.IntN(len(ledger.ClawbackPolicies))]})
	default:
		orig, ok := r.pick(rng, func(t ledger.Transaction) bool { return t.Kind != ledger.KindReverse })
		if !ok {
			return
		}
		tr, err = f.led.Reverse(f.ctx, f.p, ledger.ReverseInput{IdemKey: key, TxID: orig.ID, Reason: "property run"})
	}
	r.record(tr, err)
}

// pick chooses an acknowledged transaction that ok accepts.
func (r *concurrentRun) pick(rng *rand.Rand, ok func(ledger.Transaction) bool) (ledger.Transaction, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for range 5 {
		if len(r.acked) == 0 {
			break
		}
		if t := r.acked[rng.IntN(len(r.acked))]; ok(t) {
			return t, true
		}
	}
	return ledger.Transaction{}, false
}

// refusals are the reasons a change may be refused in a property run:
// the wallet lacks the points, the points a reversal would take back are
// gone, the transaction was reversed already, or there is nothing to move.
var refusals = []string{"insufficient_points", "points_already_used", "already_reversed", "nothing_to_post"}

// record keeps an acknowledged change; a refusal must be one the ledger
// gives for a reason (too few points, already reversed, …).
func (r *concurrentRun) record(tr ledger.Transaction, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil {
		r.acked = append(r.acked, tr)
		return
	}
	e := errs.As(err)
	if e == nil || !slices.Contains(refusals, e.Code) {
		r.t.Errorf("unexpected error: %v", err)
		return
	}
	r.refused[e.Code]++
}

// verify checks the ledger and every wallet against what was acknowledged.
func (r *concurrentRun) verify() {
	f, t := r.f, r.t
	f.check()
	want := map[string]map[ledger.Bucket]int64{} // account → bucket → sum
	known := map[string]bool{}                   // transaction ids the callers or the jobs made
	for _, tr := range r.acked {
		known[tr.ID] = true
		for _, p := range tr.Postings {
			if p.AccountSeq != nil {
				if want[p.AccountID] == nil {
					want[p.AccountID] = map[ledger.Bucket]int64{}
				}
				want[p.AccountID][p.Bucket] += p.Amount
			}
		}
	}
	jobs := 0
	for _, o := range r.owners {
		acct := ledger.AccountID(f.pt.ID, o.Type, o.ID)
		got := map[ledger.Bucket]int64{}
		for _, l := range r.statement(acct) {
			switch {
			case l.Kind == ledger.KindExpire || l.Kind == ledger.KindActivate:
				jobs++
				want[acct][l.Bucket] += l.Amount
			case !known[l.TxID]:
				t.Fatalf("wallet %s has a %s transaction %s nobody was told of", acct, l.Kind, l.TxID)
			}
			got[l.Bucket] += l.Amount
		}
		a, p := f.bal(o)
		for b, n := range map[ledger.Bucket]int64{ledger.Available: a, ledger.Pending: p} {
			if n != want[acct][b] || got[b] != n {
				t.Fatalf("wallet %s %s: balance %d, statement %d, acknowledged changes and jobs %d", acct, b, n, got[b], want[acct][b])
			}
		}
	}
	t.Logf("%d changes acknowledged, %d job postings, refused: %v", len(r.acked), jobs, r.refused)
	if len(r.acked) < 100 || jobs == 0 || r.refused["already_reversed"]+r.refused["insufficient_points"] == 0 {
		t.Fatalf("the run exercised too little to prove anything: %d acknowledged, %d job postings, refused %v", len(r.acked), jobs, r.refused)
	}
}

// statement reads every line of a wallet's statement.
func (r *concurrentRun) statement(acct string) []ledger.StatementLine {
	var out []ledger.StatementLine
	req := page.Request{Limit: page.MaxLimit}
	for {
		pg, err := r.f.led.Statement(r.f.ctx, r.f.p, acct, req)
		if errs.Is(err, errs.NotFound) {
			return nil // never used
		}
		must(r.t, err)
		out = append(out, pg.Items...)
		if pg.Next == "" {
			return out
		}
		after, err := base64.RawURLEncoding.DecodeString(pg.Next)
		must(r.t, err)
		req.After = string(after)
	}
}
