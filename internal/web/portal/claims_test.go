package portal_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// photo is a small PNG, as a phone's camera would send (in JPEG mostly).
func photo() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := 0; x < 40; x++ {
		img.Set(x, x%30, color.Black)
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func claimForm(s *site, number string) url.Values {
	return url.Values{"program_id": {s.program.ID}, "invoice_number": {number}, "amount": {"1250.50"},
		"end_customer": {"Harbour Homes"}, "invoice_date": {s.clock.Now().Format(time.DateOnly)}}
}

func TestForemanSubmitsClaimWithPhoto(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		b := s.browser().signIn(s.foreman)
		r := b.upload("/p/claims", claimForm(s, "INV-42"), "photo", "IMG_0001.png", photo())
		if r.status != http.StatusSeeOther {
			t.Fatalf("claim: %d\n%s", r.status, r.body)
		}
		cs, err := s.app.Claims.List(context.Background(), s.sys, s.brick.ID, "", page.Request{Limit: 10})
		must(t, err)
		if len(cs.Items) != 1 || cs.Items[0].MemberID != s.foreman.ID || cs.Items[0].Amount != 125050 || cs.Items[0].Document.ContentType != "image/png" {
			t.Fatalf("claims: %+v", cs.Items)
		}
		if page := b.get("/p/claims"); !strings.Contains(page.body, "INV-42") || !strings.Contains(page.body, "Waiting for review") {
			t.Fatalf("the claim's status is not shown:\n%s", page.body)
		}
	})
}

func TestClaimRefusesNonImagesAndLargePhotosWithWhy(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		b := s.browser().signIn(s.foreman)
		r := b.upload("/p/claims", claimForm(s, "INV-1"), "photo", "invoice.png", []byte("#!/bin/sh\necho not an image\n"))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "not a photo") || !strings.Contains(r.body, `id="e-photo"`) {
			t.Fatalf("a script as a photo: %d\n%s", r.status, r.body)
		}
		big := append(photo(), make([]byte, 6<<20)...)
		r = b.upload("/p/claims", claimForm(s, "INV-2"), "photo", "big.png", big)
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "too large") {
			t.Fatalf("a 6 MB photo: %d\n%s", r.status, r.body)
		}
		r = b.upload("/p/claims", url.Values{"program_id": {s.program.ID}, "invoice_number": {""}, "amount": {"abc"}}, "photo", "p.png", photo())
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-amount"`) {
			t.Fatalf("a bad amount: %d\n%s", r.status, r.body)
		}
		cs, err := s.app.Claims.List(context.Background(), s.sys, s.brick.ID, "", page.Request{Limit: 10})
		must(t, err)
		if len(cs.Items) != 0 {
			t.Fatalf("refused claims were stored: %+v", cs.Items)
		}
	})
}
