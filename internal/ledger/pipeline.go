package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/lots"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Bounds of amounts. One operation moves at most MaxAmount points, and no
// balance exceeds MaxBalance, so that sums over many postings cannot
// overflow int64.
const (
	MaxAmount  int64 = 1_000_000_000_000_000     // 10^15
	MaxBalance int64 = 1_000_000_000_000_000_000 // 10^18
)

// Cause says why a transaction happened.
type Cause struct {
	// EventID names an ingested event; Reference is a caller's own text
	// (an invoice number) on a manual operation.
	EventID   string `json:"event_id,omitempty"`
	Reference string `json:"reference,omitempty"`
	RuleID    string `json:"rule_id,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// request is a change to post: a kind, an idempotency key, and operations
// applied in order inside one database transaction.
type request struct {
	kind      Kind
	idemKey   string
	input     any // hashed: the same key with a different input is a conflict
	effective time.Time
	cause     Cause
	ops       []op
	// mayBeEmpty allows a transaction that moves nothing (a clawback of
	// points that are already gone still records that the return happened).
	mayBeEmpty bool
	// after runs inside the transaction once the operations are applied
	// (marking a reversed transaction, writing the audit entry).
	after func(ctx context.Context, w *writer) error
	// deferTo, when set, takes the transaction's rows to write later
	// with others (credit-only entries of a batch; see Deferred).
	deferTo *Deferred
	// systemKey says the key is of the product's own making, not a
	// client's Idempotency-Key (see TxID and clientTxID).
	systemKey bool
}

// op is one operation of a transaction.
type op interface {
	apply(ctx context.Context, w *writer) error
}

// writer builds one transaction: it applies operations to accounts and
// lots as it goes and collects postings, new lots and lot uses, which it
// writes in a few multi-row statements at the end.
type writer struct {
	s      *Service
	tx     Tx
	tenant string
	now    time.Time
	t      *Transaction
	lots   map[string]*Lot // existing lots read by this transaction, as changed so far
	dirty  map[string]bool // lots changed and not yet written
	useAt  map[string]int  // lot id → index in t.Uses
	active map[string]int  // wallets with activity under an inactivity expiry → its months
	spent  []spent         // wallets debited, announced as points.spent
	// deferTo is the batch's Deferred of a deferred entry: its held
	// wallets are changed there, not in the database.
	deferTo *Deferred
}

// post is the one function every change of value goes through: it applies
// the operations and writes postings, balances, lots and the transaction,
// all in one database transaction. The transaction's id derives from the
// idempotency key, so a repeat collides with the first: it then gets the
// stored transaction back, or a conflict if its input differs.
func (s *Service) post(ctx context.Context, p access.Principal, r request) (Transaction, error) {
	x, err := prepare(p, r)
	if err != nil {
		return Transaction{}, err
	}
	if x.joinable() {
		return s.joinEarn(ctx, p, x)
	}
	return s.postOne(ctx, p, x)
}

// prepare checks a request's idempotency key and gives it its
// transaction id and hash.
func prepare(p access.Principal, r request) (posting, error) {
	key := strings.TrimSpace(r.idemKey)
	if len(key) < 1 || len(key) > 200 {
		return posting{}, errs.InvalidField("idempotency_key", "required", "every ledger change needs an idempotency key of 1–200 characters (the Idempotency-Key header)")
	}
	hash, err := hashInput(r.kind, r.input)
	if err != nil {
		return posting{}, err
	}
	id := TxID(p.TenantID, key)
	if !r.systemKey {
		id = clientTxID(p.TenantID, key)
	}
	return posting{r: r, id: id, key: key, hash: hash}, nil
}

// posting is a request ready to post: its transaction id, key and hash.
type posting struct {
	r             request
	id, key, hash string
}

// postOne posts one request in a database transaction of its own.
func (s *Service) postOne(ctx context.Context, p access.Principal, x posting) (Transaction, error) {
	var out Transaction
	err := s.Store.Write(ctx, func(tx Tx) error {
		t, err := s.postIn(ctx, tx, p, x)
		out = t
		return err
	})
	if err != nil {
		// Any failure may be a repeat whose effect already stands (a second
		// spend of the same order now finds too few points): look it up.
		return s.repeat(ctx, p.TenantID, x.id, x.key, x.hash, err)
	}
	return out, nil
}

// postIn posts a request inside tx, or finds it posted before.
func (s *Service) postIn(ctx context.Context, tx Tx, p access.Principal, x posting) (Transaction, error) {
	if !x.r.systemKey { // in the writing transaction: no transaction of its own for one lookup
		prev, found, err := s.earlier(ctx, tx, p.TenantID, x.key, x.hash)
		if found || err != nil {
			return prev, err
		}
	}
	return s.apply(ctx, tx, p, x.r, x.id, x.key, x.hash)
}

// errRepeat says a transaction with the same id was already posted.
var errRepeat = errs.E(errs.Conflict, "repeat", "already posted")

// apply runs a request's operations inside tx and writes the transaction.
func (s *Service) apply(ctx context.Context, tx Tx, p access.Principal, r request, id, key, hash string) (Transaction, error) {
	now := s.Clock.Now()
	eff := r.effective.UTC().Truncate(time.Millisecond) // the stored precision
	if r.effective.IsZero() {
		eff = now
	}
	t := Transaction{ID: id, TenantID: p.TenantID, Kind: r.kind, IdemKey: key, RequestHash: hash,
		Effective: eff, Created: now, ActorType: string(p.ActorType), ActorID: p.ActorID, StaffID: p.StaffID,
		EventID: r.cause.EventID, Reference: r.cause.Reference, RuleID: r.cause.RuleID, Reason: r.cause.Reason}
	w := &writer{s: s, tx: tx, tenant: p.TenantID, now: now, t: &t, lots: map[string]*Lot{}, dirty: map[string]bool{}, useAt: map[string]int{},
		deferTo: r.deferTo}
	for _, o := range r.ops {
		if err := o.apply(ctx, w); err != nil {
			return Transaction{}, err
		}
	}
	if r.after != nil {
		if err := r.after(ctx, w); err != nil {
			return Transaction{}, err
		}
	}
	if len(t.Postings) == 0 && !r.mayBeEmpty {
		return Transaction{}, errs.E(errs.Invalid, "nothing_to_post", "the change moves no points")
	}
	if r.deferTo != nil && len(w.dirty) == 0 && len(w.active) == 0 {
		r.deferTo.add(t)
		return t, nil
	}
	if r.deferTo != nil && len(w.active) > 0 {
		if err := r.deferTo.Flush(ctx, tx); err != nil { // the lots activity pushes back must be stored
			return Transaction{}, err
		}
	}
	if err := w.flush(ctx); err != nil {
		return Transaction{}, err
	}
	inserted, err := tx.InsertTx(ctx, t)
	if err != nil {
		return Transaction{}, err
	}
	if !inserted {
		return Transaction{}, errRepeat // undo this attempt; the first one stands
	}
	if err := w.extend(ctx); err != nil {
		return Transaction{}, err
	}
	return t, w.announce(ctx)
}

// repeat returns the transaction already posted with the idempotency key,
// a conflict if it was posted for a different input, or the original error
// when there is none.
func (s *Service) repeat(ctx context.Context, tenantID, id, key, hash string, cause error) (Transaction, error) {
	prev, err := txn.Get(ctx, s.Store, func(tx Tx) (Transaction, error) { return tx.GetTx(ctx, tenantID, id) })
	switch {
	case errs.Is(err, errs.NotFound):
		return Transaction{}, cause
	case err != nil:
		return Transaction{}, err
	case prev.RequestHash != hash:
		return Transaction{}, keyReused(key, prev)
	}
	return prev, nil
}

// keyReused is the answer to a request whose idempotency key is the key
// of prev, a different ledger change.
func keyReused(key string, prev Transaction) error {
	return errs.E(errs.Conflict, "idempotency_key_reused",
		"idempotency key %q was already used for a different ledger change (transaction %s)", key, prev.ID)
}

// earlier finds a transaction posted with a client's key before client
// keys had a namespace of their own: it has the id TxID gives the key,
// and a repeat of its request must still get it back. A product's
// transaction there (the client sent a key of the product's form) makes
// the key one already used for something else.
func (s *Service) earlier(ctx context.Context, tx Tx, tenantID, key, hash string) (Transaction, bool, error) {
	prev, err := tx.GetTx(ctx, tenantID, TxID(tenantID, key))
	switch {
	case errs.Is(err, errs.NotFound):
		return Transaction{}, false, nil
	case err != nil:
		return Transaction{}, true, err
	case prev.RequestHash != hash || prev.IdemKey != key:
		return Transaction{}, true, keyReused(key, prev)
	}
	return prev, true, nil
}

func hashInput(kind Kind, input any) (string, error) {
	b, err := json.Marshal(struct {
		Kind  Kind
		Input any
	}{kind, input})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// flush writes what the operations collected.
func (w *writer) flush(ctx context.Context) error {
	if len(w.t.Postings) > 0 {
		if err := w.tx.InsertPostings(ctx, w.tenant, w.t.Postings); err != nil {
			return err
		}
	}
	if len(w.t.Lots) > 0 {
		if err := w.tx.InsertLots(ctx, w.t.Lots); err != nil {
			return err
		}
	}
	if err := w.writeDirty(ctx); err != nil {
		return err
	}
	if len(w.t.Uses) > 0 {
		return w.tx.InsertUses(ctx, w.tenant, w.t.Uses)
	}
	return nil
}

// addTo changes a wallet's balances, creating the wallet on first use. The
// new available balance may not fall below floor nor the total exceed
// MaxBalance; ok is false when it would.
func (w *writer) addTo(ctx context.Context, pt PointType, o Owner, dAvail, dPend, floor int64) (Account, bool, error) {
	id := AccountID(pt.ID, o.Type, o.ID)
	if a, ok, held := w.deferTo.change(id, dAvail, dPend, floor, w.now); held {
		return a, ok, nil
	}
	if !w.deferTo.isAbsent(id) { // a wallet its batch found absent is created first
		if a, ok, err := w.update(ctx, id, dAvail, dPend, floor); err != nil || ok {
			return a, ok, err
		}
	}
	// Missing, or the limits refused. Create it if its owner exists (which
	// leaves an existing wallet, or one a concurrent transaction just
	// created, as it is) and try again: on PostgreSQL the two go out
	// together.
	acct := Account{ID: id, TenantID: w.tenant, PointTypeID: pt.ID, OwnerType: o.Type, OwnerID: o.ID, CreatedAt: w.now, UpdatedAt: w.now}
	if err := w.tx.InsertAccountOfOwner(ctx, acct); err != nil {
		return Account{}, false, err
	}
	a, ok, err := w.update(ctx, id, dAvail, dPend, floor)
	if err != nil || ok {
		return a, ok, err
	}
	if _, err := w.tx.GetAccount(ctx, w.tenant, id); errs.Is(err, errs.NotFound) {
		return a, false, errs.InvalidField("owner", "unknown_owner", "no %s %q in this tenant", o.Type, o.ID)
	} else if err != nil {
		return a, false, err
	}
	return a, false, nil // it exists: the limits refused the change
}

// update changes a wallet in the database. A wallet it changes is locked
// until the end of the transaction, so a batch holds it from then on.
func (w *writer) update(ctx context.Context, id string, dAvail, dPend, floor int64) (Account, bool, error) {
	a, ok, err := w.tx.AddToAccount(ctx, w.tenant, id, dAvail, dPend, floor, w.now)
	if ok && w.deferTo != nil {
		w.deferTo.keep(a)
	}
	return a, ok, err
}

// postWallet records a wallet posting with the wallet's state after it.
func (w *writer) postWallet(a Account, b Bucket, amount int64, lotID string) {
	appendWallet(w.t, &a, b, amount, lotID)
}

// postSystem records a posting to a system account.
func (w *writer) postSystem(pointTypeID, kind string, amount int64) {
	appendSystem(w.t, pointTypeID, kind, amount)
}

// use records that the transaction took amount from a lot (negative:
// gave back), and changes the lot.
func (w *writer) use(l *Lot, amount int64) {
	if amount == 0 {
		return
	}
	l.Remaining -= amount
	if i, ok := w.useAt[l.ID]; ok {
		w.t.Uses[i].Amount += amount
	} else {
		w.useAt[l.ID] = len(w.t.Uses)
		w.t.Uses = append(w.t.Uses, LotUse{TxID: w.t.ID, LotID: l.ID, Amount: amount})
	}
	w.dirty[l.ID] = true
}

// lot returns an existing lot for change, the same copy on every call.
func (w *writer) lot(ctx context.Context, id string) (*Lot, error) {
	if l, ok := w.lots[id]; ok {
		return l, nil
	}
	l, err := w.tx.GetLot(ctx, w.tenant, id)
	if err != nil {
		return nil, err
	}
	w.lots[id] = &l
	return &l, nil
}

// writeDirty writes the lots changed so far, so that queries see them.
func (w *writer) writeDirty(ctx context.Context) error {
	if len(w.dirty) == 0 {
		return nil
	}
	lots := make([]Lot, 0, len(w.dirty))
	for id := range w.dirty {
		lots = append(lots, *w.lots[id])
	}
	clear(w.dirty)
	return w.tx.UpdateLots(ctx, lots)
}

// netted is how much of a credit of amount to the available bucket goes
// into lots (lots.Netted: a wallet below zero is owed its debt first).
func netted(amount, availableAfter int64) int64 { return lots.Netted(amount, availableAfter) }

// noFloor lets a balance go as low as it must (reversals, clawbacks).
const noFloor = math.MinInt64 / 4

func checkAmount(field string, n int64) error {
	if n <= 0 || n > MaxAmount {
		return errs.InvalidField(field, "out_of_range", "%s must be between 1 and %d points", field, MaxAmount)
	}
	return nil
}
