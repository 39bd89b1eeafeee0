package survey

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Limits of a survey and its answers.
const (
	MaxQuestions  = 20
	MaxChoices    = 20
	MaxTextAnswer = 2000 // characters
)

// check validates a survey and names its questions q1, q2, … where
// they have no id.
func (sv *Survey) check() error {
	var f errs.Fields
	sv.Name = strings.TrimSpace(sv.Name)
	if sv.Name == "" || utf8.RuneCountInString(sv.Name) > 200 {
		f.Add("name", "required", "give the survey a name (at most 200 characters)")
	}
	if !code(sv.Template, 60) {
		f.Add("template", "bad_code", "name the template code whose messages carry the survey (a-z, 0-9, _ and -)")
	}
	if len(sv.Questions) == 0 || len(sv.Questions) > MaxQuestions {
		f.Add("questions", "count", "ask between 1 and %d questions", MaxQuestions)
	}
	seen := map[string]bool{}
	for i := range sv.Questions {
		q := &sv.Questions[i]
		if q.ID == "" {
			q.ID = fmt.Sprintf("q%d", i+1)
		}
		sub := f.Under(fmt.Sprintf("questions[%d].", i))
		checkQuestion(sub, q, seen[q.ID])
		f.Merge(sub)
		seen[q.ID] = true
	}
	return f.Err()
}

func checkQuestion(f *errs.Fields, q *Question, dup bool) {
	q.Text = strings.TrimSpace(q.Text)
	if !code(q.ID, 40) || strings.Contains(q.ID, "-") || dup {
		f.Add("id", "bad_id", "a question id is unique in the survey, of a-z, 0-9 and _ (at most 40)")
	}
	if !slices.Contains(Kinds, q.Kind) {
		f.Add("kind", "bad_kind", "a question is one of %s", strings.Join(Kinds, ", "))
	}
	if q.Text == "" || utf8.RuneCountInString(q.Text) > 500 {
		f.Add("text", "required", "ask the question (at most 500 characters)")
	}
	choice := q.Kind == Single || q.Kind == Multiple
	if !choice && len(q.Choices) > 0 {
		f.Add("choices", "not_allowed", "only single and multiple choice questions have choices")
	}
	if !choice {
		return
	}
	if len(q.Choices) < 2 || len(q.Choices) > MaxChoices {
		f.Add("choices", "count", "give between 2 and %d choices", MaxChoices)
	}
	for i, c := range q.Choices {
		q.Choices[i] = strings.TrimSpace(c)
		if q.Choices[i] == "" || utf8.RuneCountInString(q.Choices[i]) > 200 || slices.Contains(q.Choices[:i], q.Choices[i]) {
			f.Add(fmt.Sprintf("choices[%d]", i), "bad_choice", "each choice is 1 to 200 characters and given once")
		}
	}
}

func code(s string, n int) bool {
	if s == "" || len(s) > n {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// checkAnswers validates a response against the survey: each answer names
// a question once, fits its kind, and every required question is
// answered. Problems are named by question id, so a form shows each next
// to its question. Empty answers (no score, choice or text) are dropped.
func (sv Survey) checkAnswers(in []Answer) ([]Answer, error) {
	var f errs.Fields
	var out []Answer
	got := map[string]bool{}
	for _, a := range in {
		q, ok := sv.question(a.QuestionID)
		switch {
		case !ok:
			f.Add(a.QuestionID, "unknown_question", "this survey has no question %q", a.QuestionID)
			continue
		case got[a.QuestionID]:
			f.Add(a.QuestionID, "answered_twice", "answer each question once")
			continue
		}
		a.Text = strings.TrimSpace(a.Text)
		if a.Score == nil && len(a.Choices) == 0 && a.Text == "" {
			continue
		}
		got[a.QuestionID] = true
		checkAnswer(&f, q, a)
		out = append(out, a)
	}
	for _, q := range sv.Questions {
		if q.Required && !got[q.ID] {
			f.Add(q.ID, "required", "please answer this question")
		}
	}
	return out, f.Err()
}

func checkAnswer(f *errs.Fields, q Question, a Answer) {
	lo, hi := 0, 10
	if q.Kind == Rating {
		lo = 1
		hi = 5
	}
	switch q.Kind {
	case NPS, Rating:
		if a.Score == nil || *a.Score < lo || *a.Score > hi || len(a.Choices) > 0 || a.Text != "" {
			f.Add(q.ID, "out_of_range", "give a score from %d to %d", lo, hi)
		}
	case Single, Multiple:
		if a.Score != nil || a.Text != "" || len(a.Choices) == 0 || (q.Kind == Single && len(a.Choices) != 1) {
			f.Add(q.ID, "bad_choice", "choose %s of the choices", map[bool]string{true: "one", false: "one or more"}[q.Kind == Single])
			return
		}
		for i, c := range a.Choices {
			if !slices.Contains(q.Choices, c) || slices.Contains(a.Choices[:i], c) {
				f.Add(q.ID, "unknown_choice", "%q is not one of the choices", c)
				return
			}
		}
	case Text:
		if a.Score != nil || len(a.Choices) > 0 || utf8.RuneCountInString(a.Text) > MaxTextAnswer {
			f.Add(q.ID, "too_long", "write at most %d characters", MaxTextAnswer)
		}
	}
}

func (sv Survey) question(id string) (Question, bool) {
	i := slices.IndexFunc(sv.Questions, func(q Question) bool { return q.ID == id })
	if i < 0 {
		return Question{}, false
	}
	return sv.Questions[i], true
}
