package survey_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/survey"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

type fixture struct {
	svc    *survey.Service
	p      access.Principal
	people []party.Member
	sv     survey.Survey
	clk    *clock.Fake
	db     *store.DB
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	tn, err := (&tenant.Service{Store: store.Bind[tenant.Tx](db), Clock: clk}).CreateTenant(ctx, "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{svc: &survey.Service{Store: store.Bind[survey.Tx](db), Clock: clk}, p: access.System(tn.ID), clk: clk, db: db}
	ps := &party.Service{Store: store.Bind[party.Tx](db), Clock: clk}
	org, _ := ps.CreateOrganization(ctx, f.p, party.OrgInput{Type: "dealer", Name: "North"})
	for _, n := range []string{"Ann", "Boris", "Cleo", "Dan"} {
		m, err := ps.CreateMember(ctx, f.p, party.MemberInput{OrganizationID: org.ID, Name: n, Roles: []party.Role{party.RoleForeman}})
		if err != nil {
			t.Fatal(err)
		}
		f.people = append(f.people, m)
	}
	f.sv, err = f.svc.Create(ctx, f.p, survey.Survey{Name: "Spring feedback", Template: "spring_survey", Questions: []survey.Question{
		{Kind: survey.NPS, Text: "How likely are you to recommend us?", Required: true},
		{Kind: survey.Rating, Text: "Rate the delivery"},
		{Kind: survey.Single, Text: "Where do you buy?", Choices: []string{"Shop", "Online"}},
		{Kind: survey.Multiple, Text: "What do you use?", Choices: []string{"Bricks", "Tiles", "Roofing"}},
		{Kind: survey.Text, Text: "Anything else?"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func score(n int) *int { return &n }

func (f *fixture) answer(t *testing.T, who int, as ...survey.Answer) error {
	t.Helper()
	f.clk.Advance(time.Minute)
	_, err := f.svc.Answer(context.Background(), access.Member(f.p.TenantID, f.people[who].ID), f.sv.ID, f.people[who].ID, as)
	return err
}

// Answers sum up to exact results: the NPS, each score's and choice's
// count, the texts newest first; a second answer is refused.
func TestSurveyResults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if ids := []string{f.sv.Questions[0].ID, f.sv.Questions[4].ID}; ids[0] != "q1" || ids[1] != "q5" {
			t.Fatalf("question ids %v", ids)
		}
		for i, as := range [][]survey.Answer{
			{{QuestionID: "q1", Score: score(10)}, {QuestionID: "q2", Score: score(5)}, {QuestionID: "q3", Choices: []string{"Shop"}},
				{QuestionID: "q4", Choices: []string{"Bricks", "Tiles"}}, {QuestionID: "q5", Text: "  More tiles, please  "}},
			{{QuestionID: "q1", Score: score(9)}, {QuestionID: "q2", Score: score(4)}, {QuestionID: "q4", Choices: []string{"Tiles"}}},
			{{QuestionID: "q1", Score: score(7)}, {QuestionID: "q3", Choices: []string{"Online"}}, {QuestionID: "q5", Text: "Faster delivery"}},
			{{QuestionID: "q1", Score: score(3)}},
		} {
			if err := f.answer(t, i, as...); err != nil {
				t.Fatalf("answer %d: %v", i, err)
			}
		}
		if err := f.answer(t, 0, survey.Answer{QuestionID: "q1", Score: score(0)}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("a second answer: %v", err)
		}
		r, err := f.svc.Results(context.Background(), f.p, f.sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		q := r.Questions
		if r.Responses != 4 || q[0].Answered != 4 || *q[0].NPS != 25 || q[0].Promoters != 2 || q[0].Passives != 1 || q[0].Detractors != 1 || *q[0].Average != 7.25 {
			t.Fatalf("NPS %+v (%v)", q[0], *q[0].NPS)
		}
		if len(q[0].Distribution) != 11 || q[0].Distribution[10].Count != 1 || q[0].Distribution[3].Count != 1 || q[0].Distribution[0].Count != 0 {
			t.Fatalf("NPS distribution %+v", q[0].Distribution)
		}
		if q[1].Answered != 2 || *q[1].Average != 4.5 || len(q[1].Distribution) != 5 || q[1].Distribution[4].Count != 1 {
			t.Fatalf("rating %+v", q[1])
		}
		if q[3].Distribution[0] != (survey.Bucket{Value: "Bricks", Count: 1}) || q[3].Distribution[1].Count != 2 || q[3].Distribution[2].Count != 0 {
			t.Fatalf("multiple %+v", q[3].Distribution)
		}
		if len(q[4].Texts) != 2 || q[4].Texts[0].Text != "Faster delivery" || q[4].Texts[1].Text != "More tiles, please" {
			t.Fatalf("texts %+v", q[4].Texts)
		}
		csv := r.CSV()
		if strings.Join(csv[1], ",") != "q1,nps,How likely are you to recommend us?,nps,25.0" {
			t.Fatalf("CSV %q", csv[1])
		}
	})
}

// Bad answers are refused by question, and nothing is written.
func TestBadAnswersWriteNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for name, c := range map[string]struct {
			field string
			as    []survey.Answer
		}{
			"nps over 10":        {"q1", []survey.Answer{{QuestionID: "q1", Score: score(11)}}},
			"rating 0":           {"q2", []survey.Answer{{QuestionID: "q1", Score: score(5)}, {QuestionID: "q2", Score: score(0)}}},
			"unknown choice":     {"q3", []survey.Answer{{QuestionID: "q1", Score: score(5)}, {QuestionID: "q3", Choices: []string{"Barter"}}}},
			"two single":         {"q3", []survey.Answer{{QuestionID: "q1", Score: score(5)}, {QuestionID: "q3", Choices: []string{"Shop", "Online"}}}},
			"over-long text":     {"q5", []survey.Answer{{QuestionID: "q1", Score: score(5)}, {QuestionID: "q5", Text: strings.Repeat("я", survey.MaxTextAnswer+1)}}},
			"unknown question":   {"q9", []survey.Answer{{QuestionID: "q1", Score: score(5)}, {QuestionID: "q9", Text: "x"}}},
			"required missing":   {"q1", []survey.Answer{{QuestionID: "q5", Text: "x"}}},
			"score for a choice": {"q4", []survey.Answer{{QuestionID: "q1", Score: score(5)}, {QuestionID: "q4", Score: score(1)}}},
		} {
			err := f.answer(t, 0, c.as...)
			e := errs.As(err)
			if !errs.Is(err, errs.Invalid) || e == nil || !strings.Contains(err.Error(), c.field) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if r, _ := f.svc.Results(context.Background(), f.p, f.sv.ID); r.Responses != 0 {
			t.Fatalf("a bad answer was stored: %+v", r)
		}
		if err := f.answer(t, 0, survey.Answer{QuestionID: "q1", Score: score(10)}, survey.Answer{QuestionID: "q5", Text: strings.Repeat("я", survey.MaxTextAnswer)}); err != nil {
			t.Fatalf("the longest text allowed: %v", err)
		}
	})
}

// A survey is checked when saved; its template carries one survey only.
func TestBadSurveysAreRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for name, sv := range map[string]survey.Survey{
			"no questions":   {Name: "x", Template: "x"},
			"bad kind":       {Name: "x", Template: "x", Questions: []survey.Question{{Kind: "stars", Text: "?"}}},
			"one choice":     {Name: "x", Template: "x", Questions: []survey.Question{{Kind: survey.Single, Text: "?", Choices: []string{"a"}}}},
			"same id":        {Name: "x", Template: "x", Questions: []survey.Question{{ID: "a", Kind: survey.Text, Text: "?"}, {ID: "a", Kind: survey.Text, Text: "?"}}},
			"bad template":   {Name: "x", Template: "Spring Survey", Questions: []survey.Question{{Kind: survey.Text, Text: "?"}}},
			"taken template": {Name: "x", Template: "spring_survey", Questions: []survey.Question{{Kind: survey.Text, Text: "?"}}},
		} {
			if _, err := f.svc.Create(ctx, f.p, sv); !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}

// Many simultaneous answers of one person: exactly one is recorded, the
// others are refused as answered already.
func TestConcurrentAnswersRecordOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		const n = 12
		errc := make(chan error, n)
		p := access.Member(f.p.TenantID, f.people[0].ID)
		for i := range n {
			go func() {
				_, err := f.svc.Answer(context.Background(), p, f.sv.ID, f.people[0].ID, []survey.Answer{{QuestionID: "q1", Score: score(i % 11)}})
				errc <- err
			}()
		}
		ok, conflicts := 0, 0
		for range n {
			switch err := <-errc; {
			case err == nil:
				ok++
			case errs.Is(err, errs.Conflict):
				conflicts++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}
		r, err := f.svc.Results(context.Background(), f.p, f.sv.ID)
		if err != nil || ok != 1 || conflicts != n-1 || r.Responses != 1 {
			t.Fatalf("%d recorded, %d refused, %d responses (%v)", ok, conflicts, r.Responses, err)
		}
	})
}
