package httpapi_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
)

// A tiny valid-looking PDF and PNG for claims' documents.
var (
	pdfDoc = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	pngDoc = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
)

// claimFixture is a running program earning 10% of purchases (claims
// included), a dealer R-1 and its sales employee.
type claimFixture struct {
	programFixture
	rep obj
}

func newClaimFixture(e *env) claimFixture {
	e.t.Helper()
	f := claimFixture{programFixture: newProgram(e, obj{"rules": []obj{{"id": "ten", "name": "10% back", "events": []string{"invoice", "claim"}, "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}})}
	f.rep = e.createMember(obj{"organization_id": f.org["id"], "name": "Hannah Moss", "roles": []string{"sales"}})
	return f
}

// claimBody is a claim of invoice inv (dated at the epoch) with a PDF
// that differs per invoice.
func (f claimFixture) claimBody(inv string) obj {
	doc := append(bytes.Clone(pdfDoc), []byte("% "+inv+"\n")...)
	return obj{"program_id": f.program["id"], "member": f.rep["id"], "invoice_number": inv, "invoice_date": "2026-03-01",
		"end_customer": "Riverside Homes", "currency": "EUR", "lines": []obj{{"sku": "BRICK-1", "category": "bricks", "qty": 10, "unit_price": 5000}},
		"document": doc64("invoice-"+inv+".pdf", "application/pdf", doc)}
}

func doc64(name, ct string, data []byte) obj {
	return obj{"filename": name, "content_type": ct, "data": base64.StdEncoding.EncodeToString(data)}
}

func TestClaimApprovedEarnsPerProgramRules(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newClaimFixture(e)
		var c obj
		e.do("POST", "/v1/claims", e.keyA, f.claimBody("INV-100")).must(201, &c)
		if c["status"] != "pending" || c["organization_id"] != f.org["id"] || c["amount"] != float64(50000) {
			t.Fatalf("submitted claim %v", c)
		}
		if e.balanceOf(e.keyA, "R-1") != 0 {
			t.Fatal("a pending claim credited points")
		}
		r := e.do("GET", "/v1/claims/"+str(c["id"])+"/document", e.keyA, nil).must(200, nil)
		if !bytes.HasPrefix(r.Body, pdfDoc) || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("document %q (%s)", r.Body, r.Header.Get("Content-Type"))
		}
		var ok obj
		e.do("POST", "/v1/claims/"+str(c["id"])+"/approve", e.keyA, nil).must(200, &ok)
		if ok["status"] != "approved" || ok["points"] != float64(50) || ok["event_id"] == "" {
			t.Fatalf("approved claim %v", ok)
		}
		if got := e.balanceOf(e.keyA, "R-1"); got != 50 {
			t.Fatalf("balance %d, want 50 (10%% of 500.00 EUR at 1.00 per point)", got)
		}
		var evs list
		e.do("GET", "/v1/organizations/ext:R-1/events", e.keyA, nil).must(200, &evs)
		if len(evs.Items) != 1 || evs.Items[0]["event"].(obj)["type"] != "claim" || evs.Items[0]["event"].(obj)["source"] != "claims" {
			t.Fatalf("events %v", evs.Items)
		}
		e.do("POST", "/v1/claims/"+str(c["id"])+"/approve", e.keyA, nil).fails(409, "claim_decided", "")
		e.do("POST", "/v1/claims/"+str(c["id"])+"/reject", e.keyA, obj{"reason": "late"}).fails(409, "claim_decided", "")
		if got := e.balanceOf(e.keyA, "R-1"); got != 50 {
			t.Fatalf("balance %d after a second approval, want 50", got)
		}
		var l list
		e.do("GET", "/v1/claims?status=approved&organization=ext:R-1", e.keyA, nil).must(200, &l)
		if len(l.Items) != 1 || e.count("/v1/claims?status=pending") != 0 {
			t.Fatalf("lists %v", l.Items)
		}
		e.ledgerOK(e.tidA)
		if n := auditCount(e, "claim."); n != 2 {
			t.Fatalf("%d claim audit entries, want 2 (submitted, approved)", n)
		}
	})
}

// auditCount counts tenant A's audit entries whose action starts with prefix.
func auditCount(e *env, prefix string) int {
	e.t.Helper()
	var l list
	e.do("GET", "/v1/audit-log?limit=500", e.keyA, nil).must(200, &l)
	n := 0
	for _, it := range l.Items {
		if strings.HasPrefix(str(it["action"]), prefix) {
			n++
		}
	}
	return n
}

func TestClaimDuplicates(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newClaimFixture(e)
		var first obj
		e.do("POST", "/v1/claims", e.keyA, f.claimBody("INV-1")).must(201, &first)
		again := f.claimBody(" inv-1 ") // the same invoice, typed differently, with another document
		p := e.do("POST", "/v1/claims", e.keyA, again).fails(409, "duplicate_claim", "")
		if !strings.Contains(p.Detail, str(first["id"])) {
			t.Fatalf("the refusal does not name the earlier claim: %s", p.Detail)
		}
		sameDoc := f.claimBody("INV-2")
		sameDoc["document"] = f.claimBody("INV-1")["document"]
		p = e.do("POST", "/v1/claims", e.keyA, sameDoc).fails(409, "duplicate_document", "")
		if !strings.Contains(p.Detail, str(first["id"])) {
			t.Fatalf("the refusal does not name the earlier claim: %s", p.Detail)
		}
		if n := e.count("/v1/claims"); n != 1 {
			t.Fatalf("%d claims stored, want 1", n)
		}
		// A rejected claim frees its invoice number for a corrected claim.
		e.do("POST", "/v1/claims/"+str(first["id"])+"/reject", e.keyA, obj{"reason": "the scan is unreadable"}).must(200, nil)
		e.do("POST", "/v1/claims", e.keyA, again).must(201, nil)
	})
}

