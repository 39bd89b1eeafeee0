package httpapi_test

import (
	"testing"
	"time"
)

// consentFixture is a dealer with an owner, a sales rep and a program with
// published terms.
type consentFixture struct {
	org, owner, rep, program obj
}

func newConsentFixture(e *env) consentFixture {
	e.t.Helper()
	var f consentFixture
	f.org = e.createOrg(obj{"type": "dealer", "name": "Brick & Beam"})
	f.owner = e.createMember(obj{"organization_id": f.org["id"], "name": "George Barnes", "roles": []string{"owner"}})
	f.rep = e.createMember(obj{"organization_id": f.org["id"], "name": "Hannah Moss", "roles": []string{"sales"}})
	e.do("POST", "/v1/programs", e.keyA, obj{"name": "Dealer Club"}).must(201, &f.program)
	return f
}

func (f consentFixture) path() string { return "/v1/organizations/" + str(f.org["id"]) + "/consents" }

type consentStatus struct {
	Programs []struct {
		ProgramID           string `json:"program_id"`
		State               string `json:"state"`
		EmployeesMayEarn    bool   `json:"employees_may_earn"`
		CurrentTermsVersion int    `json:"current_terms_version"`
		Latest              obj    `json:"latest"`
	} `json:"programs"`
	History []obj `json:"history"`
}

func (e *env) consentState(f consentFixture) consentStatus {
	e.t.Helper()
	var st consentStatus
	e.do("GET", f.path()+"?program_id="+str(f.program["id"]), e.keyA, nil).must(200, &st)
	if len(st.Programs) != 1 {
		e.t.Fatalf("programs: %+v", st)
	}
	return st
}

func TestConsentLifecycle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newConsentFixture(e)
		pid := f.program["id"]
		// No terms yet: nothing can be accepted.
		e.do("POST", f.path(), e.keyA, obj{"program_id": pid, "decision": "accepted", "method": "portal", "member_id": f.owner["id"]}).fails(409, "no_terms", "")

		var terms obj
		e.do("POST", "/v1/programs/"+str(pid)+"/terms", e.keyA, obj{"title": "Employee incentives", "body": "1. ...\n2. ..."}).must(201, &terms)
		if terms["version"] != float64(1) {
			t.Fatalf("first terms version %v", terms["version"])
		}
		if st := e.consentState(f); st.Programs[0].State != "none" || st.Programs[0].EmployeesMayEarn {
			t.Fatalf("before any decision: %+v", st)
		}

		e.clock.Advance(time.Hour)
		var c obj
		e.do("POST", f.path(), e.keyA, obj{"program_id": pid, "decision": "accepted", "method": "portal", "member_id": f.owner["id"]}).must(201, &c)
		if c["signer_name"] != "George Barnes" || c["terms_version"] != float64(1) || c["recorded_by_type"] != "api_key" {
			t.Fatalf("consent record: %v", c)
		}
		st := e.consentState(f)
		if st.Programs[0].State != "accepted" || !st.Programs[0].EmployeesMayEarn {
			t.Fatalf("after acceptance: %+v", st)
		}
		e.do("POST", f.path(), e.keyA, obj{"program_id": pid, "decision": "accepted", "method": "portal", "member_id": f.owner["id"]}).fails(409, "already_accepted", "")

		// New terms make the acceptance outdated: employees stop earning.
		e.clock.Advance(time.Hour)
		e.do("POST", "/v1/programs/"+str(pid)+"/terms", e.keyA, obj{"title": "Employee incentives v2", "body": "1. ... capped"}).must(201, &terms)
		if st := e.consentState(f); st.Programs[0].State != "outdated" || st.Programs[0].EmployeesMayEarn || st.Programs[0].CurrentTermsVersion != 2 {
			t.Fatalf("after new terms: %+v", st)
		}
		e.do("POST", f.path(), e.keyA, obj{"program_id": pid, "terms_version": 1, "decision": "accepted", "method": "portal", "member_id": f.owner["id"]}).fails(409, "terms_outdated", "")
		e.do("POST", f.path(), e.keyA, obj{"program_id": pid, "terms_version": 3, "decision": "accepted", "method": "portal", "member_id": f.owner["id"]}).fails(422, "validation_failed", "terms_version")

		// Accepted on paper, recorded by staff with evidence.
		e.clock.Advance(time.Hour)
		e.do("POST", f.path(), e.keyA, obj{"program_id": pid, "terms_version": 2, "decision": "accepted", "method": "paper",
			"signer_name": "George Barnes", "signer_title": "Director", "evidence": "signed form, DMS #4411"}).must(201, &c)
		if st := e.consentState(f); st.Programs[0].State != "accepted" || st.Programs[0].Latest["method"] != "paper" {
			t.Fatalf("after paper acceptance: %+v", st)
		}

		e.clock.Advance(time.Hour)
		e.do("POST", f.path(), e.keyA, obj{"program_id": pid, "decision": "revoked", "method": "portal", "member_id": f.owner["id"]}).must(201, nil)
		st = e.consentState(f)
		if st.Programs[0].State != "revoked" || st.Programs[0].EmployeesMayEarn {
			t.Fatalf("after revocation: %+v", st)
		}
		e.do("POST", f.path(), e.keyA, obj{"program_id": pid, "decision": "revoked", "method": "portal", "member_id": f.owner["id"]}).fails(409, "nothing_to_revoke", "")
		if len(st.History) != 3 || st.History[0]["decision"] != "revoked" || st.History[2]["terms_version"] != float64(1) {
			t.Fatalf("history, newest first: %v", st.History)
		}

		// Without program_id: every program with terms.
		var all consentStatus
		e.do("GET", f.path(), e.keyA, nil).must(200, &all)
		if len(all.Programs) != 1 || all.Programs[0].State != "revoked" || len(all.History) != 3 {
			t.Fatalf("overview: %+v", all)
		}
		if n := e.count("/v1/audit-log?entity_type=organization&entity_id=" + str(f.org["id"])); n != 4 {
			t.Fatalf("audit entries of the organization: %d, want 1 creation + 3 decisions", n)
		}
	})
}

