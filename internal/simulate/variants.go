package simulate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/program"
)

// simulatedPointType is the point type id of a draft without one.
const simulatedPointType = "simulated"

// resolveAll compiles every variant; problems name the variant's index.
func resolveAll(ctx context.Context, tx Tx, tenantID string, specs []VariantSpec) ([]Variant, error) {
	out := make([]Variant, len(specs))
	for i, sp := range specs {
		v, err := resolve(ctx, tx, tenantID, i, sp)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func resolve(ctx context.Context, tx Tx, tenantID string, i int, sp VariantSpec) (Variant, error) {
	v := Variant{Name: strings.TrimSpace(sp.Name)}
	if v.Name == "" {
		v.Name = fmt.Sprintf("variant %d", i+1)
	}
	if len(v.Name) > 100 {
		return v, errs.InvalidField(fmt.Sprintf("variants[%d].name", i), "too_long", "a variant's name has at most 100 characters")
	}
	if sp.ProgramID == "" && len(sp.Definition) == 0 {
		return v, errs.InvalidField(fmt.Sprintf("variants[%d].definition", i), "required", "give a definition, or the program_id of an existing program")
	}
	if sp.ProgramID != "" {
		return fromProgram(ctx, tx, tenantID, i, sp, v)
	}
	def, err := program.DecodeDefinition(sp.Definition)
	if err != nil {
		return v, variantErr(i, "", err)
	}
	return fromDraft(ctx, tx, tenantID, i, sp, v, def, fmt.Sprintf("variant-%d", i+1))
}

// fromProgram replays an existing program: its versions as live (with its
// period and pilot), or its point type under another definition.
func fromProgram(ctx context.Context, tx Tx, tenantID string, i int, sp VariantSpec, v Variant) (Variant, error) {
	pr, err := tx.GetProgram(ctx, tenantID, sp.ProgramID)
	if errs.Is(err, errs.NotFound) {
		return v, errs.InvalidField(fmt.Sprintf("variants[%d].program_id", i), "unknown_program", "no program %q in this tenant", sp.ProgramID)
	}
	if err != nil {
		return v, err
	}
	vs, err := tx.ListVersions(ctx, tenantID, pr.ID)
	if err != nil {
		return v, err
	}
	if len(vs) == 0 && len(sp.Definition) == 0 {
		return v, errs.InvalidField(fmt.Sprintf("variants[%d].program_id", i), "no_version", "program %s has no version yet; give a definition", pr.ID)
	}
	if sp.Name == "" {
		v.Name = pr.Name
	}
	v.Runs, v.programID = pr.Runs, pr.ID
	if pr.Status == program.Pilot {
		v.Pilot = pilotOf(pr)
	}
	if len(sp.Definition) > 0 {
		def, err := program.DecodeDefinition(sp.Definition)
		if err != nil {
			return v, variantErr(i, "", err)
		}
		if def.PointTypeID == "" && len(vs) > 0 {
			def.PointTypeID = vs[len(vs)-1].Definition.PointTypeID
		}
		return fromDraft(ctx, tx, tenantID, i, sp, v, def, pr.ID)
	}
	for _, x := range vs {
		c, err := program.Compile(ctx, tx, x)
		if err != nil {
			return v, variantErr(i, "definition.", err)
		}
		v.Versions = append(v.Versions, c)
	}
	v.PointType, err = pointType(ctx, tx, tenantID, i, sp.PointType, vs[len(vs)-1].Definition)
	return v, err
}

func pilotOf(pr program.Program) func(string) string {
	in := func(ids []string, id string) bool {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	return func(org string) string {
		switch {
		case in(pr.Pilot, org):
			return "pilot"
		case in(pr.Control, org):
			return "control"
		}
		return "outside"
	}
}

// fromDraft compiles one definition, in force over the whole range.
func fromDraft(ctx context.Context, tx Tx, tenantID string, i int, sp VariantSpec, v Variant, def engine.Definition, id string) (Variant, error) {
	if def.PointTypeID == "" {
		def.PointTypeID = simulatedPointType
	}
	pt, err := pointType(ctx, tx, tenantID, i, sp.PointType, def)
	if err != nil {
		return v, err
	}
	c, err := engine.Compile(id, 1, time.Time{}, def, engine.PointValue{Num: pt.ValueNum, Den: pt.ValueDen, Rounding: pt.Rounding})
	if err != nil {
		return v, variantErr(i, "definition.", err)
	}
	v.Versions, v.PointType = []*engine.Program{c}, pt
	return v, nil
}

// pointType is the variant's point type: the parameters given, else the
// stored point type the definition names, else 1 point = 1 minor unit.
func pointType(ctx context.Context, tx Tx, tenantID string, i int, spec *PointTypeSpec, def engine.Definition) (ledger.PointType, error) {
	if spec == nil && def.PointTypeID != "" && def.PointTypeID != simulatedPointType {
		pt, err := tx.GetPointType(ctx, tenantID, def.PointTypeID)
		if errs.Is(err, errs.NotFound) {
			return pt, errs.InvalidField(fmt.Sprintf("variants[%d].definition.point_type_id", i), "unknown_point_type",
				"no point type %q in this tenant; give point_type parameters instead", def.PointTypeID)
		}
		return pt, err
	}
	if spec == nil {
		spec = &PointTypeSpec{ValueNum: 1}
	}
	cur := def.Currency
	if cur == "" {
		cur = "XXX" // the definition's own check names the missing currency
	}
	in := ledger.PointTypeInput{Code: "points", Name: "Simulated points", Unit: "points", Currency: cur,
		ValueNum: spec.ValueNum, ValueDen: spec.ValueDen, Rounding: money.Rounding(spec.Rounding), Expiry: spec.Expiry,
		PendingDays: spec.PendingDays, NegativeLimit: spec.NegativeLimit}
	pt, err := in.Check()
	if err != nil {
		return pt, variantErr(i, "point_type.", err)
	}
	pt.ID = def.PointTypeID
	return pt, nil
}
