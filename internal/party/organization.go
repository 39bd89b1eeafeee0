package party

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// OrgType is the kind of business an organization is to the operator.
type OrgType string

// Organization types.
const (
	Distributor OrgType = "distributor"
	Dealer      OrgType = "dealer"
	Installer   OrgType = "installer"
	EndCustomer OrgType = "end_customer"
	Franchisee  OrgType = "franchisee"
	OtherOrg    OrgType = "other"
)

// OrgTypes lists every organization type.
var OrgTypes = []OrgType{Distributor, Dealer, Installer, EndCustomer, Franchisee, OtherOrg}

// Size is an organization's size band.
type Size string

// Sizes lists the size bands, smallest first.
var Sizes = []Size{"micro", "small", "medium", "large", "enterprise"}

// Organization statuses.
const (
	OrgActive    = "active"
	OrgSuspended = "suspended"
	OrgClosed    = "closed"
)

// OrgStatuses lists every organization status.
var OrgStatuses = []string{OrgActive, OrgSuspended, OrgClosed}

// Organization is a business customer or channel partner of the operator.
type Organization struct {
	ID               string    `json:"id"`
	TenantID         string    `json:"tenant_id"`
	Type             OrgType   `json:"type"`
	Name             string    `json:"name"`
	TaxID            string    `json:"tax_id"`
	ExternalID       string    `json:"external_id"` // the id in the operator's ERP; unique per tenant when set
	Industry         string    `json:"industry"`
	Region           string    `json:"region"`
	Country          string    `json:"country"` // ISO 3166-1 alpha-2
	Size             Size      `json:"size"`
	Tags             []string  `json:"tags"`
	ParentID         string    `json:"parent_id"`          // the holding this organization is a branch of
	AccountManagerID string    `json:"account_manager_id"` // the staff user responsible for the account
	Status           string    `json:"status"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// OrgInput describes an organization to create, or to upsert by external id.
type OrgInput struct {
	Type             OrgType
	Name             string
	TaxID            string
	ExternalID       string
	Industry         string
	Region           string
	Country          string
	Size             Size
	Tags             []string
	ParentID         string
	ParentExternalID string // alternative to ParentID, for data coming from an ERP
	AccountManagerID string
	Status           string
}

// OrgPatch changes an organization; nil fields stay as they are, and an
// empty string clears an optional field.
type OrgPatch struct {
	Type             *OrgType
	Name             *string
	TaxID            *string
	ExternalID       *string
	Industry         *string
	Region           *string
	Country          *string
	Size             *Size
	Tags             *[]string
	ParentID         *string
	AccountManagerID *string
	Status           *string
	// UnchangedSince, when set, refuses the patch if the organization was
	// changed after the editor read it (its updated_at then): an edit of
	// something changed meanwhile is refused, not written over.
	UnchangedSince *time.Time
}

// OrgFilter selects organizations; empty fields match everything.
type OrgFilter struct {
	Type             OrgType
	Status           string
	Region           string
	Country          string
	Tag              string
	ParentID         string
	AccountManagerID string
	Query            string // matches name or external id, case-insensitively
	// Search is the console's one search box: the beginning of a name, an
	// external id or tax id, or a member's phone or e-mail (all indexed);
	// with Contains, any part of a name (a scan). Results come in name
	// order, one page (no cursor).
	Search   string
	Contains bool
	Segment  string // a segment's id: its members only
	Tier     string // a tier's code in any program
	// IDs, when not nil, keeps these organizations only (at most MaxIDs):
	// for a filter another service computes, such as analytics' at-risk.
	IDs []string
}

// MaxIDs bounds OrgFilter.IDs.
const MaxIDs = 1000

// OrgRefs counts what refers to an organization.
type OrgRefs struct {
	Members  int
	Branches int
	Consents int
}

var (
	tagRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9:.-]{0,39}$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	taxIDRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$`)
)

const maxTags = 20

