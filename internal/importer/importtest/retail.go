// Package importtest computes, for tests, what importing the Online Retail
// sample must report — straight from the file with encoding/csv and
// floating point, independently of the importer's own code.
package importtest

import (
	"encoding/csv"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// SamplePath is the Online Retail sample, relative to a package directory
// two levels below the repository (internal/<pkg>).
const SamplePath = "../../testdata/online-retail-sample.csv"

// Expected is what importing the sample into an empty tenant reports.
type Expected struct {
	Rows, Imported, Invoices, Returns int
	Skipped, Rejected                 map[string]int
	Orgs                              map[string]bool
	// Per customer: the amount of its invoices (minor units) and the units
	// it returned.
	Amount, Returned map[string]int64
}

type row struct {
	n                        int
	inv, sku, date, customer string
	qty                      int64
	price                    int64
}

var nonProduct = map[string]bool{"POST": true, "DOT": true, "M": true, "D": true, "C2": true, "S": true,
	"BANK CHARGES": true, "AMAZONFEE": true, "CRUK": true, "PADS": true, "B": true}

// Retail reads the sample and works out the expected summary.
func Retail(t testing.TB, path string) Expected {
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
	x := Expected{Skipped: map[string]int{}, Rejected: map[string]int{}, Orgs: map[string]bool{}, Amount: map[string]int64{}, Returned: map[string]int64{}}
	var invoices, credits []row
	for i, r := range recs[1:] {
		x.Rows++
		q, _ := strconv.ParseInt(r[3], 10, 64)
		p, _ := strconv.ParseFloat(r[5], 64)
		rw := row{n: i + 2, inv: r[0], sku: r[1], date: r[4], customer: r[6], qty: q, price: int64(math.Round(p * 100))}
		switch {
		case nonProduct[strings.ToUpper(r[1])]:
			x.Skipped["non_product"]++
		case r[6] == "":
			x.Skipped["missing_customer"]++
		case p == 0:
			x.Rejected["zero_price"]++
		case strings.HasPrefix(r[0], "C") || q < 0:
			credits = append(credits, rw)
		default:
			invoices = append(invoices, rw)
		}
	}
	x.match(invoices, credits)
	return x
}

type inv struct {
	no, customer, date string
	first              map[string]int64 // SKU → price of its first line
	left               map[string]int64 // SKU → units of that first price
}

// match counts invoices and pairs credit lines with the latest invoice of
// the customer, dated at or before, with the SKU's units left.
func (x *Expected) match(invoices, credits []row) {
	byNo := map[string]*inv{}
	var order []*inv
	for _, r := range invoices {
		v := byNo[r.inv]
		if v == nil {
			v = &inv{no: r.inv, customer: r.customer, date: r.date, first: map[string]int64{}, left: map[string]int64{}}
			byNo[r.inv] = v
			order = append(order, v)
			x.Invoices++
		}
		x.Imported++
		x.Orgs[r.customer] = true
		x.Amount[r.customer] += r.qty * r.price
		if p, ok := v.first[r.sku]; !ok || p == r.price {
			v.first[r.sku] = r.price
			v.left[r.sku] += r.qty
		}
	}
	slices.SortStableFunc(order, func(a, b *inv) int { return strings.Compare(a.date, b.date) })
	slices.SortStableFunc(credits, func(a, b row) int { return strings.Compare(a.date, b.date) })
	pairs := map[string]bool{}
	for _, c := range credits {
		q := -c.qty
		if q < 0 {
			q = -q
		}
		var hit *inv
		for i := len(order) - 1; i >= 0; i-- {
			v := order[i]
			if v.customer == c.customer && v.date <= c.date && v.left[c.sku] >= q {
				hit = v
				break
			}
		}
		if hit == nil {
			x.Skipped["credit_note_without_invoice"]++
			continue
		}
		hit.left[c.sku] -= q
		x.Imported++
		x.Returned[c.customer] += q
		pairs[c.inv+"/"+hit.no] = true
	}
	x.Returns = len(pairs)
}
