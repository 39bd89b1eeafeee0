package admin_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/promo"
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
		if got := ro.get("/admin/programs/" + c.program.ID + "/edit"); got.status != http.StatusForbidden {
			t.Fatalf("read-only editor: %d", got.status)
		}
		if got := ro.post("/admin/programs/"+c.program.ID+"/edit", url.Values{"_action": {"save"}, "currency": {"GBP"}}); got.status != http.StatusForbidden {
			t.Fatalf("read-only save: %d", got.status)
		}
		if strings.Contains(ro.get("/admin/programs/"+c.program.ID).body, "/edit") {
			t.Fatal("a read-only user is offered the editor")
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

// The running club's editor: adding and removing items changes the form
// only; "try it" dry-runs a sample invoice and shows the rules and points
// (nothing credited); "simulate" compares the draft with the version in
// force; the raw JSON tab saves too.
func TestEditorPanels(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		id := c.program.ID
		path := "/admin/programs/" + id + "/edit"
		f := editorForm(t, b, id)
		added := b.post(path, with(f, "_add", "rules[0].effects"))
		has(t, "add", added, http.StatusOK, `name="rules[0].effects[1].type"`)
		removed := b.post(path, with(formValues(t, added.body), "_remove", "rules[0].effects[1]"))
		if strings.Contains(removed.body, `name="rules[0].effects[1].type"`) {
			t.Fatal("the removed effect is still in the form")
		}
		balance := c.wallet(c.tomOrg).Available
		tried := b.post(path, with(f, "_action", "try", "try_org", c.tomOrg.ID, "try_qty", "10", "try_price", "50.00",
			"rules[0].effects[0].percent_bp", "2000"))
		has(t, "try", tried, http.StatusOK, `id="tried"`, "10% back", "applied", "10,000 points to the organization")
		if c.wallet(c.tomOrg).Available != balance || len(c.versions(id)) != 1 {
			t.Fatal("trying wrote something")
		}
		has(t, "try without an organization", b.post(path, with(f, "_action", "try", "try_org", "")), http.StatusUnprocessableEntity, `id="e-try_org"`)
		sim := b.post(path, with(f, "_action", "simulate", "rules[0].effects[0].percent_bp", "2000"))
		has(t, "simulate", sim, http.StatusOK, `id="sim"`, "Draft", "In force", `<td>Points issued</td><td class="num">10,000</td><td class="num">5,000</td>`, `<svg`)
		raw := b.get(path + "?tab=raw")
		rv := with(formValues(t, raw.body), "_action", "save")
		has(t, "raw broken", b.post(path, with(rv, "definition", `{"currency": "GBP", "rules": [{"id": "x", "bogus": 1}]}`)), http.StatusUnprocessableEntity, `id="e-definition"`, "bogus")
		if got := b.post(path, rv); got.status != http.StatusSeeOther {
			t.Fatalf("raw save: %d %v", got.status, alerts(got.body))
		}
		if n := len(c.versions(id)); n != 2 {
			t.Fatalf("versions after the raw save: %d", n)
		}
	})
}

// The live CEL check points at the mistake's line and column.
func TestCELCheck(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		bad := b.post("/admin/programs/cel?field=rules[0].condition&kind=condition", url.Values{"rules[0].condition": {`event.amout > 1`}})
		has(t, "bad", bad, http.StatusOK, "Line 1, column", "amout", "^")
		ok := b.post("/admin/programs/cel?field=rules[0].effects[0].points&kind=amount&scope=rules[0].effects[0].lines",
			url.Values{"rules[0].effects[0].points": {"line.qty * 2"}, "rules[0].effects[0].lines": {`line.category == "bricks"`}})
		has(t, "per line", ok, http.StatusOK, "The expression is valid")
		noLine := b.post("/admin/programs/cel?field=rules[0].effects[0].points&kind=amount&scope=rules[0].effects[0].lines",
			url.Values{"rules[0].effects[0].points": {"line.qty * 2"}})
		has(t, "no line scope", noLine, http.StatusOK, "line")
		if strings.Contains(noLine.body, "The expression is valid") {
			t.Fatal("line is in scope without a line filter")
		}
		ro := c.browser().signIn("read_only")
		if got := ro.post("/admin/programs/cel?field=x&kind=condition", url.Values{"x": {"true"}}); got.status != http.StatusForbidden {
			t.Fatalf("read-only CEL check: %d", got.status)
		}
	})
}

