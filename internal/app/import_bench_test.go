package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// BenchmarkImport imports a file end to end into a fresh tenant on durable
// SQLite, creating its organizations: with no program, and with a 5%
// cashback program earning on every invoice (and clawing back on returns).
// The file is $LOYAL_BENCH_IMPORT (e.g. from go run ./scripts/genretail
// -lines 1000000 -out /tmp/retail-1m.csv), else the 40,000-line sample.
//
//	LOYAL_BENCH_IMPORT=/tmp/retail-1m.csv go test ./internal/app -run '^$' -bench Import -benchtime 1x
func BenchmarkImport(b *testing.B) {
	path := os.Getenv("LOYAL_BENCH_IMPORT")
	if path == "" {
		path = "../../testdata/online-retail-sample.csv"
	}
	for _, withProgram := range []bool{false, true} {
		name := "no-program"
		if withProgram {
			name = "cashback"
		}
		b.Run(name, func(b *testing.B) {
			db := storetest.Open(b, benchEngine())
			a := New(config.Config{}, slog.New(slog.DiscardHandler), clock.System{}, db, nil)
			var rows, lines int
			var took time.Duration
			for i := range b.N {
				b.StopTimer()
				p := importTenant(b, a, fmt.Sprintf("tenant-%d", i), withProgram)
				f, err := os.Open(path)
				must(b, err)
				b.StartTimer()
				start := time.Now()
				res, err := a.Imports.Run(context.Background(), p, importer.Request{FileName: path, Body: f, Mapping: importer.RetailMapping(), CreateOrganizations: true})
				took += time.Since(start)
				must(b, err)
				_ = f.Close()
				rows, lines = rows+res.Import.Summary.RowsRead, lines+res.Import.Summary.LinesImported
			}
			b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
			b.ReportMetric(float64(lines)/took.Seconds(), "lines-imported/s")
		})
	}
}

func importTenant(b testing.TB, a *App, slug string, withProgram bool) access.Principal {
	ctx := context.Background()
	tn, err := a.Tenants.CreateTenant(ctx, slug, slug)
	must(b, err)
	p := access.System(tn.ID)
	if !withProgram {
		return p
	}
	prog, err := a.Programs.Create(ctx, p, program.Input{Name: "Cashback"})
	must(b, err)
	pt, err := a.Ledger.CreatePointType(ctx, p, prog.ID, ledger.PointTypeInput{Code: "points", Name: "P", Unit: "points", Currency: "GBP",
		ValueNum: 1, ValueDen: 1, Expiry: "never"})
	must(b, err)
	def, err := json.Marshal(map[string]any{"currency": "GBP", "point_type_id": pt.ID,
		"rules": []map[string]any{{"id": "cb", "effects": []map[string]any{{"type": "earn", "percent_bp": 500}}}}})
	must(b, err)
	_, err = a.Programs.AddVersion(ctx, p, prog.ID, program.VersionInput{Definition: def})
	must(b, err)
	_, err = a.Programs.SetStatus(ctx, p, prog.ID, program.StatusInput{Status: program.Active})
	must(b, err)
	return p
}

// benchEngine is the engine of the import benchmark: $LOYAL_BENCH_ENGINE
// (sqlite or postgres), SQLite by default.
func benchEngine() store.Engine {
	if e := store.Engine(os.Getenv("LOYAL_BENCH_ENGINE")); e != "" {
		return e
	}
	return store.SQLite
}
