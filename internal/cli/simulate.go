package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/simulate"
)

type simulateCmd struct {
	Tenant          string   `required:"" help:"The tenant (slug) whose stored events are replayed."`
	From            string   `required:"" help:"Start of the range (YYYY-MM-DD or RFC 3339), inclusive."`
	To              string   `required:"" help:"End of the range (YYYY-MM-DD or RFC 3339), exclusive; expiries and reviews run up to it."`
	Variant         []string `required:"" help:"A variant file (repeat for side by side): a JSON program definition as POST /v1/programs/{id}/versions takes, or {\"name\", \"program_id\", \"definition\", \"point_type\": {\"value_num\", \"value_den\", \"expiry\", \"pending_days\"}}." type:"existingfile"`
	RedemptionRate  string   `help:"Share of earned points members redeem, e.g. 60%. Default: only what the events spend (the mode that equals live)."`
	RedemptionDelay int      `help:"Days after earning that points are redeemed." default:"0"`
	DiscountShare   string   `help:"Share of redeemed points spent as discounts (the rest on rewards), e.g. 70%. Default 100%."`
	RewardCost      string   `help:"What a reward costs as a share of its value in points, e.g. 60%. Default 100%."`
	Margin          string   `help:"Margin assumed for lines without a cost, e.g. 30%."`
	Balances        bool     `help:"Include every organization's final balance in the JSON report."`
	Out             string   `help:"Also write the report to this file: .json (the API's report) or .csv (side by side, then months)."`
}

func (c *simulateCmd) Help() string {
	return `Replays the tenant's events of [--from, --to) through each variant with the same engine as live, in memory,
and prints the variants side by side. Nothing is written to the database.

Example:
  loyal simulate --tenant atlas --from 2026-01-01 --to 2027-01-01 \
    --variant discount.json --variant cashback.json --redemption-rate 60% --redemption-delay 30 --margin 30% --out report.csv`
}

func (c *simulateCmd) Run(e *env) error {
	req := simulate.Request{Balances: c.Balances}
	var err error
	if req.From, err = parseDay("--from", c.From); err != nil {
		return err
	}
	if req.To, err = parseDay("--to", c.To); err != nil {
		return err
	}
	if ext := strings.ToLower(filepath.Ext(c.Out)); c.Out != "" && ext != ".csv" && ext != ".json" {
		return fmt.Errorf("--out %s: write a .json or a .csv file", c.Out)
	}
	if req.Assumptions, err = c.assumptions(); err != nil {
		return err
	}
	for _, f := range c.Variant {
		v, err := readVariant(f)
		if err != nil {
			return err
		}
		req.Variants = append(req.Variants, v)
	}
	return withTenant(e, c.Tenant, func(ctx context.Context, a *app.App, p access.Principal) error {
		started := time.Now()
		progress := func(name string, done, total int) {
			fmt.Fprintf(e.errOut, "%s: %d/%d events (%s)\n", name, done, total, time.Since(started).Round(time.Millisecond))
		}
		rep, err := a.Simulations.Simulate(ctx, p, req, progress)
		if err != nil {
			return err
		}
		if err := simulate.WriteTable(e.out, rep); err != nil {
			return err
		}
		return c.write(rep)
	})
}

// parseDay reads a date (midnight UTC) or an RFC 3339 time.
func parseDay(flag, s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, fmt.Errorf("%s %q: give a date (2026-01-31) or a time (2026-01-31T00:00:00Z)", flag, s)
	}
	return t, nil
}

// assumptions reads the rates people type (60%, 0.6%).
func (c *simulateCmd) assumptions() (simulate.Assumptions, error) {
	a := simulate.Assumptions{RedemptionDelayDays: c.RedemptionDelay}
	for _, x := range []struct {
		flag, v string
		dst     **int64
	}{{"--redemption-rate", c.RedemptionRate, &a.RedemptionRateBP}, {"--discount-share", c.DiscountShare, &a.DiscountShareBP}, {"--reward-cost", c.RewardCost, &a.RewardCostBP}} {
		if x.v == "" {
			continue
		}
		bp, err := money.ParseRate(x.v)
		if err != nil {
			return a, fmt.Errorf("%s %q: %w", x.flag, x.v, err)
		}
		*x.dst = &bp
	}
	if c.Margin != "" {
		bp, err := money.ParseRate(c.Margin)
		if err != nil {
			return a, fmt.Errorf("--margin %q: %w", c.Margin, err)
		}
		a.MarginBP = bp
	}
	return a, nil
}

// readVariant reads a variant file: a variant, or a bare definition named
// after the file.
func readVariant(path string) (simulate.VariantSpec, error) {
	var v simulate.VariantSpec
	b, err := os.ReadFile(path)
	if err != nil {
		return v, err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return v, fmt.Errorf("%s: not a JSON object: %w", path, err)
	}
	_, hasDef := keys["definition"]
	_, hasProg := keys["program_id"]
	if !hasDef && !hasProg {
		v.Definition = bytes.TrimSpace(b)
	} else if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	if v.Name == "" {
		v.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return v, nil
}

func (c *simulateCmd) write(rep simulate.Report) error {
	if c.Out == "" {
		return nil
	}
	f, err := os.Create(c.Out)
	if err != nil {
		return err
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(c.Out)) {
	case ".csv":
		err = simulate.WriteCSV(f, rep)
	default: // .json, checked before the run
		enc := json.NewEncoder(f)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	}
	if err != nil {
		return err
	}
	return f.Close()
}
