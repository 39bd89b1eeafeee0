package importer

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/loyal-b2b/loyal/internal/importer/importtest"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestParseQty(t *testing.T) {
	if _, err := parseQty("2.5", 0); err == nil {
		t.Error("a fractional quantity is accepted")
	}
}

func readPlan(t *testing.T, data []byte, m Mapping) (Plan, error) {
	t.Helper()
	tb, f, err := Open(bytes.NewReader(data), &m, Limits{})
	if err != nil {
		return Plan{}, err
	}
	defer tb.Close()
	pl, err := Read(context.Background(), tb, &m, now, nil)
	pl.Format = f
	return pl, err
}

// TestSamplePlan: the plan of the sample matches what a plain reading of
// the file expects, and every row has one outcome.
func TestSamplePlan(t *testing.T) {
	data, err := os.ReadFile(importtest.SamplePath)
	if err != nil {
		t.Fatal(err)
	}
	x := importtest.Retail(t, importtest.SamplePath)
	pl, err := readPlan(t, data, RetailMapping())
	if err != nil {
		t.Fatal(err)
	}
	s := newSummary(pl.Format, false, pl.RowsRead)
	s.count(pl.Rejected)
	s.Skipped[SkipCreditNoInv] += len(pl.unmatched) // no invoices stored before
	invoices, returns, lines := 0, 0, 0
	for _, e := range pl.Events {
		lines += len(e.Rows)
		if e.Input.Type == "return" {
			returns++
		} else {
			invoices++
		}
	}
	s.LinesImported = lines
	if !s.Balanced() || pl.RowsRead != x.Rows || lines != x.Imported || invoices != x.Invoices || returns != x.Returns {
		t.Fatalf("plan: rows %d lines %d invoices %d returns %d; want %+v", pl.RowsRead, lines, invoices, returns, x)
	}
	for k, v := range x.Skipped {
		if s.Skipped[k] != v {
			t.Errorf("skipped %s = %d, want %d", k, s.Skipped[k], v)
		}
	}
	for k, v := range x.Rejected {
		if s.Rejected[k] != v {
			t.Errorf("rejected %s = %d, want %d", k, s.Rejected[k], v)
		}
	}
}

// TestDialects: semicolons, Windows-1251, decimal commas, a BOM, tabs and
// a line amount column read to the same events.
func TestDialects(t *testing.T) {
	m := Mapping{Organization: "Клиент", Invoice: "Счёт", Date: "Дата", DateFormat: "%d.%m.%Y", SKU: "Артикул",
		Quantity: "Кол-во", UnitPrice: "Цена", FixedCurrency: "RUB", Country: "Страна"}
	utf := "Счёт;Артикул;Кол-во;Дата;Цена;Клиент;Страна\r\n" +
		"A-1;K-100;3;05.02.2026;1 234,50;D-1;Россия\r\n" +
		"A-1;\"K;200\";2;05.02.2026;0,99;D-1;Россия\r\n" +
		"A-2;K-100;-1;06.02.2026;1 234,50;D-1;Россия\r\n" +
		"A-3;K-300;1;31.02.2026;5;D-2;Россия\r\n"
	cp, err := charmap.Windows1251.NewEncoder().String(utf)
	if err != nil {
		t.Fatal(err)
	}
	tab := strings.ReplaceAll(utf, ";", "\t")
	for name, data := range map[string]string{"cp1251": cp, "utf8-bom": "\xEF\xBB\xBF" + utf, "tab": tab} {
		sku := "K;200"
		if name == "tab" {
			sku = "K\t200"
		}
		t.Run(name, func(t *testing.T) {
			pl, err := readPlan(t, []byte(data), m)
			if err != nil {
				t.Fatal(err)
			}
			if len(pl.Events) != 2 || pl.RowsRead != 4 || len(pl.Rejected) != 1 || pl.Rejected[0].Reason != RejDate || pl.Rejected[0].Row != 5 {
				t.Fatalf("events %+v rejected %+v", pl.Events, pl.Rejected)
			}
			inv, ret := pl.Events[0].Input, pl.Events[1].Input
			if inv.Organization != "ext:D-1" || inv.Lines[0].UnitPrice != 123450 || inv.Lines[1].SKU != sku || inv.Lines[1].UnitPrice != 99 ||
				inv.Currency != "RUB" || !inv.OccurredAt.Equal(time.Date(2026, 2, 5, 0, 0, 0, 0, time.UTC)) {
				t.Fatalf("invoice %+v", inv)
			}
			if ret.Type != "return" || ret.Original != "A-1" || ret.ExternalID != "A-2/A-1" || ret.Lines[0].Qty != 1 {
				t.Fatalf("return %+v", ret)
			}
		})
	}
}

// TestBadFiles: files that are not tables are refused with a clear code.
func TestBadFiles(t *testing.T) {
	for name, c := range map[string]struct{ data, code string }{
		"empty":       {"", "empty_file"},
		"blank":       {"\xEF\xBB\xBF \r\n", "empty_file"},
		"header only": {"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n", "empty_file"},
		"binary":      {"\x00\x01\x02\x03garbage\xff\xfe", "unsupported_file"},
		"pdf":         {"%PDF-1.4\n...", "unsupported_file"},
		"one column":  {"hello\nworld\n", "no_columns"},
		"not a zip":   {"PK\x03\x04 this is no zip", "unreadable_xlsx"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := readPlan(t, []byte(c.data), RetailMapping())
			if e := errs.As(err); e == nil || e.Code != c.code || e.Kind != errs.Invalid {
				t.Fatalf("err = %v, want code %s", err, c.code)
			}
		})
	}
	_, err := readPlan(t, []byte("InvoiceNo,StockCode,Qty\n1,2,3\n"), RetailMapping())
	if e := errs.As(err); e == nil || len(e.Fields) == 0 || e.Fields[0].Code != "missing_column" {
		t.Fatalf("missing columns: %v", err)
	}
}
