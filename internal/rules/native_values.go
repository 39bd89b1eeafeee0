package rules

import (
	"errors"
	"unicode/utf8"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types"
)

// integer translates a node of type int.
func (t translator) integer(e celast.Expr) (intFn, bool) {
	switch e.Kind() {
	case celast.LiteralKind:
		n, ok := e.AsLiteral().(types.Int)
		return func(*Vars) (int64, error) { return int64(n), nil }, ok
	case celast.SelectKind:
		if root, name, ok := field(e); ok {
			get, ok := nativeFields[root].ints[name]
			return func(v *Vars) (int64, error) { return get(v), nil }, ok
		}
		return t.intLookup(e)
	case celast.CallKind:
		return t.intCall(e)
	}
	return nil, false
}

// intCall translates the operators and functions that yield an int.
func (t translator) intCall(e celast.Expr) (intFn, bool) {
	fn, args, _ := call(e)
	switch {
	case fn == operators.Conditional && len(args) == 3:
		return ternary(t, args, translator.integer)
	case fn == operators.Index:
		return t.intLookup(e)
	case fn == operators.Negate && len(args) == 1:
		x, ok := t.integer(args[0])
		return func(v *Vars) (int64, error) { n, err := x(v); return negate(n, err) }, ok
	case fn == overloads.Size && len(args) == 1:
		return t.size(args[0])
	case len(args) == 2 && arithmetic[fn] != nil:
		return t.arith(arithmetic[fn], args[0], args[1])
	}
	return nil, false
}

// arith applies a checked integer operation to two int operands.
func (t translator) arith(op func(a, b int64) (int64, error), l, r celast.Expr) (intFn, bool) {
	lf, lok := t.integer(l)
	rf, rok := t.integer(r)
	return func(v *Vars) (int64, error) {
		a, err := lf(v)
		if err != nil {
			return 0, err
		}
		b, err := rf(v)
		if err != nil {
			return 0, err
		}
		return op(a, b)
	}, lok && rok && t.kindOf(l) == types.IntKind && t.kindOf(r) == types.IntKind
}

// size translates size() of a list or of a string (in code points, as CEL
// counts).
func (t translator) size(x celast.Expr) (intFn, bool) {
	if list, ok := t.list(x); ok {
		return func(v *Vars) (int64, error) { return int64(len(list(v))), nil }, true
	}
	if t.kindOf(x) != types.StringKind {
		return nil, false
	}
	s, ok := t.str(x)
	return func(v *Vars) (int64, error) {
		str, err := s(v)
		return int64(utf8.RuneCountInString(str)), err
	}, ok
}

// str translates a node of type string.
func (t translator) str(e celast.Expr) (strFn, bool) {
	if t.kindOf(e) != types.StringKind {
		return nil, false
	}
	switch e.Kind() {
	case celast.LiteralKind:
		s, ok := e.AsLiteral().(types.String)
		return func(*Vars) (string, error) { return string(s), nil }, ok
	case celast.SelectKind:
		if root, name, ok := field(e); ok {
			get, ok := nativeFields[root].strs[name]
			return func(v *Vars) (string, error) { return get(v), nil }, ok
		}
	}
	if fn, args, _ := call(e); fn == operators.Conditional && len(args) == 3 {
		return ternary(t, args, translator.str)
	}
	m, key, ok := t.lookupKey(e)
	if !ok {
		return nil, false
	}
	f, ok := t.strMap(m)
	return func(v *Vars) (string, error) { return lookup(f(v), key, v) }, ok
}

// intLookup translates m.key or m["key"] on a map of ints.
func (t translator) intLookup(e celast.Expr) (intFn, bool) {
	m, key, ok := t.lookupKey(e)
	if !ok {
		return nil, false
	}
	f, ok := t.intMap(m)
	return func(v *Vars) (int64, error) { return lookup(f(v), key, v) }, ok
}

// lookupKey splits a map lookup into the map and a translated key: a field
// name (m.key) or any string (m[expr]).
func (t translator) lookupKey(e celast.Expr) (celast.Expr, strFn, bool) {
	if e.Kind() == celast.SelectKind && !e.AsSelect().IsTestOnly() {
		s := e.AsSelect()
		name := s.FieldName()
		return s.Operand(), func(*Vars) (string, error) { return name, nil }, true
	}
	if fn, args, ok := call(e); ok && fn == operators.Index && len(args) == 2 {
		key, ok := t.str(args[1])
		return args[0], key, ok
	}
	return nil, nil, false
}

// lookup reads a key of a map, with CEL's error when it is missing.
func lookup[V any](m map[string]V, key strFn, v *Vars) (V, error) {
	k, err := key(v)
	x, in := m[k]
	switch {
	case err != nil:
		return x, err
	case !in:
		return x, errors.New("no such key: " + k)
	}
	return x, nil
}

// list translates a list of strings: a field (org.tags) or a literal of
// string constants (["gold", "silver"]).
func (t translator) list(e celast.Expr) (listFn, bool) {
	if root, name, ok := field(e); ok {
		get, ok := nativeFields[root].lists[name]
		return get, ok
	}
	if e.Kind() != celast.ListKind || len(e.AsList().OptionalIndices()) > 0 {
		return nil, false
	}
	var items []string
	for _, x := range e.AsList().Elements() {
		if x.Kind() != celast.LiteralKind {
			return nil, false
		}
		s, ok := x.AsLiteral().(types.String)
		if !ok {
			return nil, false
		}
		items = append(items, string(s))
	}
	return func(*Vars) []string { return items }, true
}

// intMap and strMap translate a map field of a variable.
func (t translator) intMap(e celast.Expr) (intMapFn, bool) {
	root, name, ok := field(e)
	get, found := nativeFields[root].intMaps[name]
	return get, ok && found
}

func (t translator) strMap(e celast.Expr) (strMapFn, bool) {
	root, name, ok := field(e)
	get, found := nativeFields[root].strMaps[name]
	return get, ok && found
}
