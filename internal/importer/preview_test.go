package importer

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

const previewCSV = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n" +
	"536365,85123A,HEART,6,2025-12-01 08:26,2.55,17850,United Kingdom\n" +
	"C536379,85123A,HEART,-1,2025-12-01 09:41,2.55,17850,United Kingdom\n" +
	"536366,22633,HAND WARMER,x,2025-12-01 08:28,1.85,17850,United Kingdom\n" +
	"536367,22634,HAND WARMER,2,2025-12-01 08:28,1.85,17850,United Kingdom\n"

func TestPreviewParsesFirstRows(t *testing.T) {
	pv, err := PreviewFile(strings.NewReader(previewCSV), RetailMapping(), 3, now)
	if err != nil || pv.MappingErr != nil {
		t.Fatal(err, pv.MappingErr)
	}
	if len(pv.Rows) != 3 || pv.Header[0] != "InvoiceNo" || pv.Format.Kind != "csv" {
		t.Fatalf("preview %+v", pv)
	}
	first, credit, bad := pv.Rows[0], pv.Rows[1], pv.Rows[2]
	if first.Row != 2 || first.Customer != "17850" || first.Qty != 6 || first.Price != 255 || first.Currency != "GBP" || first.Date.Hour() != 8 {
		t.Errorf("first row %+v", first)
	}
	if credit.Qty != -1 || credit.Reason != "" {
		t.Errorf("credit row %+v", credit)
	}
	if bad.Reason != RejQty || bad.Fields[3] != "x" {
		t.Errorf("bad row %+v", bad)
	}
}

func TestPreviewShowsRowsWhenMappingDoesNotFit(t *testing.T) {
	m := RetailMapping()
	m.SKU = "Article"
	pv, err := PreviewFile(strings.NewReader(previewCSV), m, 10, now)
	if err != nil {
		t.Fatal(err)
	}
	e := errs.As(pv.MappingErr)
	if e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "sku" {
		t.Fatalf("mapping error %v", pv.MappingErr)
	}
	if len(pv.Rows) != 4 || pv.Rows[0].Reason != "" || pv.Rows[0].Customer != "" {
		t.Errorf("rows %+v", pv.Rows)
	}
}

func TestPreviewRefusesEmptyFile(t *testing.T) {
	if _, err := PreviewFile(strings.NewReader("InvoiceNo,StockCode\n"), RetailMapping(), 5, now); errs.KindOf(err) != errs.Invalid {
		t.Errorf("empty file: %v", err)
	}
}
