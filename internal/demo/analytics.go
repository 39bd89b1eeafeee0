package demo

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/segment"
)

// seedSegments saves the segments an account manager at Atlas watches —
// the best dealers of the North, and every account at churn risk — and
// refreshes them so that rules can read org.segments at once. Sales facts
// of the demo's events were written as they were ingested.
func seedSegments(ctx context.Context, a *app.App, p access.Principal) error {
	for _, s := range []struct {
		code, name string
		rules      []segment.Condition
	}{
		{"north-a-dealers", "Dealers of the North, ABC class A", []segment.Condition{
			{Field: "type", Op: "in", Values: []string{"dealer"}},
			{Field: "region", Op: "in", Values: []string{"North"}},
			{Field: "abc", Op: "in", Values: []string{"A"}}}},
		{"at-risk", "Accounts at churn risk", []segment.Condition{
			{Field: "churn_risk", Op: "in", Values: []string{"high", "medium"}}}},
		{"loyal-buyers", "Frequent recent buyers (RFM R and F 4–5)", []segment.Condition{
			{Field: "r", Op: "between", Min: 4, Max: 5}, {Field: "f", Op: "between", Min: 4, Max: 5}}},
	} {
		sg, err := a.Segments.Create(ctx, p, segment.Input{Code: &s.code, Name: &s.name, Rules: &s.rules})
		if err != nil {
			return fmt.Errorf("segment %s: %w", s.code, err)
		}
		if _, err := a.Segments.Refresh(ctx, p, sg.ID); err != nil {
			return fmt.Errorf("segment %s: %w", s.code, err)
		}
	}
	return nil
}
