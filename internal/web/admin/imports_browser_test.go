package admin_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// An import with a bad row, as a person does it: upload, look at the
// preview, run, watch the progress, download the error file.
func TestBrowserImportWithBadRowAndErrorFile(t *testing.T) {
	c := browserConsole(t)
	file := filepath.Join(t.TempDir(), "dealer-invoices.csv")
	must(t, os.WriteFile(file, []byte(importCSV), 0o644))
	for _, size := range [][2]int64{desktop, phone} {
		ctx := tab(t, size)
		do(t, ctx, c.signInSteps("admin", password), chromedp.WaitVisible(chromedp.CSS("#live")),
			chromedp.Navigate(c.srv.URL+"/admin/imports"), chromedp.WaitVisible(chromedp.CSS("#f-file")),
			chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}),
			chromedp.Submit(chromedp.CSS("#f-file")), chromedp.WaitVisible(chromedp.CSS("table.preview")))
		if got := text(t, ctx, "table.preview"); !strings.Contains(got, "invalid_quantity") || !strings.Contains(got, "will import") {
			t.Errorf("preview shows %q", got)
		}
		name := map[bool]string{true: "import-mapping-desktop", false: "import-mapping-phone"}[size == desktop]
		shot(t, ctx, name)
		do(t, ctx, chromedp.Click(chromedp.CSS("#run-import")), chromedp.WaitVisible(chromedp.CSS("#import-done")))
		if got := text(t, ctx, "#progress"); !strings.Contains(got, "1 not imported") {
			t.Errorf("finished run shows %q", got)
		}
		shot(t, ctx, strings.Replace(name, "mapping", "done", 1))
		csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector('#error-file').href).then(r => r.text())`, chromedp.EvalAwaitPromise))
		must(t, err)
		if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "4,invalid_quantity,") || !strings.Contains(lines[1], ",ten,") {
			t.Errorf("error file %q", csv)
		}
	}
}
