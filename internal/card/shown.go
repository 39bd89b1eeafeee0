package card

import (
	"context"
	"encoding/json"
	"time"
)

// Remember records st as what the wallets show of c, when it differs from
// what they showed (AsOf aside). It reports whether it changed: only then
// do passes need a push. Two replicas remembering at once change it once
// (the update is conditional on the state read).
func (s *Service) Remember(ctx context.Context, c Card, st State) (bool, error) {
	st.AsOf = time.Time{}
	b, err := json.Marshal(st)
	if err != nil {
		return false, err
	}
	if string(b) == c.Shown {
		return false, nil
	}
	var changed bool
	err = s.Store.Write(ctx, func(tx Tx) error {
		changed, err = tx.SetCardShown(ctx, c.TenantID, c.ID, c.Shown, string(b), s.Clock.Now())
		return err
	})
	return changed, err
}

// Shown decodes a state the card showed ("" or a broken value: nil).
func Shown(raw string) *State {
	if raw == "" {
		return nil
	}
	var st State
	if json.Unmarshal([]byte(raw), &st) != nil {
		return nil
	}
	return &st
}

// SameState reports whether two states show the same (AsOf aside).
func SameState(a, b State) bool {
	a.AsOf, b.AsOf = time.Time{}, time.Time{}
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
