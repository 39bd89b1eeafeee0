package rules

import (
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"
)

// activation resolves the variables of an expression straight from a *Vars.
// It is a conversion of Vars rather than a wrapper, so that turning a *Vars
// into an interpreter.Activation allocates nothing: the engine evaluates
// about ten rules per event, and a map activation per call would dominate
// the cost of a simple condition.
type activation Vars

// Zero values stand in for nil pointers; expressions cannot mutate them.
var (
	zeroEvent  Event
	zeroOrg    Org
	zeroMember Member
	zeroLine   Line
)

// ResolveName implements interpreter.Activation.
func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case "event":
		if a.Event == nil {
			return &zeroEvent, true
		}
		return a.Event, true
	case "org":
		if a.Org == nil {
			return &zeroOrg, true
		}
		return a.Org, true
	case "member":
		if a.Member == nil {
			return &zeroMember, true
		}
		return a.Member, true
	case "line":
		if a.Line == nil {
			return &zeroLine, true
		}
		return a.Line, true
	case "now":
		// Already a CEL value, so the interpreter skips the adapter's lookup.
		return types.Timestamp{Time: a.Now}, true
	}
	return nil, false
}

// Parent implements interpreter.Activation; there is no enclosing scope.
func (a *activation) Parent() interpreter.Activation { return nil }
