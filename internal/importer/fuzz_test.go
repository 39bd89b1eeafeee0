package importer

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// FuzzRead reads arbitrary bytes as an import file with the Online Retail
// mapping, as POST /v1/imports does: sniffing (XLSX, CSV in UTF-8 or
// Windows-1251, any delimiter), reading and grouping never panic; a file
// is refused only with an error of the caller's kind; every event the plan
// holds is one ingestion checks without panicking.
func FuzzRead(f *testing.F) {
	header := "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
	for _, s := range []string{
		header + "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26,2.55,17850,United Kingdom\n" +
			"C536379,85123A,WHITE HANGING HEART,-1,2010-12-01 09:41,2.55,17850,United Kingdom\n",
		"InvoiceNo;StockCode;Description;Quantity;InvoiceDate;UnitPrice;CustomerID;Country\n536365;A;x;1 000;01.12.2010 08:26;2,55;17850;UK\n",
		header + "536365,A,\"quoted, with comma\",3,2010-12-01 08:26,1e9,17850,X\n",
		header + "536365,A,x,99999999999999999999,2010-12-01 08:26,-2.55,,UK\n",
		"\xEF\xBB\xBF" + header,
		"PK\x03\x04garbage",
		"\x00\x01\x02binary",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m := RetailMapping()
		tb, _, err := Open(bytes.NewReader(data), &m, Limits{XLSXBytes: 1 << 20, UnzipBytes: 4 << 20, UnzipXMLBytes: 1 << 20})
		if err != nil {
			if k := errs.KindOf(err); k != errs.Invalid && k != errs.TooLarge {
				t.Fatalf("Open refused with kind %v: %v", k, err)
			}
			return
		}
		defer tb.Close()
		pl, err := Read(context.Background(), tb, &m, now, nil)
		if err != nil {
			if k := errs.KindOf(err); k != errs.Invalid && k != errs.TooLarge {
				t.Fatalf("Read refused with kind %v: %v", k, err)
			}
			return
		}
		for _, e := range pl.Events {
			if _, err := events.Check(e.Input, now); err != nil && !errs.Is(err, errs.Invalid) {
				t.Fatalf("an imported event is refused with %v", err)
			}
		}
	})
}

// FuzzParseQty: quantities are whole numbers, in any locale's writing.
func FuzzParseQty(f *testing.F) {
	for _, s := range []string{"6", "6.0", "1 000", "1.000,000", "2.5", "-3", "(4)", "", "1e3"} {
		f.Add(s, byte(0))
	}
	f.Fuzz(func(t *testing.T, s string, dec byte) {
		if dec != 0 && dec != '.' && dec != ',' {
			return
		}
		q, err := parseQty(s, dec)
		if err != nil {
			return
		}
		if back, err := parseQty(string(appendInt(nil, q)), '.'); err != nil || back != q {
			t.Fatalf("parseQty(%q) = %d; read back %d, %v", s, q, back, err)
		}
	})
}

func appendInt(b []byte, v int64) []byte {
	if v < 0 {
		b, v = append(b, '-'), -v
	}
	var digits [20]byte
	i := len(digits)
	for {
		i--
		digits[i] = byte('0' + v%10)
		if v /= 10; v == 0 {
			break
		}
	}
	return append(b, digits[i:]...)
}

// FuzzParseDate: dates in the default layouts, strftime formats given by
// a mapping, and spreadsheet serial numbers never panic, and the answer
// does not depend on what was parsed before (the parser tries the layout
// that matched last first: it must not change a date's meaning).
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2010-12-01 08:26", "01.12.2010", "01/12/2010 08:26", "2010-12-01T08:26:00Z", "40513.35", "2958466", "NaN", "-1", "31.02.2010"} {
		f.Add(s, "01.12.2010", "", true)
		f.Add(s, "2010-12-01 08:26", "%d.%m.%Y %H:%M", false)
	}
	f.Fuzz(func(t *testing.T, s, before, format string, serial bool) {
		layouts := defaultLayouts
		if format != "" {
			layouts = []string{goLayout(format)}
		}
		fresh := dateParser{layouts: layouts, loc: time.UTC, serial: serial}
		used := dateParser{layouts: layouts, loc: time.UTC, serial: serial}
		used.parse(before)
		t1, ok1 := fresh.parse(s)
		t2, ok2 := used.parse(s)
		if ok1 != ok2 || !t1.Equal(t2) {
			t.Fatalf("parse(%q) = %v, %v; after parsing %q: %v, %v", s, t1, ok1, before, t2, ok2)
		}
	})
}
