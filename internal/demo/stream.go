package demo

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// streamBuyers are the demo organizations that keep buying; streamGoods
// what they buy (SKU, category, unit price in pence).
var (
	streamBuyers = []string{"R-3001", "R-3002", "R-3003", "R-3004", "I-4001", "I-4002", "D-1001", "D-1002", "D-2001"}
	streamGoods  = []struct {
		sku, cat string
		price    int64
	}{
		{"BRK-RED-500", "bricks", 38500}, {"INS-ROLL-100", "insulation", 4200}, {"RF-TILE-CLAY", "roofing", 1250},
		{"RF-SLATE-NAT", "roofing", 2150}, {"CEM-25KG", "cement", 690}, {"PLB-12.5", "plasterboard", 845}, {"FIX-SCR-BOX", "fixings", 1450},
	}
)

// Stream keeps a gentle flow of realistic events going until ctx ends, so
// that the live dashboard moves while someone looks: an invoice every
// period, now and then a partial return of an earlier one, and a sales
// claim waiting for approval.
func Stream(ctx context.Context, a *app.App, t tenant.Tenant, period time.Duration, log *slog.Logger) {
	p := access.Principal{TenantID: t.ID, ActorType: access.ActorSystem, ActorID: "demo-stream", Scope: access.ScopeAdmin}
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	run := fmt.Sprintf("%x", time.Now().Unix()%0xfffff)
	var sent []events.Input
	tick := time.NewTicker(period)
	defer tick.Stop()
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var err error
		switch {
		case n%7 == 0 && len(sent) > 0:
			err = streamReturn(ctx, a, p, sent[rnd.IntN(len(sent))], fmt.Sprintf("CN-%s-%04d", run, n))
		case n%11 == 0:
			err = streamClaim(ctx, a, p, rnd, fmt.Sprintf("BB-%s-%04d", run, n))
		default:
			in := streamInvoice(a, rnd, fmt.Sprintf("INV-%s-%04d", run, n))
			if _, err = a.Events.IngestOne(ctx, p, in, false); err == nil {
				sent = append(sent, in)
			}
		}
		if err != nil && ctx.Err() == nil {
			log.Warn("demo stream", "err", err)
		}
	}
}

func streamInvoice(a *app.App, rnd *rand.Rand, ext string) events.Input {
	var lines []events.LineInput
	for range 1 + rnd.IntN(3) {
		g := streamGoods[rnd.IntN(len(streamGoods))]
		lines = append(lines, events.LineInput{SKU: g.sku, Category: g.cat, Qty: int64(5 + rnd.IntN(120)), UnitPrice: g.price})
	}
	return events.Input{Type: "invoice", Source: "erp", ExternalID: ext, OccurredAt: a.Clock.Now(),
		Organization: "ext:" + streamBuyers[rnd.IntN(len(streamBuyers))], Currency: "GBP", Lines: lines}
}

// streamReturn sends back a few units of an earlier invoice's first line.
func streamReturn(ctx context.Context, a *app.App, p access.Principal, inv events.Input, ext string) error {
	l := inv.Lines[0]
	_, err := a.Events.IngestOne(ctx, p, events.Input{Type: "return", Source: "erp", ExternalID: ext, Original: inv.ExternalID,
		OccurredAt: a.Clock.Now(), Organization: inv.Organization, Currency: "GBP",
		Lines: []events.LineInput{{SKU: l.SKU, Qty: max(1, l.Qty/4)}}}, false)
	return err
}

// streamClaim submits an installer's sales claim with its PDF.
func streamClaim(ctx context.Context, a *app.App, p access.Principal, rnd *rand.Rand, number string) error {
	club, err := clubID(ctx, a, p)
	if err != nil {
		return err
	}
	g := streamGoods[rnd.IntN(len(streamGoods))]
	_, err = a.Claims.Submit(ctx, p, claim.Submission{ProgramID: club, Member: "ext:P-10", InvoiceNumber: number,
		InvoiceDate: a.Clock.Now().AddDate(0, 0, -2).Format(time.DateOnly), EndCustomer: "Site " + number, Currency: "GBP",
		Lines: []claim.ClaimLine{{SKU: g.sku, Category: g.cat, Qty: int64(2 + rnd.IntN(30)), UnitPrice: g.price}},
		Document: &claim.DocumentInput{Filename: number + ".pdf", ContentType: "application/pdf",
			Data: base64.StdEncoding.EncodeToString([]byte(demoInvoicePDF + "% " + number + "\n"))}})
	return err
}

func clubID(ctx context.Context, a *app.App, p access.Principal) (string, error) {
	var res Result
	if err := findClub(ctx, a, p, &res); err != nil {
		return "", err
	}
	return res.ProgramID, nil
}
