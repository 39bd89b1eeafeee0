package httpapi_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/importer/importtest"
)

// isoCSV is a one-line import of tenant A's organization ISO-ORG.
const isoCSV = "Invoice;Customer;Item;Qty;Date;Price\nISO-1;ISO-ORG;A;2;2026-02-01;10,50\n"

func isoMapping() obj {
	return obj{"name": "a-erp", "organization": "Customer", "invoice": "Invoice", "date": "Date", "sku": "Item",
		"quantity": "Qty", "unit_price": "Price", "fixed_currency": "GBP"}
}

type importOut struct {
	ID      string           `json:"id"`
	Summary importer.Summary `json:"summary"`
}

// importFile posts a file to /v1/imports with query q.
func (e *env) importFile(q string, data []byte) *resp {
	e.t.Helper()
	return e.do("POST", "/v1/imports?"+q, e.keyA, string(data), "Content-Type", "application/octet-stream")
}

// orgTotals sums an organization's invoice amounts and returned units
// from its stored events.
func (e *env) orgTotals(ext string) (amount, returned int64) {
	e.t.Helper()
	cursor := ""
	for {
		var l struct {
			Items []struct {
				Event struct {
					Type  string
					Lines []struct{ Qty, Amount int64 }
				}
			}
			NextCursor string `json:"next_cursor"`
		}
		e.do("GET", "/v1/organizations/ext:"+ext+"/events?limit=500&cursor="+cursor, e.keyA, nil).must(200, &l)
		for _, it := range l.Items {
			for _, ln := range it.Event.Lines {
				if it.Event.Type == "return" {
					returned += ln.Qty
				} else {
					amount += ln.Amount
				}
			}
		}
		if cursor = l.NextCursor; cursor == "" {
			return amount, returned
		}
	}
}

// TestImportSample imports the Online Retail sample through the API: the
// summary equals a plain reading of the file, stored events carry the
// exact amounts, and a second import adds nothing.
func TestImportSample(t *testing.T) {
	data, err := os.ReadFile(importtest.SamplePath)
	if err != nil {
		t.Fatal(err)
	}
	x := importtest.Retail(t, importtest.SamplePath)
	each(t, func(t *testing.T, e *env) {
		newProgramIn(e, e.keyA, obj{"currency": "GBP", "rules": []obj{{"id": "cb", "name": "5% back", "effects": []obj{{"type": "earn", "percent_bp": 500}}}}},
			obj{"currency": "GBP", "value_num": 1})
		var first importOut
		e.importFile("create_organizations=true&file_name=sample.csv", data).must(201, &first)
		s := first.Summary
		checkSummary(t, s, x)
		if s.LinesImported != x.Imported || s.LinesDuplicate != 0 || s.InvoicesCreated != x.Invoices || s.ReturnsCreated != x.Returns ||
			s.OrganizationsCreated != len(x.Orgs) || s.EventsCreated != x.Invoices+x.Returns {
			t.Fatalf("first import %+v; want %d lines, %d invoices, %d returns, %d organizations", s, x.Imported, x.Invoices, x.Returns, len(x.Orgs))
		}
		if n := e.count("/v1/organizations"); n != len(x.Orgs) {
			t.Fatalf("%d organizations, want %d", n, len(x.Orgs))
		}
		top := topCustomers(x, 3)
		balances := map[string]int64{}
		for _, c := range top {
			amount, returned := e.orgTotals(c)
			if amount != x.Amount[c] || returned != x.Returned[c] {
				t.Fatalf("customer %s: invoiced %d returned %d; want %d and %d", c, amount, returned, x.Amount[c], x.Returned[c])
			}
			if balances[c] = e.balanceOf(e.keyA, c); balances[c] <= 0 {
				t.Fatalf("customer %s earned nothing", c)
			}
		}
		var again importOut
		e.importFile("create_organizations=true", data).must(201, &again)
		s = again.Summary
		checkSummary(t, s, x)
		if s.LinesImported != 0 || s.LinesDuplicate != x.Imported || s.EventsCreated != 0 || s.EventsDuplicate != x.Invoices+x.Returns || s.OrganizationsCreated != 0 {
			t.Fatalf("second import %+v", s)
		}
		for _, c := range top {
			if b := e.balanceOf(e.keyA, c); b != balances[c] {
				t.Fatalf("customer %s: balance %d after the second import, %d before", c, b, balances[c])
			}
		}
		var got importOut
		e.do("GET", "/v1/imports/"+first.ID, e.keyA, nil).must(200, &got)
		if got.Summary.RowsRead != x.Rows || got.Summary.ErrorsTotal != x.Rows-x.Imported || len(got.Summary.Errors) != importer.MaxListedErrors {
			t.Fatalf("stored import %+v", got.Summary)
		}
		if n := e.count("/v1/imports"); n != 2 {
			t.Fatalf("%d imports listed", n)
		}
		e.ledgerOK(e.tidA)
	})
}

func checkSummary(t *testing.T, s importer.Summary, x importtest.Expected) {
	t.Helper()
	if s.RowsRead != x.Rows || !s.Balanced() || len(s.Skipped) != len(x.Skipped) || len(s.Rejected) != len(x.Rejected) {
		t.Fatalf("summary %+v; want %d rows, skipped %v, rejected %v", s, x.Rows, x.Skipped, x.Rejected)
	}
	for k, v := range x.Skipped {
		if s.Skipped[k] != v {
			t.Fatalf("skipped %s = %d, want %d", k, s.Skipped[k], v)
		}
	}
	for k, v := range x.Rejected {
		if s.Rejected[k] != v {
			t.Fatalf("rejected %s = %d, want %d", k, s.Rejected[k], v)
		}
	}
}

// topCustomers are the n customers with most invoiced, among those who
// returned something (so returns are checked too), then the rest.
func topCustomers(x importtest.Expected, n int) []string {
	var cs []string
	for c := range x.Amount {
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b string) int {
		ra, rb := x.Returned[a] > 0, x.Returned[b] > 0
		if ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		return int(x.Amount[b] - x.Amount[a])
	})
	return cs[:n]
}

// TestImportDialectsAPI: a saved mapping reads a Windows-1251 file with
// semicolons and decimal commas; an XLSX file is read too; organizations
// unknown without create_organizations are skipped and counted.
func TestImportDialectsAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		m := obj{"name": "1c", "organization": "Контрагент", "invoice": "Документ", "date": "Дата", "date_format": "%d.%m.%Y",
			"sku": "Артикул", "quantity": "Количество", "line_amount": "Сумма", "fixed_currency": "RUB", "credit_prefix": "ВОЗ-"}
		e.do("POST", "/v1/import-mappings", e.keyA, m).must(201, nil)
		e.dealer(e.keyA, "D-1")
		csv := "Документ;Контрагент;Артикул;Количество;Дата;Сумма\r\n" +
			"РН-1;D-1;Кирпич;1 000;03.02.2026;12 345,67\r\n" +
			"РН-1;D-1;Цемент;3;03.02.2026;1,5\r\n" +
			"РН-2;D-2;Кирпич;1;04.02.2026;10\r\n" +
			"ВОЗ-1;D-1;Кирпич;10;05.02.2026;123,46\r\n"
		cp, err := charmap.Windows1251.NewEncoder().String(csv)
		if err != nil {
			t.Fatal(err)
		}
		var im importOut
		e.importFile("mapping=1c", []byte(cp)).must(201, &im)
		s := im.Summary
		if s.Format.Encoding != "windows-1251" || s.Format.Delimiter != ";" || s.RowsRead != 4 || s.LinesImported != 3 ||
			s.Skipped["unknown_organization"] != 1 || s.InvoicesCreated != 1 || s.ReturnsCreated != 1 || !s.Balanced() {
			t.Fatalf("summary %+v", s)
		}
		amount, returned := e.orgTotals("D-1")
		// 12,345.67 for 1,000 units is 12.35 each (rounded half up): 12,350.00; 1.50 for 3 units is 0.50 each.
		if amount != 1_235_000+150 || returned != 10 {
			t.Fatalf("amount %d returned %d", amount, returned)
		}

		var f bytes.Buffer
		f.Write(xlsxOf(t, [][]any{{"InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"},
			{"X-1", "22423", 2, "2011-01-05 10:30", 12.75, "D-1", "RSA"}}))
		var wb importOut
		e.importFile("", f.Bytes()).must(201, &wb)
		if s := wb.Summary; s.Format.Kind != "xlsx" || s.LinesImported != 1 || !s.Balanced() {
			t.Fatalf("xlsx summary %+v", s)
		}
		if amount, _ := e.orgTotals("D-1"); amount != 1_235_150+2550 {
			t.Fatalf("after the workbook: %d", amount)
		}
	})
}

// TestImportBadFiles: files that cannot be imported are refused with a
// clear problem and nothing is written.
func TestImportBadFiles(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.do("POST", "/v1/import-mappings", e.keyA, obj{"name": "costs", "organization": "CustomerID", "invoice": "InvoiceNo", "date": "InvoiceDate",
			"sku": "StockCode", "quantity": "Quantity", "unit_price": "UnitPrice", "cost": "UnitCost", "fixed_currency": "GBP"}).must(201, nil)
		before := e.snapshot()
		good := "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n1,A,a,1,2011-01-01 10:00,1.00,9,UK\n"
		var lie bytes.Buffer
		zw := zip.NewWriter(&lie)
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: 64 << 30})
		_, _ = w.Write([]byte{3, 0})
		_ = zw.Close()
		for _, c := range []struct {
			name, q, body string
			status        int
			code          string
		}{
			{"junk", "", "\x00\x01\x02junk\xff", 422, "unsupported_file"},
			{"empty", "", "", 400, "request body is required"},
			{"blank", "", "\xEF\xBB\xBF\r\n \r\n", 422, "empty_file"},
			{"header only", "", strings.SplitAfter(good, "\n")[0], 422, "empty_file"},
			{"missing column", "mapping=costs&create_organizations=true", good, 422, "invalid"},
			{"bomb", "create_organizations=true", lie.String(), 422, "xlsx_too_large_unpacked"},
			{"unknown mapping", "mapping=nope", good, 404, ""},
			{"too large", "", strings.Repeat("x", 100<<20+1), 413, "too_large"},
		} {
			r := e.importFile(c.q, []byte(c.body))
			if r.Status != c.status || (c.code != "" && !strings.Contains(string(r.Body), c.code)) {
				t.Errorf("%s: %d %s", c.name, r.Status, r.short())
			}
			if c.name == "missing column" && !strings.Contains(string(r.Body), "UnitCost") {
				t.Errorf("missing column not named: %s", r.Body)
			}
		}
		if after := e.snapshot(); after != before || e.count("/v1/imports") != 0 {
			t.Fatalf("refused imports wrote: %v → %v", before, after)
		}
		e.do("POST", "/v1/import-mappings", e.keyA, obj{"name": "x", "organization": "C"}).fails(422, "validation_failed", "invoice")
	})
}

func xlsxOf(t *testing.T, rows [][]any) []byte { return importtest.XLSX(t, rows) }

// TestImportCreditNotesAcrossFiles: a credit note imported after its
// invoice, in another file, returns against the stored invoice; importing
// it again finds the return as a duplicate; a credit note for more units
// than remain is skipped.
func TestImportCreditNotesAcrossFiles(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgramIn(e, e.keyA, obj{"currency": "GBP", "rules": []obj{{"id": "cb", "name": "5% back", "effects": []obj{{"type": "earn", "percent_bp": 500}}}}},
			obj{"currency": "GBP", "value_num": 1})
		head := "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
		invoices := head + "500001,TILE,Tile,100,2011-03-01 10:00,2.00,777,United Kingdom\n" +
			"500002,TILE,Tile,10,2011-03-05 10:00,2.00,777,United Kingdom\n"
		var im importOut
		e.importFile("create_organizations=true", []byte(invoices)).must(201, &im)
		before := e.balanceOf(e.keyA, "777")
		credits := head + "C900001,TILE,Tile,-20,2011-03-10 10:00,2.00,777,United Kingdom\n" + // 500002 has only 10: 500001
			"C900002,TILE,Tile,-5,2011-03-02 10:00,2.00,777,United Kingdom\n" + // before 500002: 500001
			"C900003,TILE,Tile,-90,2011-03-11 10:00,2.00,777,United Kingdom\n" // 75 left on 500001, 10 on 500002
		e.importFile("", []byte(credits)).must(201, &im)
		s := im.Summary
		if s.ReturnsCreated != 2 || s.LinesImported != 2 || s.Skipped["credit_note_without_invoice"] != 1 || !s.Balanced() {
			t.Fatalf("credit notes %+v", s)
		}
		if _, returned := e.orgTotals("777"); returned != 25 {
			t.Fatalf("returned %d units, want 25", returned)
		}
		after := e.balanceOf(e.keyA, "777")
		if after >= before {
			t.Fatalf("balance %d after returns, %d before", after, before)
		}
		var again importOut
		e.importFile("", []byte(credits)).must(201, &again)
		if s := again.Summary; s.LinesDuplicate != 2 || s.EventsDuplicate != 2 || s.EventsCreated != 0 || !s.Balanced() {
			t.Fatalf("credit notes again %+v", s)
		}
		if b := e.balanceOf(e.keyA, "777"); b != after {
			t.Fatalf("balance %d after the repeat, %d before", b, after)
		}
	})
}

// An import sent without a length (chunked) is read as it arrives and cut
// off once it passes 100 MiB: 413, and nothing is written. The file is
// never held: it is made as it is read.
func TestImportCutOffPastTheLimit(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		before := e.snapshot()
		good := "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n1,A,a,1,2011-01-01 10:00,1.00,9,UK\n"
		// then 100 MiB of blank lines, which the reader skips cheaply
		body := io.MultiReader(strings.NewReader(good), io.LimitReader(repeatByte('\n'), 100<<20))
		req := httptest.NewRequest("POST", "/v1/imports?create_organizations=true", struct{ io.Reader }{body})
		req.Header.Set("Content-Type", "application/octet-stream")
		if req.ContentLength != -1 {
			t.Fatalf("the request announces %d bytes; the test needs an unknown length", req.ContentLength)
		}
		r := e.serve(req, e.keyA)
		if r.Status != 413 || !strings.Contains(string(r.Body), "too_large") {
			t.Fatalf("a file past the limit: %d %s", r.Status, r.short())
		}
		if after := e.snapshot(); after != before || e.count("/v1/imports") != 0 {
			t.Fatalf("a file cut off wrote: %v → %v", before, after)
		}
	})
}

// repeatByte reads as c, c, c… without end.
type repeatByte byte

func (c repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}
