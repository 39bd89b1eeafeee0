package admin_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/wallet/google"
	"github.com/loyal-b2b/loyal/internal/wallet/google/googletest"
)

// postDesign sends the design form as a browser does (multipart, with a
// logo file when given).
func (b *browser) postDesign(programID string, fields map[string][]string, logo []byte) response {
	b.c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			must(b.c.t, mw.WriteField(k, v))
		}
	}
	if logo != nil {
		fw, err := mw.CreateFormFile("logo", "logo.png")
		must(b.c.t, err)
		_, _ = fw.Write(logo)
	}
	must(b.c.t, mw.Close())
	req, err := http.NewRequest("POST", b.c.srv.URL+"/admin/cards/"+programID, &body)
	must(b.c.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.hc.Do(req)
	must(b.c.t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(data), where: resp.Header.Get("Location")}
}

func TestCardDesignPage(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("admin")
		p := b.get("/admin/cards")
		if p.status != 200 || !strings.Contains(p.body, "<svg") || !strings.Contains(p.body, c.program.Name) || !strings.Contains(p.body, `type="color"`) {
			t.Fatalf("cards page: %d\n%s", p.status, p.body)
		}
		form := map[string][]string{"title": {"Brick Club"}, "background": {"#203040"}, "foreground": {"#ffffff"}, "label": {"#aabbcc"},
			"fields": {"balance", "tier"}}
		var img bytes.Buffer
		must(t, png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 40, 20))))
		if r := b.postDesign(c.program.ID, form, img.Bytes()); r.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
		d, err := c.app.Cards.DesignOf(t.Context(), c.sys, c.program.ID)
		if err != nil || d.Title != "Brick Club" || !d.HasLogo || len(d.Fields) != 2 {
			t.Fatalf("saved design: %+v %v", d, err)
		}
		form["background"] = []string{"blue"}
		r := b.postDesign(c.program.ID, form, []byte("not an image"))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-background"`) || !strings.Contains(r.body, `id="e-logo"`) {
			t.Fatalf("bad colour and logo: %d\n%s", r.status, r.body)
		}
		if d2, _ := c.app.Cards.DesignOf(t.Context(), c.sys, c.program.ID); d2.Background != "#203040" {
			t.Fatalf("a refused form wrote the design: %+v", d2)
		}
		ro := c.browser().signIn("read_only")
		if p := ro.get("/admin/cards"); p.status != 200 || strings.Contains(p.body, `enctype="multipart/form-data"`) {
			t.Fatalf("read-only sees the form: %d", p.status)
		}
		if r := ro.postDesign(c.program.ID, map[string][]string{"title": {"X"}}, nil); r.status != http.StatusForbidden {
			t.Fatalf("read-only saved: %d", r.status)
		}
	})
}

// TestCardPageGoogleInstalls: the page shows the Google passes held,
// counted from Google's signed callbacks.
func TestCardPageGoogleInstalls(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		acct := googletest.NewAccount(t, "http://127.0.0.1:1/token")
		iss, err := google.LoadIssuer(googletest.IssuerID, acct.KeyFile)
		must(t, err)
		g := googletest.NewSigner(t, c.clock.Now())
		w := c.app.Wallet
		w.Google = iss
		w.Callbacks = &google.Verifier{RecipientID: iss.IssuerID, Keys: &google.RootKeys{Source: g.WriteRootKeys()}, Now: c.clock.Now}
		crd, _, err := c.app.Cards.Issue(t.Context(), c.sys, card.IssueInput{ProgramID: c.program.ID, OwnerType: "organization", Owner: c.tomOrg.ID})
		must(t, err)
		for i, ev := range []string{"save", "save", "del"} {
			m := googletest.Message{ClassID: iss.ClassID(c.program.ID), ObjectID: iss.ObjectID(crd.Serial), EventType: ev,
				Nonce: fmt.Sprint("n-", i), ExpTimeMillis: c.clock.Now().Add(time.Hour).UnixMilli()}
			must(t, w.GoogleCallback(t.Context(), c.sys.TenantID, g.Sign(iss.IssuerID, m)))
		}
		p := c.browser().signIn("admin").get("/admin/cards")
		if !strings.Contains(p.body, "1 held now (2 saved, 1 deleted)") {
			t.Fatalf("cards page without the Google figures: %d\n%s", p.status, p.body)
		}
	})
}
