package admin

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/web"
)

var statusPage = web.Page(files, "status.html")

// statusView is the confirmation of a lifecycle move.
type statusView struct {
	P    program.Program
	To   string
	Form *web.Form
}

func (c *Console) confirmStatus(w http.ResponseWriter, r *http.Request) {
	pr, err := c.svc.Programs.Get(r.Context(), web.Principal(r), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	to := r.URL.Query().Get("to")
	if !slices.Contains([]string{program.Active, program.Pilot, program.Paused, program.Ended}, to) {
		http.NotFound(w, r)
		return
	}
	f := web.NewForm()
	f.Set("status", to)
	f.Set("updated_at", pr.UpdatedAt.Format(time.RFC3339Nano))
	c.showStatus(w, r, pr, f, http.StatusOK)
}

func (c *Console) showStatus(w http.ResponseWriter, r *http.Request, pr program.Program, f *web.Form, status int) {
	to := f.Get("status")
	if !slices.Contains(moves[pr.Status], to) && f.Ok() {
		f.Error = c.kit.Locale(r).T("programs.no_move")
	}
	c.kit.Render(w, r, status, statusPage, c.view(r, "programs", "programs.confirm_title", statusView{P: pr, To: to, Form: f}))
}

// setStatus makes the move confirmed; a program changed since the
// confirmation was shown is not moved, and a double submit moves once.
func (c *Console) setStatus(w http.ResponseWriter, r *http.Request) {
	f, p, id := web.ReadForm(r), web.Principal(r), r.PathValue("id")
	in := program.StatusInput{Status: f.Get("status"), Pilot: words(f.Get("pilot")), Control: words(f.Get("control"))}
	in.StartsAt = c.day(r, f, "starts_at")
	in.EndsAt = c.day(r, f, "ends_at")
	if t, err := time.Parse(time.RFC3339Nano, f.Get("updated_at")); err == nil {
		in.UnchangedSince = &t
	}
	next := Root + "/programs/" + id + "?done=status_changed"
	var err error
	if f.Ok() {
		next, err = c.kit.Once(r.Context(), p.TenantID, f, "program-status", func() (string, error) {
			pr, err := c.svc.Programs.SetStatus(r.Context(), p, id, in)
			if pr.Pending != nil && pr.Status == program.Draft {
				next = Root + "/programs/" + id + "?done=activation_submitted"
			}
			return next, err
		})
	}
	if err == nil && f.Ok() {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	pr, gerr := c.svc.Programs.Get(r.Context(), p, id)
	if gerr != nil {
		c.fail(w, r, gerr)
		return
	}
	if errs.Is(err, errs.Forbidden) {
		c.fail(w, r, err)
		return
	}
	status := http.StatusUnprocessableEntity
	if err != nil {
		status = f.Fail(err, map[string]string{"starts_at": "starts_at", "ends_at": "ends_at", "pilot": "pilot", "control": "control"})
	}
	c.showStatus(w, r, pr, f, status)
}

// day reads an optional date field (the start of that day, UTC).
func (c *Console) day(r *http.Request, f *web.Form, name string) *time.Time {
	s := f.Get(name)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		f.Invalid(name, c.kit.Locale(r).T("programs.bad_date"))
		return nil
	}
	return &t
}

// words splits a list typed one per line or separated by commas.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ' ' })
}
