package outbound_test

import (
	"context"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/outbound"
)

type recorder struct{ types []string }

func (r *recorder) Publish(_ context.Context, _ any, _, typ string, _ any) error {
	r.types = append(r.types, typ)
	return nil
}

// A Ref announces nothing until messaging is set, then everything; a nil
// publisher announces nothing.
func TestRefForwardsOnceSet(t *testing.T) {
	ctx := context.Background()
	var ref outbound.Ref
	if err := outbound.Publish(ctx, &ref, nil, "t1", outbound.PointsSpent, nil); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	ref.Set(rec)
	if err := outbound.Publish(ctx, &ref, nil, "t1", outbound.ClaimStatus, nil); err != nil {
		t.Fatal(err)
	}
	if err := outbound.Publish(ctx, nil, nil, "t1", outbound.GoalAchieved, nil); err != nil {
		t.Fatal(err)
	}
	if len(rec.types) != 1 || rec.types[0] != outbound.ClaimStatus {
		t.Fatalf("announced %v, want only claim.status", rec.types)
	}
}