func TestClaimBadDocumentsAndDates(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newClaimFixture(e)
		before := e.snapshot()
		big := f.claimBody("INV-BIG")
		big["document"] = doc64("big.pdf", "application/pdf", append(bytes.Clone(pdfDoc), make([]byte, 5<<20)...))
		e.do("POST", "/v1/claims", e.keyA, big).fails(413, "too_large", "")
		png := f.claimBody("INV-PNG")
		png["document"] = doc64("scan.pdf", "application/pdf", pngDoc)
		p := e.do("POST", "/v1/claims", e.keyA, png).fails(422, "validation_failed", "document.data")
		if !strings.Contains(p.Errors[0].Message, "image/png") {
			t.Fatalf("the refusal does not say what the content is: %+v", p.Errors)
		}
		exe := f.claimBody("INV-EXE")
		exe["document"] = doc64("x.exe", "application/x-msdownload", []byte("MZ\x90\x00"))
		e.do("POST", "/v1/claims", e.keyA, exe).fails(422, "validation_failed", "document.content_type")
		bad64 := f.claimBody("INV-B64")
		bad64["document"] = obj{"filename": "a.pdf", "content_type": "application/pdf", "data": "%%%not base64"}
		e.do("POST", "/v1/claims", e.keyA, bad64).fails(422, "validation_failed", "document.data")
		missing := f.claimBody("INV-NODOC")
		delete(missing, "document")
		if r := e.do("POST", "/v1/claims", e.keyA, missing); r.Status != 422 || !strings.Contains(string(r.Body), "document") {
			t.Fatalf("a claim without a document: %d %s", r.Status, r.Body)
		}
		future := f.claimBody("INV-FUT")
		future["invoice_date"] = "2026-03-10"
		e.do("POST", "/v1/claims", e.keyA, future).fails(422, "validation_failed", "invoice_date")
		// The window: 30 days, the invoice is 31 days old.
		e.do("PUT", "/v1/programs/"+str(f.program["id"])+"/claim-settings", e.keyA, obj{"window_days": 30, "enabled": true}).must(200, nil)
		old := f.claimBody("INV-OLD")
		old["invoice_date"] = "2026-01-30"
		p = e.do("POST", "/v1/claims", e.keyA, old).fails(422, "claim_too_old", "invoice_date")
		if !strings.Contains(p.Detail, "30 days") {
			t.Fatalf("the refusal does not name the window: %s", p.Detail)
		}
		if n := e.count("/v1/claims"); n != 0 {
			t.Fatalf("%d claims stored by refused requests", n)
		}
		after := e.snapshot()
		after[2]-- // the settings change is audited
		if after != before {
			t.Fatalf("refused claims wrote something: %v → %v", before, after)
		}
		var set obj
		e.do("GET", "/v1/programs/"+str(f.program["id"])+"/claim-settings", e.keyA, nil).must(200, &set)
		if set["window_days"] != float64(30) || set["enabled"] != true {
			t.Fatalf("settings %v", set)
		}
		e.do("PUT", "/v1/programs/"+str(f.program["id"])+"/claim-settings", e.keyA, obj{"window_days": 0, "enabled": true}).fails(422, "validation_failed", "window_days")
		old["invoice_date"] = "2026-02-01" // 29 days: inside the window
		e.do("POST", "/v1/claims", e.keyA, old).must(201, nil)
	})
}

