package engine

import "github.com/loyal-b2b/loyal/internal/rules"

// Programs often filter lines by the same condition twice: an earn rule
// and the stamp card both on `line.category == "tools"`, say. An
// evaluation remembers each line filter's results on the event's lines, by
// the filter's source, and evaluates it once per line. Two expressions of
// the same source are the same program over the same variables, so the
// results are the same; failures are not remembered (they end the
// evaluation).

// lineMemo is a line filter's results: 0 not evaluated yet, 1 true, 2 false.
type lineMemo struct {
	src string
	res []int8
}

// memoOf returns the results of a line filter, to pass to lineCond.
func (e *evaluation) memoOf(x *rules.Expr) []int8 {
	for _, m := range e.memos {
		if m.src == x.Source() {
			return m.res
		}
	}
	n := len(e.ev.Lines)
	var res []int8
	if k := len(e.memos); k < cap(e.memos) && cap(e.memos[:k+1][k].res) >= n {
		res = e.memos[:k+1][k].res[:n] // reuse the scratch of an earlier evaluation
		clear(res)
	} else {
		res = make([]int8, n)
	}
	e.memos = append(e.memos, lineMemo{x.Source(), res})
	return res
}

// lineCond evaluates a line filter on line i, or recalls its result.
func (e *evaluation) lineCond(x *rules.Expr, memo []int8, i int) (bool, error) {
	if r := memo[i]; r != 0 {
		return r == 1, nil
	}
	ok, err := x.BoolIn(&e.vars.session, e.vars.withLine(i))
	if err != nil {
		return false, err
	}
	memo[i] = 2
	if ok {
		memo[i] = 1
	}
	return ok, nil
}
