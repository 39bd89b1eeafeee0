package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
)

// AdjustmentResultJSON is an adjustment, and its transaction once posted.
type AdjustmentResultJSON struct {
	Adjustment  ledger.Adjustment   `json:"adjustment"`
	Transaction *ledger.Transaction `json:"transaction,omitempty" doc:"Absent while the adjustment waits for approval"`
}

type adjustIn struct {
	IDPath
	IdemHeader
	Body struct {
		Amount    int64      `json:"amount" doc:"Points to credit (positive) or debit (negative)"`
		Reason    string     `json:"reason" minLength:"1" maxLength:"500"`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"For credits: when the points expire (default: the point type's policy)"`
	}
}

type adjustListIn struct {
	PageQuery
	Status string `query:"status" enum:"pending_approval,posted,rejected"`
}

type decideIn struct {
	IDPath
	Body struct {
		Note string `json:"note,omitempty" maxLength:"500" doc:"Required when rejecting"`
	}
}

func (a *API) adjustmentRoutes() {
	const tag = "Ledger"
	handle(a, domainIdem(op("adjust-account", http.MethodPost, "/v1/accounts/{id}/adjustments", tag, "Adjust a wallet by hand",
		"Needs write scope, a key acting for a staff user, a reason and an Idempotency-Key. Above the point type's approval_above the adjustment waits for a second staff member (status pending_approval, 201 without a transaction).")),
		func(ctx context.Context, p access.Principal, in *adjustIn) (*bodyOut[AdjustmentResultJSON], error) {
			adj, t, err := a.svc.Ledger.Adjust(ctx, p, ledger.AdjustInput{AccountID: in.ID, Amount: in.Body.Amount, Reason: in.Body.Reason,
				ExpiresAt: in.Body.ExpiresAt, IdemKey: in.IdempotencyKey})
			return out(AdjustmentResultJSON{Adjustment: adj, Transaction: t}), err
		})
	handle(a, op("list-adjustments", http.MethodGet, "/v1/adjustments", tag, "List manual adjustments", "Needs read scope. Newest first."),
		func(ctx context.Context, p access.Principal, in *adjustListIn) (*listOut[ledger.Adjustment], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Ledger.ListAdjustments(ctx, p, in.Status, r)
			return pageOut(pg, func(x ledger.Adjustment) ledger.Adjustment { return x }), err
		})
	decide := func(approve bool) func(ctx context.Context, p access.Principal, in *decideIn) (*bodyOut[AdjustmentResultJSON], error) {
		return func(ctx context.Context, p access.Principal, in *decideIn) (*bodyOut[AdjustmentResultJSON], error) {
			adj, t, err := a.svc.Ledger.Decide(ctx, p, in.ID, approve, in.Body.Note)
			return out(AdjustmentResultJSON{Adjustment: adj, Transaction: t}), err
		}
	}
	handle(a, action(op("approve-adjustment", http.MethodPost, "/v1/adjustments/{id}/approve", tag, "Approve and post an adjustment",
		"Needs write scope and a key of a staff user other than the requester.")), decide(true))
	handle(a, action(op("reject-adjustment", http.MethodPost, "/v1/adjustments/{id}/reject", tag, "Reject an adjustment",
		"Needs write scope, a note, and a key of a staff user other than the requester.")), decide(false))
}
