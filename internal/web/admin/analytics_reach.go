package admin

import (
	"context"
	"net/http"
	"strconv"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/chart"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// listedCampaigns is how many of the latest campaigns the page offers.
const listedCampaigns = 50

// campaignReach is the message campaigns' page: without a campaign, the
// latest sent ones with their reach; with one, its reach by role, by
// segment and by role in each segment.
func (c *Console) campaignReach(ctx context.Context, r *http.Request, l *i18n.Locale, _ analytics.Query, rep *report) error {
	p := web.Principal(r)
	cs, err := c.svc.Messages.Campaigns(ctx, p, page.Request{Limit: listedCampaigns})
	if err != nil {
		return err
	}
	rep.Campaigns = []web.Option{{Value: "", Label: l.T("reach.all_campaigns")}}
	for _, x := range cs.Items {
		if x.Status == notify.CampaignSent {
			rep.Campaigns = append(rep.Campaigns, web.Option{Value: x.ID, Label: x.Name})
		}
	}
	if id := rep.Form.Get("campaign"); id != "" {
		reach, err := c.svc.Messages.CampaignReach(ctx, p, id)
		if err != nil {
			return err
		}
		c.oneReach(l, reach, rep)
		return nil
	}
	return c.reachList(ctx, r, l, cs.Items, rep)
}

// reachList is a row per sent campaign.
func (c *Console) reachList(ctx context.Context, r *http.Request, l *i18n.Locale, cs []notify.Campaign, rep *report) error {
	rep.Head = append([]string{l.T("reach.campaign"), l.T("reach.sent")}, reachHead(l)...)
	rep.csv = [][]string{{"campaign_id", "campaign", "sent_at", "audience", "delivered", "opened", "clicked"}}
	var bars []chart.Slice
	for _, x := range cs {
		if x.Status != notify.CampaignSent {
			continue
		}
		reach, err := c.svc.Messages.CampaignReach(ctx, web.Principal(r), x.ID)
		if err != nil {
			return err
		}
		t := reach.Total
		rep.Rows = append(rep.Rows, append([]cell{{Text: x.Name, Href: Root + "/analytics/campaigns?campaign=" + x.ID},
			{Text: l.Day(*x.SentAt, i18n.Zone(""))}}, reachCells(l, t)...))
		rep.csv = append(rep.csv, []string{x.ID, x.Name, x.SentAt.UTC().Format("2006-01-02T15:04:05Z"), itoa(t.Audience), itoa(t.Delivered), itoa(t.Opened), itoa(t.Clicked)})
		bars = append(bars, chart.Slice{Label: x.Name, Value: share(t.Opened, t.Audience)})
	}
	if len(bars) > 0 {
		rep.Charts = append(rep.Charts, chart.Bar(l.T("reach.chart.opened"), bars, func(v float64) string { return l.Percent(v) }))
	}
	return nil
}

// oneReach lays out one campaign's reach.
func (c *Console) oneReach(l *i18n.Locale, r notify.Reach, rep *report) {
	t := r.Total
	rep.Figures = []figure{{l.T("reach.audience"), l.Num(int64(t.Audience))}, {l.T("reach.delivered"), l.Percent(share(t.Delivered, t.Audience))},
		{l.T("reach.opened"), l.Percent(share(t.Opened, t.Audience))}, {l.T("reach.clicked"), l.Percent(share(t.Clicked, t.Audience))}}
	var bars []chart.Slice
	for _, x := range r.ByRole {
		bars = append(bars, chart.Slice{Label: l.T("memberrole." + x.Role), Value: share(x.Opened, x.Audience)})
	}
	if len(bars) > 0 {
		rep.Charts = append(rep.Charts, chart.Bar(l.T("reach.chart.by_role"), bars, func(v float64) string { return l.Percent(v) }))
	}
	rep.Head = append([]string{l.T("reach.segment"), l.T("reach.role")}, reachHead(l)...)
	row := func(seg, role string, c notify.Counts) {
		rep.Rows = append(rep.Rows, append([]cell{{Text: seg}, {Text: role}}, reachCells(l, c)...))
	}
	all, any := l.T("reach.whole_audience"), l.T("reach.any_role")
	row(all, any, t)
	for _, x := range r.ByRole {
		row(all, l.T("memberrole."+x.Role), x.Counts)
	}
	for _, s := range r.BySegment {
		row(s.Name, any, s.Counts)
		for _, x := range s.ByRole {
			row(s.Name, l.T("memberrole."+x.Role), x.Counts)
		}
	}
	rep.csv = r.CSV()
}

func reachHead(l *i18n.Locale) []string {
	return []string{l.T("reach.audience"), l.T("reach.delivered"), l.T("reach.opened"), l.T("reach.opened_share"), l.T("reach.clicked")}
}

func reachCells(l *i18n.Locale, c notify.Counts) []cell {
	return []cell{{Text: l.Num(int64(c.Audience)), Num: true}, {Text: l.Num(int64(c.Delivered)), Num: true},
		{Text: l.Num(int64(c.Opened)), Num: true}, {Text: l.Percent(share(c.Opened, c.Audience)), Num: true}, {Text: l.Num(int64(c.Clicked)), Num: true}}
}

// share is part of whole, 0 when whole is.
func share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

func itoa(n int) string { return strconv.Itoa(n) }
