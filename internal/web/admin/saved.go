package admin

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/web"
)

// saved answers a form's submission: on success a redirect to next; a
// refusal of the caller or of a record gone is an error page (the form
// cannot put it right); anything else shows the form again, the
// service's complaints beside their fields (alias renames them).
func (c *Console) saved(w http.ResponseWriter, r *http.Request, f *web.Form, alias map[string]string, next string, err error,
	again func(w http.ResponseWriter, r *http.Request, f *web.Form, status int)) {
	switch {
	case errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound):
		c.fail(w, r, err)
	case err != nil:
		again(w, r, f, f.Fail(err, alias))
	default:
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}
