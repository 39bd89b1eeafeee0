package demo

import (
	"context"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/referral"
)

// demoInvoicePDF is a one-page PDF: the scanned invoice of the demo claim.
const demoInvoicePDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
	"trailer << /Root 1 0 R >>\n%%EOF\n"

// seedClaimsAndReferrals adds a sales claim waiting for approval and two
// referrals of the dealer club: one qualified by the new installer's first
// order, one still pending.
func seedClaimsAndReferrals(ctx context.Context, a *app.App, p access.Principal, clubID string) error {
	now := a.Clock.Now()
	_, err := a.Claims.Submit(ctx, p, claim.Submission{ProgramID: clubID, Member: "ext:P-10", InvoiceNumber: "BB-2026-0412",
		InvoiceDate: now.AddDate(0, 0, -6).Format(time.DateOnly), EndCustomer: "Harbour Homes Developments — Plot 14", Currency: "GBP",
		Lines: []claim.ClaimLine{{SKU: "INS-ROLL-100", Category: "insulation", Qty: 24, UnitPrice: 4200}, {SKU: "RF-MEMBRANE", Category: "roofing", Qty: 4, UnitPrice: 8900}},
		Document: &claim.DocumentInput{Filename: "BB-2026-0412.pdf", ContentType: "application/pdf",
			Data: base64.StdEncoding.EncodeToString([]byte(demoInvoicePDF))}})
	if err != nil {
		return fmt.Errorf("demo claim: %w", err)
	}
	if _, err := a.Referrals.PutSettings(ctx, p, referral.Rewards{ProgramID: clubID, ReferrerPoints: 500, ReferredPoints: 250, MinFirstBuy: 50000}); err != nil {
		return err
	}
	for _, r := range []struct{ owner, ref, referred string }{
		{referral.OwnerOrganization, "ext:R-3004", "ext:I-4005"}, // Harbour DIY brought Coastline Renovations
		{referral.OwnerMember, "ext:P-24", "ext:I-4006"},         // Stefan Fischer brought Pennine Facades
	} {
		code, err := a.Referrals.CodeOf(ctx, p, r.owner, r.ref)
		if err != nil {
			return err
		}
		if _, err := a.Referrals.Register(ctx, p, code.Code, r.referred); err != nil {
			return fmt.Errorf("demo referral of %s: %w", r.referred, err)
		}
	}
	first := events.Input{Type: "invoice", Source: "erp", ExternalID: "INV-52100", OccurredAt: now.AddDate(0, 0, -3),
		Organization: "ext:I-4005", Currency: "GBP", Lines: []events.LineInput{{SKU: "RF-SLATE-NAT", Category: "roofing", Qty: 40, UnitPrice: 2150}}}
	_, err = a.Events.IngestOne(ctx, p, first, false)
	return err
}
