package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/importer/importtest"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/store"
)

// TestSimulationEqualsLiveOnTheSample is issue 6's promise on real data:
// the Online Retail sample imported into a fresh tenant, month by month as
// an ERP would send it, with a 5% cashback program whose points expire at
// each quarter's end and the jobs run at every month's start; then the
// simulation of the same program over the same year predicts exactly what
// live did — every organization's balance and the points issued, expired
// and clawed back by the returns.
func TestSimulationEqualsLiveOnTheSample(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var prog, pt obj
		e.do("POST", "/v1/programs", e.keyA, obj{"name": "Retail cashback"}).must(201, &prog)
		pid := str(prog["id"])
		e.do("POST", "/v1/programs/"+pid+"/point-types", e.keyA, obj{"code": "points", "name": "Points", "unit": "points", "currency": "GBP",
			"value_num": 1, "value_den": 1, "expiry": "end_of_quarter"}).must(201, &pt)
		ptID := str(pt["id"])
		e.do("POST", "/v1/programs/"+pid+"/versions", e.keyA, obj{"effective_from": "2010-01-01T00:00:00Z", "definition": obj{
			"currency": "GBP", "point_type_id": ptID, "return_policy": "other_lots",
			"rules": []obj{{"id": "cashback", "effects": []obj{{"type": "earn", "percent_bp": 500}}}}}}).must(201, nil)
		e.do("POST", "/v1/programs/"+pid+"/status", e.keyA, obj{"status": "active"}).must(200, nil)

		ctx, p := context.Background(), access.System(e.tidA)
		months, header := sampleByMonth(t)
		for _, m := range months {
			_, err := e.app.Imports.Run(ctx, p, importer.Request{FileName: "retail-" + m.month + ".csv", Mapping: importer.RetailMapping(),
				Body: bytes.NewReader(append(append([]byte{}, header...), m.rows...)), CreateOrganizations: true})
			if err != nil {
				t.Fatalf("import of %s: %v", m.month, err)
			}
			next, _ := time.Parse("2006-01", m.month)
			runJobs(t, e, next.AddDate(0, 1, 0))
		}
		end := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
		runJobs(t, e, end)
		e.ledgerOK(e.tidA)
		_, expired, issuance := liveTotals(e, ptID)

		var rep simReport
		e.do("POST", "/v1/simulations", e.keyA, obj{"variants": []obj{{"program_id": pid}}, "from": "2010-12-01T00:00:00Z",
			"to": end.Format(time.RFC3339), "balances": true}).must(200, &rep)
		if len(rep.Variants) != 1 || len(rep.Variants[0].Refused) != 0 {
			t.Fatalf("report: %d events, %d variants, refused %v", rep.Events, len(rep.Variants), rep.Variants[0].Refused)
		}
		v := rep.Variants[0]
		if v.Points.Expired != expired || v.Points.Issued+issuance != v.Points.ClawedBack || expired == 0 || v.Points.ClawedBack == 0 {
			t.Errorf("simulated %+v; live expired %d, issuance holds %d", v.Points, expired, issuance)
		}
		live := liveWallets(t, e, ptID)
		if len(live) < 3000 {
			t.Fatalf("%d wallets: the import should have credited thousands", len(live))
		}
		for owner, bal := range live {
			if v.Balances[owner] != bal {
				t.Errorf("organization %s: simulated balance %d, live %d", owner, v.Balances[owner], bal)
			}
		}
		for owner, bal := range v.Balances {
			if _, ok := live[owner]; !ok && bal != 0 {
				t.Errorf("organization %s: simulated balance %d, no live wallet", owner, bal)
			}
		}
	})
}

type sampleMonth struct {
	month string
	rows  []byte
}

// sampleByMonth splits the sample into its months (the file is sorted by
// date), each a CSV file with the header line.
func sampleByMonth(t *testing.T) ([]sampleMonth, []byte) {
	t.Helper()
	f, err := os.Open(importtest.SamplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []sampleMonth
	var buf bytes.Buffer
	for _, r := range recs[1:] {
		month := r[4][:7] // InvoiceDate: YYYY-MM-DD HH:MM
		if len(out) == 0 || out[len(out)-1].month != month {
			out = append(out, sampleMonth{month: month})
		}
		buf.Reset()
		w := csv.NewWriter(&buf)
		_ = w.Write(r)
		w.Flush()
		m := &out[len(out)-1]
		m.rows = append(m.rows, buf.Bytes()...)
	}
	if len(out) != 13 {
		t.Fatalf("%d months in the sample, want 13", len(out))
	}
	return out, []byte(strings.Join(recs[0], ",") + "\n")
}

// runJobs runs what the server runs on its own, as of at.
func runJobs(t *testing.T, e *env, at time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.app.Ledger.ActivateDue(ctx, e.tidA, at, ledger.DefaultBatch); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Ledger.ExpireDue(ctx, e.tidA, at, ledger.DefaultBatch); err != nil {
		t.Fatal(err)
	}
}

// liveWallets reads every organization wallet of a point type: owner id →
// points held (available and pending).
func liveWallets(t *testing.T, e *env, ptID string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	var orgs []string
	for cursor := ""; ; {
		var pg struct {
			Items      []obj
			NextCursor string `json:"next_cursor"`
		}
		e.do("GET", "/v1/organizations?limit=500&cursor="+cursor, e.keyA, nil).must(200, &pg)
		for _, o := range pg.Items {
			orgs = append(orgs, str(o["id"]))
		}
		if cursor = pg.NextCursor; cursor == "" {
			break
		}
	}
	err := store.Bind[ledger.Tx](e.app.DB).Read(context.Background(), func(tx ledger.Tx) error {
		for _, id := range orgs {
			a, err := tx.GetAccount(context.Background(), e.tidA, ledger.AccountID(ptID, ledger.OwnerOrganization, id))
			if err != nil {
				continue // no wallet: the organization earned nothing
			}
			out[id] = a.Available + a.Pending
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
