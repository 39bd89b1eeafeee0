package simulate_test

import (
	"cmp"
	"context"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/simulate"
)

// sampleLine is a product line of the Online Retail sample.
type sampleLine struct {
	sku      string
	qty      int64
	price    int64 // pence
	customer string
	country  string
}

// readSample reads the sample's product lines with a customer (credit
// notes, lines without a customer and zero prices are left out: they earn
// nothing). LOYAL_RETAIL_SAMPLE names another file of the same layout.
func readSample(b *testing.B) []sampleLine {
	path := cmp.Or(os.Getenv("LOYAL_RETAIL_SAMPLE"), "../../testdata/online-retail-sample.csv")
	f, err := os.Open(path)
	if err != nil {
		b.Fatalf("the Online Retail sample: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	var out []sampleLine
	for _, r := range rows[1:] {
		qty, _ := strconv.ParseInt(r[3], 10, 64)
		price, _ := strconv.ParseFloat(r[5], 64)
		if strings.HasPrefix(r[0], "C") || r[6] == "" || qty <= 0 || price <= 0 {
			continue
		}
		out = append(out, sampleLine{sku: r[1], qty: qty, price: int64(price*100 + 0.5), customer: r[6], country: r[7]})
	}
	return out
}

// history generates n lines shaped like the Online Retail data set:
// invoices of 1–40 lines (about 20, as the full data set), lines drawn
// from the sample (so SKUs, quantities, prices and each customer's share
// follow it), a year of dates, and returns of one line of an earlier
// invoice of the same customer for about 2% of lines (the sample's share
// of credit-note lines).
func history(b *testing.B, n int) ([]simulate.Event, map[string]simulate.Org) {
	sample := readSample(b)
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2010, 12, 1, 8, 0, 0, 0, time.UTC)
	span := 373 * 24 * time.Hour
	orgs := map[string]simulate.Org{}
	var evs []simulate.Event
	last := map[string]*engine.Event{}
	for lines, i := 0, 0; lines < n; i++ {
		first := sample[rng.IntN(len(sample))]
		at := start.Add(span / time.Duration(n) * time.Duration(lines))
		ev := engine.Event{Type: engine.Invoice, Source: "erp", ExternalID: strconv.Itoa(i), OccurredAt: at, Currency: "GBP"}
		for k := 1 + rng.IntN(40); k > 0 && lines < n; k-- {
			s := sample[rng.IntN(len(sample))]
			ev.Lines = append(ev.Lines, engine.Line{SKU: s.sku, Qty: s.qty, UnitPrice: s.price, Amount: s.qty * s.price})
			lines++
		}
		orgs[first.customer] = simulate.Org{Org: engine.Org{ID: first.customer, Type: "retailer"}, Country: first.country}
		evs = append(evs, simulate.Event{Event: ev, Org: first.customer})
		if prev := last[first.customer]; prev != nil && rng.IntN(1000) < 390 && lines < n {
			l := prev.Lines[0]
			evs = append(evs, simulate.Event{Org: first.customer, Event: engine.Event{Type: engine.Return, Source: "erp", ExternalID: "C" + strconv.Itoa(i),
				Original: prev.ExternalID, OccurredAt: at.Add(time.Minute), Currency: "GBP", Lines: []engine.Line{{SKU: l.SKU, Qty: 1}}}})
			lines++
		}
		last[first.customer] = &evs[len(evs)-1].Event
		if evs[len(evs)-1].Type == engine.Return {
			last[first.customer] = &ev
		}
	}
	return evs, orgs
}

// BenchmarkSimulate replays 1,000,000 lines through one variant: 5%
// cashback, a monthly-reviewed Gold tier, points expiring at the end of
// each quarter, 60% redeemed after 30 days.
//
//	go test ./internal/simulate -run '^$' -bench Simulate -benchtime 3x
func BenchmarkSimulate(b *testing.B) {
	evs, orgs := history(b, 1_000_000)
	pt := ledger.PointType{ID: "pt", ValueNum: 1, ValueDen: 1, Rounding: money.Floor, Expiry: ledger.Expiry{Kind: ledger.ExpireEndOfQuarter}}
	v := variant(b, "cashback", `{"currency":"GBP","point_type_id":"pt","rules":[{"id":"cb","effects":[{"type":"earn","percent_bp":500}]}],
		"tiers":{"metric":"spend","window":"previous_month","review":"month","levels":[{"code":"base","name":"Base","threshold":0},
		{"code":"gold","name":"Gold","threshold":100000,"earn_multiplier_bp":15000}]}}`, pt)
	rate := int64(6000)
	in := simulate.Input{From: time.Date(2010, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC),
		Variants: []simulate.Variant{v}, Events: evs, Orgs: orgs,
		Assumptions: simulate.Assumptions{RedemptionRateBP: &rate, RedemptionDelayDays: 30, MarginBP: 3000}}
	b.ResetTimer()
	var rep simulate.Report
	for b.Loop() {
		var err error
		if rep, err = simulate.Run(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rep.Lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	if rep.Variants[0].Points.Issued == 0 || len(rep.Variants[0].Refused) > 0 {
		b.Fatalf("nothing issued, or refused: %+v", rep.Variants[0].Refused)
	}
}
