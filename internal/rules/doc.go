// Package rules compiles and evaluates the expressions of loyalty-program
// rules. Conditions and amounts of program rules are CEL expressions over
// the event, the organization, the member, the line (inside per-line
// expressions) and the time.
//
// An expression is compiled and type-checked when a rule is saved, so that a
// typo such as event.amout or a condition that is not a bool is reported to
// the user with its position instead of failing on the first event. It is
// evaluated with a cost limit, and integer arithmetic errors on overflow
// instead of wrapping, so that a rule can neither hang the engine nor award
// a negative fortune. Counting the cost of an evaluation costs more than a
// simple condition itself, so an expression whose estimated worst case
// stays within the limit even on extreme inputs (no loop within a loop, no
// loop whose work grows with a string) is evaluated without counting.
// A Session evaluates many expressions in a row (a program's rules over one
// event) without setting up the interpreter for each.
//
// The common expressions — comparisons, && and ||, in, has, integer
// arithmetic and lookups over the variables' fields and constants — are
// also translated into Go closures when compiled, and evaluated without
// the interpreter (native.go): the same results and errors, a third of the
// time and no allocation. Whatever falls outside that subset is evaluated
// by CEL, and tests compare the two on every expression of the subset.
//
// Money is in minor currency units (int64) everywhere; an Amount expression
// yields an int.
package rules
