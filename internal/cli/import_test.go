package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/importer/importtest"
)

func importJSON(t *testing.T, r result) importer.Summary {
	t.Helper()
	var im importer.Import
	if err := json.Unmarshal([]byte(r.out), &im); err != nil {
		t.Fatalf("not JSON: %v\n%v", err, r)
	}
	return im.Summary
}

// TestImportCommand imports the sample with `loyal import`: a dry run
// writes nothing, the import reports what a plain reading of the file
// expects, its error file lists every row not imported, and a second
// import finds only duplicates.
func TestImportCommand(t *testing.T) {
	x := importtest.Retail(t, importtest.SamplePath)
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		imp := func(extra ...string) importer.Summary {
			args := append([]string{"import", "--tenant", "acme", "--file", importtest.SamplePath, "--json"}, extra...)
			return importJSON(t, mustRun(t, d.with(args...)...))
		}
		dry := imp("--dry-run", "--create-organizations")
		if !dry.DryRun || dry.LinesImported != x.Imported || dry.OrganizationsCreated != len(x.Orgs) || !dry.Balanced() {
			t.Fatalf("dry run %+v", dry)
		}
		skipped := imp()
		if skipped.Skipped["unknown_organization"] != x.Imported || skipped.LinesImported != 0 || !skipped.Balanced() {
			t.Fatalf("without --create-organizations: %+v", skipped)
		}
		errFile := filepath.Join(t.TempDir(), "errors.csv")
		s := imp("--create-organizations", "--errors", errFile)
		if s.RowsRead != x.Rows || s.LinesImported != x.Imported || s.InvoicesCreated != x.Invoices || s.ReturnsCreated != x.Returns ||
			s.OrganizationsCreated != len(x.Orgs) || !s.Balanced() {
			t.Fatalf("import %+v; want %+v", s, x)
		}
		for k, v := range x.Skipped {
			if s.Skipped[k] != v {
				t.Fatalf("skipped %s = %d, want %d", k, s.Skipped[k], v)
			}
		}
		checkErrorFile(t, errFile, x)
		again := imp("--create-organizations")
		if again.LinesDuplicate != x.Imported || again.EventsCreated != 0 || again.OrganizationsCreated != 0 || !again.Balanced() {
			t.Fatalf("second import %+v", again)
		}
		text := mustRun(t, d.with("import", "--tenant", "acme", "--file", importtest.SamplePath)...)
		if !strings.Contains(text.out, "lines duplicate:") || !strings.Contains(text.out, "skipped missing_customer:") {
			t.Fatalf("text summary: %v", text)
		}
	})
}

// checkErrorFile: one line per row not imported, each with its reason and
// the row as read.
func checkErrorFile(t *testing.T, path string, x importtest.Expected) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs)-1 != x.Rows-x.Imported || recs[0][0] != "row" || recs[0][3] != "InvoiceNo" {
		t.Fatalf("error file: %d rows, header %v; want %d", len(recs)-1, recs[0], x.Rows-x.Imported)
	}
	reasons := map[string]int{}
	for _, r := range recs[1:] {
		reasons[r[1]]++
		if len(r) != 3+8 {
			t.Fatalf("error line %v", r)
		}
	}
	if reasons["missing_customer"] != x.Skipped["missing_customer"] || reasons["zero_price"] != x.Rejected["zero_price"] {
		t.Fatalf("error file reasons %v", reasons)
	}
}

// TestImportCommandErrors: readable errors for files that cannot be
// imported.
func TestImportCommandErrors(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		dir := t.TempDir()
		junk := filepath.Join(dir, "junk.bin")
		_ = os.WriteFile(junk, []byte("\x00\x01\x02\x03"), 0o600)
		bad := filepath.Join(dir, "m.json")
		_ = os.WriteFile(bad, []byte(`{"organization": "CustomerID", "color": "red"}`), 0o600)
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"--file", junk}, "not a CSV or XLSX file"},
			{[]string{"--file", importtest.SamplePath, "--mapping", bad}, "unknown field"},
			{[]string{"--file", importtest.SamplePath, "--org-col", "CustomerID", "--invoice-col", "InvoiceNo", "--date-col", "InvoiceDate",
				"--sku-col", "StockCode", "--qty-col", "Quantity", "--price-col", "Price", "--currency", "GBP"}, `no column "Price"`},
			{[]string{"--file", importtest.SamplePath, "--org-col", "CustomerID"}, "name the column that holds the invoice"},
			{[]string{"--file", importtest.SamplePath, "--mapping", "nope"}, `mapping "nope"`},
		} {
			r := run(t, d.with(append([]string{"import", "--tenant", "acme"}, c.args...)...)...)
			if r.code == 0 || !strings.Contains(r.errOut, c.want) {
				t.Errorf("%v: want an error with %q: %v", c.args, c.want, r)
			}
		}
	})
}
