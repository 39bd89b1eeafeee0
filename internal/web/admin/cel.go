package admin

import (
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/rules"
	"github.com/loyal-b2b/loyal/internal/web"
)

// celCheck is the live check of one CEL field: its problems, each at its
// line and column, with the line of the expression and a caret under the
// column.
type celCheck struct {
	Field    string
	OK       bool
	Problems []celProblem
}

type celProblem struct {
	rules.CompileError
	Source, Caret string
}

// checkCEL compiles one expression of the editor with the rules package,
// as saving will: a condition must be a bool, an amount an int; line is in
// scope in a line filter and in a per-line amount.
func (c *Console) checkCEL(w http.ResponseWriter, r *http.Request) {
	if err := web.Principal(r).Can(access.ManagePrograms); err != nil {
		c.fail(w, r, err)
		return
	}
	_ = r.ParseForm()
	q := r.URL.Query()
	field := q.Get("field")
	src := r.PostForm.Get(field)
	kind := rules.Condition
	if q.Get("kind") == "amount" {
		kind = rules.Amount
	}
	scope := q.Get("scope")
	lineScope := scope == "line" || scope != "" && strings.TrimSpace(r.PostForm.Get(scope)) != ""
	d := celCheck{Field: field, OK: true}
	if strings.TrimSpace(src) != "" {
		if _, err := rules.Compile(src, kind, lineScope); err != nil {
			d.OK = false
			d.Problems = problems(src, err)
		}
	}
	c.kit.Fragment(w, r, editorPage, "celmsg", c.view(r, "programs", "programs.editor", d))
}

// problems places each compile error under its line of the source.
func problems(src string, err error) []celProblem {
	lines := strings.Split(src, "\n")
	var out []celProblem
	for _, pe := range rules.Positions(err) {
		p := celProblem{CompileError: pe}
		if pe.Line >= 1 && pe.Line <= len(lines) {
			p.Source = lines[pe.Line-1]
			if pe.Column >= 1 {
				p.Caret = strings.Repeat(" ", min(pe.Column-1, len([]rune(p.Source)))) + "^"
			}
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		msg := err.Error()
		if e := errs.As(err); e != nil {
			msg = e.Message
		}
		out = append(out, celProblem{CompileError: rules.CompileError{Message: msg}})
	}
	return out
}
