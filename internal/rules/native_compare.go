package rules

import (
	"cmp"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// compare translates ==, !=, <, <=, > and >= between two ints or two
// strings, and == and != between two bools. Mixed kinds (an int and a
// double, say) stay with CEL. The left side is evaluated first, so its
// error wins, as in CEL.
func (t translator) compare(fn string, l, r celast.Expr) (boolFn, bool) {
	test, ok := comparisons[fn]
	if !ok || t.kindOf(l) != t.kindOf(r) {
		return nil, false
	}
	switch t.kindOf(l) {
	case types.IntKind:
		return ordered(t, l, r, translator.integer, cmp.Compare[int64], test)
	case types.StringKind:
		return ordered(t, l, r, translator.str, cmp.Compare[string], test) // byte-wise, as CEL
	case types.BoolKind:
		if fn != operators.Equals && fn != operators.NotEquals {
			return nil, false
		}
		return ordered(t, l, r, translator.boolean, compareBools, test)
	}
	return nil, false
}

// comparisons say, for each operator, whether a comparison's result (as
// cmp.Compare gives it) makes the operator true.
var comparisons = map[string]func(int) bool{
	operators.Equals:        func(c int) bool { return c == 0 },
	operators.NotEquals:     func(c int) bool { return c != 0 },
	operators.Less:          func(c int) bool { return c < 0 },
	operators.LessEquals:    func(c int) bool { return c <= 0 },
	operators.Greater:       func(c int) bool { return c > 0 },
	operators.GreaterEquals: func(c int) bool { return c >= 0 },
}

// ordered compares two operands of one type, given its translator and
// its order.
func ordered[F ~func(*Vars) (T, error), T any](t translator, l, r celast.Expr,
	of func(translator, celast.Expr) (F, bool), order func(a, b T) int, test func(int) bool) (boolFn, bool) {
	lf, lok := of(t, l)
	rf, rok := of(t, r)
	return func(v *Vars) (bool, error) {
		a, err := lf(v)
		if err != nil {
			return false, err
		}
		b, err := rf(v)
		if err != nil {
			return false, err
		}
		return test(order(a, b)), nil
	}, lok && rok
}

// compareBools orders false before true.
func compareBools(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
