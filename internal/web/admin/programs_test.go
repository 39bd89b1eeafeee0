package admin_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/program"
)

func (c *console) programs() []program.Program {
	res, err := c.app.Programs.List(c.t.Context(), c.sys, pageReq())
	must(c.t, err)
	return res.Items
}

func (c *console) versions(id string) []program.Version {
	vs, err := c.app.Programs.ListVersions(c.t.Context(), c.sys, id)
	must(c.t, err)
	return vs
}

// has fails the test unless the page holds every piece of text.
func has(t *testing.T, what string, r response, status int, texts ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d: %v", what, r.status, status, alerts(r.body))
	}
	body := html.UnescapeString(r.body)
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Fatalf("%s: no %q in the page\n%.6000s", what, s, r.body)
		}
	}
}

// A program is created through the form: a missing name is shown next to
// its field and creates nothing; a double submit creates one; a role
// that may only read sees no form and is refused.
func TestCreateProgramForm(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		ro := c.browser().signIn("read_only")
		list := ro.get("/admin/programs")
		has(t, "list", list, http.StatusOK, "Dealer Club", "Active")
		if strings.Contains(list.body, `action="/admin/programs"`) {
			t.Fatal("a read-only user is offered the form")
		}
		if got := ro.post("/admin/programs", url.Values{"name": {"Sneaky"}}); got.status != http.StatusForbidden {
			t.Fatalf("read-only create: %d", got.status)
		}
		b := c.browser().signIn("program_manager")
		tok := tokenOf(t, b.get("/admin/programs").body)
		has(t, "no name", b.post("/admin/programs", url.Values{"_token": {tok}, "name": {""}}), http.StatusUnprocessableEntity, `id="e-name"`)
		if n := len(c.programs()); n != 1 {
			t.Fatalf("bad input created a program: %d", n)
		}
		form := url.Values{"_token": {tok}, "name": {"Roofers' Club"}, "description": {"Points for roofing"}}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if got := b.post("/admin/programs", form); got.status != http.StatusSeeOther || !strings.Contains(got.where, "/edit") {
					t.Errorf("create: %d %s", got.status, got.where)
				}
			})
		}
		wg.Wait()
		if n := len(c.programs()); n != 2 {
			t.Fatalf("a double submit made %d programs", n-1)
		}
	})
}

// editorForm is the definition form of a program as its editor renders
// it, ready to be posted back with changes.
func editorForm(t *testing.T, b *browser, id string) url.Values {
	t.Helper()
	page := b.get("/admin/programs/" + id + "/edit")
	has(t, "editor", page, http.StatusOK, `name="rules[0].effects[0].percent_bp"`, `name="rules[0].condition"`)
	return formValues(t, page.body)
}

var (
	inputRE    = regexp.MustCompile(`<input ([^>]*)>`)
	textareaRE = regexp.MustCompile(`(?s)<textarea ([^>]*)>(.*?)</textarea>`)
	selectRE   = regexp.MustCompile(`(?s)<select ([^>]*)>(.*?)</select>`)
	optionRE   = regexp.MustCompile(`<option value="([^"]*)"( selected)?>`)
	attrRE     = regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`)
)

func attrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRE.FindAllStringSubmatch(s, -1) {
		m[a[1]] = html.UnescapeString(a[2])
	}
	return m
}

// formValues reads what a browser would send of the page's forms
// (inputs, checked boxes, textareas, selected options).
func formValues(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range inputRE.FindAllStringSubmatch(body, -1) {
		a := attrs(m[1])
		_, checked := a["checked"]
		switch {
		case a["name"] == "" || a["type"] == "submit":
		case a["type"] == "checkbox" && !checked:
		case a["type"] == "checkbox":
			v.Set(a["name"], "on")
		default:
			v.Set(a["name"], a["value"])
		}
	}
	for _, m := range textareaRE.FindAllStringSubmatch(body, -1) {
		v.Set(attrs(m[1])["name"], html.UnescapeString(m[2]))
	}
	for _, m := range selectRE.FindAllStringSubmatch(body, -1) {
		opts := optionRE.FindAllStringSubmatch(m[2], -1)
		if len(opts) == 0 {
			continue
		}
		val := opts[0][1]
		for _, o := range opts {
			if o[2] != "" {
				val = o[1]
			}
		}
		v.Set(attrs(m[1])["name"], html.UnescapeString(val))
	}
	return v
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string{}, x...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// The editor: a new program's rules written in the form; a CEL mistake
// and a word in a number field are shown next to their fields and save
// nothing; a valid definition saves once however often it is sent; a
// version saved meanwhile by someone else refuses a stale editor.
func TestEditorSavesVersions(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		pr, err := c.app.Programs.Create(t.Context(), c.sys, program.Input{Name: "Roofers"})
		must(t, err)
		pt := c.pointType(pr.ID)
		path := "/admin/programs/" + pr.ID + "/edit"
		f := editorForm(t, b, pr.ID)
		f = with(f, "currency", "GBP", "point_type_id", pt.ID, "rules[0].effects[0].percent_bp", "500", "rules[0].condition", `org.regoin == "North"`, "_action", "save")
		got := b.post(path, f)
		has(t, "cel error", got, http.StatusUnprocessableEntity, `id="e-rules[0].condition"`, "regoin")
		got = b.post(path, with(f, "rules[0].condition", "", "rules[0].effects[0].percent_bp", "five"))
		has(t, "not a number", got, http.StatusUnprocessableEntity, `id="e-rules[0].effects[0].percent_bp"`, `value="five"`)
		if n := len(c.versions(pr.ID)); n != 0 {
			t.Fatalf("bad input saved %d versions", n)
		}
		good := with(f, "rules[0].condition", `event.amount >= 1000`)
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if got := b.post(path, good); got.status != http.StatusSeeOther || !strings.Contains(got.where, "done=version_saved") {
					t.Errorf("save: %d %s %v", got.status, got.where, alerts(got.body))
				}
			})
		}
		wg.Wait()
		vs := c.versions(pr.ID)
		if len(vs) != 1 || vs[0].Definition.Rules[0].Effects[0].PercentBP != 500 || vs[0].Definition.Rules[0].Condition != "event.amount >= 1000" {
			t.Fatalf("versions after a double submit: %+v", vs)
		}
		stale := with(good, "_token", strings.Repeat("b", 32), "rules[0].effects[0].percent_bp", "700")
		has(t, "stale", b.post(path, stale), http.StatusConflict, "reload")
		if n := len(c.versions(pr.ID)); n != 1 {
			t.Fatalf("a stale editor saved: %d versions", n)
		}
	})
}

var alertRE = regexp.MustCompile(`role="alert">([^<]*)<`)

// alerts are the error messages of a page.
func alerts(body string) []string {
	var out []string
	for _, m := range alertRE.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func (c *console) pointType(programID string) ledger.PointType {
	pt, err := c.app.Ledger.CreatePointType(c.t.Context(), c.sys, programID, ledger.PointTypeInput{Code: "pts", Name: "Points", Unit: "points",
		Currency: "GBP", ValueNum: 1, ValueDen: 1, Expiry: "never"})
	must(c.t, err)
	return pt
}
