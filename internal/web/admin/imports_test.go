package admin_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/importer"
)

// importCSV has four rows: three good lines of two invoices of R-1, and a
// row whose quantity is not a number.
const importCSV = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
	"IMP-1,BRICK-1,Red brick,10,2026-01-05 09:00,1.25,R-1,United Kingdom\n" +
	"IMP-1,BRICK-2,Grey brick,4,2026-01-05 09:00,2.50,R-1,United Kingdom\n" +
	"IMP-2,BRICK-1,Red brick,ten,2026-01-06 10:00,1.25,R-1,United Kingdom\n" +
	"IMP-3,BRICK-1,Red brick,2,2026-01-07 11:00,1.25,R-1,United Kingdom\n"

// upload posts a file to the imports page as the upload form does.
func (b *browser) upload(name, mapping, body string) response {
	b.c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("mapping", mapping)
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write([]byte(body))
	}
	_ = mw.Close()
	req, err := http.NewRequest("POST", b.c.srv.URL+"/admin/imports", &buf)
	must(b.c.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.hc.Do(req)
	must(b.c.t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(data), where: resp.Header.Get("Location")}
}

func (c *console) imports() []importer.Import {
	res, err := c.app.Imports.List(c.t.Context(), c.sys, pageReq())
	must(c.t, err)
	return res.Items
}

// runImport uploads importCSV and runs it with the form as shown; it
// returns the run's page address.
func runImport(t *testing.T, b *browser) (string, url.Values) {
	t.Helper()
	up := b.upload("dealers.csv", "", importCSV)
	if up.status != http.StatusSeeOther || !strings.HasPrefix(up.where, "/admin/import-uploads/") {
		t.Fatalf("upload: %d %s %.1000s", up.status, up.where, up.body)
	}
	mp := b.get(up.where)
	if mp.status != http.StatusOK || !strings.Contains(mp.body, "invalid_quantity") || !strings.Contains(mp.body, "IMP-3") {
		t.Fatalf("mapping page: %d, want the preview with the bad row\n%.3000s", mp.status, mp.body)
	}
	form := formOf(mp.body)
	form.Set("action", "run")
	run := b.post(strings.Split(up.where, "?")[0], form)
	if run.status != http.StatusSeeOther || !strings.HasPrefix(run.where, "/admin/import-runs/") {
		t.Fatalf("run: %d %s %.2000s", run.status, run.where, run.body)
	}
	return run.where, form
}

var mappingInputRE = regexp.MustCompile(`<(?:input|select) id="f-[a-z_]+" name="([a-z_]+)"(?: type="text")? value="([^"]*)"|<select id="f-([a-z_]+)" name="[a-z_]+"[^>]*>(?:[^<]|<option[^>]*>[^<]*</option>)*?<option value="([^"]*)" selected`)

// formOf reads a mapping page's fields as a browser would send them.
func formOf(body string) url.Values {
	v := url.Values{"_token": {regexp.MustCompile(`name="_token" value="([a-z0-9]+)"`).FindStringSubmatch(body)[1]}}
	for _, m := range mappingInputRE.FindAllStringSubmatch(body, -1) {
		if m[1] != "" {
			v.Set(m[1], m[2])
		} else {
			v.Set(m[3], m[4])
		}
	}
	return v
}

// waitRun polls a run's progress fragment, as the page does, until done.
func waitRun(t *testing.T, b *browser, where string) string {
	t.Helper()
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(50 * time.Millisecond) {
		p := b.do("GET", where+"/progress", nil, "HX-Request", "true")
		if p.status != http.StatusOK {
			t.Fatalf("progress: %d %.500s", p.status, p.body)
		}
		if !strings.Contains(p.body, "hx-trigger") {
			return p.body
		}
	}
	t.Fatal("the import did not finish in 10 s")
	return ""
}

