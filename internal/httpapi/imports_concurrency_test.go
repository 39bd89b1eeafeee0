package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Ten imports of one file at once, creating the customers it names: every
// import succeeds, each customer and each invoice is stored once, and the
// summaries together count each invoice as created once.
func TestConcurrentImportsOfOneFile(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.do("POST", "/v1/import-mappings", e.keyA, isoMapping()).must(201, nil)
		var csv strings.Builder
		csv.WriteString("Invoice;Customer;Item;Qty;Date;Price\n")
		for i := range 12 {
			fmt.Fprintf(&csv, "INV-%d;CUST-%d;A;2;2026-02-01;10,50\n", i, i%4)
		}
		outs := make([]importOut, 10)
		status, codes := parallel(10, func(i int) *resp {
			r := e.importFile("mapping=a-erp&create_organizations=true", []byte(csv.String()))
			_ = json.Unmarshal(r.Body, &outs[i])
			return r
		})
		if count(status, 201) != 10 {
			t.Fatalf("statuses %v codes %v; want ten 201", status, codes)
		}
		created := 0
		for _, o := range outs {
			created += o.Summary.EventsCreated
			if o.Summary.EventsCreated+o.Summary.EventsDuplicate != 12 {
				t.Fatalf("summary %+v: want each of the 12 invoices created or duplicate", o.Summary)
			}
		}
		if n := e.count("/v1/organizations"); created != 12 || n != 4 {
			t.Fatalf("%d invoices created in all, %d organizations; want 12 and 4", created, n)
		}
	})
}
