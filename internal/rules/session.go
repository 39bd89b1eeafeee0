package rules

import (
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
)

// Session evaluates a series of expressions on one goroutine, such as the
// rules of a program over one event. Evaluating through a session sets up
// the interpreter's execution frame once instead of once per call (taking
// it from a pool, looking for function bindings, returning it): for a
// simple condition that setup costs as much as the evaluation itself.
//
// The zero Session is ready for use. It must not be used by two goroutines
// at once; it holds nothing of an evaluation once that has returned.
type Session struct {
	frame *interpreter.ExecutionFrame
}

// BoolIn is Bool evaluated in a session; a nil session is Bool.
func (e *Expr) BoolIn(s *Session, v *Vars) (bool, error) {
	if e.kind != Condition || e.fast != nil {
		return e.Bool(v) // the same error as Bool, or the native program
	}
	out, err := e.evalIn(s, v)
	if err != nil {
		return false, err
	}
	return asBool(e.kind, out)
}

// IntIn is Int evaluated in a session; a nil session is Int.
func (e *Expr) IntIn(s *Session, v *Vars) (int64, error) {
	if e.kind != Amount || e.fast != nil {
		return e.Int(v) // the same error as Int, or the native program
	}
	out, err := e.evalIn(s, v)
	if err != nil {
		return 0, err
	}
	return asInt(e.kind, out)
}

// evalIn evaluates in the session's frame. An expression whose cost is
// tracked gets a frame of its own, as without a session: the frame would
// carry its cost tracker, and the limit counts per evaluation. (A frame
// passed in also skips a program's default variables; Compile gives its
// programs none.)
func (e *Expr) evalIn(s *Session, v *Vars) (ref.Val, error) {
	if s == nil || e.tracked {
		return e.eval(v)
	}
	if v == nil {
		v = &zeroVars
	}
	if s.frame == nil {
		s.frame = &interpreter.ExecutionFrame{} // as the interpreter's pool makes them
	}
	s.frame.SetScope((*activation)(v))
	out, err := e.run(s.frame) // run recovers: the scope is always reset
	s.frame.SetScope(nil)      // keep no variables after the call
	return out, err
}
