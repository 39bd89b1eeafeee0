package admin

import (
	"cmp"
	"net/http"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

var campaignPage = web.Page(files, "campaign.html")

// campaignDetail is one message campaign: before sending, the people it
// would reach now and the form that sends or schedules it (sending needs
// an explicit confirmation of that count); after, a link to its reach.
type campaignDetail struct {
	C        notify.Campaign
	Segment  string
	Audience int
	ByRole   []string // "Owner: 2", the audience by role
	Zone     string   // the messaging time zone a scheduled time is in
	When     string   // the scheduled or sent time in it
	Form     *web.Form
}

// localTime is the datetime-local input's layout.
const localTime = "2006-01-02T15:04"

func (c *Console) messageCampaign(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("when", "now")
	c.showCampaign(w, r, f, http.StatusOK)
}

func (c *Console) showCampaign(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	p, l := web.Principal(r), c.kit.Locale(r)
	cp, err := c.svc.Messages.Campaign(r.Context(), p, r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := campaignDetail{C: cp, Form: f, Segment: l.T("camp.all_orgs"), Audience: cp.Audience}
	if cp.Status != notify.CampaignSent {
		err = c.countAudience(r, l, &d)
	}
	if err == nil {
		err = c.campaignPlace(r, l, &d)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	f.Set("audience", strconv.Itoa(d.Audience))
	c.kit.Render(w, r, status, campaignPage, c.view(r, "campaigns", "camp.detail_title", d))
}

// countAudience counts whom the campaign would reach now, by role too.
func (c *Console) countAudience(r *http.Request, l *i18n.Locale, d *campaignDetail) error {
	a, err := c.svc.Messages.AudienceByRole(r.Context(), web.Principal(r), d.C.ID)
	d.Audience = a.Total
	for _, x := range a.ByRole {
		d.ByRole = append(d.ByRole, l.T("memberrole."+x.Role)+": "+l.Num(int64(x.People)))
	}
	return err
}

// campaignPlace names the campaign's segment and its time in the
// messaging time zone.
func (c *Console) campaignPlace(r *http.Request, l *i18n.Locale, d *campaignDetail) error {
	p := web.Principal(r)
	if d.C.SegmentID != "" {
		sg, err := c.svc.Segments.Get(r.Context(), p, d.C.SegmentID)
		if err != nil {
			return err
		}
		d.Segment = sg.Name
	}
	st, err := c.svc.Messages.GetSettings(r.Context(), p)
	d.Zone = st.TimeZone
	if at := cmp.Or(d.C.SentAt, d.C.ScheduledAt); at != nil {
		d.When = l.Date(*at, i18n.Zone(d.Zone))
	}
	return err
}

// sendMessageCampaign sends the campaign now or schedules it, once the
// sender confirmed the audience they were shown. When the count changed
// since, the page shows the new one and asks again.
func (c *Console) sendMessageCampaign(w http.ResponseWriter, r *http.Request) {
	f, p, l, id := web.ReadForm(r), web.Principal(r), c.kit.Locale(r), r.PathValue("id")
	at, err := c.sendTime(r, f, l)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if f.Ok() && f.Get("confirm") != "yes" {
		f.Invalid("confirm", l.T("camp.confirm_needed"))
	}
	if f.Ok() {
		n, err := c.svc.Messages.AudienceCount(r.Context(), p, id)
		if err == nil && strconv.Itoa(n) != f.Get("audience") {
			f.Invalid("confirm", l.T("camp.audience_changed"))
		}
	}
	if !f.Ok() {
		c.showCampaign(w, r, f, http.StatusUnprocessableEntity)
		return
	}
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "message-campaign-send", func() (string, error) {
		cp, err := c.svc.Messages.SendCampaign(r.Context(), p, id, at)
		return Root + "/campaigns/" + id + "?done=campaign_" + cp.Status, err
	})
	c.saved(w, r, f, nil, next, err, c.showCampaign)
}

// sendTime is when to send: nil for now, else the form's time in the
// messaging time zone. It must be in the future: the service sends a past
// time at once, which is not what scheduling asked for.
func (c *Console) sendTime(r *http.Request, f *web.Form, l *i18n.Locale) (*time.Time, error) {
	if f.Get("when") != "later" {
		return nil, nil
	}
	st, err := c.svc.Messages.GetSettings(r.Context(), web.Principal(r))
	if err != nil {
		return nil, err
	}
	at, err := time.ParseInLocation(localTime, f.Get("at"), i18n.Zone(st.TimeZone))
	if err != nil || !at.After(c.kit.Clock.Now()) {
		f.Invalid("at", l.T("camp.bad_time"))
		return nil, nil
	}
	return &at, nil
}
