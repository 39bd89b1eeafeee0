package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Four imports of files naming the same new customers, run at once, create
// each organization once between them (the bulk insert leaves out those
// another import added meanwhile), with one audit entry each, and every
// import succeeds.
func TestConcurrentImportsCreateEachOrganizationOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := New(config.Config{}, slog.New(slog.DiscardHandler), clock.System{}, db, nil)
		p := importTenant(t, a, "orgs", false)
		const customers = 40
		created := make([]int, 4)
		errs := make([]error, 4)
		var wg sync.WaitGroup
		for i := range created {
			wg.Go(func() {
				var b strings.Builder
				b.WriteString("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n")
				for c := range customers {
					fmt.Fprintf(&b, "%d%03d,SKU1,Thing,1,2011-01-02 10:00,2.50,%d,France\n", i, c, 20000+c)
				}
				res, err := a.Imports.Run(ctx, p, importer.Request{FileName: "f.csv", Body: strings.NewReader(b.String()),
					Mapping: importer.RetailMapping(), CreateOrganizations: true})
				created[i], errs[i] = res.Import.Summary.OrganizationsCreated, err
			})
		}
		wg.Wait()
		total := 0
		for i, err := range errs {
			must(t, err)
			total += created[i]
		}
		if total != customers {
			t.Fatalf("the imports created %d organizations between them, want %d", total, customers)
		}
		for _, q := range []string{`SELECT COUNT(*) AS n FROM organizations WHERE tenant_id = $1 AND country = 'FR'`,
			`SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = $1 AND action = 'organization.created'`} {
			rows, err := db.Rows(ctx, q, p.TenantID)
			must(t, err)
			if n := fmt.Sprint(rows[0]["n"]); n != fmt.Sprint(customers) {
				t.Fatalf("%s: %s, want %d", q, n, customers)
			}
		}
	})
}
