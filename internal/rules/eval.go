package rules

import (
	"errors"
	"fmt"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// zeroVars stands in for nil *Vars: every variable reads as its zero value.
var zeroVars Vars

// Bool evaluates a Condition. Runtime failures (division by zero, integer
// overflow, the cost limit, a missing map key) are errs.Invalid with code
// "rule_eval_failed": the rule, not the engine, has to change.
func (e *Expr) Bool(v *Vars) (bool, error) {
	if e.kind != Condition {
		return false, fmt.Errorf("rules: Bool called on an %s expression", e.kind)
	}
	if e.fast != nil {
		return e.nativeBool(v)
	}
	out, err := e.eval(v)
	if err != nil {
		return false, err
	}
	return asBool(e.kind, out)
}

// Int evaluates an Amount; errors are as for Bool.
func (e *Expr) Int(v *Vars) (int64, error) {
	if e.kind != Amount {
		return 0, fmt.Errorf("rules: Int called on a %s expression", e.kind)
	}
	if e.fast != nil {
		return e.nativeInt(v)
	}
	out, err := e.eval(v)
	if err != nil {
		return 0, err
	}
	return asInt(e.kind, out)
}

func asBool(kind Kind, out ref.Val) (bool, error) {
	b, ok := out.(types.Bool)
	if !ok {
		return false, unexpected(kind, out)
	}
	return bool(b), nil
}

func asInt(kind Kind, out ref.Val) (int64, error) {
	n, ok := out.(types.Int)
	if !ok {
		return 0, unexpected(kind, out)
	}
	return int64(n), nil
}

// nativeBool and nativeInt evaluate the native program, with the errors
// CEL's evaluation would give.
func (e *Expr) nativeBool(v *Vars) (bool, error) {
	b, err := e.fast.cond(orZero(v, &zeroVars))
	if err != nil {
		return false, evalError(e.kind, err)
	}
	return b, nil
}

func (e *Expr) nativeInt(v *Vars) (int64, error) {
	n, err := e.fast.amount(orZero(v, &zeroVars))
	if err != nil {
		return 0, evalError(e.kind, err)
	}
	return n, nil
}

// eval runs the program over v.
func (e *Expr) eval(v *Vars) (ref.Val, error) {
	if v == nil {
		v = &zeroVars
	}
	return e.run((*activation)(v))
}

// run runs the program over an activation or an execution frame. CEL
// recovers its own panics; the recover here is a last line of defence so
// that no rule can bring the engine down.
func (e *Expr) run(input any) (out ref.Val, err error) {
	defer func() {
		if r := recover(); r != nil {
			out = nil
			err = errs.E(errs.Invalid, codeEvalFailed, "cannot evaluate the %s: internal error in the evaluator", e.kind).
				Wrap(fmt.Errorf("panic: %v", r))
		}
	}()
	out, _, err = e.prg.Eval(input)
	if err != nil {
		return nil, evalError(e.kind, err)
	}
	return out, nil
}

// evalError makes a runtime failure readable. CEL's own messages ("division
// by zero", "integer overflow", "no such key: x") already are; the
// cancellation is not.
func evalError(kind Kind, err error) error {
	var cancelled interpreter.EvalCancelledError
	if errors.As(err, &cancelled) && cancelled.Cause == interpreter.CostLimitExceeded {
		return errs.E(errs.Invalid, codeEvalFailed, "cannot evaluate the %s: evaluation exceeded the cost limit of %d", kind, CostLimit)
	}
	return errs.E(errs.Invalid, codeEvalFailed, "cannot evaluate the %s: %s", kind, err.Error())
}

// unexpected reports a result of the wrong type, which the checker should
// have made impossible.
func unexpected(kind Kind, out ref.Val) error {
	return errs.E(errs.Invalid, codeEvalFailed, "cannot evaluate the %s: it yielded a %s", kind, out.Type().TypeName())
}
