package rules

import (
	"slices"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// boolean translates a node of type bool.
func (t translator) boolean(e celast.Expr) (boolFn, bool) {
	switch e.Kind() {
	case celast.LiteralKind:
		b, ok := e.AsLiteral().(types.Bool)
		return func(*Vars) (bool, error) { return bool(b), nil }, ok
	case celast.SelectKind:
		if e.AsSelect().IsTestOnly() {
			return t.has(e)
		}
		return t.boolField(e)
	case celast.CallKind:
		return t.boolCall(e)
	}
	return nil, false
}

// boolField reads a bool field of a variable (line.on_sale).
func (t translator) boolField(e celast.Expr) (boolFn, bool) {
	root, name, ok := field(e)
	if !ok {
		return nil, false
	}
	get, ok := nativeFields[root].bools[name]
	return func(v *Vars) (bool, error) { return get(v), nil }, ok
}

// boolCall translates the operators that yield a bool.
func (t translator) boolCall(e celast.Expr) (boolFn, bool) {
	fn, args, _ := call(e)
	switch {
	case (fn == operators.LogicalAnd || fn == operators.LogicalOr) && len(args) == 2:
		return t.logical(fn == operators.LogicalAnd, args[0], args[1])
	case fn == operators.LogicalNot && len(args) == 1:
		x, ok := t.boolean(args[0])
		return func(v *Vars) (bool, error) { b, err := x(v); return !b, err }, ok
	case fn == operators.Conditional && len(args) == 3:
		return ternary(t, args, translator.boolean)
	case fn == operators.In && len(args) == 2:
		return t.in(args[0], args[1])
	case len(args) == 2:
		return t.compare(fn, args[0], args[1])
	}
	return nil, false
}

// logical is && (and) or ||, with CEL's commutative rules: the deciding
// value (false for &&, true for ||) wins over an error on either side;
// otherwise the first error, left to right, is the result.
func (t translator) logical(and bool, l, r celast.Expr) (boolFn, bool) {
	lf, lok := t.boolean(l)
	rf, rok := t.boolean(r)
	decides := !and // the value that ends an && (false) or an || (true)
	return func(v *Vars) (bool, error) {
		lb, lerr := lf(v)
		if lerr == nil && lb == decides {
			return decides, nil
		}
		rb, rerr := rf(v)
		switch {
		case rerr == nil && rb == decides:
			return decides, nil
		case lerr != nil:
			return false, lerr
		case rerr != nil:
			return false, rerr
		}
		return !decides, nil
	}, lok && rok
}

// ternary translates c ? a : b for any result type, given the translator
// of that type.
func ternary[F ~func(*Vars) (R, error), R any](t translator, args []celast.Expr, of func(translator, celast.Expr) (F, bool)) (F, bool) {
	c, cok := t.boolean(args[0])
	a, aok := of(t, args[1])
	b, bok := of(t, args[2])
	return func(v *Vars) (R, error) {
		yes, err := c(v)
		switch {
		case err != nil:
			var zero R
			return zero, err
		case yes:
			return a(v)
		}
		return b(v)
	}, cok && aok && bok
}

// in translates x in list (of strings) and key in map (with string keys).
func (t translator) in(x, coll celast.Expr) (boolFn, bool) {
	s, ok := t.str(x)
	if !ok {
		return nil, false
	}
	if list, ok := t.list(coll); ok {
		return func(v *Vars) (bool, error) {
			k, err := s(v)
			return err == nil && slices.Contains(list(v), k), err
		}, true
	}
	keys, ok := t.keys(coll)
	return func(v *Vars) (bool, error) {
		k, err := s(v)
		return err == nil && keys(v, k), err
	}, ok
}

// has translates a presence test on a map (has(org.counters.orders)).
func (t translator) has(e celast.Expr) (boolFn, bool) {
	s := e.AsSelect()
	keys, ok := t.keys(s.Operand())
	key := s.FieldName()
	return func(v *Vars) (bool, error) { return keys(v, key), nil }, ok
}

// keys translates a map node into a test of whether a key is in it.
func (t translator) keys(m celast.Expr) (func(*Vars, string) bool, bool) {
	if f, ok := t.intMap(m); ok {
		return func(v *Vars, k string) bool { _, in := f(v)[k]; return in }, true
	}
	if f, ok := t.strMap(m); ok {
		return func(v *Vars, k string) bool { _, in := f(v)[k]; return in }, true
	}
	return nil, false
}
