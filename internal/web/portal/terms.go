package portal

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/web"
)

var termsPage = parse("terms.html")

// terms is management's page of the employee-incentive terms: per program
// the current text, where the organization stands, and the record of every
// decision — who and when.
type terms struct {
	Programs []termsOf
	History  []party.Consent
	Names    map[string]string // member id → name, for the record
	Form     *web.Form
}

type termsOf struct {
	Program program.Program
	State   party.ConsentState
	Current *program.Terms
}

func (c *Portal) termsRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/manage/terms", c.terms)
	m.HandleFunc("POST "+Root+"/manage/terms/{program}/{decision}", c.decideTerms)
}

func (c *Portal) terms(w http.ResponseWriter, r *http.Request) {
	c.showTerms(w, r, web.NewForm(), http.StatusOK)
}

func (c *Portal) showTerms(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	me, ok := c.manager(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	rep, err := c.svc.Party.ConsentStatus(ctx, me.P, me.Org.ID, "")
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := terms{History: rep.History, Names: map[string]string{}, Form: f}
	for _, st := range rep.States {
		pr, err := c.svc.Programs.Get(ctx, me.P, st.ProgramID)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		ts, err := c.svc.Programs.ListTerms(ctx, me.P, st.ProgramID)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		t := termsOf{Program: pr, State: st}
		for i := range ts {
			if ts[i].Version == st.CurrentTermsVersion {
				t.Current = &ts[i]
			}
		}
		d.Programs = append(d.Programs, t)
	}
	c.kit.Render(w, r, status, termsPage, c.view(r, me, "terms", "portal.terms.title", d))
}

// decideTerms records management's acceptance or revocation, made here in
// the portal by the signed-in owner/director (the service checks the role).
func (c *Portal) decideTerms(w http.ResponseWriter, r *http.Request) {
	me, ok := c.manager(w, r)
	if !ok {
		return
	}
	dec := party.Decision(r.PathValue("decision"))
	if dec != party.Accepted && dec != party.Revoked {
		http.NotFound(w, r)
		return
	}
	f := web.ReadForm(r)
	next, err := c.kit.Once(r.Context(), me.Tenant.ID, f, "portal-terms:"+me.Org.ID, func() (string, error) {
		_, err := c.svc.Party.RecordConsent(r.Context(), me.P, me.Org.ID, party.ConsentInput{ProgramID: r.PathValue("program"),
			Decision: dec, Method: party.ViaPortal, MemberID: me.Member.ID, SignerTitle: f.Get("title")})
		return Root + "/manage/terms?done=" + string(dec), err
	})
	if err != nil {
		f.Fail(err, nil)
		c.showTerms(w, r, f, web.StatusOf(err))
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
