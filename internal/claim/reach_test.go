package claim_test

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/app/reachtest"
	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// An account manager submits claims for the members of their own
// organizations only.
func TestAccountManagerSubmitsInReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reachtest.New(t, db)
		ctx := t.Context()
		submit := func(member, number string) error {
			pdf := "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n% " + number + "\n"
			_, err := f.App.Claims.Submit(ctx, f.Tom, claim.Submission{ProgramID: f.Program.ID, Member: member, InvoiceNumber: number,
				InvoiceDate: f.Clock.Now().AddDate(0, 0, -1).Format(time.DateOnly), EndCustomer: "Harbour Homes", Currency: "GBP",
				Lines:    []claim.ClaimLine{{SKU: "BRICK-1", Qty: 10, UnitPrice: 5000}},
				Document: &claim.DocumentInput{Filename: number + ".pdf", ContentType: "application/pdf", Data: base64.StdEncoding.EncodeToString([]byte(pdf))}})
			return err
		}
		reachtest.Refused(t, "submitting a claim", submit(f.VeraMember.ID, "CL-1"))
		if pg, _ := f.App.Claims.List(ctx, f.Sys, "", "", page.Request{Limit: 10}); len(pg.Items) != 0 {
			t.Errorf("a refused claim was stored: %v", pg.Items)
		}
		if err := submit(f.TomMember.ID, "CL-2"); err != nil {
			t.Errorf("a claim of his own organization's member: %v", err)
		}
	})
}
