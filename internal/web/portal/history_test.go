package portal_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// A long history shows its newest lines; transparency sums every line of
// the month, however many.
func TestLongHistoryShowsNewestAndSumsAll(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite), clock.System{})
	var sum int64
	for i := range 620 {
		s.earn(s.foreman, 1, fmt.Sprintf("line %03d.", i))
		sum++
	}
	h := s.browser().signIn(s.foreman).get("/p/history")
	if !strings.Contains(h.body, "line 619.") || strings.Contains(h.body, "line 000.") {
		t.Fatal("the history does not show the newest lines only")
	}
	p := s.browser().signIn(s.director).get("/p/manage/people")
	if !strings.Contains(p.body, fmt.Sprintf("<td>%d</td>", sum)) {
		t.Fatalf("transparency does not sum all %d lines:\n%s", sum, p.body)
	}
}
