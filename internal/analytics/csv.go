package analytics

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// The reports as CSV rows (a header, then the data), shared by the API's
// format=csv and the console's exports.

// Flatten turns a report into metric,value rows in field order: nested
// fields join with ".", list items by index (point_types.0.issued).
func Flatten(v any) [][]string {
	b, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	rows := [][]string{{"metric", "value"}}
	var walk func(prefix string)
	walk = func(prefix string) {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case json.Delim:
			i := 0
			for dec.More() {
				key := strconv.Itoa(i)
				if t == '{' {
					k, _ := dec.Token()
					key = k.(string)
				}
				walk(strings.TrimPrefix(prefix+"."+key, "."))
				i++
			}
			_, _ = dec.Token() // the closing delimiter
		case nil:
			rows = append(rows, []string{prefix, ""})
		default:
			rows = append(rows, []string{prefix, scalar(t)})
		}
	}
	walk("")
	return rows
}

func scalar(t any) string {
	switch x := t.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func optFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// OrgRows is the organizations report: one row per organization.
func OrgRows(orgs []*OrgStats) [][]string {
	rows := [][]string{{"organization_id", "revenue", "orders", "returns", "cost", "first_order", "last_order", "cycle_days",
		"days_since_last_order", "churn_risk", "abc", "r", "f", "m"}}
	for _, o := range orgs {
		first, last := "", ""
		if o.FirstOrder != nil {
			first, last = o.FirstOrder.Format("2006-01-02T15:04:05Z"), o.LastOrder.Format("2006-01-02T15:04:05Z")
		}
		rows = append(rows, []string{o.OrganizationID, i64(o.Revenue), i64(o.Orders), i64(o.Returns), i64(o.Cost), first, last,
			optFloat(o.CycleDays), optFloat(o.DaysSinceLast), o.ChurnRisk, o.ABC, strconv.Itoa(o.R), strconv.Itoa(o.F), strconv.Itoa(o.M)})
	}
	return rows
}

// CohortRows is the cohort report: a column per month since the first order.
func CohortRows(cs []Cohort) [][]string {
	head := []string{"month", "organizations"}
	for i := range cs { // the first cohort has the most months
		head = append(head, "month_"+strconv.Itoa(i))
	}
	rows := [][]string{head}
	for _, c := range cs {
		r := []string{c.Month, i64(c.Organizations)}
		for _, n := range c.Retained {
			r = append(r, i64(n))
		}
		for len(r) < len(head) {
			r = append(r, "")
		}
		rows = append(rows, r)
	}
	return rows
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }
