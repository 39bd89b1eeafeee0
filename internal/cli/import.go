package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/importer"
)

type importCmd struct {
	Tenant              string `required:"" help:"Tenant (slug) to import into."`
	File                string `required:"" type:"existingfile" help:"CSV (any of , ; TAB |, UTF-8 or Windows-1251) or XLSX file of invoice lines."`
	Mapping             string `help:"Column mapping: a JSON file, or the name of a mapping saved in the tenant; or give the columns with the flags below. Default: the Online Retail layout (InvoiceNo, StockCode, Quantity, InvoiceDate, UnitPrice, CustomerID, Country; GBP; credit notes start with C)."`
	DryRun              bool   `help:"Read, map and evaluate everything; write nothing (the run is still recorded)."`
	Errors              string `placeholder:"out.csv" help:"Write every rejected or skipped row here: row, reason, message, then the row as read."`
	CreateOrganizations bool   `help:"Create customers the tenant does not know (type dealer unless the mapping says otherwise); without it their rows are skipped as unknown_organization."`
	JSON                bool   `name:"json" help:"Print the summary as JSON."`
	Save                bool   `help:"Save the mapping used (with its name) in the tenant for later imports and the API."`

	Name         string   `group:"Mapping" help:"Name of the mapping; events get source import:<name>."`
	OrgCol       string   `group:"Mapping" help:"Column of the customer's id in the ERP."`
	InvoiceCol   string   `group:"Mapping" help:"Column of the invoice number."`
	DateCol      string   `group:"Mapping" help:"Column of the invoice date."`
	DateFormat   string   `group:"Mapping" help:"Date format: Go layout (2006-01-02 15:04) or strftime (%Y-%m-%d %H:%M)."`
	Timezone     string   `group:"Mapping" help:"Time zone of the dates (IANA, e.g. Europe/London); default UTC."`
	SKUCol       string   `name:"sku-col" group:"Mapping" help:"Column of the SKU."`
	CategoryCol  string   `group:"Mapping" help:"Column of the product category."`
	QtyCol       string   `group:"Mapping" help:"Column of the quantity."`
	PriceCol     string   `group:"Mapping" help:"Column of the unit price."`
	AmountCol    string   `group:"Mapping" help:"Column of the line amount (instead of a unit price)."`
	CostCol      string   `group:"Mapping" help:"Column of the unit cost."`
	CurrencyCol  string   `group:"Mapping" help:"Column of the currency code."`
	Currency     string   `group:"Mapping" help:"Currency of every line (instead of a column), e.g. EUR."`
	CountryCol   string   `group:"Mapping" help:"Column of the customer's country."`
	CreditPrefix string   `group:"Mapping" help:"Invoice numbers starting with this are credit notes (e.g. C)."`
	NonProduct   []string `group:"Mapping" help:"SKUs that are not products (postage, fees), comma-separated; default POST,DOT,M,D,C2,S,BANK CHARGES,AMAZONFEE,CRUK,PADS,B."`
	Delimiter    string   `group:"Mapping" help:"CSV delimiter: , ; tab or |; default detected."`
	Encoding     string   `group:"Mapping" enum:",utf-8,windows-1251" default:"" help:"utf-8 or windows-1251; default detected."`
	Decimal      string   `group:"Mapping" help:"Decimal separator . or ,; default detected per value."`
}

func (c *importCmd) Run(e *env) error {
	return withTenant(e, c.Tenant, func(ctx context.Context, a *app.App, p access.Principal) error {
		m, mappingID, err := c.mapping(ctx, a, p)
		if err != nil {
			return err
		}
		if c.Save {
			saved, err := a.Imports.SaveMapping(ctx, p, m)
			if err != nil {
				return err
			}
			mappingID = saved.ID
		}
		f, err := os.Open(c.File)
		if err != nil {
			return err
		}
		defer f.Close()
		bar := newProgress(e.errOut, e.clock.Now)
		res, err := a.Imports.Run(ctx, p, importer.Request{FileName: filepath.Base(c.File), Body: f, Mapping: m, MappingID: mappingID,
			DryRun: c.DryRun, CreateOrganizations: c.CreateOrganizations, Progress: bar.update})
		bar.done()
		if err != nil {
			return fmt.Errorf("import %s: %w", c.File, err)
		}
		if c.Errors != "" {
			if err := writeErrorFile(c.Errors, res); err != nil {
				return err
			}
		}
		if c.JSON {
			enc := json.NewEncoder(e.out)
			enc.SetIndent("", "  ")
			return enc.Encode(res.Import)
		}
		printSummary(e.out, res.Import)
		return nil
	})
}

