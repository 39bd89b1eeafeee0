package engine

import (
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// cumulativeLevel is the step (1-based; 0: none) of a cumulative discount
// for a participant at a time, with the reason in words. For a lifetime
// basis it is the stored level less one step per StepDownDays without an
// order; for a window basis it is the step the window's spend reaches.
func cumulativeLevel(d *Discount, st *State, now time.Time) (int, string) {
	if d.Basis != "lifetime" {
		spend := st.Window(d.Basis, now).Spend
		lv := reachedStep(d.Steps, spend)
		return lv, stepReason(d, lv, spend, window(d.Basis))
	}
	lv, down := steppedDown(d, st, now)
	why := stepReason(d, lv, st.Accum[d.ID], "the program")
	if down > 0 {
		why += fmt.Sprintf(" (%d step(s) down after %d days without an order)", down, d.StepDownDays)
	}
	return lv, why
}

// nextStep is the rate of the step after level lv and the spend still
// needed to reach it (the level may sit below the spend after inactivity
// step-downs: then nothing more is needed, the next order restores it).
func nextStep(d *Discount, st *State, now time.Time, lv int) (percentBP, remaining int64) {
	if lv >= len(d.Steps) {
		return 0, 0
	}
	spend := st.Accum[d.ID]
	if d.Basis != "lifetime" {
		spend = st.Window(d.Basis, now).Spend
	}
	return d.Steps[lv].PercentBP, max(d.Steps[lv].From-spend, 0)
}

// reachedStep is the 1-based index of the highest step amount reaches.
func reachedStep(steps []pricing.Step, amount int64) int {
	lv := 0
	for i, s := range steps {
		if amount >= s.From {
			lv = i + 1
		}
	}
	return lv
}

func stepReason(d *Discount, lv int, spend int64, over string) string {
	if lv == 0 {
		return fmt.Sprintf("spend %s more over %s to reach %s", formatMoney(d.Steps[0].From-spend), over, percent(d.Steps[0].PercentBP))
	}
	why := fmt.Sprintf("%s for %s spent over %s", percent(d.Steps[lv-1].PercentBP), formatMoney(spend), over)
	if lv < len(d.Steps) {
		why += fmt.Sprintf("; %s more gives %s", formatMoney(d.Steps[lv].From-spend), percent(d.Steps[lv].PercentBP))
	}
	return why
}

// steppedDown applies the inactivity step-downs due at now to a lifetime
// level, without storing them.
func steppedDown(d *Discount, st *State, now time.Time) (level, down int) {
	level = st.Levels[d.ID]
	if d.StepDownDays <= 0 || st.LastOrder == nil || level == 0 {
		return level, 0
	}
	since := *st.LastOrder
	if st.LastStep != nil && st.LastStep.After(since) {
		since = *st.LastStep
	}
	// An event earlier than the last order (events arrive out of order)
	// steps nothing down, nor up.
	down = max(int(now.Sub(since).Hours()/24)/d.StepDownDays, 0)
	return max(level-down, 0), min(down, level)
}

// settleCumulative stores due step-downs and, for a purchase, adds its
// amount to the lifetime accumulation.
func settleCumulative(p *Program, st *State, now time.Time, amount int64) {
	for i := range p.Def.Discounts {
		d := &p.Def.Discounts[i]
		if d.Kind != KindCumulative || d.Basis != "lifetime" {
			continue
		}
		if st.Levels == nil {
			st.Levels, st.Accum = map[string]int{}, map[string]int64{}
		}
		if lv, down := steppedDown(d, st, now); down > 0 {
			st.Levels[d.ID] = lv
			st.Accum[d.ID] = 0
			if lv > 0 {
				st.Accum[d.ID] = d.Steps[lv-1].From
			}
			at := now
			st.LastStep = &at
		}
		st.Accum[d.ID] = money.AddSat(st.Accum[d.ID], amount)
		st.Levels[d.ID] = max(st.Levels[d.ID], reachedStep(d.Steps, st.Accum[d.ID]))
	}
}

// recordBrackets counts the units (quantity brackets) or the amount
// (amount brackets) in each volume discount's scope towards its yearly
// brackets.
func recordBrackets(p *Program, st *State, ev *Event, sign int64) {
	for _, d := range p.Def.Discounts {
		if d.Kind != pricing.KindQuantityBrackets && d.Kind != pricing.KindAmountBrackets {
			continue
		}
		var n int64
		for _, l := range ev.Lines {
			switch {
			case !d.Scope.Matches(pricing.Line{SKU: l.SKU, Category: l.Category, Brand: l.Brand, OnSale: l.OnSale}):
			case d.Kind == pricing.KindAmountBrackets:
				n += l.Amount
			default:
				n += l.Qty
			}
		}
		if n != 0 {
			if st.Brackets == nil {
				st.Brackets = map[string]int64{}
			}
			st.Brackets[d.ID+":"+periodKey("year", ev.OccurredAt)] += sign * n
		}
	}
}

func (s *State) bracketQty(id string, now time.Time) int64 {
	return s.Brackets[id+":"+periodKey("year", now)]
}

// maxPointsPayment is the most points that may pay an order of amount.
func maxPointsPayment(p *Program, amount int64) (int64, error) {
	cap, err := money.MulDiv(amount, p.Def.PointsPayment.MaxShareBP, 10000, money.Floor)
	if err != nil {
		return 0, err
	}
	// points worth at most cap: cap × Den / Num, floor.
	return money.MulDiv(cap, p.Value.Den, p.Value.Num, money.Floor)
}

// pointsValue is the money n points are worth, floor.
func pointsValue(v PointValue, n int64) (int64, error) {
	return money.MulDiv(n, v.Num, v.Den, money.Floor)
}
