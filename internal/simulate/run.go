package simulate

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Report is a simulation's result: every variant, and the main figures
// side by side.
type Report struct {
	From        time.Time       `json:"from"`
	To          time.Time       `json:"to"`
	Events      int             `json:"events"`
	Lines       int             `json:"lines"`
	Assumptions Assumptions     `json:"assumptions"`
	Variants    []VariantReport `json:"variants"`
	SideBySide  []Row           `json:"side_by_side"`
}

// Row is one figure for every variant, in the variants' order.
type Row struct {
	Metric string  `json:"metric"`
	Unit   string  `json:"unit"` // points, money (minor units) or bp
	Values []int64 `json:"values"`
}

// progressEvery is how many events pass between progress reports and
// cancellation checks.
const progressEvery = 50_000

// Run replays the events of [From, To) through every variant, in memory,
// and reports. Events outside the range are skipped; they must be in the
// order they happened.
func Run(ctx context.Context, in Input) (Report, error) {
	rep := Report{From: in.From, To: in.To, Assumptions: in.Assumptions}
	if !in.To.After(in.From) {
		return rep, errs.InvalidField("to", "empty_range", "the range is empty: to (%s) must be after from (%s)", in.To.Format(time.RFC3339), in.From.Format(time.RFC3339))
	}
	if len(in.Variants) == 0 {
		return rep, errs.InvalidField("variants", "required", "give at least one program variant")
	}
	evs := make([]*Event, 0, len(in.Events))
	for i := range in.Events {
		e := &in.Events[i]
		if !e.OccurredAt.Before(in.From) && e.OccurredAt.Before(in.To) {
			evs = append(evs, e)
			rep.Lines += len(e.Lines)
		}
	}
	// Live applies events in the order received; a history sorted by time
	// keeps ties in their given order.
	slices.SortStableFunc(evs, func(a, b *Event) int { return a.OccurredAt.Compare(b.OccurredAt) })
	rep.Events = len(evs)
	for i := range in.Variants {
		v := &in.Variants[i]
		if len(v.Versions) == 0 {
			return rep, errs.InvalidField(fmt.Sprintf("variants[%d]", i), "required", "variant %q has no program version", v.Name)
		}
		vr, err := replay(ctx, &in, v, evs)
		if err != nil {
			return rep, err
		}
		rep.Variants = append(rep.Variants, vr)
	}
	rep.SideBySide = sideBySide(rep.Variants)
	return rep, nil
}

func replay(ctx context.Context, in *Input, v *Variant, evs []*Event) (VariantReport, error) {
	r := newRunner(in, v)
	for i, ev := range evs {
		if i%progressEvery == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return VariantReport{}, err
			}
			if in.Progress != nil {
				in.Progress(v.Name, i, len(evs))
			}
		}
		r.advance(ev.OccurredAt)
		r.event(ev)
	}
	if in.Progress != nil {
		in.Progress(v.Name, len(evs), len(evs))
	}
	rep := r.finish()
	if r.sums.Err() != nil {
		return VariantReport{}, errOutOfRange
	}
	return rep, nil
}

var errOutOfRange = errs.E(errs.Invalid, "figures_out_of_range",
	"the simulation's figures add up beyond what a 64-bit integer holds (about 9.2×10^18); simulate a shorter period")

// sideBySide lists the main figures of every variant.
func sideBySide(vs []VariantReport) []Row {
	rows := []struct {
		metric, unit string
		get          func(v *VariantReport) int64
	}{
		{"points issued", "points", func(v *VariantReport) int64 { return v.Points.Issued }},
		{"points redeemed", "points", func(v *VariantReport) int64 { return v.Points.Redeemed }},
		{"points expired", "points", func(v *VariantReport) int64 { return v.Points.Expired }},
		{"points clawed back", "points", func(v *VariantReport) int64 { return v.Points.ClawedBack }},
		{"points outstanding", "points", func(v *VariantReport) int64 { return v.Points.Outstanding }},
		{"revenue", "money", func(v *VariantReport) int64 { return v.Points.Revenue }},
		{"margin", "money", func(v *VariantReport) int64 { return v.Points.Margin }},
		{"discount given", "money", func(v *VariantReport) int64 { return v.Money.DiscountGiven }},
		{"reward cost", "money", func(v *VariantReport) int64 { return v.Money.RewardCost }},
		{"cost", "money", func(v *VariantReport) int64 { return v.Money.Cost }},
		{"liability at end", "money", func(v *VariantReport) int64 { return v.Money.Liability }},
		{"cost of revenue", "bp", func(v *VariantReport) int64 { return v.Money.CostOfRevenueBP }},
		{"cost of margin", "bp", func(v *VariantReport) int64 { return v.Money.CostOfMarginBP }},
	}
	out := make([]Row, len(rows))
	for i, x := range rows {
		out[i] = Row{Metric: x.metric, Unit: x.unit, Values: make([]int64, len(vs))}
		for j := range vs {
			out[i].Values[j] = x.get(&vs[j])
		}
	}
	return out
}

// FromInputs turns events as a source sends them (or as the importer
// reads them from a file) into the simulation's events, checked as
// ingestion checks them. An event's organization is its reference (an id
// or ext:<ERP id>); problems name the event's index.
func FromInputs(ins []events.Input, now time.Time) ([]Event, error) {
	out := make([]Event, 0, len(ins))
	var f errs.Fields
	for i, in := range ins {
		ev, err := events.Check(in, now)
		if err != nil {
			if e := errs.As(err); e != nil {
				for _, fe := range e.Fields {
					f.Add(fmt.Sprintf("events[%d].%s", i, fe.Field), fe.Code, "%s", fe.Message)
				}
			}
			continue
		}
		ev.ID = fmt.Sprintf("sim-%d", i)
		out = append(out, Event{Event: ev, Org: strings.TrimSpace(in.Organization), Member: in.Member})
	}
	return out, f.Err()
}
