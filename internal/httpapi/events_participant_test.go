package httpapi_test

import (
	"testing"
)

// tiersDef has Silver from 1,000.00 and Gold from 5,000.00 of spend in the
// calendar year, with explicit enrollment.
var tiersDef = obj{"enrollment": "explicit",
	"rules": []obj{{"id": "base", "effects": []obj{{"type": "earn", "percent_bp": 100}}}},
	"tiers": obj{"metric": "spend", "window": "calendar_year", "review": "year", "levels": []obj{
		{"code": "base", "name": "Member", "threshold": 0},
		{"code": "silver", "name": "Silver", "threshold": 100000, "earn_multiplier_bp": 15000},
		{"code": "gold", "name": "Gold", "threshold": 500000, "earn_multiplier_bp": 20000}}}}

// history is a page of an organization's events.
type history struct {
	Items []struct {
		Event struct {
			ExternalID string `json:"external_id"`
		}
		Results []outcome
	}
	NextCursor string `json:"next_cursor"`
}

type standing struct {
	Enrolled bool
	Tier     struct {
		Level     struct{ Code string }
		Value     int64
		Next      *struct{ Code string }
		Remaining int64
	}
}

// An organization must enroll in an explicit program before its events
// count; its standing shows the tier and what is left to the next one.
func TestEnrollmentAndStanding(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgramIn(e, e.keyA, tiersDef, nil)
		e.dealer(e.keyA, "R-9")
		pid := str(f.program["id"])
		if o := e.send(e.keyA, event("invoice", "INV-1", "R-9", line("A", 1, 50000))).only(e); o.Status != "not_enrolled" || o.points() != 0 {
			t.Fatalf("an event before enrollment: %+v", o)
		}
		var st standing
		e.do("GET", "/v1/programs/"+pid+"/participants/ext:R-9", e.keyA, nil).must(200, &st)
		if st.Enrolled {
			t.Fatal("enrolled before enrolling")
		}
		e.do("POST", "/v1/programs/"+pid+"/enrollments", e.keyA, obj{"organization": "ext:R-9"}).must(201, &st)
		e.do("POST", "/v1/programs/"+pid+"/enrollments", e.keyA, obj{"organization": "ext:R-9"}).must(201, nil)
		if !st.Enrolled || st.Tier.Level.Code != "base" || st.Tier.Next == nil || st.Tier.Next.Code != "silver" || st.Tier.Remaining != 100000 {
			t.Fatalf("standing after enrollment %+v", st)
		}
		o := e.send(e.keyA, event("invoice", "INV-2", "R-9", line("A", 3, 40000))).only(e)
		if o.Status != "applied" || o.points() != 12 || o.Tier == nil || o.Tier.To != "silver" {
			t.Fatalf("1,200.00 at the base level earns 12 points and reaches Silver: %+v", o)
		}
		e.do("GET", "/v1/programs/"+pid+"/participants/ext:R-9", e.keyA, nil).must(200, &st)
		if st.Tier.Level.Code != "silver" || st.Tier.Value != 120000 || st.Tier.Remaining != 380000 {
			t.Fatalf("standing after 1,200.00: %+v", st)
		}
		e.do("GET", "/v1/programs/"+pid+"/participants/ext:R-404", e.keyA, nil).fails(404, "not_found", "")
		var hist struct {
			Items []struct {
				Event struct {
					ExternalID string `json:"external_id"`
				}
				Results []outcome
			}
			NextCursor string `json:"next_cursor"`
		}
		e.do("GET", "/v1/organizations/ext:R-9/events?limit=1", e.keyA, nil).must(200, &hist)
		if len(hist.Items) != 1 || hist.Items[0].Event.ExternalID != "INV-2" || hist.Items[0].Results[0].points() != 12 || hist.NextCursor == "" {
			t.Fatalf("newest event first: %+v", hist)
		}
		var second struct {
			Items []struct {
				Event struct {
					ExternalID string `json:"external_id"`
				}
				Results []outcome
			}
			NextCursor string `json:"next_cursor"`
		}
		e.do("GET", "/v1/organizations/ext:R-9/events?limit=1&cursor="+hist.NextCursor, e.keyA, nil).must(200, &second)
		if len(second.Items) != 1 || second.Items[0].Event.ExternalID != "INV-1" || second.Items[0].Results[0].Status != "not_enrolled" || second.NextCursor != "" {
			t.Fatalf("second page: %+v", second)
		}
	})
}
