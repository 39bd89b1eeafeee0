package httpapi_test

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/survey"
)

// An answer is a survey event: a rule on event.type == "survey" earns its
// points once, since a person answers once; a bad answer writes nothing
// and earns nothing; results count what was answered.
func TestSurveyAnswerEarnsByRule(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{"rules": []obj{{"id": "survey_thanks", "name": "Thanks for your feedback", "events": []string{"survey"},
			"condition": `event.type == "survey" && event.attributes["q1"] != ""`, "effects": []obj{{"type": "earn", "fixed": 30}}}}})
		ann := e.createMember(obj{"organization_id": f.org["id"], "name": "Ann Owner", "roles": []string{"owner"}})
		var sv survey.Survey
		e.do("POST", "/v1/surveys", e.keyA, obj{"name": "Spring", "template": "spring_survey", "questions": []obj{
			{"kind": "nps", "text": "Recommend us?", "required": true}, {"kind": "single", "text": "Where?", "choices": []string{"Shop", "Online"}},
			{"kind": "text", "text": "Anything else?"}}}).must(201, &sv)
		e.do("POST", "/v1/surveys", e.keyA, obj{"name": "Bad", "template": "bad", "questions": []obj{{"kind": "stars", "text": "?"}}}).
			fails(422, "validation_failed", "questions[0].kind")
		path := "/v1/surveys/" + sv.ID + "/answers"
		for field, answers := range map[string][]obj{
			"q1": {{"question_id": "q1", "score": 11}},
			"q2": {{"question_id": "q1", "score": 9}, {"question_id": "q2", "choices": []string{"Barter"}}},
			"q3": {{"question_id": "q1", "score": 9}, {"question_id": "q3", "text": strings.Repeat("x", 2001)}},
		} {
			e.do("POST", path, e.keyA, obj{"person_id": ann["id"], "answers": answers}).fails(422, "validation_failed", field)
		}
		if got := e.balanceOf(e.keyA, "R-1"); got != 0 {
			t.Fatalf("a refused answer earned %d", got)
		}
		ok := obj{"person_id": ann["id"], "answers": []obj{{"question_id": "q1", "score": 9}, {"question_id": "q2", "choices": []string{"Shop"}}}}
		e.do("POST", path, e.keyA, ok).must(201, nil)
		if got := e.balanceOf(e.keyA, "R-1"); got != 30 {
			t.Fatalf("the survey earned %d, want 30", got)
		}
		e.do("POST", path, e.keyA, ok).fails(409, "already_answered", "")
		if got := e.balanceOf(e.keyA, "R-1"); got != 30 {
			t.Fatalf("a second answer earned again: %d", got)
		}
		e.do("POST", path, e.keyB, ok).must(404, nil)
		// Boris, at another dealer, sends his answer ten times at once: one
		// is recorded and earns once.
		f2 := e.createOrg(obj{"type": "dealer", "name": "Roof & Co", "external_id": "R-2"})
		boris := e.createMember(obj{"organization_id": f2["id"], "name": "Boris Foreman", "roles": []string{"foreman"}})
		twice := obj{"person_id": boris["id"], "answers": []obj{{"question_id": "q1", "score": 3}}}
		codes := make(chan int, 10)
		for range 10 {
			go func() { codes <- e.do("POST", path, e.keyA, twice).Status }()
		}
		created := 0
		for range 10 {
			switch c := <-codes; c {
			case 201:
				created++
			case 409:
			default:
				t.Errorf("a parallel answer: %d", c)
			}
		}
		if got := e.balanceOf(e.keyA, "R-2"); created != 1 || got != 30 {
			t.Fatalf("%d answers recorded, %d points earned", created, got)
		}
		var r survey.Results
		e.do("GET", "/v1/surveys/"+sv.ID+"/results", e.keyA, nil).must(200, &r)
		if r.Responses != 2 || *r.Questions[0].NPS != 0 || r.Questions[1].Distribution[0].Count != 1 {
			t.Fatalf("results %+v", r)
		}
		e.do("GET", "/v1/surveys/"+sv.ID+"/results", e.keyB, nil).must(404, nil)
	})
}
