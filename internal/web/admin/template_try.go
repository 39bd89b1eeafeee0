package admin

import (
	"net/http"
	"net/url"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
)

// Trying a saved template on a real member: a search for the member, the
// template rendered with their figures, and a test message to them.

// previewPeople is how many members the search shows.
const previewPeople = 10

// previewPerson is a member the preview may use, with their organization's name.
type previewPerson struct {
	party.Member
	Org string
}

// previewFor fills the editor's member search (?q=) and, for ?person=, the
// template rendered for them. A person the preview cannot use (not found,
// nothing to reach them by) is said beside it, not as an error page.
func (c *Console) previewFor(r *http.Request, t notify.Template, d *templateEditor) error {
	q := r.URL.Query()
	d.Query, d.Person = q.Get("q"), q.Get("person")
	if err := c.findPeople(r, d); err != nil {
		return err
	}
	if d.Person == "" {
		return nil
	}
	pv, err := c.svc.Messages.PreviewTemplate(r.Context(), web.Principal(r), t.ID, d.Person)
	if e := errs.As(err); e != nil && e.Kind != errs.Internal && e.Kind != errs.Forbidden {
		d.PreviewError = e.Message
		return nil
	}
	d.Preview = &pv
	return err
}

// findPeople lists the members matching the search (name, e-mail or
// external id), with their organizations' names.
func (c *Console) findPeople(r *http.Request, d *templateEditor) error {
	p := web.Principal(r)
	res, err := c.svc.Party.ListMembers(r.Context(), p, party.MemberFilter{Query: d.Query, Status: party.MemberActive}, page.Request{Limit: previewPeople})
	if err != nil {
		return err
	}
	orgs := map[string]string{}
	for _, m := range res.Items {
		if _, ok := orgs[m.OrganizationID]; !ok {
			o, err := c.svc.Party.GetOrganization(r.Context(), p, m.OrganizationID)
			if err != nil {
				return err
			}
			orgs[m.OrganizationID] = o.Name
		}
		d.People = append(d.People, previewPerson{Member: m, Org: orgs[m.OrganizationID]})
	}
	return nil
}

// testTemplate queues the template to the chosen member now; a repeat of
// the form sends nothing more.
func (c *Console) testTemplate(w http.ResponseWriter, r *http.Request) {
	f, p, id := web.ReadForm(r), web.Principal(r), r.PathValue("id")
	who := f.Get("person_id")
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "template-test", func() (string, error) {
		_, err := c.svc.Messages.TestSend(r.Context(), p, id, who)
		return Root + "/templates/" + id + "?" + url.Values{"person": {who}, "done": {"test_sent"}}.Encode(), err
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