// Only an active owner/director of the organization itself may decide, and
// a decision recorded by staff needs evidence.
func TestConsentRefusals(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newConsentFixture(e)
		pid := f.program["id"]
		e.do("POST", "/v1/programs/"+str(pid)+"/terms", e.keyA, obj{"title": "Terms", "body": "Text"}).must(201, nil)
		otherOrg := e.createOrg(obj{"type": "dealer", "name": "Elsewhere"})
		otherOwner := e.createMember(obj{"organization_id": otherOrg["id"], "name": "Stranger", "roles": []string{"owner"}})
		leftOwner := e.createMember(obj{"organization_id": f.org["id"], "name": "Former Boss", "roles": []string{"owner"}, "status": "left"})
		cases := []struct {
			name        string
			body        obj
			status      int
			code, field string
		}{
			{"sales rep", obj{"program_id": pid, "decision": "accepted", "method": "portal", "member_id": f.rep["id"]}, 403, "not_authorized_signer", ""},
			{"owner of another organization", obj{"program_id": pid, "decision": "accepted", "method": "portal", "member_id": otherOwner["id"]}, 422, "validation_failed", "member_id"},
			{"owner who left", obj{"program_id": pid, "decision": "accepted", "method": "portal", "member_id": leftOwner["id"]}, 422, "validation_failed", "member_id"},
			{"portal without member", obj{"program_id": pid, "decision": "accepted", "method": "portal"}, 422, "validation_failed", "member_id"},
			{"paper without evidence", obj{"program_id": pid, "decision": "accepted", "method": "paper", "signer_name": "G"}, 422, "validation_failed", "evidence"},
			{"paper without signer", obj{"program_id": pid, "decision": "accepted", "method": "paper", "evidence": "scan"}, 422, "validation_failed", "signer_name"},
			{"unknown program", obj{"program_id": "nope", "decision": "accepted", "method": "portal", "member_id": f.owner["id"]}, 422, "validation_failed", "program_id"},
			{"bad decision", obj{"program_id": pid, "decision": "maybe", "method": "portal", "member_id": f.owner["id"]}, 422, "validation_failed", "decision"},
			{"decided in the future", obj{"program_id": pid, "decision": "accepted", "method": "paper", "signer_name": "G", "evidence": "x", "decided_at": epoch.Add(48 * time.Hour)}, 422, "validation_failed", "decided_at"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				before := e.snapshot()
				e.do("POST", f.path(), e.keyA, c.body).fails(c.status, c.code, c.field)
				if after := e.snapshot(); after != before {
					t.Fatalf("refused decision wrote: %v → %v", before, after)
				}
			})
		}
		e.t = t
		if st := e.consentState(f); st.Programs[0].State != "none" || len(st.History) != 0 {
			t.Fatalf("refused decisions left state: %+v", st)
		}
		e.do("GET", "/v1/organizations/nope/consents", e.keyA, nil).fails(404, "not_found", "")
	})
}
