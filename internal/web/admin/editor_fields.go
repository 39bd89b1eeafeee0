package admin

import (
	"strings"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/defform"
)

// pointTypeChoice offers the program's point types by name.
func (c *Console) pointTypeChoice(e *editing) {
	n := e.v.Def.Find("point_type_id")
	pts, err := c.svc.Ledger.ListPointTypes(e.r.Context(), web.Principal(e.r), e.v.P.ID)
	if n == nil || err != nil {
		return
	}
	n.Kind, n.Options, n.Labels = defform.Select, []string{""}, map[string]string{}
	for _, pt := range pts {
		n.Options = append(n.Options, pt.ID)
		n.Labels[pt.ID] = pt.Name + " (" + pt.Code + ")"
	}
	if n.Value != "" && n.Labels[n.Value] == "" {
		n.Options = append(n.Options, n.Value) // another program's or unknown: kept, and the check says so
	}
}

// showErrors puts a service's errors next to their fields: the program
// service names a definition's problems by their path under
// "definition.", which is the form's field name.
func showErrors(e *editing, err error) int {
	f := e.v.Form
	if e.v.Def == nil {
		e.v.Def = defform.Encode(e.def)
	}
	status := web.StatusOf(err)
	ee := errs.As(err)
	if ee == nil || ee.Kind == errs.Internal {
		return f.Fail(err, nil)
	}
	if len(ee.Fields) == 0 {
		f.Error = ee.Message
		return status
	}
	byField := map[string]string{}
	for _, fe := range ee.Fields {
		name := strings.TrimPrefix(fe.Field, "definition.")
		if n := e.v.Def.Find(name); n != nil && e.v.Tab == "form" && isField(n) {
			byField[name] = fe.Message
			continue
		}
		if _, ok := f.Values[fe.Field]; ok && !strings.HasPrefix(fe.Field, "definition") {
			f.Errors[fe.Field] = fe.Message
			continue
		}
		e.v.RawErr = strings.TrimSpace(e.v.RawErr + " " + fe.Field + ": " + fe.Message)
	}
	e.v.Def.Keep(f.Values, byField)
	if e.v.RawErr != "" && e.v.Tab == "form" {
		f.Error, e.v.RawErr = e.v.RawErr, ""
	}
	return status
}

func isField(n *defform.Node) bool {
	return n.Kind != defform.Group && n.Kind != defform.Optional && n.Kind != defform.List
}

// sampleChoices are the organizations and event types of the sample, and
// whether a saved version waits for approval.
func (c *Console) sampleChoices(e *editing) {
	ctx, p := e.r.Context(), web.Principal(e.r)
	if orgs, err := c.svc.Party.ListOrganizations(ctx, p, party.OrgFilter{}, page.Request{Limit: 100}); err == nil {
		for _, o := range orgs.Items {
			e.v.Orgs = append(e.v.Orgs, web.Option{Value: o.ID, Label: o.Name})
		}
	}
	for _, t := range []string{"invoice", "order", "claim"} {
		e.v.Types = append(e.v.Types, web.Option{Value: t, Label: e.v.L.T("evtype." + t)})
	}
	if t, err := c.svc.Tenants.Current(ctx, p); err == nil {
		e.v.Approval = t.VersionApproval && e.v.P.Status != program.Draft
	}
}
