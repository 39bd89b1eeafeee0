package importer

import (
	"fmt"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Reasons a row is skipped (by design: nothing to import) or rejected (it
// is wrong). Every row read ends in exactly one outcome: imported,
// duplicate, or one of these.
const (
	SkipNonProduct  = "non_product"
	SkipNoCustomer  = "missing_customer"
	SkipUnknownOrg  = "unknown_organization"
	SkipCreditNoInv = "credit_note_without_invoice"

	RejCustomerID  = "invalid_customer_id"
	RejNoInvoice   = "missing_invoice"
	RejNoSKU       = "missing_sku"
	RejDate        = "invalid_date"
	RejDateRange   = "date_out_of_range"
	RejQty         = "invalid_quantity"
	RejZeroQty     = "zero_quantity"
	RejPrice       = "invalid_price"
	RejZeroPrice   = "zero_price"
	RejCost        = "invalid_cost"
	RejCurrency    = "invalid_currency"
	RejMismatch    = "invoice_mismatch"
	RejTooMany     = "too_many_lines"
	RejRefused     = "event_refused"
	reasonImported = "imported"
	reasonDup      = "duplicate"
)

var skipReasons = map[string]bool{SkipNonProduct: true, SkipNoCustomer: true, SkipUnknownOrg: true, SkipCreditNoInv: true}

// line is one good row, mapped.
type line struct {
	row      int32
	credit   bool
	at       time.Time
	org      string
	invoice  string
	sku      string
	category string
	currency string
	country  string
	qty      int64 // positive; credit says which way
	price    int64 // unit price, minor units
	cost     int64
	off      int64 // where the line lies in the spill, with its fields
}

// Rejection is a row that was not imported, with its reason.
type Rejection struct {
	Row     int      `json:"row"`
	Reason  string   `json:"reason"`
	Message string   `json:"message,omitempty"`
	Fields  []string `json:"-"` // the row as read, for the error file
}

// mapper turns records into lines by the mapping's columns.
type mapper struct {
	m        *Mapping
	col      map[string]int // mapping field → column index (-1: not mapped)
	dates    dateParser
	dec      byte
	digits   int
	nonProd  map[string]bool
	credType map[string]bool
	idOK     map[string]bool // customer ids checked, by id
	now      time.Time
}

func newMapper(m *Mapping, header []string, serial bool, now time.Time) (*mapper, error) {
	idx := map[string]int{}
	for i, h := range header {
		idx[strings.ToLower(strings.TrimPrefix(h, "\uFEFF"))] = i
	}
	mp := &mapper{m: m, col: map[string]int{}, digits: m.minorDigits(), nonProd: m.nonProduct(), now: now, credType: map[string]bool{}, idOK: map[string]bool{}}
	var f errs.Fields
	for field, name := range m.columns() {
		mp.col[field] = -1
		if name == "" {
			continue
		}
		i, ok := idx[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			f.Add(field, "missing_column", "the file has no column %q (its columns: %s)", name, strings.Join(header, ", "))
		}
		mp.col[field] = i
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	loc := time.UTC
	if m.Timezone != "" {
		loc, _ = time.LoadLocation(m.Timezone) // checked by Mapping.Check
	}
	mp.dates = dateParser{layouts: defaultLayouts, loc: loc, serial: serial}
	if m.DateFormat != "" {
		mp.dates.layouts = []string{goLayout(m.DateFormat)}
	}
	if m.DecimalSeparator != "" {
		mp.dec = m.DecimalSeparator[0]
	}
	for _, t := range m.CreditTypes {
		mp.credType[strings.ToLower(strings.TrimSpace(t))] = true
	}
	return mp, nil
}

func (m *Mapping) columns() map[string]string {
	return map[string]string{"organization": m.Organization, "invoice": m.Invoice, "date": m.Date, "sku": m.SKU,
		"category": m.Category, "quantity": m.Quantity, "unit_price": m.UnitPrice, "line_amount": m.LineAmount,
		"cost": m.Cost, "currency": m.Currency, "country": m.Country, "type": m.Type}
}

func (mp *mapper) get(rec []string, field string) string {
	i := mp.col[field]
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// row maps one record. The order of checks decides the reason of a row
// with several problems: structure, non-product, customer, then values.
func (mp *mapper) row(rec []string, row int) (line, string, string) {
	l := line{row: int32(row), invoice: mp.get(rec, "invoice"), sku: mp.get(rec, "sku"), category: mp.get(rec, "category"),
		country: mp.get(rec, "country")}
	switch {
	case l.invoice == "":
		return l, RejNoInvoice, "the invoice number is empty"
	case l.sku == "":
		return l, RejNoSKU, "the SKU is empty"
	case mp.nonProd[strings.ToUpper(l.sku)]:
		return l, SkipNonProduct, fmt.Sprintf("%s is a non-product line", l.sku)
	}
	l.org = normalizeID(mp.get(rec, "organization"))
	if l.org == "" {
		return l, SkipNoCustomer, "no customer id: no organization to credit"
	}
	if !mp.validID(l.org) {
		return l, RejCustomerID, fmt.Sprintf("customer id %q cannot be an external id: up to 100 letters, digits and . _ : / # @ + - without spaces", l.org)
	}
	var ok bool
	if l.at, ok = mp.dates.parse(mp.get(rec, "date")); !ok {
		return l, RejDate, fmt.Sprintf("date %q does not match the format %s", mp.get(rec, "date"), strings.Join(mp.dates.layouts[:min(3, len(mp.dates.layouts))], " or "))
	}
	if l.at.Year() < 2000 || l.at.After(mp.now.Add(24*time.Hour)) {
		return l, RejDateRange, fmt.Sprintf("date %s is before 2000 or in the future", l.at.Format(time.DateOnly))
	}
	if reason, msg := mp.amounts(rec, &l); reason != "" {
		return l, reason, msg
	}
	return l, "", ""
}

// amounts reads quantity, price, cost, currency and the credit-note marks.
func (mp *mapper) amounts(rec []string, l *line) (string, string) {
	q, err := parseQty(mp.get(rec, "quantity"), mp.dec)
	switch {
	case err != nil:
		return RejQty, fmt.Sprintf("quantity %q: %v", mp.get(rec, "quantity"), err)
	case q == 0:
		return RejZeroQty, "quantity is zero"
	case q < 0 && mp.m.NegativeQuantity == "reject":
		return RejQty, "quantity is negative"
	}
	l.credit = q < 0 || (mp.m.CreditPrefix != "" && strings.HasPrefix(strings.ToUpper(l.invoice), strings.ToUpper(mp.m.CreditPrefix))) ||
		mp.credType[strings.ToLower(mp.get(rec, "type"))]
	l.qty = abs(q)
	field := "unit_price"
	if mp.col[field] < 0 {
		field = "line_amount"
	}
	p, err := money.ParseDecimal(mp.get(rec, field), mp.dec, mp.digits)
	switch {
	case err != nil:
		return RejPrice, fmt.Sprintf("%s %q: %v", field, mp.get(rec, field), err)
	case p == 0:
		return RejZeroPrice, "the price is zero"
	case p < 0 && field == "unit_price":
		return RejPrice, "the unit price is negative"
	}
	l.price = abs(p)
	if field == "line_amount" {
		l.price = (l.price*2 + l.qty) / (2 * l.qty) // half up
		if l.price == 0 {
			return RejZeroPrice, "the line amount is less than half a minor unit per unit"
		}
	}
	if c := mp.get(rec, "cost"); c != "" {
		if l.cost, err = money.ParseDecimal(c, mp.dec, mp.digits); err != nil || l.cost < 0 {
			return RejCost, fmt.Sprintf("cost %q is not a non-negative number", c)
		}
	}
	l.currency = strings.ToUpper(mp.m.FixedCurrency)
	if mp.col["currency"] >= 0 {
		l.currency = strings.ToUpper(mp.get(rec, "currency"))
	}
	if !isCurrency(l.currency) {
		return RejCurrency, fmt.Sprintf("currency %q is not a three-letter ISO code", l.currency)
	}
	return "", ""
}

// validID says whether a customer id can be an organization's external id.
func (mp *mapper) validID(id string) bool {
	ok, seen := mp.idOK[id]
	if !seen {
		var f errs.Fields
		valid.ExternalID(&f, "organization", id)
		ok = f.Len() == 0
		if len(mp.idOK) < 1_000_000 {
			mp.idOK[strings.Clone(id)] = ok // not the whole record's string
		}
	}
	return ok
}

// normalizeID drops the ".0" spreadsheets add to numeric ids.
func normalizeID(s string) string {
	if t, ok := strings.CutSuffix(s, ".0"); ok && t != "" && strings.Trim(t, "0123456789") == "" {
		return t
	}
	return s
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
