package events

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
)

// The program states a unit of work reads and writes: each participant's
// in each program, and a program's own (its budget and caps), read once
// per unit, locked for a write, and written back by flush.

// state reads a state once per unit (locked for the transaction).
func (u *unit) state(ctx context.Context, k StateKey) (*StoredState, error) {
	if st, ok := u.states[k]; ok {
		return st, nil
	}
	if err := u.readStates(ctx, []StateKey{k}); err != nil {
		return nil, err
	}
	return u.states[k], nil
}

// readStates reads keys not read yet into the unit's states (a missing
// state reads as empty, as state does).
func (u *unit) readStates(ctx context.Context, keys []StateKey) error {
	var todo []StateKey
	for _, k := range keys {
		if _, ok := u.states[k]; !ok {
			u.states[k] = &StoredState{Key: k}
			todo = append(todo, k)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	got, err := u.tx.GetStates(ctx, u.p.TenantID, todo, u.locks)
	if err != nil {
		for _, k := range todo {
			delete(u.states, k) // not read: read again if asked
		}
		return err
	}
	for i := range got {
		*u.states[got[i].Key] = got[i]
	}
	return nil
}

// keep records a participant's new state for the end of the unit.
func (u *unit) keep(k StateKey, s engine.State, due bool, r *running) {
	st := u.states[k]
	if st.Key == (StateKey{}) {
		st.Key = k
	}
	st.State = s
	// A review already due stays due: pushing it to the next period would
	// skip the period it has yet to review (its bonus, its tier check).
	if due && (st.DueAt.IsZero() || st.DueAt.After(u.now)) {
		st.DueAt = engine.NextDue(r.latest(), u.now)
	}
	u.markDirty(k)
}

func (u *unit) markDirty(k StateKey) {
	if !u.isDirty[k] {
		u.isDirty[k] = true
		u.dirty = append(u.dirty, k)
	}
}

// programState is the program's shared state, read only when needed.
func (u *unit) programState(ctx context.Context, v *engine.Program) (*StoredState, error) {
	if !v.NeedsProgramState() {
		return &StoredState{}, nil
	}
	return u.state(ctx, StateKey{ProgramID: v.ID, OwnerType: "program"})
}

// orgState reads an organization's state in a program; for a program
// that counts all history, a state that has counted nothing yet starts
// from the organization's purchases and returns stored so far (engine.
// Seed), as of at.
func (u *unit) orgState(ctx context.Context, r *running, orgID string, at time.Time) (*StoredState, error) {
	st, err := u.state(ctx, StateKey{r.prog.ID, engine.OwnerOrganization, orgID})
	if err != nil {
		return nil, err
	}
	v := r.at(at)
	if v == nil {
		v = r.latest()
	}
	if !v.NeedsHistory(st.State) {
		return st, nil
	}
	if err := u.flushPending(ctx); err != nil { // the unit's own facts (earlier events of a batch) are history too
		return nil, err
	}
	h, err := u.tx.PurchaseHistory(ctx, u.p.TenantID, orgID, time.Time{})
	if err != nil {
		return nil, err
	}
	st.State = engine.Seed(v, st.State, h, at)
	return st, nil
}
