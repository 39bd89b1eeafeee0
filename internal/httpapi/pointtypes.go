package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// PointTypeJSON is a currency of a program.
type PointTypeJSON struct {
	ID            string    `json:"id"`
	ProgramID     string    `json:"program_id"`
	Code          string    `json:"code"`
	Name          string    `json:"name"`
	Unit          string    `json:"unit" enum:"points,bonuses,miles,stamps,currency"`
	Currency      string    `json:"currency"`
	ValueNum      int64     `json:"value_num" doc:"One unit is worth value_num/value_den minor currency units"`
	ValueDen      int64     `json:"value_den"`
	Rounding      string    `json:"rounding" enum:"floor,ceil,half_up,half_even"`
	NegativeLimit int64     `json:"negative_limit" doc:"How far below zero a wallet may go"`
	Expiry        string    `json:"expiry" doc:"never, days:N, months:N, end_of_month, end_of_quarter or end_of_year"`
	PendingDays   int       `json:"pending_days"`
	Transfers     []string  `json:"transfers"`
	ApprovalAbove int64     `json:"approval_above" doc:"Manual adjustments of more points need a second staff member"`
	CreatedAt     time.Time `json:"created_at"`
}

func pointTypeJSON(pt ledger.PointType) PointTypeJSON {
	return PointTypeJSON{ID: pt.ID, ProgramID: pt.ProgramID, Code: pt.Code, Name: pt.Name, Unit: string(pt.Unit), Currency: pt.Currency,
		ValueNum: pt.ValueNum, ValueDen: pt.ValueDen, Rounding: string(pt.Rounding), NegativeLimit: pt.NegativeLimit, Expiry: pt.Expiry.String(),
		PendingDays: pt.PendingDays, Transfers: pt.Transfers, ApprovalAbove: pt.ApprovalAbove, CreatedAt: pt.CreatedAt}
}

type pointTypeCreate struct {
	IDPath
	Body struct {
		Code          string   `json:"code" maxLength:"32" doc:"e.g. points, stamps"`
		Name          string   `json:"name" maxLength:"100"`
		Unit          string   `json:"unit" enum:"points,bonuses,miles,stamps,currency"`
		Currency      string   `json:"currency" maxLength:"3" doc:"ISO 4217 currency of the money value"`
		ValueNum      int64    `json:"value_num,omitempty" minimum:"0" doc:"Default 0 (no money value)"`
		ValueDen      int64    `json:"value_den,omitempty" minimum:"0" doc:"Default 1"`
		Rounding      string   `json:"rounding,omitempty" enum:"floor,ceil,half_up,half_even" doc:"Default floor"`
		NegativeLimit int64    `json:"negative_limit,omitempty" minimum:"0"`
		Expiry        string   `json:"expiry,omitempty" maxLength:"20" doc:"Default never"`
		PendingDays   int      `json:"pending_days,omitempty" minimum:"0" maximum:"3650"`
		Transfers     []string `json:"transfers,omitempty" maxItems:"5"`
		ApprovalAbove int64    `json:"approval_above,omitempty" minimum:"0" doc:"Default 0: every manual adjustment needs approval"`
	}
}

type pointTypesBody struct {
	Items []PointTypeJSON `json:"items"`
}

func (a *API) pointTypeRoutes() {
	const tag = "Programs"
	handle(a, op("create-point-type", http.MethodPost, "/v1/programs/{id}/point-types", tag, "Add a point type to a program",
		"Needs write scope. Creates the point type's system accounts (issuance, redemption, breakage, adjustment, settlement)."),
		func(ctx context.Context, p access.Principal, in *pointTypeCreate) (*bodyOut[PointTypeJSON], error) {
			b := in.Body
			pt, err := a.svc.Ledger.CreatePointType(ctx, p, in.ID, ledger.PointTypeInput{Code: b.Code, Name: b.Name, Unit: ledger.Unit(b.Unit),
				Currency: b.Currency, ValueNum: b.ValueNum, ValueDen: b.ValueDen, Rounding: money.Rounding(b.Rounding), NegativeLimit: b.NegativeLimit,
				Expiry: b.Expiry, PendingDays: b.PendingDays, Transfers: b.Transfers, ApprovalAbove: b.ApprovalAbove})
			return out(pointTypeJSON(pt)), err
		})
	handle(a, op("list-point-types", http.MethodGet, "/v1/programs/{id}/point-types", tag, "List a program's point types", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[pointTypesBody], error) {
			list, err := a.svc.Ledger.ListPointTypes(ctx, p, in.ID)
			items := make([]PointTypeJSON, len(list))
			for i, pt := range list {
				items[i] = pointTypeJSON(pt)
			}
			return out(pointTypesBody{Items: items}), err
		})
}
