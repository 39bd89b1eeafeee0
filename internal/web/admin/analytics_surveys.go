package admin

import (
	"context"
	"net/http"
	"strconv"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/survey"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/chart"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// surveyResults is the surveys' page: the chosen survey's (else the
// newest's) NPS, each question's distribution as a chart, and a table of
// every score, choice and text, exported as CSV.
func (c *Console) surveyResults(ctx context.Context, r *http.Request, l *i18n.Locale, _ analytics.Query, rep *report) error {
	p := web.Principal(r)
	svs, err := c.svc.Surveys.List(ctx, p, page.Request{Limit: listedCampaigns})
	if err != nil {
		return err
	}
	for _, sv := range svs.Items {
		rep.Surveys = append(rep.Surveys, web.Option{Value: sv.ID, Label: sv.Name})
	}
	id := rep.Form.Get("survey")
	if id == "" && len(svs.Items) > 0 {
		id = svs.Items[0].ID
		rep.Form.Set("survey", id)
	}
	if id == "" {
		rep.Note = l.T("survey.console.none")
		return nil
	}
	res, err := c.svc.Surveys.Results(ctx, p, id)
	if err != nil {
		return err
	}
	c.surveyLayout(l, res, rep)
	return nil
}

func (c *Console) surveyLayout(l *i18n.Locale, res survey.Results, rep *report) {
	rep.Figures = []figure{{l.T("survey.console.responses"), l.Num(int64(res.Responses))}}
	rep.Head = []string{l.T("survey.console.question"), l.T("survey.console.answer"), l.T("survey.console.count")}
	for _, q := range res.Questions {
		if q.NPS != nil {
			rep.Figures = append(rep.Figures, figure{"NPS · " + q.Text, strconv.FormatFloat(*q.NPS, 'f', 1, 64)})
			rep.Rows = append(rep.Rows, []cell{{Text: q.Text}, {Text: "NPS"}, {Text: strconv.FormatFloat(*q.NPS, 'f', 1, 64), Num: true}})
		}
		if q.Average != nil && q.Kind == survey.Rating {
			rep.Figures = append(rep.Figures, figure{l.T("survey.console.average") + " · " + q.Text, strconv.FormatFloat(*q.Average, 'f', 2, 64)})
		}
		var bars []chart.Slice
		for _, b := range q.Distribution {
			bars = append(bars, chart.Slice{Label: b.Value, Value: float64(b.Count)})
			rep.Rows = append(rep.Rows, []cell{{Text: q.Text}, {Text: b.Value}, {Text: l.Num(int64(b.Count)), Num: true}})
		}
		if len(bars) > 0 {
			rep.Charts = append(rep.Charts, chart.Bar(q.Text, bars, numFormat(l)))
		}
		for _, t := range q.Texts {
			rep.Rows = append(rep.Rows, []cell{{Text: q.Text}, {Text: t.Text}, {Text: "1", Num: true}})
		}
	}
	rep.csv = res.CSV()
}
