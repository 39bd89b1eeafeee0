package simulate

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// formatValue writes a figure as people read it: points as integers,
// money in major units with two decimals, shares as percentages.
func formatValue(unit string, v int64) string {
	switch unit {
	case "money":
		return string(money.AppendAmount(nil, v, 2))
	case "bp":
		return string(money.AppendAmount(nil, v, 2)) + "%"
	}
	return strconv.FormatInt(v, 10)
}

// WriteTable prints the variants side by side.
func WriteTable(w io.Writer, rep Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%d events, %d lines, %s to %s\t", rep.Events, rep.Lines, rep.From.Format("2006-01-02"), rep.To.Format("2006-01-02"))
	for _, v := range rep.Variants {
		fmt.Fprintf(tw, "%s\t", v.Name)
	}
	fmt.Fprintln(tw)
	for _, r := range rep.SideBySide {
		fmt.Fprintf(tw, "%s\t", r.Metric)
		for _, x := range r.Values {
			fmt.Fprintf(tw, "%s\t", formatValue(r.Unit, x))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, v := range rep.Variants {
		for code, n := range v.Refused {
			fmt.Fprintf(w, "%s: %d events live would refuse (%s)\n", v.Name, n, code)
		}
	}
	return nil
}

// WriteCSV writes the side-by-side figures, then every variant's months.
func WriteCSV(w io.Writer, rep Report) error {
	cw := csv.NewWriter(w)
	head := []string{"metric", "unit"}
	for _, v := range rep.Variants {
		head = append(head, v.Name)
	}
	rows := [][]string{head}
	for _, r := range rep.SideBySide {
		row := []string{r.Metric, r.Unit}
		for _, x := range r.Values {
			row = append(row, strconv.FormatInt(x, 10))
		}
		rows = append(rows, row)
	}
	rows = append(rows, nil, []string{"variant", "month", "issued", "redeemed", "expired", "clawed_back", "revenue", "quote_discounts",
		"liability_points", "liability_value"})
	for _, v := range rep.Variants {
		for _, m := range v.Months {
			rows = append(rows, []string{v.Name, m.Month, i64(m.Issued), i64(m.Redeemed), i64(m.Expired), i64(m.ClawedBack), i64(m.Revenue),
				i64(m.Discounts), i64(m.LiabilityPoints), i64(m.LiabilityValue)})
		}
	}
	for _, r := range rows {
		if r == nil {
			r = []string{}
		}
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }
