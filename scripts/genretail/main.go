// Command genretail writes a large CSV of invoice lines shaped like the
// Online Retail sample, for import benchmarks: products (code,
// description, price, quantity), customers (with their country, a quarter
// of lines without one), non-product and zero-price lines and credit notes
// are drawn from the sample's own rows and rates; invoices have a
// geometric number of lines (mean -per-invoice; the full data set has
// about 21, the 40,000-line sample about 3 because it is a sample).
//
//	go run ./scripts/genretail -lines 1000000 -out /tmp/retail-1m.csv
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strconv"
	"time"
)

func main() {
	lines := flag.Int("lines", 1_000_000, "lines to write")
	out := flag.String("out", "/tmp/retail-1m.csv", "output CSV")
	sample := flag.String("sample", "testdata/online-retail-sample.csv", "the Online Retail sample")
	perInvoice := flag.Float64("per-invoice", 21, "mean lines per invoice")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	rows, err := readSample(*sample)
	if err != nil {
		log.Fatal(err)
	}
	if err := generate(rows, *lines, *perInvoice, *seed, *out); err != nil {
		log.Fatal(err)
	}
}

func readSample(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	return recs[1:], nil
}

type sold struct {
	rec []string
	qty int
}

func generate(rows [][]string, n int, perInvoice float64, seed uint64, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	_ = w.Write([]string{"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"})
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	start, span := time.Date(2010, 12, 1, 8, 0, 0, 0, time.UTC), 373*24*time.Hour
	last := map[string][]sold{} // customer → lines of its last invoice
	inv, credit := 536365, 0
	for written := 0; written < n; inv++ {
		at := start.Add(time.Duration(float64(span) * float64(written) / float64(n))).Format("2006-01-02 15:04")
		cust := rows[rng.IntN(len(rows))]
		// About one line in fifty is on a credit note: return part of the
		// customer's last invoice.
		if prev := last[cust[6]]; cust[6] != "" && len(prev) > 0 && rng.Float64() < 0.2 {
			credit++
			for _, s := range prev[:min(len(prev), 1+rng.IntN(3))] {
				q := 1 + rng.IntN(max(1, s.qty))
				_ = w.Write([]string{"C" + strconv.Itoa(credit+600000), s.rec[1], s.rec[2], strconv.Itoa(-q), at, s.rec[5], cust[6], cust[7]})
				written++
			}
			delete(last, cust[6])
			continue
		}
		k := 1 + int(rng.ExpFloat64()*(perInvoice-1))
		var lines []sold
		for i := 0; i < k && written < n; i++ {
			p := rows[rng.IntN(len(rows))]
			q, _ := strconv.Atoi(p[3])
			if q <= 0 {
				q = 1 + rng.IntN(12)
			}
			_ = w.Write([]string{strconv.Itoa(inv), p[1], p[2], strconv.Itoa(q), at, p[5], cust[6], cust[7]})
			lines = append(lines, sold{rec: p, qty: q})
			written++
		}
		last[cust[6]] = lines
	}
	w.Flush()
	if err := bw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %d lines to %s\n", n, path)
	return f.Close()
}
