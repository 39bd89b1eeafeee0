package survey

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// MaxTexts is how many free-text answers results list per question, the
// newest first (the CSV of the console has them all).
const MaxTexts = 200

// Results sum up a survey's answers.
type Results struct {
	SurveyID  string           `json:"survey_id"`
	Name      string           `json:"name"`
	Responses int              `json:"responses" doc:"People who answered"`
	Questions []QuestionResult `json:"questions"`
}

// QuestionResult is one question's answers.
type QuestionResult struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Text     string `json:"text"`
	Answered int    `json:"answered" doc:"People who answered this question"`
	// NPS: the percentage of promoters (9–10) minus that of detractors
	// (0–6), from −100 to 100.
	NPS        *float64 `json:"nps,omitempty" doc:"nps: % promoters (9–10) − % detractors (0–6), −100 to 100"`
	Promoters  int      `json:"promoters,omitempty"`
	Passives   int      `json:"passives,omitempty"`
	Detractors int      `json:"detractors,omitempty"`
	Average    *float64 `json:"average,omitempty" doc:"nps and rating: the mean score"`
	// Distribution counts each score (nps 0–10, rating 1–5) or choice.
	Distribution []Bucket    `json:"distribution,omitempty"`
	Texts        []TextEntry `json:"texts,omitempty" doc:"text: the answers, newest first (at most 200)"`
}

// Bucket is how many gave one score or choice.
type Bucket struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// TextEntry is one free-text answer.
type TextEntry struct {
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Results reads a survey's results.
func (s *Service) Results(ctx context.Context, p access.Principal, id string) (Results, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Results{}, err
	}
	var sv Survey
	rs, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Response, error) {
		var err error
		if sv, err = tx.GetSurvey(ctx, p.TenantID, id); err != nil {
			return nil, err
		}
		return tx.SurveyAnswers(ctx, p.TenantID, id)
	})
	if err != nil {
		return Results{}, err
	}
	return Sum(sv, rs), nil
}

// Sum computes the results of responses.
func Sum(sv Survey, rs []Response) Results {
	out := Results{SurveyID: sv.ID, Name: sv.Name, Responses: len(rs), Questions: []QuestionResult{}}
	slices.SortStableFunc(rs, func(a, b Response) int { return b.At.Compare(a.At) })
	for _, q := range sv.Questions {
		out.Questions = append(out.Questions, sumQuestion(q, rs))
	}
	return out
}

func sumQuestion(q Question, rs []Response) QuestionResult {
	r := QuestionResult{ID: q.ID, Kind: q.Kind, Text: q.Text}
	counts := map[string]int{}
	total := 0
	for _, resp := range rs {
		i := slices.IndexFunc(resp.Answers, func(a Answer) bool { return a.QuestionID == q.ID })
		if i < 0 {
			continue
		}
		a := resp.Answers[i]
		r.Answered++
		switch {
		case a.Score != nil:
			counts[strconv.Itoa(*a.Score)]++
			total += *a.Score
		case q.Kind == Text:
			if len(r.Texts) < MaxTexts {
				r.Texts = append(r.Texts, TextEntry{Text: a.Text, At: resp.At})
			}
		default:
			for _, c := range a.Choices {
				counts[c]++
			}
		}
	}
	r.Distribution = buckets(q, counts)
	if (q.Kind == NPS || q.Kind == Rating) && r.Answered > 0 {
		avg := float64(total) / float64(r.Answered)
		r.Average = &avg
	}
	if q.Kind == NPS && r.Answered > 0 {
		for v := 0; v <= 10; v++ {
			n := counts[strconv.Itoa(v)]
			switch {
			case v >= 9:
				r.Promoters += n
			case v >= 7:
				r.Passives += n
			default:
				r.Detractors += n
			}
		}
		nps := float64(r.Promoters-r.Detractors) * 100 / float64(r.Answered)
		r.NPS = &nps
	}
	return r
}

// buckets lists every possible score or choice, those nobody gave too.
func buckets(q Question, counts map[string]int) []Bucket {
	var values []string
	switch q.Kind {
	case NPS, Rating:
		lo, hi := 0, 10
		if q.Kind == Rating {
			lo, hi = 1, 5
		}
		for v := lo; v <= hi; v++ {
			values = append(values, strconv.Itoa(v))
		}
	case Single, Multiple:
		values = q.Choices
	}
	var out []Bucket
	for _, v := range values {
		out = append(out, Bucket{Value: v, Count: counts[v]})
	}
	return out
}

// CSV lays results out as rows: a row per score or choice, and per text.
func (r Results) CSV() [][]string {
	rows := [][]string{{"question_id", "kind", "question", "value", "count"}}
	for _, q := range r.Questions {
		if q.NPS != nil {
			rows = append(rows, []string{q.ID, q.Kind, q.Text, "nps", strconv.FormatFloat(*q.NPS, 'f', 1, 64)})
		}
		for _, b := range q.Distribution {
			rows = append(rows, []string{q.ID, q.Kind, q.Text, b.Value, strconv.Itoa(b.Count)})
		}
		for _, t := range q.Texts {
			rows = append(rows, []string{q.ID, q.Kind, q.Text, t.Text, "1"})
		}
	}
	return rows
}
