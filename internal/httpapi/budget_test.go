package httpapi_test

import (
	"strings"
	"testing"
	"time"
)

// TestBudgetsAndCaps: caps per organization and per rule per month and a
// program budget cut earns, the outcome says why, and the consumption is
// visible on the program and on each participant.
func TestBudgetsAndCaps(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgramIn(e, e.keyA, obj{"budget": 100, "rules": []obj{{"id": "cashback", "effects": []obj{{"type": "earn", "percent_bp": 1000}},
			"caps": []obj{{"per": "organization", "period": "month", "points": 30}, {"per": "rule", "period": "month", "points": 50}}}}}, nil)
		pid := str(f.program["id"])
		e.dealer(e.keyA, "D1")
		e.dealer(e.keyA, "D2")
		n := 0
		send := func(org string, at time.Time, amount int64) outcome {
			n++
			e.clock.Set(at.Add(time.Minute))
			ev := event("invoice", "INV-"+string(rune('A'+n)), org, line("X", 1, amount))
			ev["occurred_at"] = at.Format(time.RFC3339)
			return e.send(e.keyA, ev).only(e)
		}
		april, may := epoch.AddDate(0, 1, 0), epoch.AddDate(0, 2, 0)
		steps := []struct {
			org    string
			at     time.Time
			amount int64
			want   int64
			note   string
		}{
			{"D1", epoch, 20000, 20, ""},
			{"D1", epoch, 20000, 10, "cap of 30 points per organization per month reached"},
			{"D2", epoch, 50000, 20, "cap of 50 points per rule per month reached"},
			{"D2", april, 100000, 30, "per organization per month"},
			{"D1", april, 100000, 20, "per rule per month"},
			{"D2", may, 100000, 0, "program budget of 100 points exhausted"},
		}
		for i, s := range steps {
			if i == len(steps)-1 {
				checkApril(e, pid)
			}
			o := send(s.org, s.at, s.amount)
			notes := strings.Join(o.Notes, "; ") + " " + o.Reason
			if o.points() != s.want || (s.note != "" && !strings.Contains(notes, s.note)) {
				t.Fatalf("step %d: %d points, notes %q; want %d and %q", i, o.points(), notes, s.want, s.note)
			}
		}
		var u struct {
			Budget struct{ Limit, Used, Remaining int64 }
		}
		e.do("GET", "/v1/programs/"+pid+"/budget", e.keyA, nil).must(200, &u)
		if u.Budget.Limit != 100 || u.Budget.Used != 100 || u.Budget.Remaining != 0 {
			t.Errorf("budget %+v, want 100 used of 100", u.Budget)
		}
		e.ledgerOK(e.tidA)
	})
}

// checkApril checks, in April, the rule's cap and D1's organization cap.
func checkApril(e *env, pid string) {
	e.t.Helper()
	var u struct {
		Budget struct{ Used, Remaining int64 }
		Caps   []struct {
			Rule      string
			PeriodKey string `json:"period_key"`
			Used      int64
			Remaining int64
		}
	}
	e.do("GET", "/v1/programs/"+pid+"/budget", e.keyA, nil).must(200, &u)
	if u.Budget.Used != 100 || len(u.Caps) != 1 || u.Caps[0].Rule != "cashback" || u.Caps[0].PeriodKey != "2026-04" || u.Caps[0].Used != 50 || u.Caps[0].Remaining != 0 {
		e.t.Errorf("April: budget %+v, rule caps %+v; want 100 issued and April's cap of 50 used up", u.Budget, u.Caps)
	}
	var st struct {
		Caps []struct {
			Per       string
			PeriodKey string `json:"period_key"`
			Used      int64
			Remaining int64
		}
	}
	e.do("GET", "/v1/programs/"+pid+"/participants/ext:D1", e.keyA, nil).must(200, &st)
	if len(st.Caps) != 1 || st.Caps[0].Per != "organization" || st.Caps[0].PeriodKey != "2026-04" || st.Caps[0].Used != 20 || st.Caps[0].Remaining != 10 {
		e.t.Errorf("D1's caps in April %+v, want 20 of 30 used", st.Caps)
	}
}
