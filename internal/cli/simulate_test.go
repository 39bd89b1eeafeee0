package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
)

// `loyal simulate` replays stored events through two variant files and
// prints them side by side; it writes the report as CSV; bad variants
// and ranges are refused with what to fix.
func TestSimulate(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -2)
		d.open(t, func(a *app.App) {
			ctx := context.Background()
			tn, err := a.Tenants.TenantBySlug(ctx, "acme")
			if err != nil {
				t.Fatal(err)
			}
			p := access.System(tn.ID)
			if _, err := a.Party.CreateOrganization(ctx, p, party.OrgInput{Type: party.Dealer, Name: "Dealer", ExternalID: "D-1", Region: "north"}); err != nil {
				t.Fatal(err)
			}
			for i, amount := range []int64{100000, 200000} {
				_, err := a.Events.IngestOne(ctx, p, events.Input{Type: "invoice", Source: "erp", ExternalID: string(rune('a' + i)), OccurredAt: day.Add(time.Duration(i+1) * time.Hour),
					Organization: "ext:D-1", Currency: "EUR", Lines: []events.LineInput{{SKU: "A", Qty: 1, UnitPrice: amount}}}, false)
				if err != nil {
					t.Fatal(err)
				}
			}
		})
		dir := t.TempDir()
		write := func(name, body string) string {
			f := filepath.Join(dir, name)
			if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			return f
		}
		cashback := write("cashback.json", `{"currency":"EUR","rules":[{"id":"cb","effects":[{"type":"earn","percent_bp":500}]}]}`)
		discount := write("discount.json", `{"name":"5% off","point_type":{"value_num":100},"definition":{"currency":"EUR","discounts":[{"id":"d","kind":"percent","percent_bp":500}]}}`)
		out := filepath.Join(dir, "report.csv")
		from, to := day.Format("2006-01-02"), day.AddDate(0, 0, 1).Format("2006-01-02")
		r := mustRun(t, d.with("simulate", "--tenant", "acme", "--from", from, "--to", to, "--variant", cashback, "--variant", discount,
			"--redemption-rate", "100%", "--margin", "30%", "--out", out)...)
		for _, want := range []string{"cashback", "5% off", "points issued", "cost of margin", "2 events"} {
			if !strings.Contains(r.out, want) {
				t.Errorf("output lacks %q:\n%s", want, r.out)
			}
		}
		if !strings.Contains(r.errOut, "cashback: 2/2 events") {
			t.Errorf("no progress on stderr: %q", r.errOut)
		}
		csv, err := os.ReadFile(out)
		if err != nil || !strings.HasPrefix(string(csv), "metric,unit,cashback,5% off\n") || !strings.Contains(string(csv), "cost,money,") {
			t.Errorf("csv: %v\n%s", err, csv)
		}
		bad := write("bad.json", `{"currency":"EUR","rules":[{"id":"r","condition":"nope >","effects":[{"type":"earn","fixed":1}]}]}`)
		if r := run(t, d.with("simulate", "--tenant", "acme", "--from", from, "--to", to, "--variant", bad)...); r.code == 0 || !strings.Contains(r.errOut, "variants[0].definition.rules[0].condition") {
			t.Errorf("bad variant: %v", r)
		}
		if r := run(t, d.with("simulate", "--tenant", "acme", "--from", to, "--to", from, "--variant", cashback)...); r.code == 0 || !strings.Contains(r.errOut, "empty") {
			t.Errorf("empty range: %v", r)
		}
		if r := run(t, d.with("simulate", "--tenant", "acme", "--from", "yesterday", "--to", to, "--variant", cashback)...); r.code == 0 || !strings.Contains(r.errOut, "--from") {
			t.Errorf("bad date: %v", r)
		}
		r = mustRun(t, d.with("simulate", "--help")...)
		if !strings.Contains(r.out, "--redemption-rate") || !strings.Contains(r.out, "Example") {
			t.Errorf("help: %s", r.out)
		}
	})
}
