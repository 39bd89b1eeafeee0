package demo

import (
	"context"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// TestDemoImport: the demo's ERP export is imported with its saved
// mapping, every row accounted for.
func TestDemoImport(t *testing.T) {
	eachDemo(t, func(t *testing.T, a *app.App, res Result, p access.Principal) {
		ctx := context.Background()
		ims, err := a.Imports.List(ctx, p, page.Request{Limit: 10})
		if err != nil || len(ims.Items) != 1 {
			t.Fatalf("imports %+v, %v", ims, err)
		}
		s := ims.Items[0].Summary
		if s.RowsRead != 6 || s.LinesImported != 4 || s.InvoicesCreated != 2 || s.ReturnsCreated != 1 ||
			s.Skipped["non_product"] != 1 || s.Skipped["missing_customer"] != 1 || !s.Balanced() {
			t.Fatalf("demo import %+v", s)
		}
	})
}
