package rules

import (
	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
)

// A native program evaluates an expression as a tree of Go closures instead
// of through CEL's interpreter. Most rules are a few comparisons of an
// event's or an organization's fields with constants, and for those the
// interpreter's own work — resolving each attribute, boxing every field it
// reads into a CEL value (an allocation each), dispatching each operator —
// costs several times the comparisons.
//
// compileNative translates the checked syntax tree of such an expression
// and of nothing else: one node outside the subset (a comprehension, a
// timestamp, a double, a string function, a list index, …) leaves the
// whole expression with CEL. Within the subset the closures keep CEL's
// semantics exactly, errors and their messages included (integer
// overflow, division by zero, a missing map key, which error wins in &&
// and ||); a differential test and a fuzz target compare the two.
type native struct {
	cond   boolFn // for a Condition
	amount intFn  // for an Amount
}

// The closures of a native program, one type per CEL type of the subset.
// Only integer arithmetic and map lookups can fail; field reads cannot.
type (
	boolFn   func(*Vars) (bool, error)
	intFn    func(*Vars) (int64, error)
	strFn    func(*Vars) (string, error)
	listFn   func(*Vars) []string
	intMapFn func(*Vars) map[string]int64
	strMapFn func(*Vars) map[string]string
)

// compileNative returns the native program of a checked expression, or nil
// when the expression is outside the subset.
func compileNative(checked *cel.Ast, kind Kind) *native {
	t := translator{checked.NativeRep()}
	root := t.a.Expr()
	if kind == Amount {
		if f, ok := t.integer(root); ok {
			return &native{amount: f}
		}
		return nil
	}
	if f, ok := t.boolean(root); ok {
		return &native{cond: f}
	}
	return nil
}

// translator turns the nodes of one checked tree into closures. Each
// method reports false for a node it does not translate.
type translator struct{ a *celast.AST }

// kindOf is the checked type of a node.
func (t translator) kindOf(e celast.Expr) types.Kind {
	if typ := t.a.GetType(e.ID()); typ != nil {
		return typ.Kind()
	}
	return types.UnspecifiedKind
}

// call splits a call node into its function and operands (the target of
// a member call first). ok is false for any other node.
func call(e celast.Expr) (fn string, args []celast.Expr, ok bool) {
	if e.Kind() != celast.CallKind {
		return "", nil, false
	}
	c := e.AsCall()
	args = c.Args()
	if c.IsMemberFunction() {
		args = append([]celast.Expr{c.Target()}, args...)
	}
	return c.FunctionName(), args, true
}

// field splits a field selection on one of the variables (event.amount,
// org.tags) into the variable's and the field's names.
func field(e celast.Expr) (root, name string, ok bool) {
	if e.Kind() != celast.SelectKind {
		return "", "", false
	}
	s := e.AsSelect()
	if s.IsTestOnly() || s.Operand().Kind() != celast.IdentKind {
		return "", "", false
	}
	return s.Operand().AsIdent(), s.FieldName(), true
}
