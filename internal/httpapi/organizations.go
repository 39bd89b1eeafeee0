package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
)

// OrganizationJSON is an organization.
type OrganizationJSON struct {
	ID               string    `json:"id"`
	Type             string    `json:"type" enum:"distributor,dealer,installer,end_customer,franchisee,other"`
	Name             string    `json:"name"`
	TaxID            string    `json:"tax_id"`
	ExternalID       string    `json:"external_id" doc:"The id in the operator's ERP; unique per tenant"`
	Industry         string    `json:"industry"`
	Region           string    `json:"region"`
	Country          string    `json:"country" doc:"ISO 3166-1 alpha-2"`
	Size             string    `json:"size"`
	Tags             []string  `json:"tags"`
	ParentID         string    `json:"parent_id" doc:"The holding this organization is a branch of"`
	AccountManagerID string    `json:"account_manager_id" doc:"The staff user responsible for the account"`
	Status           string    `json:"status" enum:"active,suspended,closed"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

func orgJSON(o party.Organization) OrganizationJSON {
	return OrganizationJSON{ID: o.ID, Type: string(o.Type), Name: o.Name, TaxID: o.TaxID, ExternalID: o.ExternalID,
		Industry: o.Industry, Region: o.Region, Country: o.Country, Size: string(o.Size), Tags: o.Tags,
		ParentID: o.ParentID, AccountManagerID: o.AccountManagerID, Status: o.Status, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
}

// OrganizationInput creates an organization, or replaces one in a bulk upsert.
type OrganizationInput struct {
	Type             string   `json:"type" enum:"distributor,dealer,installer,end_customer,franchisee,other"`
	Name             string   `json:"name" minLength:"1" maxLength:"200"`
	TaxID            string   `json:"tax_id,omitempty" maxLength:"40"`
	ExternalID       string   `json:"external_id,omitempty" maxLength:"100" doc:"The id in your ERP; required in bulk upserts"`
	Industry         string   `json:"industry,omitempty" maxLength:"100"`
	Region           string   `json:"region,omitempty" maxLength:"100"`
	Country          string   `json:"country,omitempty" maxLength:"2" doc:"ISO 3166-1 alpha-2, e.g. GB"`
	Size             string   `json:"size,omitempty" enum:"micro,small,medium,large,enterprise"`
	Tags             []string `json:"tags,omitempty" maxItems:"20" doc:"Lower-case words such as key-account or region:north"`
	ParentID         string   `json:"parent_id,omitempty" maxLength:"64" doc:"The holding this organization is a branch of"`
	ParentExternalID string   `json:"parent_external_id,omitempty" maxLength:"100" doc:"Alternative to parent_id: the holding's external id"`
	AccountManagerID string   `json:"account_manager_id,omitempty" maxLength:"64"`
	Status           string   `json:"status,omitempty" enum:"active,suspended,closed" doc:"Default active"`
}

func (in OrganizationInput) domain() party.OrgInput {
	return party.OrgInput{Type: party.OrgType(in.Type), Name: in.Name, TaxID: in.TaxID, ExternalID: in.ExternalID,
		Industry: in.Industry, Region: in.Region, Country: in.Country, Size: party.Size(in.Size), Tags: in.Tags,
		ParentID: in.ParentID, ParentExternalID: in.ParentExternalID, AccountManagerID: in.AccountManagerID, Status: in.Status}
}

type orgCreate struct {
	Body OrganizationInput
}

type orgPatch struct {
	IDPath
	Body struct {
		Type             *string   `json:"type,omitempty" enum:"distributor,dealer,installer,end_customer,franchisee,other"`
		Name             *string   `json:"name,omitempty" minLength:"1" maxLength:"200"`
		TaxID            *string   `json:"tax_id,omitempty" maxLength:"40"`
		ExternalID       *string   `json:"external_id,omitempty" maxLength:"100"`
		Industry         *string   `json:"industry,omitempty" maxLength:"100"`
		Region           *string   `json:"region,omitempty" maxLength:"100"`
		Country          *string   `json:"country,omitempty" maxLength:"2"`
		Size             *string   `json:"size,omitempty" enum:"micro,small,medium,large,enterprise,"`
		Tags             *[]string `json:"tags,omitempty" maxItems:"20"`
		ParentID         *string   `json:"parent_id,omitempty" maxLength:"64" doc:"Empty string makes the organization stand alone"`
		AccountManagerID *string   `json:"account_manager_id,omitempty" maxLength:"64"`
		Status           *string   `json:"status,omitempty" enum:"active,suspended,closed"`
	}
}

type orgList struct {
	PageQuery
	Type             string `query:"type" enum:"distributor,dealer,installer,end_customer,franchisee,other"`
	Status           string `query:"status" enum:"active,suspended,closed"`
	Region           string `query:"region" maxLength:"100"`
	Country          string `query:"country" maxLength:"2"`
	Tag              string `query:"tag" maxLength:"40"`
	ParentID         string `query:"parent_id" maxLength:"64" doc:"Branches of this holding"`
	AccountManagerID string `query:"account_manager_id" maxLength:"64"`
	Q                string `query:"q" maxLength:"100" doc:"Search in name and external id"`
}

type orgBulk struct {
	Body struct {
		Items []OrganizationInput `json:"items" minItems:"1" maxItems:"1000"`
	}
}

// UpsertResultJSON tells what a bulk upsert did with one item.
type UpsertResultJSON struct {
	ID         string `json:"id"`
	ExternalID string `json:"external_id"`
	Created    bool   `json:"created"`
	Changed    bool   `json:"changed" doc:"False when the stored item already had these values"`
}

// BulkResultJSON summarizes a bulk upsert.
type BulkResultJSON struct {
	Created   int                `json:"created"`
	Updated   int                `json:"updated"`
	Unchanged int                `json:"unchanged"`
	Results   []UpsertResultJSON `json:"results" doc:"One per item, in order"`
}

func bulkResult[T any](res []party.UpsertResult[T], key func(T) (id, ext string)) BulkResultJSON {
	out := BulkResultJSON{Results: make([]UpsertResultJSON, len(res))}
	for i, r := range res {
		id, ext := key(r.Item)
		out.Results[i] = UpsertResultJSON{ID: id, ExternalID: ext, Created: r.Created, Changed: r.Changed}
		switch {
		case r.Created:
			out.Created++
		case r.Changed:
			out.Updated++
		default:
			out.Unchanged++
		}
	}
	return out
}

func (a *API) organizationRoutes() {
	const tag = "Organizations"
	handle(a, op("create-organization", http.MethodPost, "/v1/organizations", tag, "Create an organization", "Needs write scope."),
		func(ctx context.Context, p access.Principal, in *orgCreate) (*bodyOut[OrganizationJSON], error) {
			o, err := a.svc.Party.CreateOrganization(ctx, p, in.Body.domain())
			return out(orgJSON(o)), err
		})
	handle(a, op("list-organizations", http.MethodGet, "/v1/organizations", tag, "List organizations",
		"Needs read scope. Filters combine with AND; results are in creation order."),
		func(ctx context.Context, p access.Principal, in *orgList) (*listOut[OrganizationJSON], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			f := party.OrgFilter{Type: party.OrgType(in.Type), Status: in.Status, Region: in.Region, Country: in.Country, Tag: in.Tag,
				ParentID: in.ParentID, AccountManagerID: in.AccountManagerID, Query: in.Q}
			pg, err := a.svc.Party.ListOrganizations(ctx, p, f, r)
			return pageOut(pg, orgJSON), err
		})
	handle(a, op("get-organization", http.MethodGet, "/v1/organizations/{id}", tag, "Get an organization", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[OrganizationJSON], error) {
			o, err := a.svc.Party.GetOrganization(ctx, p, in.ID)
			return out(orgJSON(o)), err
		})
	handle(a, op("update-organization", http.MethodPatch, "/v1/organizations/{id}", tag, "Change an organization",
		"Needs write scope. Absent (or null) fields stay as they are; an empty string clears an optional field. A parent that would make the holding hierarchy a cycle is refused."),
		func(ctx context.Context, p access.Principal, in *orgPatch) (*bodyOut[OrganizationJSON], error) {
			b := in.Body
			patch := party.OrgPatch{Name: b.Name, TaxID: b.TaxID, ExternalID: b.ExternalID, Industry: b.Industry, Region: b.Region,
				Country: b.Country, Tags: b.Tags, ParentID: b.ParentID, AccountManagerID: b.AccountManagerID, Status: b.Status,
				Type: convPtr[party.OrgType](b.Type), Size: convPtr[party.Size](b.Size)}
			o, err := a.svc.Party.UpdateOrganization(ctx, p, in.ID, patch)
			return out(orgJSON(o)), err
		})
	handle(a, op("delete-organization", http.MethodDelete, "/v1/organizations/{id}", tag, "Delete an organization",
		"Needs write scope. Only an organization without members, branches or consent records can be deleted; close others by setting status to closed."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*struct{}, error) {
			return nil, a.svc.Party.DeleteOrganization(ctx, p, in.ID)
		})
	handle(a, bulk(action(op("upsert-organizations", http.MethodPost, "/v1/organizations:bulk-upsert", tag, "Create or update organizations by external id",
		"Needs write scope. Up to 1,000 items, matched by external_id, in one transaction: if any item is invalid nothing is written and the errors name each item (items[i].field). A parent may be given by parent_external_id and may be an earlier item."))),
		func(ctx context.Context, p access.Principal, in *orgBulk) (*bodyOut[BulkResultJSON], error) {
			items := make([]party.OrgInput, len(in.Body.Items))
			for i, it := range in.Body.Items {
				items[i] = it.domain()
			}
			res, err := a.svc.Party.UpsertOrganizations(ctx, p, items)
			return out(bulkResult(res, func(o party.Organization) (string, string) { return o.ID, o.ExternalID })), err
		})
}

// convPtr converts an optional string to an optional string-based type.
func convPtr[T ~string](s *string) *T {
	if s == nil {
		return nil
	}
	v := T(*s)
	return &v
}
