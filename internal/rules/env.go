package rules

import (
	"fmt"
	"reflect"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/ext"
)

// Limits on what a rule may be and do.
const (
	// MaxSourceLen is the longest accepted source, in characters. Rules are
	// one-liners written in a form; anything longer is a mistake or abuse.
	MaxSourceLen = 4000

	// CostLimit bounds the work of one evaluation, in CEL cost units (about
	// one per operation, per element of a comprehension, per few bytes of a
	// string operation). 100,000 is far above any sensible rule over an
	// event of a few hundred lines and far below what would stall the engine.
	CostLimit = 100_000

	// maxEstimatedCost rejects, when the rule is saved, an expression whose
	// worst case over the sizes in estimator is above ten times the runtime
	// limit: such a rule would fail on ordinary events.
	maxEstimatedCost = 10 * CostLimit
)

// CEL names of the native types, from the package name and the Go type name.
const (
	eventType  = "rules.Event"
	orgType    = "rules.Org"
	memberType = "rules.Member"
	lineType   = "rules.Line"
)

// envs holds the two checking environments: with and without the line
// variable. Building one takes milliseconds, so they are built once, on
// first use, and shared; a cel.Env is safe for concurrent use.
var envs = sync.OnceValues(func() (*envPair, error) {
	plain, err := newEnv(false)
	if err != nil {
		return nil, err
	}
	line, err := newEnv(true)
	if err != nil {
		return nil, err
	}
	return &envPair{plain: plain, line: line}, nil
})

type envPair struct{ plain, line *cel.Env }

func (p *envPair) get(lineScope bool) *cel.Env {
	if lineScope {
		return p.line
	}
	return p.plain
}

// newEnv declares the variables and types visible to expressions.
// Leaving line out of the plain environment is what makes a reference to it
// outside a per-line expression a compile error.
func newEnv(lineScope bool) (*cel.Env, error) {
	opts := []cel.EnvOption{
		ext.NativeTypes(
			ext.ParseStructTags(true),
			reflect.TypeFor[Event](),
			reflect.TypeFor[Line](),
			reflect.TypeFor[Org](),
			reflect.TypeFor[Member](),
		),
		ext.Strings(),
		ext.Math(), // math.least and math.greatest cap and floor amounts
		cel.ParserExpressionSizeLimit(MaxSourceLen),
		cel.Variable("event", cel.ObjectType(eventType)),
		cel.Variable("org", cel.ObjectType(orgType)),
		cel.Variable("member", cel.ObjectType(memberType)),
		cel.Variable("now", cel.TimestampType),
	}
	if lineScope {
		opts = append(opts, cel.Variable("line", cel.ObjectType(lineType)))
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, fmt.Errorf("rules: build CEL environment: %w", err)
	}
	return env, nil
}
