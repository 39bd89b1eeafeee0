package admin_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/reward"
)

// postFile posts one file as a multipart form.
func (b *browser) postFile(path, field, name string, data []byte) response {
	b.c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequest("POST", b.c.srv.URL+path, &buf)
	must(b.c.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.hc.Do(req)
	must(b.c.t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(body), where: resp.Header.Get("Location")}
}

func (c *console) rewardItems() []reward.Item {
	res, err := c.app.Rewards.List(c.t.Context(), c.sys, reward.ItemFilter{}, pageReq())
	must(c.t, err)
	return res.Items
}

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")

// The catalog's forms: bad input next to its field and nothing written,
// one item for a double submit, a stale edit refused, a picture checked.
func TestRewardForms(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		tok := tokenOf(t, b.get("/admin/rewards").body)
		form := url.Values{"_token": {tok}, "name": {"Site visit"}, "kind": {"information"}, "point_type_id": {c.pt.ID}, "price": {"500"},
			"stock": {"10"}, "tier_prices": {"gold=400"}}
		for field, bad := range map[string]string{"price": "five", "stock": "-1", "tier_prices": "gold", "name": ""} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set(field, bad)
			if got := b.post("/admin/rewards", f); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-`+field+`"`) {
				t.Errorf("%s %q: %d, want the error next to it", field, bad, got.status)
			}
		}
		if n := len(c.rewardItems()); n != 0 {
			t.Fatalf("bad input made %d items", n)
		}
		var wg sync.WaitGroup
		wheres := make([]string, 2)
		for i := range 2 {
			wg.Go(func() { wheres[i] = b.post("/admin/rewards", form).where })
		}
		wg.Wait()
		items := c.rewardItems()
		if len(items) != 1 || wheres[0] != wheres[1] || items[0].TierPrices["gold"] != 400 || *items[0].Stock != 10 {
			t.Fatalf("a double submit: %+v %q", items, wheres)
		}
		path := "/admin/rewards/" + items[0].ID
		page := b.get(path).body
		edit := url.Values{"_token": {tokenOf(t, page)}, "updated_at": {regexp.MustCompile(`name="updated_at" value="(\d+)"`).FindStringSubmatch(page)[1]},
			"price": {"450"}, "stock": {""}, "status": {"active"}}
		c.clock.(*clock.Fake).Advance(time.Second)
		if got := b.post(path, edit); got.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %.1000s", got.status, got.body)
		}
		edit.Set("price", "300") // the same, older form again
		if got := b.post(path, edit); got.status != http.StatusConflict || !strings.Contains(got.body, "form-error") {
			t.Errorf("a stale edit: %d", got.status)
		}
		if it := c.rewardItems()[0]; it.Price != 450 || it.Stock != nil {
			t.Errorf("after the edits: price %d stock %v", it.Price, it.Stock)
		}
		if got := b.postFile(path+"/image", "image", "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-image"`) {
			t.Errorf("an SVG picture: %d", got.status)
		}
		if got := b.postFile(path+"/image", "image", "x.png", pngBytes); got.status != http.StatusSeeOther {
			t.Fatalf("a PNG picture: %d %.500s", got.status, got.body)
		}
		if img := b.get(path + "/image"); img.header.Get("Content-Type") != "image/png" || img.body != string(pngBytes) {
			t.Errorf("the picture served: %q", img.header.Get("Content-Type"))
		}
		if got := c.browser().signIn("account_manager").postFile(path+"/image", "image", "x.png", pngBytes); got.status != http.StatusForbidden {
			t.Errorf("an account manager uploads: %d", got.status)
		}
	})
}