// mapping is the saved or file mapping, with the flags applied over it.
// Without either, or column flags, it is the Online Retail layout.
func (c *importCmd) mapping(ctx context.Context, a *app.App, p access.Principal) (importer.Mapping, string, error) {
	m, id := importer.Mapping{}, ""
	switch {
	case c.Mapping == "" && c.OrgCol+c.InvoiceCol+c.DateCol+c.SKUCol+c.QtyCol+c.PriceCol+c.AmountCol == "":
		m = importer.RetailMapping()
	case strings.HasSuffix(strings.ToLower(c.Mapping), ".json"):
		b, err := os.ReadFile(c.Mapping)
		if err != nil {
			return m, "", err
		}
		if m, err = importer.ParseMapping(b); err != nil {
			return m, "", fmt.Errorf("mapping %s: %w", c.Mapping, err)
		}
	case c.Mapping != "":
		saved, err := a.Imports.GetMapping(ctx, p, c.Mapping)
		if err != nil {
			return m, "", fmt.Errorf("mapping %q: %w (give a .json file or the name of a saved mapping)", c.Mapping, err)
		}
		m, id = saved.Mapping, saved.ID
	}
	c.override(&m)
	return m, id, nil
}

func (c *importCmd) override(m *importer.Mapping) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&m.Name, c.Name)
	set(&m.Organization, c.OrgCol)
	set(&m.Invoice, c.InvoiceCol)
	set(&m.Date, c.DateCol)
	set(&m.DateFormat, c.DateFormat)
	set(&m.Timezone, c.Timezone)
	set(&m.SKU, c.SKUCol)
	set(&m.Category, c.CategoryCol)
	set(&m.Quantity, c.QtyCol)
	set(&m.Cost, c.CostCol)
	set(&m.Country, c.CountryCol)
	set(&m.CreditPrefix, c.CreditPrefix)
	set(&m.Delimiter, c.Delimiter)
	set(&m.Encoding, c.Encoding)
	set(&m.DecimalSeparator, c.Decimal)
	if c.PriceCol != "" {
		m.UnitPrice, m.LineAmount = c.PriceCol, ""
	}
	if c.AmountCol != "" {
		m.UnitPrice, m.LineAmount = "", c.AmountCol
	}
	if c.CurrencyCol != "" {
		m.Currency, m.FixedCurrency = c.CurrencyCol, ""
	}
	if c.Currency != "" {
		m.Currency, m.FixedCurrency = "", c.Currency
	}
	if c.NonProduct != nil {
		m.NonProductSKUs = c.NonProduct
	}
}

func writeErrorFile(path string, res importer.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := importer.WriteErrors(f, res.Header, res.Rejections); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func printSummary(w io.Writer, im importer.Import) {
	s := im.Summary
	mode := ""
	if s.DryRun {
		mode = " (dry run: nothing written)"
	}
	fmt.Fprintf(w, "import %s of %s%s\n", im.ID, im.FileName, mode)
	fmt.Fprintf(w, "  file: %s %s delimiter %q\n", s.Format.Kind, s.Format.Encoding, s.Format.Delimiter)
	fmt.Fprintf(w, "  rows read:              %d\n", s.RowsRead)
	fmt.Fprintf(w, "  lines imported:         %d\n", s.LinesImported)
	fmt.Fprintf(w, "  lines duplicate:        %d\n", s.LinesDuplicate)
	for _, k := range sortedKeys(s.Skipped) {
		fmt.Fprintf(w, "  skipped %-24s %d\n", k+":", s.Skipped[k])
	}
	for _, k := range sortedKeys(s.Rejected) {
		fmt.Fprintf(w, "  rejected %-23s %d\n", k+":", s.Rejected[k])
	}
	fmt.Fprintf(w, "  events created:         %d (%d invoices, %d returns)\n", s.EventsCreated, s.InvoicesCreated, s.ReturnsCreated)
	fmt.Fprintf(w, "  events duplicate:       %d\n", s.EventsDuplicate)
	fmt.Fprintf(w, "  organizations created:  %d\n", s.OrganizationsCreated)
	for _, r := range s.Errors[:min(10, len(s.Errors))] {
		fmt.Fprintf(w, "  row %d: %s: %s\n", r.Row, r.Reason, r.Message)
	}
	if s.ErrorsTotal > 10 {
		fmt.Fprintf(w, "  … %d rows not imported in all (write them with --errors out.csv)\n", s.ErrorsTotal)
	}
	fmt.Fprintf(w, "  took %s\n", im.FinishedAt.Sub(im.StartedAt).Round(time.Millisecond))
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
