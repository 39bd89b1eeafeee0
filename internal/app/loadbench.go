package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// The HTTP load benchmark (`loyal bench load`, and the Go benchmarks of
// this package) runs against a tenant of its own: a dealer program of ten
// rules with tiers and a stamp card, dealers with external ids D-0, D-1…,
// and a key that may write. Its scenarios are the requests an ERP and a
// checkout send most: single invoices, quotes and earns.

// LoadBench is a tenant set up for the load benchmark.
type LoadBench struct {
	TenantID    string
	Key         string // an API key of scope write
	PointTypeID string
	Dealers     []string // the organizations' ids, D-0 first
}

// LoadBenchName is the name of the tenants the load benchmark creates.
const LoadBenchName = "Load benchmark"

// earnWallets is how many dealers the earn scenario credits in turn.
const earnWallets = 200

// SetUpLoadBench creates the benchmark's tenant under slug, with n dealers.
func (a *App) SetUpLoadBench(ctx context.Context, slug string, n int) (LoadBench, error) {
	if n < 1 {
		return LoadBench{}, fmt.Errorf("the load benchmark needs at least one dealer, not %d", n)
	}
	tn, err := a.Tenants.CreateTenant(ctx, slug, LoadBenchName)
	if err != nil {
		return LoadBench{}, err
	}
	// It measures the servers, not the request rate they allow a tenant
	// (loyal serve --tenant-rate): its own rate is the highest there is.
	if _, err := a.Tenants.SetRateLimit(ctx, slug, tenant.MaxRateLimit); err != nil {
		return LoadBench{}, err
	}
	p := access.System(tn.ID)
	l := LoadBench{TenantID: tn.ID}
	if l.PointTypeID, err = a.loadProgram(ctx, p); err != nil {
		return l, err
	}
	if l.Dealers, err = a.loadDealers(ctx, p, n); err != nil {
		return l, err
	}
	_, l.Key, err = a.Tenants.CreateKey(ctx, p, tenant.KeyInput{Name: "load benchmark", Scope: access.ScopeWrite})
	return l, err
}

// loadDealers creates dealers D-0 to D-(n-1), as many per transaction as
// a bulk upsert takes, and returns their ids in that order.
func (a *App) loadDealers(ctx context.Context, p access.Principal, n int) ([]string, error) {
	ids := make([]string, 0, n)
	for len(ids) < n {
		items := make([]party.OrgInput, min(party.MaxBulk, n-len(ids)))
		for k := range items {
			items[k] = party.OrgInput{Type: party.Dealer, Name: fmt.Sprintf("D%d", len(ids)+k), ExternalID: fmt.Sprintf("D-%d", len(ids)+k), Region: "North"}
		}
		res, err := a.Party.UpsertOrganizations(ctx, p, items)
		if err != nil {
			return nil, err
		}
		for _, r := range res {
			ids = append(ids, r.Item.ID)
		}
	}
	return ids, nil
}

// loadProgram creates and starts the dealer program, and returns its
// point type.
func (a *App) loadProgram(ctx context.Context, p access.Principal) (string, error) {
	prog, err := a.Programs.Create(ctx, p, program.Input{Name: "Dealers"})
	if err != nil {
		return "", err
	}
	pt, err := a.Ledger.CreatePointType(ctx, p, prog.ID, ledger.PointTypeInput{Code: "points", Name: "P", Unit: "points", Currency: "EUR",
		ValueNum: 100, ValueDen: 1, Expiry: "never"})
	if err != nil {
		return "", err
	}
	def, err := json.Marshal(loadDefinition(pt.ID))
	if err != nil {
		return "", err
	}
	if _, err = a.Programs.AddVersion(ctx, p, prog.ID, program.VersionInput{Definition: def}); err != nil {
		return "", err
	}
	_, err = a.Programs.SetStatus(ctx, p, prog.ID, program.StatusInput{Status: program.Active})
	return pt.ID, err
}

