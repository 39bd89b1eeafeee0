package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web"
)

var organizationPage = web.Page(files, "organization.html")

// organization is the detail page's data: everything a support call or
// an account review needs on one page.
type organization struct {
	Org       party.Organization
	Parent    *party.Organization
	Branches  []party.Organization
	Members   []person
	Consent   party.ConsentReport
	Wallets   []ledger.Balance
	Standings []standing
	Goals     []goal.Goal
	Events    []events.Record
	Manager   string
	Form      *web.Form
	Managers  []web.Option
}

// EventPoints is what an event earned (or took back) over all programs.
func (organization) EventPoints(r events.Record) int64 {
	var n int64
	for _, res := range r.Results {
		for _, e := range res.Earns {
			n += e.Points
		}
		for _, c := range res.Claws {
			n -= c.Points
		}
	}
	return n
}

// person is a member with their own wallets (employees earn personally).
type person struct {
	party.Member
	Wallets []ledger.Balance
}

type standing struct {
	Program program.Program
	events.Standing
}

func (c *Console) organization(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	c.showOrganization(w, r, f, http.StatusOK)
}

// showOrganization renders the page, with the edit form as given.
func (c *Console) showOrganization(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	ctx, p := r.Context(), web.Principal(r)
	o, err := c.svc.Party.GetOrganization(ctx, p, r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := organization{Org: o, Form: f}
	if f.Values.Get("name") == "" && status == http.StatusOK {
		f.Set("name", o.Name)
		f.Set("region", o.Region)
		f.Set("tags", strings.Join(o.Tags, ", "))
		f.Set("account_manager_id", o.AccountManagerID)
		f.Set("unchanged_since", o.UpdatedAt.Format(time.RFC3339Nano))
	}
	if o.ParentID != "" {
		if par, err := c.svc.Party.GetOrganization(ctx, p, o.ParentID); err == nil {
			d.Parent = &par
		}
	}
	first := page.Request{Limit: 50}
	if br, err := c.svc.Party.ListOrganizations(ctx, p, party.OrgFilter{ParentID: o.ID}, first); err == nil {
		d.Branches = br.Items
	}
	if ms, err := c.svc.Party.ListMembers(ctx, p, party.MemberFilter{OrganizationID: o.ID}, first); err == nil {
		for _, m := range ms.Items {
			pm := person{Member: m}
			pm.Wallets, _ = c.svc.Ledger.Balances(ctx, p, ledger.Owner{Type: ledger.OwnerMember, ID: m.ID}, 0)
			d.Members = append(d.Members, pm)
		}
	}
	d.Consent, _ = c.svc.Party.ConsentStatus(ctx, p, o.ID, "")
	if d.Wallets, err = c.svc.Ledger.Balances(ctx, p, ledger.Owner{Type: ledger.OwnerOrganization, ID: o.ID}, 90*24*time.Hour); err != nil {
		c.fail(w, r, err)
		return
	}
	if progs, err := c.svc.Programs.List(ctx, p, page.Request{Limit: 20}); err == nil {
		for _, pr := range progs.Items {
			if st, err := c.svc.Events.Status(ctx, p, pr.ID, o.ID); err == nil && st.Enrolled {
				d.Standings = append(d.Standings, standing{Program: pr, Standing: st})
			}
		}
	}
	if gs, err := c.svc.Goals.List(ctx, p, goal.ListInput{Organization: o.ID}, first); err == nil {
		d.Goals = gs.Items
	}
	if h, err := c.svc.Events.History(ctx, p, o.ID, page.Request{Limit: 20}); err == nil {
		d.Events = h.Items
	}
	d.Managers = []web.Option{{Value: "", Label: "—"}}
	if staff, err := c.svc.Tenants.ListStaff(ctx, p, page.Request{Limit: 200}); err == nil {
		for _, s := range staff.Items {
			if s.Role == tenant.RoleAccountManager {
				d.Managers = append(d.Managers, web.Option{Value: s.ID, Label: s.Name})
			}
			if s.ID == o.AccountManagerID {
				d.Manager = s.Name
			}
		}
	}
	c.kit.Render(w, r, status, organizationPage, c.view(r, "organizations", "org.title", d))
}

// editOrganization changes the few fields staff edit by hand, refused
// when someone else changed the organization after the form was loaded.
func (c *Console) editOrganization(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	since, err := time.Parse(time.RFC3339Nano, f.Get("unchanged_since"))
	if err != nil {
		f.Error = c.kit.Locale(r).T("form.stale")
		c.showOrganization(w, r, f, http.StatusConflict)
		return
	}
	name, region, mgr := f.Get("name"), f.Get("region"), f.Get("account_manager_id")
	var tags []string
	for _, t := range strings.Split(f.Get("tags"), ",") {
		if t = strings.TrimSpace(strings.ToLower(t)); t != "" {
			tags = append(tags, t)
		}
	}
	_, err = c.svc.Party.UpdateOrganization(r.Context(), web.Principal(r), r.PathValue("id"),
		party.OrgPatch{Name: &name, Region: &region, Tags: &tags, AccountManagerID: &mgr, UnchangedSince: &since})
	if err != nil {
		if errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
			c.fail(w, r, err)
			return
		}
		status := f.Fail(err, map[string]string{"tags[0]": "tags"})
		if errs.Is(err, errs.Conflict) {
			f.Error = c.kit.Locale(r).T("form.changed_meanwhile")
		}
		c.showOrganization(w, r, f, status)
		return
	}
	http.Redirect(w, r, Root+"/organizations/"+r.PathValue("id")+"?done=saved", http.StatusSeeOther)
}
