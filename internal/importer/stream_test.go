package importer

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// interleaved writes n rows in the Online Retail layout: invoices of 25
// rows, two open at a time with their rows alternating; every fifth row
// without a customer; every hundredth a credit line returning one unit.
func interleaved(n int) []byte {
	var b bytes.Buffer
	b.WriteString("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n")
	for i := range n {
		inv, cust := 100000+(i/50)*2+i%2, fmt.Sprint(10000+(i/50)%977)
		at := time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i/50) * time.Hour).Format("2006-01-02 15:04")
		switch {
		case i%100 == 99:
			fmt.Fprintf(&b, "C%d,S%d,X,-1,%s,1.50,%s,UK\n", i, (i-2)%7, at, cust)
		case i%5 == 4:
			fmt.Fprintf(&b, "%d,S%d,X,3,%s,1.50,,UK\n", inv, i%7, at)
		default:
			fmt.Fprintf(&b, "%d,S%d,X,3,%s,1.50,%s,UK\n", inv, i%7, at, cust)
		}
	}
	return b.Bytes()
}

func planOf(t *testing.T, data []byte) *planner {
	t.Helper()
	m := RetailMapping()
	tb, _, err := Open(bytes.NewReader(data), &m, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan(context.Background(), tb, &m, now, nil, MaxErrorRows)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.close)
	return p
}

// TestPlanHoldsInvoicesNotLines: planning a file whose invoices' rows are
// interleaved holds at once the credit lines and one invoice's rows, not
// the file's; what stays in memory afterwards is the invoices' identities
// and the error rows kept, under 50 bytes a row (the importer that held
// every row kept 277 bytes a row of this file).
func TestPlanHoldsInvoicesNotLines(t *testing.T) {
	const rows = 200_000
	data := interleaved(rows)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	p := planOf(t, data)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if p.rows != rows || len(p.invs) != rows/25 {
		t.Fatalf("read %d rows, %d invoices", p.rows, len(p.invs))
	}
	if max := len(p.credits) + 25; p.peak > max || p.peak > rows/50 {
		t.Errorf("held %d lines at most, want at most %d (the credit lines and one invoice)", p.peak, max)
	}
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d rows: %d bytes kept, %d lines held at most", rows, kept, p.peak)
	if kept > 50*rows {
		t.Errorf("the plan keeps %d bytes for %d rows, want at most %d", kept, rows, 50*rows)
	}
	runtime.KeepAlive(data)
}

// TestPlanGroupsInterleavedInvoices: every row of the interleaved file
// ends in one event or one rejection, invoices whole.
func TestPlanGroupsInterleavedInvoices(t *testing.T) {
	p := planOf(t, interleaved(10_000))
	rows, invoices := 0, 0
	for _, k := range p.order {
		e, err := p.event(k)
		if err != nil {
			t.Fatal(err)
		}
		rows += len(e.Rows)
		if !k.ret {
			invoices++
			if n := len(e.Rows); n != 20 {
				t.Fatalf("invoice %s carries %d rows, want 20", e.Input.ExternalID, n)
			}
		}
	}
	if invoices != 400 || rows+len(p.unmatched)+p.errs.total != p.rows {
		t.Fatalf("%d invoices, %d rows in events, %d unmatched, %d rejected of %d", invoices, rows, len(p.unmatched), p.errs.total, p.rows)
	}
}

// TestErrorRowsBounded: past MaxErrorRows rows of one reason, the first
// ones are kept, with every row of the other reasons; all are counted.
func TestErrorRowsBounded(t *testing.T) {
	data := interleaved(60_000)
	data = append(data, "999999,S1,X,1,2011-06-01 10:00,0,10001,UK\n"...) // zero price, last row
	p := planOf(t, data)
	var missing []int // rows without a customer
	for i := range 60_000 {
		if i%5 == 4 && i%100 != 99 {
			missing = append(missing, i+2)
		}
	}
	kept := p.errs.sorted()
	if p.errs.byReason[SkipNoCustomer] != len(missing) || p.errs.total != len(missing)+1 || len(kept) != MaxErrorRows+1 {
		t.Fatalf("counted %v, kept %d", p.errs.byReason, len(kept))
	}
	for i, r := range kept[:MaxErrorRows] {
		if r.Row != missing[i] || r.Reason != SkipNoCustomer || r.Fields[6] != "" {
			t.Fatalf("kept row %d is %+v, want row %d", i, r, missing[i])
		}
	}
	if last := kept[MaxErrorRows]; last.Reason != RejZeroPrice || last.Row != 60_002 || last.Fields[0] != "999999" {
		t.Fatalf("last kept %+v", last)
	}
}
