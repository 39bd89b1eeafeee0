package rules

import (
	"strings"
	"unicode/utf8"

	"cel.dev/cel-go/cel"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Kind is what an expression must yield.
type Kind int

// The kinds of expression.
const (
	Condition Kind = iota // must type-check to bool
	Amount                // must type-check to int (minor currency units, points, ...)
)

// String names the kind as error messages do.
func (k Kind) String() string {
	if k == Amount {
		return "amount"
	}
	return "condition"
}

// want is the CEL type an expression of this kind must have.
func (k Kind) want() *cel.Type {
	if k == Amount {
		return cel.IntType
	}
	return cel.BoolType
}

// Expr is a compiled, type-checked expression. It is immutable and safe for
// concurrent use.
type Expr struct {
	src     string
	kind    Kind
	prg     cel.Program
	tracked bool    // evaluations count their cost and stop at CostLimit
	fast    *native // the expression as Go closures, when it is in their subset
}

// Source returns the expression as it was written.
func (e *Expr) Source() string { return e.src }

// Kind returns what the expression yields.
func (e *Expr) Kind() Kind { return e.kind }

// Compile parses and type-checks src as an expression of the given kind.
// With lineScope the variable line is visible, for rules evaluated once per
// line of an event. Errors are errs.Invalid with code "rule_invalid"; use
// Positions to list where each problem is.
func Compile(src string, kind Kind, lineScope bool) (*Expr, error) {
	if kind != Condition && kind != Amount {
		return nil, errs.E(errs.Invalid, codeInvalid, "unknown kind of expression %d", int(kind))
	}
	if err := checkSource(src, kind); err != nil {
		return nil, err
	}
	pair, err := envs()
	if err != nil {
		return nil, err // a bug: the declarations above are wrong
	}
	env := pair.get(lineScope)
	ast, iss := env.Compile(src)
	if iss.Err() != nil {
		return nil, compileError(kind, lineScope, iss)
	}
	if err := checkType(kind, ast.OutputType()); err != nil {
		return nil, err
	}
	if err := checkCost(env, kind, ast); err != nil {
		return nil, err
	}
	tracked := needsTracking(env, ast)
	opts := []cel.ProgramOption{cel.EvalOptions(cel.OptOptimize)}
	if tracked {
		opts = append(opts, cel.CostLimit(CostLimit))
	}
	prg, err := env.Program(ast, opts...)
	if err != nil {
		return nil, errs.E(errs.Invalid, codeInvalid, "%s: %v", kind, err)
	}
	e := &Expr{src: src, kind: kind, prg: prg, tracked: tracked}
	if !tracked { // a native program has no cost tracking (nor needs it: it has no loops)
		e.fast = compileNative(ast, kind)
	}
	return e, nil
}

// checkSource rejects what is not worth handing to the parser.
func checkSource(src string, kind Kind) error {
	if strings.TrimSpace(src) == "" {
		return errs.E(errs.Invalid, codeInvalid, "%s: the expression is empty", kind)
	}
	if !utf8.ValidString(src) {
		return errs.E(errs.Invalid, codeInvalid, "%s: the expression is not valid UTF-8 text", kind)
	}
	if n := utf8.RuneCountInString(src); n > MaxSourceLen {
		return errs.E(errs.Invalid, codeInvalid,
			"%s: the expression is %d characters long; the limit is %d", kind, n, MaxSourceLen)
	}
	return nil
}

// checkType makes sure the expression yields what its kind promises. A
// dyn result (e.g. from dyn(x)) is rejected too: it could only fail later,
// on an event.
func checkType(kind Kind, got *cel.Type) error {
	want := kind.want()
	if got.IsExactType(want) {
		return nil
	}
	return errs.E(errs.Invalid, codeInvalid,
		"%s: the expression must yield %s, but it yields %s", kind, typeName(want), typeName(got))
}

// typeName spells a CEL type as a user would write it.
func typeName(t *cel.Type) string {
	if t == nil {
		return "nothing"
	}
	return t.String()
}

// checkCost rejects an expression whose worst case would exceed the
// runtime limit by far, so that the author learns it when saving the rule.
func checkCost(env *cel.Env, kind Kind, ast *cel.Ast) error {
	est, ok := maxCost(env, ast, typical)
	if ok && est > maxEstimatedCost {
		return errs.E(errs.Invalid, codeInvalid,
			"%s: the expression is too expensive: its estimated worst-case cost is %s, the limit is %d; avoid nested loops over lines",
			kind, costString(est), maxEstimatedCost)
	}
	return nil
}