// apply fills o from in, normalizing and validating every field.
func (in OrgInput) apply(f *errs.Fields, o *Organization) {
	o.Type = valid.OneOf(f, "type", in.Type, true, OrgTypes)
	o.Name = valid.Text(f, "name", in.Name, true, 200)
	o.TaxID = taxID(f, in.TaxID)
	o.ExternalID = valid.ExternalID(f, "external_id", in.ExternalID)
	o.Industry = valid.Text(f, "industry", in.Industry, false, 100)
	o.Region = valid.Text(f, "region", in.Region, false, 100)
	o.Country = country(f, in.Country)
	o.Size = valid.OneOf(f, "size", in.Size, false, Sizes)
	o.Tags = tags(f, in.Tags)
	o.ParentID = strings.TrimSpace(in.ParentID)
	o.AccountManagerID = strings.TrimSpace(in.AccountManagerID)
	o.Status = in.Status
	if o.Status == "" {
		o.Status = OrgActive
	}
	valid.OneOf(f, "status", o.Status, true, OrgStatuses)
	if in.ParentID != "" && in.ParentExternalID != "" {
		f.Add("parent_external_id", "ambiguous", "give parent_id or parent_external_id, not both")
	}
}

// apply changes o by the fields present in p.
func (p OrgPatch) apply(f *errs.Fields, o *Organization) {
	if p.Type != nil {
		o.Type = valid.OneOf(f, "type", *p.Type, true, OrgTypes)
	}
	if p.Name != nil {
		o.Name = valid.Text(f, "name", *p.Name, true, 200)
	}
	if p.TaxID != nil {
		o.TaxID = taxID(f, *p.TaxID)
	}
	if p.ExternalID != nil {
		o.ExternalID = valid.ExternalID(f, "external_id", *p.ExternalID)
	}
	if p.Industry != nil {
		o.Industry = valid.Text(f, "industry", *p.Industry, false, 100)
	}
	if p.Region != nil {
		o.Region = valid.Text(f, "region", *p.Region, false, 100)
	}
	if p.Country != nil {
		o.Country = country(f, *p.Country)
	}
	if p.Size != nil {
		o.Size = valid.OneOf(f, "size", *p.Size, false, Sizes)
	}
	if p.Tags != nil {
		o.Tags = tags(f, *p.Tags)
	}
	if p.ParentID != nil {
		o.ParentID = strings.TrimSpace(*p.ParentID)
	}
	if p.AccountManagerID != nil {
		o.AccountManagerID = strings.TrimSpace(*p.AccountManagerID)
	}
	if p.Status != nil {
		o.Status = valid.OneOf(f, "status", *p.Status, true, OrgStatuses)
	}
}

func taxID(f *errs.Fields, s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !taxIDRE.MatchString(s) {
		f.Add("tax_id", "invalid_tax_id", "tax_id must be up to 40 letters, digits, spaces and . / -")
	}
	return s
}

func country(f *errs.Fields, s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s != "" && !countryRE.MatchString(s) {
		f.Add("country", "invalid_country", "country must be a two-letter ISO 3166 code such as GB, DE or TR")
	}
	return s
}

// tags lower-cases, de-duplicates and sorts tags, checking their form.
func tags(f *errs.Fields, in []string) []string {
	out := make([]string, 0, len(in))
	for i, t := range in {
		t = strings.ToLower(strings.TrimSpace(t))
		if !tagRE.MatchString(t) {
			f.Add(fmt.Sprintf("tags[%d]", i), "invalid_tag", "a tag is 1–40 lower-case letters, digits and : . - starting with a letter or digit, e.g. key-account")
			continue
		}
		out = append(out, t)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > maxTags {
		f.Add("tags", "too_many", "at most %d tags", maxTags)
	}
	return out
}

// ValidTag reports whether t is a well-formed tag (for filters).
func ValidTag(t string) bool { return tagRE.MatchString(t) }
