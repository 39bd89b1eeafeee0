package httpapi_test

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
)

func TestSignupFormIsConfiguredAndChecked(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{"rules": []obj{{"id": "one", "name": "1% back", "effects": []obj{{"type": "earn", "percent_bp": 100}}}}})
		path := "/v1/programs/" + str(f.program["id"]) + "/signup-form"
		var def obj
		e.do("GET", path, e.keyA, nil).must(200, &def)
		if def["enabled"] != true || len(def["fields"].([]any)) != 5 {
			t.Fatalf("default form %v", def)
		}
		form := obj{"enabled": true, "title": "Join the club", "review": true,
			"fields":   []obj{{"name": "name", "required": true}, {"name": "phone", "required": true}, {"name": "tax_id"}, {"name": "custom:shop", "label": "Your shop"}},
			"consents": []obj{{"key": "privacy", "version": 2, "text": "I agree to the privacy notice", "required": true}}}
		var got obj
		e.do("PUT", path, e.keyA, form).must(200, &got)
		e.do("GET", path, e.keyA, nil).must(200, &got)
		if got["title"] != "Join the club" || got["review"] != true || len(got["consents"].([]any)) != 1 {
			t.Fatalf("form %v", got)
		}
		e.do("PUT", path, e.keyA, obj{"fields": []obj{{"name": "shoe_size"}}}).fails(422, "validation_failed", "fields")
		read := e.key(e.tidA, access.ScopeRead, "")
		e.do("PUT", path, read, form).fails(403, "insufficient_scope", "")
		e.do("GET", path, e.keyB, nil).fails(404, "not_found", "")
	})
}

func TestOperatorInvitesMemberToPortal(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		org := e.dealer(e.keyA, "R-1")
		m := e.createMember(obj{"organization_id": org["id"], "name": "Ivan", "roles": []string{"foreman"}, "email": "ivan@example.com"})
		e.do("POST", "/v1/members/"+str(m["id"])+"/portal-invitation", e.keyA, nil).must(201, nil)
		sent := e.app.Mailer.(*app.LogMailer).Sent()
		if len(sent) == 0 || sent[len(sent)-1].To != "ivan@example.com" || !strings.Contains(sent[len(sent)-1].Text, "/p/acme/link/") {
			t.Fatalf("invitation %+v", sent)
		}
		e.do("POST", "/v1/members/"+str(m["id"])+"/portal-invitation", e.keyB, nil).fails(404, "not_found", "")
	})
}
