package money

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The worked figures: rounding modes on positive and negative halves.
func TestMulDivRounding(t *testing.T) {
	tests := []struct {
		a, num, den int64
		r           Rounding
		want        int64
	}{
		{5, 1, 2, Floor, 2}, {5, 1, 2, Ceil, 3}, {5, 1, 2, HalfUp, 3}, {5, 1, 2, HalfEven, 2},
		{7, 1, 2, HalfEven, 4}, {-5, 1, 2, Floor, -3}, {-5, 1, 2, Ceil, -2}, {-5, 1, 2, HalfUp, -3},
		{-5, 1, 2, HalfEven, -2}, {22000, 1000, 10000, Floor, 2200}, {1, 2, 3, HalfUp, 1},
	}
	for _, tc := range tests {
		got, err := MulDiv(tc.a, tc.num, tc.den, tc.r)
		if err != nil || got != tc.want {
			t.Errorf("MulDiv(%d, %d, %d, %s) = %d, %v; want %d", tc.a, tc.num, tc.den, tc.r, got, err, tc.want)
		}
	}
	if _, err := MulDiv(1, 1, 0, Floor); err != ErrDivByZero {
		t.Errorf("division by zero: %v", err)
	}
	if _, err := MulDiv(math.MaxInt64, 2, 1, Floor); err != ErrOverflow {
		t.Errorf("overflow: %v", err)
	}
	if _, err := MulDiv(1, 1, 3, "sideways"); err == nil {
		t.Error("an unknown rounding was accepted")
	}
}

// The machine-integer path gives exactly what big integers give,
// everywhere: edges, overflow and errors included.
func TestMulDivFastPathMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	rounds := append([]Rounding{""}, Roundings...)
	check := func(a, num, den int64) {
		if den == 0 {
			return
		}
		for _, rd := range rounds {
			got, gerr := MulDiv(a, num, den, rd)
			want, werr := mulDivBig(a, num, den, rd)
			if got != want || (gerr == nil) != (werr == nil) {
				t.Fatalf("MulDiv(%d, %d, %d, %q) = %d, %v; big integers give %d, %v", a, num, den, rd, got, gerr, want, werr)
			}
		}
	}
	edges := []int64{0, 1, -1, 2, -2, 3, 10000, -10000, 15000, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1, 1 << 32, -(1 << 32)}
	for _, a := range edges {
		for _, n := range edges {
			for _, d := range edges {
				check(a, n, d)
			}
		}
	}
	any64 := func() int64 {
		switch r.IntN(4) {
		case 0:
			return r.Int64N(1000) - 500
		case 1:
			return r.Int64N(1_000_000_000)
		case 2:
			return -r.Int64()
		}
		return r.Int64()
	}
	for range 200_000 {
		check(any64(), any64()%100_000, any64()%1_000_000)
		check(any64(), any64(), any64())
	}
}

func TestChecked(t *testing.T) {
	var c Checked
	var total int64
	for range 9 {
		c.AddProduct(&total, MaxQuantity, MaxUnitPrice) // 10^21 each: overflows at once
	}
	if c.Err() != ErrOverflow || total != 0 {
		t.Fatalf("a product beyond int64 was added: %d, %v", total, c.Err())
	}
	var ok Checked
	total = 0
	for range 9000 {
		ok.Add(&total, MaxAmount)
	}
	if ok.Err() != nil || total != 9000*MaxAmount {
		t.Fatalf("9000 maximal amounts: %d, %v", total, ok.Err())
	}
	for range 300 {
		ok.Add(&total, MaxAmount)
	}
	if ok.Err() != ErrOverflow || total != 9223*MaxAmount {
		t.Fatalf("9300 maximal amounts fit: %d, %v", total, ok.Err())
	}
	ok.Sub(&total, total) // an overflow is remembered
	if ok.Err() != ErrOverflow {
		t.Fatal("an overflow was forgotten")
	}
	var neg Checked
	if d := neg.Diff(0, math.MinInt64); neg.Err() != ErrOverflow || d != 0 {
		t.Fatalf("0 − MinInt64 = %d, %v", d, neg.Err())
	}
	if d := neg.Diff(-1, math.MaxInt64); d != math.MinInt64 {
		t.Fatalf("−1 − MaxInt64 = %d", d)
	}
}

func TestAddSat(t *testing.T) {
	for _, tc := range []struct{ a, b, want int64 }{
		{1, 2, 3}, {math.MaxInt64, 1, math.MaxInt64}, {math.MinInt64, -1, math.MinInt64}, {math.MaxInt64, math.MinInt64, -1},
	} {
		if got := AddSat(tc.a, tc.b); got != tc.want {
			t.Errorf("AddSat(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
