package admin

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/web"
)

var programsPage = web.Page(files, "programs.html")

// programs is the list of programs and the form that starts one.
type programs struct {
	Rows []program.Program
	Form *web.Form
}

func (c *Console) programRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/programs", c.programs)
	m.HandleFunc("POST "+Root+"/programs", c.createProgram)
	m.HandleFunc("GET "+Root+"/programs/{id}", c.programPage)
	m.HandleFunc("GET "+Root+"/programs/{id}/status", c.confirmStatus)
	m.HandleFunc("POST "+Root+"/programs/{id}/status", c.setStatus)
	m.HandleFunc("GET "+Root+"/programs/{id}/edit", c.editor)
	m.HandleFunc("POST "+Root+"/programs/{id}/edit", c.saveEditor)
	m.HandleFunc("POST "+Root+"/programs/cel", c.checkCEL)
	m.HandleFunc("GET "+Root+"/calendar", c.calendar)
}

func (c *Console) programs(w http.ResponseWriter, r *http.Request) {
	c.showPrograms(w, r, web.NewForm(), http.StatusOK)
}

func (c *Console) showPrograms(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	res, err := c.svc.Programs.List(r.Context(), web.Principal(r), page.Request{Limit: 200})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.Render(w, r, status, programsPage, c.view(r, "programs", "programs.title", programs{Rows: res.Items, Form: f}))
}

// createProgram starts a draft and opens its editor; the same form sent
// twice starts one.
func (c *Console) createProgram(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p := web.Principal(r)
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "program", func() (string, error) {
		pr, err := c.svc.Programs.Create(r.Context(), p, program.Input{Name: f.Get("name"), Description: f.Get("description")})
		return Root + "/programs/" + pr.ID + "/edit?done=program_created", err
	})
	switch {
	case err != nil && errs.Is(err, errs.Forbidden):
		c.fail(w, r, err)
	case err != nil:
		c.showPrograms(w, r, f, f.Fail(err, nil))
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

// canManage is whether the signed-in user may change programs (the
// service decides; pages only hide the buttons).
func canManage(r *http.Request) bool { return web.Principal(r).Can(access.ManagePrograms) == nil }