// Lifecycle moves ask for confirmation; a move based on a stale read is
// refused; a double submit moves once; a read-only user is refused.
func TestLifecycle(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		id := c.program.ID
		page := b.get("/admin/programs/" + id)
		has(t, "program page", page, http.StatusOK, "Version history", "Pause", "End")
		confirm := b.get("/admin/programs/" + id + "/status?to=paused")
		has(t, "confirm", confirm, http.StatusOK, "Dealer Club: Paused?", `name="updated_at"`)
		form := formValues(t, confirm.body)
		ro := c.browser().signIn("read_only")
		if got := ro.post("/admin/programs/"+id+"/status", form); got.status != http.StatusForbidden {
			t.Fatalf("read-only pause: %d", got.status)
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if got := b.post("/admin/programs/"+id+"/status", form); got.status != http.StatusSeeOther {
					t.Errorf("pause: %d %v", got.status, alerts(got.body))
				}
			})
		}
		wg.Wait()
		pr, err := c.app.Programs.Get(t.Context(), c.sys, id)
		must(t, err)
		if pr.Status != program.Paused {
			t.Fatalf("status %s", pr.Status)
		}
		// The confirmation of "end" was read before someone activated it again.
		end := formValues(t, b.get("/admin/programs/"+id+"/status?to=ended").body)
		c.clock.(*clock.Fake).Advance(time.Second)
		_, err = c.app.Programs.SetStatus(t.Context(), c.sys, id, program.StatusInput{Status: program.Active})
		must(t, err)
		has(t, "stale end", b.post("/admin/programs/"+id+"/status", end), http.StatusConflict, "changed since you read it")
		if pr, _ := c.app.Programs.Get(t.Context(), c.sys, id); pr.Status != program.Active {
			t.Fatalf("a stale confirmation moved the program to %s", pr.Status)
		}
		has(t, "bad date", b.post("/admin/programs/"+id+"/status", with(end, "_token", strings.Repeat("c", 32), "ends_at", "31/12/2026")),
			http.StatusUnprocessableEntity, `id="e-ends_at"`)
	})
}

// With version approval required, a new version of a running program
// saved in the editor waits in the approval inbox; the program page shows
// it pending, and a diff of what it changes.
func TestVersionApprovalAndDiff(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		must(t, putSettings(c, true))
		b := c.browser().signIn("program_manager")
		id := c.program.ID
		f := editorForm(t, b, id)
		has(t, "editor says approval", b.get("/admin/programs/"+id+"/edit"), http.StatusOK, "Submit for approval")
		got := b.post("/admin/programs/"+id+"/edit", with(f, "_action", "save", "rules[0].effects[0].percent_bp", "1500"))
		if got.status != http.StatusSeeOther || !strings.Contains(got.where, "done=version_submitted") {
			t.Fatalf("submit: %d %s %v", got.status, got.where, alerts(got.body))
		}
		vs := c.versions(id)
		if len(vs) != 2 || vs[1].Approval != program.VersionPending {
			t.Fatalf("versions: %+v", vs)
		}
		has(t, "program page", b.get("/admin/programs/"+id), http.StatusOK, "waiting for approval",
			"rules[0].effects[0].percent_bp", "<del>1000</del>", "<ins>1500</ins>")
		has(t, "inbox", c.browser().signIn("admin").get("/admin/approvals"), http.StatusOK, "Dealer Club")
	})
}

// The calendar shows running programs and campaigns, overlaps marked,
// names escaped.
func TestCalendar(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		ctx := t.Context()
		pr, err := c.app.Programs.Create(ctx, c.sys, program.Input{Name: "<script>alert(1)</script>"})
		must(t, err)
		c.pointType(pr.ID)
		_, err = c.app.Programs.AddVersion(ctx, c.sys, pr.ID, program.VersionInput{Definition: []byte(`{"currency":"GBP"}`)})
		must(t, err)
		_, err = c.app.Programs.SetStatus(ctx, c.sys, pr.ID, program.StatusInput{Status: program.Active})
		must(t, err)
		ends := c.clock.Now().AddDate(0, 1, 0)
		_, err = c.app.Promo.Create(ctx, c.sys, promo.Input{Name: "Spring offer", Kind: promo.Shared, Code: "SPRING30", EndsAt: &ends,
			Effect: promo.CodeEffect{Type: promo.EffectPercent, PercentBP: 1000}})
		must(t, err)
		got := c.browser().signIn("read_only").get("/admin/calendar")
		has(t, "calendar", got, http.StatusOK, `<svg class="timeline"`, "Dealer Club", `class="band"`, "Runs at the same time as",
			"Spring offer", "Promo code · active", `class="bar k-promo_code overlap"`)
		if strings.Contains(got.body, "<script>alert(1)") {
			t.Fatal("a program's name is not escaped")
		}
	})
}