// loadDefinition is a dealer program of 10 rules with tiers and a stamp card.
func loadDefinition(pointTypeID string) map[string]any {
	earn := func(id, cond string, eff map[string]any) map[string]any {
		return map[string]any{"id": id, "condition": cond, "effects": []map[string]any{eff}}
	}
	per := map[string]any{"points": 1, "per": 100}
	return map[string]any{"currency": "EUR", "point_type_id": pointTypeID,
		"rules": []map[string]any{
			earn("base", "", map[string]any{"type": "earn", "per_amount": per}),
			earn("tools", `event.lines.exists(l, l.category == "tools")`, map[string]any{"type": "earn", "lines": `line.category == "tools"`, "per_amount": per}),
			earn("big", "event.amount >= 100000", map[string]any{"type": "earn", "fixed": 50}),
			earn("north", `org.region == "North"`, map[string]any{"type": "earn", "percent_bp": 50}),
			earn("dealer", `org.type == "dealer"`, map[string]any{"type": "earn", "per_unit": 1}),
			earn("weekend", "now.getDayOfWeek() == 6", map[string]any{"type": "earn", "fixed": 10}),
			earn("brand", `event.lines.exists(l, l.brand == "acme")`, map[string]any{"type": "earn", "lines": `line.brand == "acme"`, "points": "line.qty * 2"}),
			earn("loyal", "org.orders_lifetime > 10", map[string]any{"type": "earn", "fixed": 5}),
			earn("double", `"promo" in event.attributes && event.attributes["promo"] == "x2"`, map[string]any{"type": "multiply", "factor_bp": 20000}),
			{"id": "capped", "condition": "event.quantity > 5", "effects": []map[string]any{{"type": "earn", "fixed": 20}},
				"caps": []map[string]any{{"per": "organization", "period": "month", "points": 200}}},
		},
		"tiers": map[string]any{"metric": "spend", "window": "calendar_year", "review": "year", "levels": []map[string]any{
			{"code": "base", "name": "Base", "threshold": 0},
			{"code": "silver", "name": "Silver", "threshold": 500000, "earn_multiplier_bp": 15000},
			{"code": "gold", "name": "Gold", "threshold": 2000000, "earn_multiplier_bp": 20000}}},
		"stamps": map[string]any{"lines": `line.category == "tools"`, "per_unit": true, "needed": 10,
			"reward": map[string]any{"type": "coupon", "reward_id": "free-tool", "name": "Free tool"}},
	}
}

// loadLines are the three lines of every invoice and quote.
var loadLines = []map[string]any{
	{"sku": "T-1", "category": "tools", "brand": "acme", "qty": 2, "unit_price": 4500},
	{"sku": "B-7", "category": "bricks", "brand": "clay", "qty": 40, "unit_price": 385},
	{"sku": "C-2", "category": "cement", "brand": "grey", "qty": 5, "unit_price": 690},
}

// LoadScenario is one kind of request of the load benchmark.
type LoadScenario struct {
	Name    string // events, quote or earn
	Route   string
	Clients int // how many clients send at once, unless told otherwise
	// Request builds request i of run n (runs of one database must not
	// repeat an event or an earn) against the server at base.
	Request func(base string, run, i int) (*http.Request, error)
	// Dealer is the index of the dealer request i is for: replicas can
	// each be sent the requests of dealers of their own.
	Dealer func(i int) int
}

// Scenarios are the benchmark's requests: an invoice of three lines from
// one of the dealers (32 clients), a quote of the same lines (32), and an
// earn of 10 points to one of the first 200 dealers (64).
func (l LoadBench) Scenarios() []LoadScenario {
	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	wallets := min(earnWallets, len(l.Dealers))
	dealer := func(i int) int { return i % len(l.Dealers) }
	wallet := func(i int) int { return i % wallets }
	return []LoadScenario{
		{Name: "events", Route: "POST /v1/events", Clients: 32, Dealer: dealer, Request: func(base string, run, i int) (*http.Request, error) {
			return l.post(base+"/v1/events", "", map[string]any{"type": "invoice", "source": "bench", "external_id": fmt.Sprintf("r%d-%d", run, i),
				"occurred_at": at, "organization": fmt.Sprintf("ext:D-%d", dealer(i)), "currency": "EUR", "lines": loadLines})
		}},
		{Name: "quote", Route: "POST /v1/quote", Clients: 32, Dealer: dealer, Request: func(base string, _, i int) (*http.Request, error) {
			return l.post(base+"/v1/quote", "", map[string]any{"organization": fmt.Sprintf("ext:D-%d", dealer(i)), "currency": "EUR", "lines": loadLines})
		}},
		{Name: "earn", Route: "POST /v1/ledger/earn", Clients: 64, Dealer: wallet, Request: func(base string, run, i int) (*http.Request, error) {
			return l.post(base+"/v1/ledger/earn", fmt.Sprintf("earn-%d-%d", run, i), map[string]any{"point_type_id": l.PointTypeID, "amount": 10,
				"owner": map[string]string{"type": "organization", "id": l.Dealers[wallet(i)]}})
		}},
	}
}

// post is a JSON POST with the benchmark's key and, when given, an
// idempotency key.
func (l LoadBench) post(url, idem string, body any) (*http.Request, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	r, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Authorization", "Bearer "+l.Key)
	r.Header.Set("Content-Type", "application/json")
	if idem != "" {
		r.Header.Set("Idempotency-Key", idem)
	}
	return r, nil
}
