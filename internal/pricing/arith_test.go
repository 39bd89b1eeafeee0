package pricing

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// mulDiv must agree with money.MulDiv rounding down, including where a*b
// does not fit in int64.
func TestMulDivAgreesWithMoney(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(a, b, c int64) {
		t.Helper()
		q, r := mulDiv(a, b, c)
		want, err := money.MulDiv(a, b, c, money.Floor)
		if err != nil || q != want || r < 0 || r >= c {
			t.Fatalf("mulDiv(%d, %d, %d) = %d rem %d, money.MulDiv = %d (%v)", a, b, c, q, r, want, err)
		}
	}
	check(math.MaxInt64, 10000, 10000)
	check(math.MaxInt64, 9999, 10000)
	check(math.MaxInt64, math.MaxInt64-1, math.MaxInt64)
	check(0, 0, 1)
	for range 100000 {
		c := 1 + rng.Int64N(math.MaxInt64)
		if rng.IntN(2) == 0 {
			c = 1 + rng.Int64N(20000)
		}
		check(rng.Int64(), rng.Int64N(c+1), c)
	}
}

// acc rounds the sum of several products once.
func TestAcc(t *testing.T) {
	var a acc
	a.add(math.MaxInt64/2, 10000)
	a.add(math.MaxInt64/2, 10000)
	if got := a.discount(); got != math.MaxInt64-1 {
		t.Errorf("got %d, want %d", got, int64(math.MaxInt64-1))
	}
	a = acc{}
	a.add(1, 5000)
	a.add(1, 5000) // 0.5 + 0.5: one unit, where rounding each would give 0
	if got := a.discount(); got != 1 {
		t.Errorf("got %d, want 1", got)
	}
}

func TestFormat(t *testing.T) {
	texts := []struct{ got, want string }{
		{string(appendNth(nil, 2, 5000)), "second item 50% off"},
		{string(appendNth(nil, 3, 10000)), "third item free"},
		{string(appendNth(nil, 5, 2000)), "every 5th item 20% off"},
		{string(appendNth(nil, 22, 100)), "every 22nd item 1% off"},
		{string(appendNth(nil, 111, 100)), "every 111th item 1% off"},
		{string(appendUnits(nil, 7, 7)), "unit 7"},
		{string(appendUnits(nil, 1001, 2000)), "units 1,001–2,000"},
	}
	for _, tc := range texts {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
