package admin

import (
	"net/http"
	"net/url"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/web"
)

var organizationsPage = web.Page(files, "organizations.html")

// organizations is the search page's data.
type organizations struct {
	Q        url.Values
	Rows     []party.Organization
	Next     string // the next page's query string, "" on the last page
	Types    []party.OrgType
	Segments []segment.Segment
	Searched bool
	Inside   string // the address of the same search inside names, offered when a search finds little
	// AtRiskCapped says the at-risk filter kept the party.MaxIDs at-risk
	// organizations with the most revenue, of more.
	AtRiskCapped bool
}

func (c *Console) organizationRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/organizations", c.organizations)
	m.HandleFunc("GET "+Root+"/organizations/{id}", c.organization)
	m.HandleFunc("POST "+Root+"/organizations/{id}", c.editOrganization)
}

// organizations is the one search box with its filters.
func (c *Console) organizations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := web.Principal(r)
	req, err := page.Parse(q.Get("cursor"), 50)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	flt := party.OrgFilter{Search: q.Get("q"), Contains: q.Get("contains") == "1", Type: party.OrgType(q.Get("type")), Region: q.Get("region"), Tag: q.Get("tag"),
		Tier: q.Get("tier"), Segment: q.Get("segment"), Status: q.Get("status")}
	var capped bool
	if q.Get("at_risk") == "1" {
		if flt.IDs, capped, err = c.atRisk(r.Context(), p); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	res, err := c.svc.Party.ListOrganizations(r.Context(), p, flt, req)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data := organizations{Q: q, Rows: res.Items, Types: party.OrgTypes, Searched: len(q) > 0, AtRiskCapped: capped}
	if flt.Search != "" && !flt.Contains && len(res.Items) < 5 {
		inside := url.Values{}
		for k, v := range q {
			inside[k] = v
		}
		inside.Set("contains", "1")
		data.Inside = Root + "/organizations?" + inside.Encode()
	}
	if res.Next != "" {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("cursor", res.Next)
		data.Next = Root + "/organizations?" + nq.Encode()
	}
	if segs, err := c.svc.Segments.List(r.Context(), p, page.Request{Limit: 100}); err == nil {
		data.Segments = segs.Items
	}
	c.kit.Render(w, r, http.StatusOK, organizationsPage, c.view(r, "organizations", "orgs.title", data))
}
