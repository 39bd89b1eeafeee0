package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// BenchmarkCardPage times the card page through the whole server (session
// cookie, member and organization reads, the card's live state, wallets,
// standing, goals, QR code and barcode, rendering) for a member among
// many, with a long history, on SQLite. It reports the median and the
// 99th percentile.
//
//	go test ./internal/web/portal -run '^$' -bench CardPage -benchtime 300x
func BenchmarkCardPage(b *testing.B) {
	s := newSite(b, storetest.Open(b, store.SQLite), clock.System{})
	ctx := context.Background()
	for i := range 2000 {
		_, err := s.app.Party.CreateMember(ctx, s.sys, party.MemberInput{OrganizationID: s.brick.ID, Name: fmt.Sprintf("Member %d", i),
			Roles: []party.Role{party.RoleSales}, Phone: fmt.Sprintf("+4477009%05d", i)})
		must(b, err)
	}
	for i := range 300 {
		s.earn(s.foreman, int64(i+1), fmt.Sprintf("invoice INV-%d", i))
	}
	br := s.browser().signIn(s.foreman)
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if r := br.get("/p/"); r.status != http.StatusOK {
			b.Fatalf("card: %d", r.status)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}
