package admin

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

var campaignsPage = web.Page(files, "campaigns.html")

// campaignList is the message campaigns, newest first, and the form of a
// new one: a name, a template (a survey goes with its template), a
// segment and roles.
type campaignList struct {
	Rows      []campaignRow
	Next      string
	Segments  map[string]string // id → name
	Form      *web.Form
	Templates []web.Option
	SegmentOf []web.Option
	Roles     []checkOption
}

// campaignRow is a campaign with its time (sent, else scheduled) in the
// messaging time zone and how many it was sent to, formatted.
type campaignRow struct {
	notify.Campaign
	When, Reached string
}

// checkOption is a checkbox of a group.
type checkOption struct {
	web.Option
	On bool
}

// campaignAlias maps the service's field names to the form's.
var campaignAlias = map[string]string{"segment_id": "segment", "roles": "roles"}

func (c *Console) campaignRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/campaigns", c.messageCampaigns)
	m.HandleFunc("POST "+Root+"/campaigns", c.createMessageCampaign)
	m.HandleFunc("GET "+Root+"/campaigns/{id}", c.messageCampaign)
	m.HandleFunc("POST "+Root+"/campaigns/{id}/send", c.sendMessageCampaign)
}

func (c *Console) messageCampaigns(w http.ResponseWriter, r *http.Request) {
	c.showCampaigns(w, r, web.NewForm(), http.StatusOK)
}

func (c *Console) showCampaigns(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	p, l := web.Principal(r), c.kit.Locale(r)
	req, err := page.Parse(r.URL.Query().Get("cursor"), 50)
	if err == nil {
		err = p.Can(access.ReadData)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := campaignList{Form: f, Segments: map[string]string{}, SegmentOf: []web.Option{{Value: "", Label: l.T("camp.all_orgs")}}}
	res, err := c.svc.Messages.Campaigns(r.Context(), p, req)
	if err == nil {
		d.Templates, err = c.campaignTemplates(r)
	}
	if err == nil {
		err = c.campaignSegments(r, &d)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.campaignRows(r, res.Items, &d); err != nil {
		c.fail(w, r, err)
		return
	}
	if res.Next != "" {
		d.Next = Root + "/campaigns?cursor=" + res.Next
	}
	for _, o := range memberRoles(l) {
		d.Roles = append(d.Roles, checkOption{o, slices.Contains(f.Values["roles"], o.Value)})
	}
	c.kit.Render(w, r, status, campaignsPage, c.view(r, "campaigns", "camp.title", d))
}

// campaignTemplates are the template codes to send, a survey's named
// beside its template (the campaign's messages carry its link).
func (c *Console) campaignTemplates(r *http.Request) ([]web.Option, error) {
	p, l := web.Principal(r), c.kit.Locale(r)
	codes, err := c.templateCodes(r.Context(), p)
	if err != nil {
		return nil, err
	}
	svs, err := c.svc.Surveys.List(r.Context(), p, page.Request{Limit: listedCampaigns})
	if err != nil {
		return nil, err
	}
	out := make([]web.Option, len(codes))
	for i, code := range codes {
		out[i] = web.Option{Value: code, Label: code}
		for _, sv := range svs.Items {
			if sv.Template == code {
				out[i].Label = l.T("camp.with_survey", code, sv.Name)
			}
		}
	}
	return out, nil
}

func (c *Console) campaignRows(r *http.Request, cs []notify.Campaign, d *campaignList) error {
	st, err := c.svc.Messages.GetSettings(r.Context(), web.Principal(r))
	l, zone := c.kit.Locale(r), i18n.Zone(st.TimeZone)
	for _, x := range cs {
		row := campaignRow{Campaign: x, Reached: l.Num(int64(x.Audience))}
		if at := cmp.Or(x.SentAt, x.ScheduledAt); at != nil {
			row.When = l.Date(*at, zone)
		}
		d.Rows = append(d.Rows, row)
	}
	return err
}

func (c *Console) campaignSegments(r *http.Request, d *campaignList) error {
	segs, err := c.svc.Segments.List(r.Context(), web.Principal(r), page.Request{Limit: 100})
	for _, s := range segs.Items {
		d.Segments[s.ID] = s.Name
		d.SegmentOf = append(d.SegmentOf, web.Option{Value: s.ID, Label: s.Name})
	}
	return err
}

// createMessageCampaign saves a draft; the audience is counted and the
// sending confirmed on its own page. A repeat of the form saves none.
func (c *Console) createMessageCampaign(w http.ResponseWriter, r *http.Request) {
	f, p := web.ReadForm(r), web.Principal(r)
	in := notify.Campaign{Name: f.Get("name"), Template: f.Get("template"), SegmentID: f.Get("segment"), Roles: f.Values["roles"]}
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "message-campaign", func() (string, error) {
		cp, err := c.svc.Messages.CreateCampaign(r.Context(), p, in)
		return Root + "/campaigns/" + cp.ID + "?done=saved", err
	})
	c.saved(w, r, f, campaignAlias, next, err, c.showCampaigns)
}
