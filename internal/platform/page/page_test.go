package page_test

import (
	"encoding/base64"
	"slices"
	"strconv"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

func TestParse(t *testing.T) {
	cursor := base64.RawURLEncoding.EncodeToString([]byte("01a2-key"))
	tests := []struct {
		name      string
		cursor    string
		limit     int
		want      page.Request
		badFields []string // fields named by the error; nil for no error
	}{
		{"defaults", "", 0, page.Request{Limit: page.DefaultLimit}, nil},
		{"smallest limit", "", 1, page.Request{Limit: 1}, nil},
		{"largest limit", "", page.MaxLimit, page.Request{Limit: page.MaxLimit}, nil},
		{"cursor decoded", cursor, 10, page.Request{After: "01a2-key", Limit: 10}, nil},
		{"negative limit", "", -1, page.Request{}, []string{"limit"}},
		{"limit above max", "", page.MaxLimit + 1, page.Request{}, []string{"limit"}},
		{"not base64", "!!!", 10, page.Request{}, []string{"cursor"}},
		{"padded base64 is not ours", base64.URLEncoding.EncodeToString([]byte("ab")), 10, page.Request{}, []string{"cursor"}},
		{"standard alphabet is not ours", base64.RawStdEncoding.EncodeToString([]byte{0xfb, 0xff}), 10, page.Request{}, []string{"cursor"}},
		{"both wrong at once", "%%", 9999, page.Request{}, []string{"limit", "cursor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := page.Parse(tt.cursor, tt.limit)
			if tt.badFields == nil {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if got != tt.want {
					t.Errorf("Parse = %+v, want %+v", got, tt.want)
				}
				return
			}
			e := errs.As(err)
			if e == nil || e.Kind != errs.Invalid {
				t.Fatalf("Parse error = %v, want an invalid-input error", err)
			}
			var fields []string
			for _, f := range e.Fields {
				fields = append(fields, f.Field)
			}
			if !slices.Equal(fields, tt.badFields) {
				t.Errorf("error names fields %v, want %v", fields, tt.badFields)
			}
		})
	}
}

type row struct{ id int }

func key(r row) string { return "k" + strconv.Itoa(r.id) }

func rows(n int) []row {
	out := make([]row, n)
	for i := range out {
		out[i] = row{i + 1}
	}
	return out
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name      string
		limit     int
		fetched   int // rows the query returned (it asks for limit+1)
		wantItems int
		wantAfter string // the decoded Next; "" for the last page
	}{
		{"empty", 3, 0, 0, ""},
		{"fewer than limit", 3, 2, 2, ""},
		{"exactly limit: last page", 3, 3, 3, ""},
		{"limit+1: there is more", 3, 4, 3, "k3"},
		{"limit 1 with more", 1, 2, 1, "k1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pg := page.Build(page.Request{Limit: tt.limit}, rows(tt.fetched), key)
			if len(pg.Items) != tt.wantItems {
				t.Errorf("items = %d, want %d", len(pg.Items), tt.wantItems)
			}
			for i, it := range pg.Items {
				if it.id != i+1 {
					t.Errorf("item %d = %v; Build must keep the first rows in order", i, it)
				}
			}
			if tt.wantAfter == "" {
				if pg.Next != "" {
					t.Errorf("Next = %q, want none on the last page", pg.Next)
				}
				return
			}
			next, err := page.Parse(pg.Next, tt.limit)
			if err != nil {
				t.Fatalf("Next %q does not parse: %v", pg.Next, err)
			}
			if next.After != tt.wantAfter || next.Limit != tt.limit {
				t.Errorf("Parse(Next) = %+v, want After %q", next, tt.wantAfter)
			}
		})
	}
}

// Walking pages with Build and Parse visits every row once, in order.
func TestWalkAllPages(t *testing.T) {
	all := rows(23)
	fetch := func(r page.Request) []row { // what a store does: rows after the cursor, limit+1
		start := 0
		for i, x := range all {
			if key(x) == r.After {
				start = i + 1
			}
		}
		return all[start:min(len(all), start+r.Limit+1)]
	}
	var seen []int
	r, err := page.Parse("", 5)
	for pages := 0; ; pages++ {
		if err != nil {
			t.Fatal(err)
		}
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
		pg := page.Build(r, fetch(r), key)
		for _, x := range pg.Items {
			seen = append(seen, x.id)
		}
		if pg.Next == "" {
			break
		}
		r, err = page.Parse(pg.Next, r.Limit)
	}
	want := make([]int, len(all))
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(seen, want) {
		t.Errorf("visited %v, want %v", seen, want)
	}
}
