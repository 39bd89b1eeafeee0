package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/importer"
)

// seedImports saves the mapping of Atlas's ERP export (semicolons, decimal
// commas, line amounts) and imports last week's export with it: two
// invoices, a credit note against one of them, a delivery charge that
// earns nothing and a line of a cash customer, counted and skipped.
func seedImports(ctx context.Context, a *app.App, p access.Principal) error {
	m := importer.Mapping{Name: "atlas-erp", Organization: "Customer", Invoice: "Document", Date: "Date", DateFormat: "%d.%m.%Y",
		SKU: "Item", Description: "Description", Category: "Category", Quantity: "Qty", LineAmount: "Amount",
		FixedCurrency: "GBP", CreditPrefix: "CN-", NonProductSKUs: []string{"DELIVERY"}}
	saved, err := a.Imports.SaveMapping(ctx, p, m)
	if err != nil {
		return fmt.Errorf("import mapping: %w", err)
	}
	day := func(ago int) string { return a.Clock.Now().AddDate(0, 0, -ago).Format("02.01.2006") }
	file := strings.Join([]string{
		"Document;Customer;Item;Description;Category;Qty;Date;Amount",
		"INV-61001;R-3002;BRK-RED-500;Red facing brick, pack of 500;bricks;12;" + day(7) + ";4 620,00",
		"INV-61001;R-3002;DELIVERY;Delivery to site;;1;" + day(7) + ";45,00",
		"INV-61002;R-3004;RF-TILE-CLAY;Clay roof tile;roofing;400;" + day(6) + ";5 000,00",
		"INV-61002;R-3004;FIX-SCR-BOX;Screws, box of 200;fixings;10;" + day(6) + ";145,00",
		"INV-61003;;CEM-25KG;Cement 25 kg;cement;20;" + day(5) + ";138,00",
		"CN-0301;R-3004;RF-TILE-CLAY;Clay roof tile, broken in transit;roofing;-40;" + day(4) + ";-500,00",
	}, "\r\n") + "\r\n"
	_, err = a.Imports.Run(ctx, p, importer.Request{FileName: "atlas-erp-week.csv", Body: strings.NewReader(file), Mapping: saved.Mapping, MappingID: saved.ID})
	if err != nil {
		return fmt.Errorf("demo import: %w", err)
	}
	return nil
}