func TestClaimConcurrentApprovalsOnlyOneSucceeds(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newClaimFixture(e)
		var c obj
		e.do("POST", "/v1/claims", e.keyA, f.claimBody("INV-RACE")).must(201, &c)
		const n = 24
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { statuses[i] = e.do("POST", "/v1/claims/"+str(c["id"])+"/approve", e.keyA, nil).Status })
		}
		wg.Wait()
		won := 0
		for _, s := range statuses {
			switch s {
			case 200:
				won++
			case 409:
			default:
				t.Fatalf("statuses %v: want one 200 and 409s", statuses)
			}
		}
		if won != 1 {
			t.Fatalf("statuses %v: %d approvals succeeded, want exactly 1", statuses, won)
		}
		if got := e.balanceOf(e.keyA, "R-1"); got != 50 {
			t.Fatalf("balance %d, want 50 once", got)
		}
		e.ledgerOK(e.tidA)
	})
}

func TestClaimRejectNeedsReasonAndStaff(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newClaimFixture(e)
		var c obj
		e.do("POST", "/v1/claims", e.keyA, f.claimBody("INV-R")).must(201, &c)
		path := "/v1/claims/" + str(c["id"])
		e.do("POST", path+"/reject", e.keyA, obj{"reason": "  "}).fails(422, "validation_failed", "reason")
		writer := e.key(e.tidA, "write", "")
		e.do("POST", path+"/approve", writer, nil).fails(403, "staff_only", "")
		e.do("POST", path+"/reject", writer, obj{"reason": "no"}).fails(403, "staff_only", "")
		var got obj
		e.do("GET", path, e.keyA, nil).must(200, &got)
		if got["status"] != "pending" {
			t.Fatalf("refused decisions changed the claim: %v", got)
		}
		var staff obj
		e.do("POST", "/v1/staff", e.keyA, obj{"email": "vera@a.example", "name": "Vera", "role": "support"}).must(201, &staff)
		e.do("POST", path+"/reject", e.key(e.tidA, "write", str(staff["id"])), obj{"reason": "The invoice is not ours"}).must(200, &got)
		if got["status"] != "rejected" || got["reason"] != "The invoice is not ours" || got["decided_by"] != staff["id"] {
			t.Fatalf("rejected claim %v", got)
		}
		e.do("POST", path+"/approve", e.keyA, nil).fails(409, "claim_decided", "")
		if e.balanceOf(e.keyA, "R-1") != 0 {
			t.Fatal("a rejected claim credited points")
		}
		e.do("GET", "/v1/claims/nope", e.keyA, nil).fails(404, "not_found", "")
		e.do("GET", "/v1/claims?status=bogus", e.keyA, nil).fails(422, "validation_failed", "")
	})
}

func TestClaimConcurrentDuplicatesStoredOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newClaimFixture(e)
		const n = 24
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { statuses[i] = e.do("POST", "/v1/claims", e.keyA, f.claimBody("INV-TWICE")).Status })
		}
		wg.Wait()
		created := 0
		for _, s := range statuses {
			if s == 201 {
				created++
			} else if s != 409 {
				t.Fatalf("statuses %v: want one 201 and 409s", statuses)
			}
		}
		if created != 1 || e.count("/v1/claims") != 1 {
			t.Fatalf("statuses %v: %d claims created, want 1", statuses, created)
		}
	})
}

// Twenty-four approvals and rejections of one claim at once: exactly one
// decision, and its points credited once if it was an approval.
func TestClaimMixedDecisionsConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newClaimFixture(e)
		var c obj
		e.do("POST", "/v1/claims", e.keyA, f.claimBody("INV-MIX")).must(201, &c)
		path := "/v1/claims/" + str(c["id"])
		status, codes := parallel(24, func(i int) *resp {
			if i%2 == 0 {
				return e.do("POST", path+"/approve", e.keyA, nil)
			}
			return e.do("POST", path+"/reject", e.keyA, obj{"reason": "not ours"})
		})
		var got obj
		e.do("GET", path, e.keyA, nil).must(200, &got)
		want := int64(0)
		if got["status"] == "approved" {
			want = 50
		}
		if b := e.balanceOf(e.keyA, "R-1"); count(status, 200) != 1 || count(status, 409) != 23 || b != want {
			t.Fatalf("statuses %v codes %v, claim %s, balance %d; want one decision and %d points", status, codes, got["status"], b, want)
		}
		e.ledgerOK(e.tidA)
	})
}