// An import with a bad row: the preview shows the row's reason, the run
// imports the good rows, and the error file holds the bad one as read.
func TestImportWithBadRowAndErrorFile(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("admin")
		where, _ := runImport(t, b)
		done := waitRun(t, b, where)
		if !strings.Contains(done, "4 rows read, 3 imported, 1 not imported") {
			t.Fatalf("finished run: %.2000s", done)
		}
		ims := c.imports()
		if len(ims) != 1 || ims[0].Summary.EventsCreated != 2 || ims[0].Summary.Rejected["invalid_quantity"] != 1 {
			t.Fatalf("imports %+v", ims)
		}
		ef := b.get("/admin/imports/" + ims[0].ID + "/errors.csv")
		rows, err := csv.NewReader(strings.NewReader(ef.body)).ReadAll()
		if ef.status != http.StatusOK || err != nil || len(rows) != 2 || rows[1][0] != "4" || rows[1][1] != "invalid_quantity" || rows[1][3+3] != "ten" {
			t.Fatalf("error file: %d %v %q", ef.status, err, rows)
		}
		if rows[0][3] != "InvoiceNo" {
			t.Errorf("error file header %q", rows[0])
		}
		rec := b.get("/admin/imports/" + ims[0].ID)
		if rec.status != http.StatusOK || !strings.Contains(rec.body, "errors.csv") || !strings.Contains(rec.body, "invalid_quantity") {
			t.Errorf("record page: %d %.2000s", rec.status, rec.body)
		}
	})
}

// A mapping that does not fit the file is shown next to its field and
// runs nothing; a double submit of the run starts one import.
func TestImportFormChecksAndRunsOnce(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("admin")
		up := b.upload("dealers.csv", "", importCSV)
		path := strings.Split(up.where, "?")[0]
		form := formOf(b.get(up.where).body)
		form.Set("sku", "Article")
		form.Set("action", "run")
		bad := b.post(path, form)
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="e-sku"`) {
			t.Fatalf("a missing column: %d %.3000s", bad.status, bad.body)
		}
		if none := b.upload("", "", ""); none.status != http.StatusUnprocessableEntity || !strings.Contains(none.body, `id="e-file"`) {
			t.Errorf("no file: %d %.1000s", none.status, none.body)
		}
		time.Sleep(100 * time.Millisecond)
		if n := len(c.imports()); n != 0 {
			t.Fatalf("bad input ran %d imports", n)
		}
		form.Set("sku", "StockCode")
		var wg sync.WaitGroup
		wheres := make([]string, 2)
		for i := range 2 {
			wg.Go(func() { wheres[i] = b.post(path, form).where })
		}
		wg.Wait()
		if wheres[0] == "" || wheres[0] != wheres[1] {
			t.Fatalf("a double submit went to %q", wheres)
		}
		waitRun(t, b, wheres[0])
		if n := len(c.imports()); n != 1 {
			t.Errorf("a double submit ran %d imports", n)
		}
	})
}

// Read-only staff see the imports but may not upload or run; an upload is
// its uploader's only.
func TestImportRoles(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		admin := c.browser().signIn("admin")
		up := admin.upload("dealers.csv", "", importCSV)
		ro := c.browser().signIn("read_only")
		if p := ro.get("/admin/imports"); p.status != http.StatusOK || strings.Contains(p.body, `enctype="multipart/form-data"`) {
			t.Errorf("read-only imports page: %d, upload form shown: %v", p.status, strings.Contains(p.body, "multipart"))
		}
		if p := ro.get(up.where); p.status != http.StatusNotFound {
			t.Errorf("another's upload: %d", p.status)
		}
		if p := c.browser().signIn("finance").post(strings.Split(up.where, "?")[0], url.Values{"action": {"run"}}); p.status != http.StatusNotFound {
			t.Errorf("another's upload run: %d", p.status)
		}
		if p := ro.upload("x.csv", "", importCSV); p.status != http.StatusForbidden {
			t.Errorf("read-only upload: %d", p.status)
		}
	})
}
