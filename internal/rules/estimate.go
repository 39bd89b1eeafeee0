package rules

import (
	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
)

// sizes bounds the inputs for the cost estimator, which otherwise takes
// every list, map and string as unbounded. The estimate over them is an
// upper bound of the runtime cost of any input within them.
type sizes struct {
	lines   uint64 // event.lines
	list    uint64 // org.tags
	mapSize uint64 // event.attributes, org.counters
	str     uint64 // any string field
}

var (
	// typical is a large ordinary event. An expression that would exceed
	// ten times the runtime limit on it is rejected when saved: it would
	// fail on real events. A loop over lines inside a loop over lines
	// passes; three nested loops do not.
	typical = sizes{lines: 100, list: 50, mapSize: 50, str: 64}

	// extreme is beyond anything the API accepts in one event. An
	// expression within the runtime limit even here needs no cost tracking
	// (see Compile): it has no loop within a loop and no loop of work that
	// grows with a string, so its time grows at most linearly past these
	// sizes. B² of lists above the limit is what guarantees that.
	extreme = sizes{lines: 10_000, list: 10_000, mapSize: 10_000, str: 1 << 20}
)

// EstimateSize implements cost.Estimator.
func (s sizes) EstimateSize(node cost.AstNode) *cost.SizeEstimate {
	path := node.Path()
	if len(path) == 0 {
		return nil // a computed value: the estimator derives its size
	}
	if len(path) == 2 && path[0] == "event" && path[1] == "lines" {
		return upTo(s.lines)
	}
	switch node.Type().Kind() {
	case types.StringKind:
		return upTo(s.str)
	case types.ListKind:
		return upTo(s.list)
	case types.MapKind:
		return upTo(s.mapSize)
	}
	return nil
}

// EstimateCallCost implements cost.Estimator; the library's costs apply.
func (sizes) EstimateCallCost(function, overloadID string, target *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	return nil
}

func upTo(n uint64) *cost.SizeEstimate { return &cost.SizeEstimate{Max: n} }

// maxCost is the estimated worst-case cost of ast over inputs within s;
// false when CEL cannot estimate it.
func maxCost(env *cel.Env, ast *cel.Ast, s sizes) (uint64, bool) {
	est, err := env.EstimateCost(ast, s)
	if err != nil {
		return 0, false
	}
	return est.Max, true
}

// needsTracking reports whether evaluations of ast must count their cost.
// Counting costs about 300 ns and several allocations per evaluation, more
// than a typical condition itself, and the engine runs about ten rules per
// event; an expression that stays within the limit even on extreme inputs
// cannot run away and is evaluated without it.
func needsTracking(env *cel.Env, ast *cel.Ast) bool {
	c, ok := maxCost(env, ast, extreme)
	return !ok || c > CostLimit
}