// With approval required, a draft's activation waits in the inbox: its
// requester cannot approve it, a colleague can, and the program runs
// then; a version added after the request refuses the approval.
func TestActivationApproval(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		must(t, putSettings(c, true))
		ctx := t.Context()
		pr, err := c.app.Programs.Create(ctx, c.sys, program.Input{Name: "Roofers"})
		must(t, err)
		pt := c.pointType(pr.ID)
		_, err = c.app.Programs.AddVersion(ctx, c.sys, pr.ID, program.VersionInput{Definition: []byte(`{"currency":"GBP","point_type_id":"` + pt.ID + `"}`)})
		must(t, err)
		pm := c.browser().signIn("program_manager")
		form := formValues(t, pm.get("/admin/programs/"+pr.ID+"/status?to=active").body)
		got := pm.post("/admin/programs/"+pr.ID+"/status", form)
		if got.status != http.StatusSeeOther || !strings.Contains(got.where, "done=activation_submitted") {
			t.Fatalf("activate: %d %s %v", got.status, got.where, alerts(got.body))
		}
		has(t, "program page", pm.get("/admin/programs/"+pr.ID), http.StatusOK, "Waiting for a second person to approve: Active.")
		if p, _ := c.app.Programs.Get(ctx, c.sys, pr.ID); p.Status != program.Draft {
			t.Fatalf("the draft runs before approval: %s", p.Status)
		}
		has(t, "own request", pm.post("/admin/approvals/activations/"+pr.ID+"/approve", url.Values{}), http.StatusForbidden, "ask a colleague")
		admin := c.browser().signIn("admin")
		has(t, "inbox", admin.get("/admin/approvals"), http.StatusOK, "Programs waiting to start", "Roofers")
		// Two approvers at once (two tabs): the program starts once.
		var mu sync.Mutex
		codes := map[int]int{}
		var wg sync.WaitGroup
		for _, who := range []*browser{admin, c.browser().signIn("admin")} {
			wg.Go(func() {
				got := who.post("/admin/approvals/activations/"+pr.ID+"/approve", url.Values{})
				mu.Lock()
				codes[got.status]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if codes[http.StatusSeeOther] != 1 || codes[http.StatusConflict] != 1 {
			t.Fatalf("two approvals at once answered %v", codes)
		}
		if p, _ := c.app.Programs.Get(ctx, c.sys, pr.ID); p.Status != program.Active || p.Pending != nil {
			t.Fatalf("after approval: %s %+v", p.Status, p.Pending)
		}
		// A version slipped in after the request is not approved with it.
		pr2, err := c.app.Programs.Create(ctx, c.sys, program.Input{Name: "Tilers"})
		must(t, err)
		def := []byte(`{"currency":"GBP"}`)
		_, err = c.app.Programs.AddVersion(ctx, c.sys, pr2.ID, program.VersionInput{Definition: def})
		must(t, err)
		_, err = c.app.Programs.SetStatus(ctx, c.sys, pr2.ID, program.StatusInput{Status: program.Active})
		must(t, err)
		c.clock.(*clock.Fake).Advance(time.Second)
		_, err = c.app.Programs.AddVersion(ctx, c.sys, pr2.ID, program.VersionInput{Definition: def})
		must(t, err)
		has(t, "changed", admin.post("/admin/approvals/activations/"+pr2.ID+"/approve", url.Values{}), http.StatusConflict, "version added since")
	})
}

// A pilot is started with its organizations and control group, checked
// by the service (an unknown organization is shown next to its field),
// and is on the calendar as a pilot.
func TestPilotMove(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		ctx := t.Context()
		pr, err := c.app.Programs.Create(ctx, c.sys, program.Input{Name: "Tilers pilot"})
		must(t, err)
		_, err = c.app.Programs.AddVersion(ctx, c.sys, pr.ID, program.VersionInput{Definition: []byte(`{"currency":"GBP"}`)})
		must(t, err)
		b := c.browser().signIn("program_manager")
		form := formValues(t, b.get("/admin/programs/"+pr.ID+"/status?to=pilot").body)
		has(t, "unknown org", b.post("/admin/programs/"+pr.ID+"/status", with(form, "pilot", "nope")), http.StatusUnprocessableEntity, `id="e-pilot"`)
		got := b.post("/admin/programs/"+pr.ID+"/status", with(form, "_token", strings.Repeat("d", 32), "pilot", c.tomOrg.ID, "control", c.veraOrg.ID))
		if got.status != http.StatusSeeOther {
			t.Fatalf("pilot: %d %v", got.status, alerts(got.body))
		}
		p, _ := c.app.Programs.Get(ctx, c.sys, pr.ID)
		if p.Status != program.Pilot || len(p.Pilot) != 1 || p.Control[0] != c.veraOrg.ID {
			t.Fatalf("after the move: %+v", p)
		}
		has(t, "calendar", b.get("/admin/calendar"), http.StatusOK, "Tilers pilot", "Pilot · pilot")
	})
}
