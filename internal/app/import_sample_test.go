package app

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"testing"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The 40,000-line sample imported with a 5% cashback program, creating
// its organizations, gives on both engines the outcome recorded here from
// the importer as it was before its organizations were looked up and
// created in bulk: the same summary, the same organizations and the same
// balance in every wallet (a digest of "external id:available:pending"
// lines in external-id order). A change of the importer that changes any
// result fails here.
func TestSampleImportOutcomeIsUnchanged(t *testing.T) {
	const (
		wantSummary = "rows 40000 imported 29239 duplicate 0 events 11531 invoices 11473 returns 58 orgs 3587 skipped map[credit_note_without_invoice:565 missing_customer:9992 non_product:201] rejected map[zero_price:3]"
		wantDigest  = "3587 orgs b861bd0321b1a330"
	)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := New(config.Config{}, slog.New(slog.DiscardHandler), clock.System{}, db, nil)
		p := importTenant(t, a, "sample", true)
		f, err := os.Open("../../testdata/online-retail-sample.csv")
		must(t, err)
		defer f.Close()
		res, err := a.Imports.Run(context.Background(), p, importer.Request{FileName: "sample.csv", Body: f, Mapping: importer.RetailMapping(), CreateOrganizations: true})
		must(t, err)
		s := res.Import.Summary
		got := fmt.Sprintf("rows %d imported %d duplicate %d events %d invoices %d returns %d orgs %d skipped %v rejected %v",
			s.RowsRead, s.LinesImported, s.LinesDuplicate, s.EventsCreated, s.InvoicesCreated, s.ReturnsCreated, s.OrganizationsCreated, s.Skipped, s.Rejected)
		if got != wantSummary {
			t.Errorf("summary:\n got %s\nwant %s", got, wantSummary)
		}
		rows, err := db.Rows(context.Background(), `SELECT o.external_id, a.available, a.pending FROM organizations o
			LEFT JOIN ledger_accounts a ON a.tenant_id = o.tenant_id AND a.owner_type = 'organization' AND a.owner_id = o.id
			WHERE o.tenant_id = $1 ORDER BY o.external_id`, p.TenantID)
		must(t, err)
		h := sha256.New()
		for _, r := range rows {
			fmt.Fprintf(h, "%v:%v:%v\n", r["external_id"], r["available"], r["pending"])
		}
		if d := fmt.Sprintf("%d orgs %x", len(rows), h.Sum(nil)[:8]); d != wantDigest {
			t.Errorf("organizations and balances: got %s, want %s", d, wantDigest)
		}
	})
}
