package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/importer"
)

// maxImport bounds an uploaded import file.
const maxImport = 100 << 20

type importCreate struct {
	Mapping             string `query:"mapping" maxLength:"110" doc:"Saved mapping (id or name); default: the Online Retail layout"`
	DryRun              bool   `query:"dry_run" doc:"Evaluate everything, write no events (the run is recorded)"`
	CreateOrganizations bool   `query:"create_organizations" doc:"Create customers the tenant does not know; otherwise their rows are skipped as unknown_organization"`
	FileName            string `query:"file_name" maxLength:"200" doc:"Name of the file, for the record"`

	upload // the file, read as the import goes (the request body is described by uploadBody)
}

type mappingCreate struct {
	Body importer.Mapping
}

type importList struct {
	PageQuery
}

func (a *API) importRoutes() {
	const tag = "Imports"
	handle(a, domainIdem(bulkImport(op("create-import", http.MethodPost, "/v1/imports", tag, "Import a file of invoice lines",
		"Needs write scope. The request body is the file itself (CSV or XLSX, sniffed from its content; up to 100 MiB, else 413). "+
			"Rows are mapped by the saved mapping named in ?mapping=, grouped into invoice and return events and ingested; the answer is the import's "+
			"summary, whose counts add up to the rows read. Importing the same file again creates nothing (its events are duplicates), so no "+
			"Idempotency-Key is needed. A file that cannot be read, or lacks a mapped column, is refused with nothing written."))),
		func(ctx context.Context, p access.Principal, in *importCreate) (*bodyOut[importer.Import], error) {
			m, id := importer.RetailMapping(), ""
			if in.Mapping != "" {
				saved, err := a.svc.Imports.GetMapping(ctx, p, in.Mapping)
				if err != nil {
					return nil, err
				}
				m, id = saved.Mapping, saved.ID
			}
			body, err := in.reader(maxImport)
			if err != nil {
				return nil, err
			}
			res, err := a.svc.Imports.Run(ctx, p, importer.Request{FileName: in.FileName, Body: body, Mapping: m,
				MappingID: id, DryRun: in.DryRun, CreateOrganizations: in.CreateOrganizations})
			if err != nil {
				return nil, uploadError(err, maxImport)
			}
			return out(res.Import), nil
		})
	handle(a, op("list-imports", http.MethodGet, "/v1/imports", tag, "List imports", "Needs read scope. Oldest first."),
		func(ctx context.Context, p access.Principal, in *importList) (*listOut[importer.Import], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Imports.List(ctx, p, r)
			return pageOut(pg, func(im importer.Import) importer.Import { return im }), err
		})
	handle(a, op("get-import", http.MethodGet, "/v1/imports/{id}", tag, "Get an import", "Needs read scope. Its summary lists the first 100 rows not imported."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[importer.Import], error) {
			im, err := a.svc.Imports.Get(ctx, p, in.ID)
			return out(im), err
		})
	handle(a, op("save-import-mapping", http.MethodPost, "/v1/import-mappings", tag, "Save a column mapping",
		"Needs write scope. Saved under its name; saving a name again replaces that mapping."),
		func(ctx context.Context, p access.Principal, in *mappingCreate) (*bodyOut[importer.SavedMapping], error) {
			m, err := a.svc.Imports.SaveMapping(ctx, p, in.Body)
			return out(m), err
		})
	handle(a, op("list-import-mappings", http.MethodGet, "/v1/import-mappings", tag, "List column mappings", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *importList) (*listOut[importer.SavedMapping], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Imports.ListMappings(ctx, p, r)
			return pageOut(pg, func(m importer.SavedMapping) importer.SavedMapping { return m }), err
		})
	handle(a, op("get-import-mapping", http.MethodGet, "/v1/import-mappings/{id}", tag, "Get a column mapping", "Needs read scope. By id or name."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[importer.SavedMapping], error) {
			m, err := a.svc.Imports.GetMapping(ctx, p, in.ID)
			return out(m), err
		})
}

// bulkImport raises the body limit to an import file's and describes the
// file as the request body.
func bulkImport(o huma.Operation) huma.Operation {
	o.MaxBodyBytes = maxImport
	o.RequestBody = uploadBody("The file: CSV (any of , ; TAB |; UTF-8 or Windows-1251) or XLSX, up to 100 MiB")
	o.Errors = append(o.Errors, http.StatusRequestEntityTooLarge)
	return o
}
