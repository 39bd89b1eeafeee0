package reward

import (
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
)

func TestPriceForLowestApplicable(t *testing.T) {
	it := Item{Price: 800, TierPrices: map[string]int64{"silver": 600, "gold": 400}, RolePrices: map[string]int64{"engineer": 500, "sales": 800}}
	eng := &party.Member{Roles: []party.Role{party.RoleSales, party.RoleEngineer}}
	for _, c := range []struct {
		name  string
		b     buyer
		price int64
		basis string
	}{
		{"no tier, no member", buyer{}, 800, "base"},
		{"unknown tier", buyer{tier: "bronze"}, 800, "base"},
		{"silver", buyer{tier: "silver"}, 600, "tier:silver"},
		{"engineer beats base", buyer{member: eng}, 500, "role:engineer"},
		{"silver beats nothing lower than engineer", buyer{tier: "silver", member: eng}, 500, "role:engineer"},
		{"gold beats the engineer", buyer{tier: "gold", member: eng}, 400, "tier:gold"},
	} {
		if p, b := it.priceFor(c.b); p != c.price || b != c.basis {
			t.Errorf("%s: %d %s, want %d %s", c.name, p, b, c.price, c.basis)
		}
	}
	tie := Item{Price: 500, RolePrices: map[string]int64{"sales": 500}}
	if _, b := tie.priceFor(buyer{member: eng}); b != "base" {
		t.Errorf("a tie keeps the base price, got %s", b)
	}
}

func TestPeriodKey(t *testing.T) {
	at := time.Date(2026, 11, 30, 23, 30, 0, 0, time.FixedZone("X", -3*3600)) // 1 December in UTC
	for period, want := range map[string]string{"month": "2026-12", "quarter": "2026-Q4", "year": "2026", "ever": "ever"} {
		if got := PeriodKey(period, at); got != want {
			t.Errorf("%s: %s, want %s", period, got, want)
		}
	}
	if got := PeriodKey("quarter", time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); got != "2026-Q2" {
		t.Errorf("April: %s", got)
	}
}

func TestAudience(t *testing.T) {
	dealer := party.Organization{ID: "o1", Type: party.Dealer}
	owner := &party.Member{Roles: []party.Role{party.RoleOwner}}
	for _, c := range []struct {
		name string
		a    ItemAudience
		b    buyer
		in   bool
	}{
		{"everyone", ItemAudience{}, buyer{org: dealer}, true},
		{"type", ItemAudience{OrgTypes: []string{"installer"}}, buyer{org: dealer}, false},
		{"tier", ItemAudience{Tiers: []string{"gold"}}, buyer{org: dealer, tier: "gold"}, true},
		{"no tier", ItemAudience{Tiers: []string{"gold"}}, buyer{org: dealer}, false},
		{"role without member", ItemAudience{Roles: []string{"owner"}}, buyer{org: dealer}, false},
		{"role", ItemAudience{Roles: []string{"owner"}}, buyer{org: dealer, member: owner}, true},
		{"named", ItemAudience{Organizations: []string{"o2"}}, buyer{org: dealer}, false},
	} {
		if got := (Item{Audience: c.a}).admits(c.b) == ""; got != c.in {
			t.Errorf("%s: admitted %v, want %v", c.name, got, c.in)
		}
	}
}
