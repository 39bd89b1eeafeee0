package engine

import (
	"strconv"
	"time"
)

// The reasons, notes and keys below are written into the evaluation's
// scratch buffer and allocated once, as strings, instead of through
// fmt.Sprintf and string concatenation (each argument boxed, each step
// a string of its own): the engine writes several per event.

// capKey is the key of a rule's cap usage in the period of t.
func (e *evaluation) capKey(r *rule, c Cap, t time.Time) string {
	b := append(e.why[:0], "rule:"...)
	b = append(append(append(append(append(b, r.ID...), ':'), c.Per...), ':'), c.Period...)
	b = appendPeriodKey(append(b, ':'), c.Period, t)
	e.why = b
	return string(b)
}

// capNote says that a cap cut points: "rule r: cap of 500 points per
// organization per month reached; 120 of 300 points given".
func (e *evaluation) capNote(r *rule, c Cap, left, pts int64) string {
	b := append(append(e.why[:0], "rule "...), r.ID...)
	b = strconv.AppendInt(append(b, ": cap of "...), c.Points, 10)
	b = append(append(append(append(b, " points per "...), c.Per...), " per "...), c.Period...)
	b = strconv.AppendInt(append(b, " reached; "...), left, 10)
	b = strconv.AppendInt(append(b, " of "...), pts, 10)
	e.why = append(b, " points given"...)
	return string(e.why)
}

// counterReason is "counter name = value".
func (e *evaluation) counterReason(name string, v int64) string {
	b := append(append(e.why[:0], "counter "...), name...)
	e.why = strconv.AppendInt(append(b, " = "...), v, 10)
	return string(e.why)
}

// appendPeriodKey appends periodKey(period, t), without a string of its
// own for the periods caps mostly count in.
func appendPeriodKey(b []byte, period string, t time.Time) []byte {
	y, m, d := t.UTC().Date()
	if mb, ok := monthBytes(y, m); ok {
		switch period {
		case "month":
			return append(b, mb[:]...)
		case "day":
			return append(append(b, mb[:]...), '-', digit(d/10), digit(d))
		}
	}
	return append(b, periodKey(period, t)...)
}

// multiplierNote is a multiplier's note on the reasons of the earns it
// scaled: ", ×1.5" and what it is for (" for tier Silver"), or "" when
// nothing was earned yet and no reason will carry it.
func (e *evaluation) multiplierNote(bp int64, what ...string) string {
	if len(e.pending) == 0 {
		return ""
	}
	b := appendFactor(append(e.why[:0], ", ×"...), bp)
	for _, w := range what {
		b = append(b, w...)
	}
	e.why = b
	return string(b)
}
