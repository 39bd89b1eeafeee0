// Package importer reads invoice lines exported from an ERP — CSV in any
// common dialect or XLSX — maps their columns by a saved or given mapping,
// groups them into invoice and return events and ingests those through the
// events service in batches. Reading, mapping and grouping are pure (no
// database); Service adds organizations, ingestion and the import record.
// While a file is imported its good rows wait in a temporary file, so that
// memory grows with its invoices, not with its rows.
package importer

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Mapping says which column holds what, and how the file is written.
// Column names are matched case-insensitively after trimming.
type Mapping struct {
	Name         string `json:"name,omitempty"`
	Organization string `json:"organization"` // the customer's id in the ERP
	Invoice      string `json:"invoice"`
	Date         string `json:"date"`
	// DateFormat is a Go layout (2006-01-02 15:04) or strftime-like
	// (%Y-%m-%d %H:%M); empty tries common formats.
	DateFormat  string `json:"date_format,omitempty"`
	Timezone    string `json:"timezone,omitempty"` // IANA name; default UTC
	SKU         string `json:"sku"`
	Description string `json:"description,omitempty"`
	Category    string `json:"category,omitempty"`
	Quantity    string `json:"quantity"`
	UnitPrice   string `json:"unit_price,omitempty"`  // either this
	LineAmount  string `json:"line_amount,omitempty"` // or this (unit price = amount / quantity, rounded)
	Cost        string `json:"cost,omitempty"`        // unit cost
	Currency    string `json:"currency,omitempty"`    // a column with ISO codes
	// FixedCurrency is the currency of every line when no column holds it.
	FixedCurrency string `json:"fixed_currency,omitempty"`
	Country       string `json:"country,omitempty"`
	// Credit notes: an invoice number starting with CreditPrefix, a type
	// column holding one of CreditTypes, or (unless NegativeQuantity is
	// "reject") a negative quantity.
	CreditPrefix     string   `json:"credit_prefix,omitempty"`
	Type             string   `json:"type,omitempty"`
	CreditTypes      []string `json:"credit_types,omitempty"`
	NegativeQuantity string   `json:"negative_quantity,omitempty"` // "credit" (default) or "reject"
	// NonProductSKUs are postage, fees, manual lines…: never imported,
	// counted. Nil means DefaultNonProduct; an empty list means none.
	NonProductSKUs []string `json:"non_product_skus" required:"false"`
	// File dialect; empty means detect.
	Delimiter        string `json:"delimiter,omitempty"`
	Encoding         string `json:"encoding,omitempty"`          // utf-8 or windows-1251
	DecimalSeparator string `json:"decimal_separator,omitempty"` // "." or ","
	MinorDigits      *int   `json:"minor_digits,omitempty"`      // of the currency; default 2
	Sheet            string `json:"sheet,omitempty"`             // XLSX; default the first
	// OrganizationType is the type of organizations created from the file.
	OrganizationType string `json:"organization_type,omitempty"`
}

// DefaultNonProduct are the non-product codes of the Online Retail data
// set: postage, dotcom postage, manual, discount, carriage, samples, bank
// charges, Amazon fee, charity, pads (a free sample) and bad-debt
// adjustments.
var DefaultNonProduct = []string{"POST", "DOT", "M", "D", "C2", "S", "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS", "B"}

// RetailMapping fits the Online Retail sample as exported.
func RetailMapping() Mapping {
	return Mapping{Name: "online-retail", Organization: "CustomerID", Invoice: "InvoiceNo", Date: "InvoiceDate",
		DateFormat: "2006-01-02 15:04", SKU: "StockCode", Description: "Description", Quantity: "Quantity",
		UnitPrice: "UnitPrice", FixedCurrency: "GBP", Country: "Country", CreditPrefix: "C"}
}

// ParseMapping reads a mapping from JSON, refusing unknown keys.
func ParseMapping(b []byte) (Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, errs.InvalidField("mapping", "invalid_json", "the mapping is not valid JSON of a mapping: %v", err)
	}
	return m, m.Check()
}

// Check validates a mapping, naming every problem.
func (m *Mapping) Check() error {
	var f errs.Fields
	for _, c := range []struct{ field, v string }{{"organization", m.Organization}, {"invoice", m.Invoice},
		{"date", m.Date}, {"sku", m.SKU}, {"quantity", m.Quantity}} {
		if strings.TrimSpace(c.v) == "" {
			f.Add(c.field, "required", "name the column that holds the %s", c.field)
		}
	}
	if (m.UnitPrice == "") == (m.LineAmount == "") {
		f.Add("unit_price", "required", "name either the unit price column or the line amount column (not both)")
	}
	if (m.Currency == "") == (m.FixedCurrency == "") {
		f.Add("currency", "required", "name a currency column or give fixed_currency (e.g. GBP), one of them")
	} else if m.FixedCurrency != "" && !isCurrency(strings.ToUpper(m.FixedCurrency)) {
		f.Add("fixed_currency", "invalid_currency", "%q is not a three-letter ISO currency code", m.FixedCurrency)
	}
	if m.Timezone != "" {
		if _, err := time.LoadLocation(m.Timezone); err != nil {
			f.Add("timezone", "unknown_timezone", "%q is not an IANA time zone such as Europe/London", m.Timezone)
		}
	}
	if !slices.Contains([]string{"", "credit", "reject"}, m.NegativeQuantity) {
		f.Add("negative_quantity", "invalid_choice", "negative_quantity is credit or reject")
	}
	if !slices.Contains([]string{"", ".", ","}, m.DecimalSeparator) {
		f.Add("decimal_separator", "invalid_choice", `decimal_separator is "." or ","`)
	}
	if m.MinorDigits != nil && (*m.MinorDigits < 0 || *m.MinorDigits > 4) {
		f.Add("minor_digits", "out_of_range", "minor_digits is 0 to 4")
	}
	if m.Type != "" && len(m.CreditTypes) == 0 {
		f.Add("credit_types", "required", "list the values of the type column that mark a credit note")
	}
	if len(m.NonProductSKUs) > 1000 {
		f.Add("non_product_skus", "too_many", "at most 1000 non-product SKUs")
	}
	if len(m.Name) > 100 {
		f.Add("name", "too_long", "a mapping name has at most 100 characters")
	}
	return f.Err()
}

func isCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func (m *Mapping) minorDigits() int {
	if m.MinorDigits == nil {
		return 2
	}
	return *m.MinorDigits
}

func (m *Mapping) nonProduct() map[string]bool {
	list := m.NonProductSKUs
	if list == nil {
		list = DefaultNonProduct
	}
	out := make(map[string]bool, len(list))
	for _, s := range list {
		out[strings.ToUpper(strings.TrimSpace(s))] = true
	}
	return out
}
