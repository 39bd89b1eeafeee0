package importer

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/importer/importtest"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

func retailXLSX(t testing.TB, rows [][]any) []byte { return importtest.XLSX(t, rows) }

func TestXLSX(t *testing.T) {
	at := time.Date(2011, 1, 5, 10, 30, 0, 0, time.UTC)
	data := retailXLSX(t, [][]any{
		{"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"},
		{"540001", "22423", "REGENCY CAKESTAND", 2, at, 12.75, 17850, "United Kingdom"},
		{540001, "POST", "POSTAGE", 1, at, 18, 17850, "United Kingdom"},
		{"540002", "84879", "ASSORTED BIRD", 8, "2011-01-06 09:00", 1.69, 12347, "Iceland"},
		{"540003", "84879", "ASSORTED BIRD", 8, "someday", 1.69, 12347, "Iceland"},
	})
	pl, err := readPlan(t, data, RetailMapping())
	if err != nil {
		t.Fatal(err)
	}
	if pl.Format.Kind != "xlsx" || pl.RowsRead != 4 || len(pl.Events) != 2 || len(pl.Rejected) != 2 {
		t.Fatalf("plan %+v", pl)
	}
	inv := pl.Events[0].Input
	if inv.ExternalID != "540001" || inv.Organization != "ext:17850" || !inv.OccurredAt.Equal(at) || inv.Lines[0].UnitPrice != 1275 || inv.Lines[0].Qty != 2 {
		t.Fatalf("invoice %+v", inv)
	}
	if pl.Rejected[0].Reason != SkipNonProduct || pl.Rejected[1].Reason != RejDate || pl.Rejected[1].Row != 5 {
		t.Fatalf("rejected %+v", pl.Rejected)
	}
}

// TestXLSXBombs: a workbook that unpacks to more than the limit is refused
// before it is unpacked — whether its sizes are honest or not.
func TestXLSXBombs(t *testing.T) {
	rows := [][]any{{"InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"}}
	for i := 0; i < 20000; i++ {
		rows = append(rows, []any{"1", strings.Repeat("A", 100), 1, "2011-01-01", 1, "1"})
	}
	honest := retailXLSX(t, rows)
	m := RetailMapping()
	_, _, err := Open(bytes.NewReader(honest), &m, Limits{XLSXBytes: 10 << 20, UnzipBytes: 1 << 20, UnzipXMLBytes: 1 << 20})
	if e := errs.As(err); e == nil || e.Code != "xlsx_too_large_unpacked" {
		t.Fatalf("honest bomb: %v", err)
	}
	// A few bytes that claim to unpack to 64 GiB.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: 64 << 30})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte{3, 0})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, _, err = Open(bytes.NewReader(buf.Bytes()), &m, Limits{})
	if e := errs.As(err); e == nil || e.Code != "xlsx_too_large_unpacked" {
		t.Fatalf("lying bomb: %v", err)
	}
}
