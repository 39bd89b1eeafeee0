package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// IdemHeader is the Idempotency-Key header that every ledger change needs;
// the ledger itself keeps the key, so the generic middleware stays out.
type IdemHeader struct {
	IdempotencyKey string `header:"Idempotency-Key" required:"true" minLength:"1" maxLength:"200" doc:"Makes the change safe to retry: a repeat returns the first result"`
}

// OwnerJSON names a wallet's owner.
type OwnerJSON struct {
	Type string `json:"type" enum:"organization,member"`
	ID   string `json:"id" maxLength:"110" doc:"The owner's id, or ext:<external id>"`
}

// resolveOwner turns an ext: reference into an id.
func (a *API) resolveOwner(ctx context.Context, p access.Principal, o OwnerJSON) (ledger.Owner, error) {
	out := ledger.Owner{Type: ledger.OwnerType(o.Type), ID: o.ID}
	if len(o.ID) < len(party.ExternalRef) || o.ID[:len(party.ExternalRef)] != party.ExternalRef {
		return out, nil
	}
	var err error
	switch out.Type {
	case ledger.OwnerOrganization:
		var org party.Organization
		org, err = a.svc.Party.GetOrganization(ctx, p, o.ID)
		out.ID = org.ID
	case ledger.OwnerMember:
		var m party.Member
		m, err = a.svc.Party.GetMember(ctx, p, o.ID)
		out.ID = m.ID
	}
	if errs.Is(err, errs.NotFound) {
		return out, errs.InvalidField("owner.id", "unknown_owner", "no %s %q in this tenant", o.Type, o.ID)
	}
	return out, err
}

// CauseJSON says why a manual operation happens. The caller's own text
// (an invoice number) is its reference; event_id is the older name of the
// same field, still accepted, and stored as the reference too, so that a
// transaction's event_id only ever names an ingested event.
type CauseJSON struct {
	Reason    string `json:"reason,omitempty" maxLength:"500"`
	Reference string `json:"reference,omitempty" maxLength:"200" doc:"Your own reference (an invoice number, a ticket)"`
	EventID   string `json:"event_id,omitempty" maxLength:"200" deprecated:"true" doc:"Deprecated: the older name of reference, stored as the reference"`
}

// cause is the ledger's cause: event_id given alone is the reference.
func (c CauseJSON) cause() ledger.Cause {
	ref := c.Reference
	if ref == "" {
		ref = c.EventID
	}
	return ledger.Cause{Reason: c.Reason, Reference: ref}
}

type earnIn struct {
	IdemHeader
	Body struct {
		Owner       OwnerJSON  `json:"owner"`
		PointTypeID string     `json:"point_type_id" maxLength:"64"`
		Amount      int64      `json:"amount" minimum:"1" doc:"Points to credit"`
		EffectiveAt time.Time  `json:"effective_at,omitempty" doc:"When the points were earned (default now); expiry and pending periods count from it"`
		AvailableAt *time.Time `json:"available_at,omitempty" doc:"When they become spendable; default: after the point type's pending days"`
		ExpiresAt   *time.Time `json:"expires_at,omitempty" doc:"Default: by the point type's expiry policy"`
		NeverExpire bool       `json:"never_expire,omitempty"`
		CauseJSON
	}
}

type spendIn struct {
	IdemHeader
	Body struct {
		Owner       OwnerJSON `json:"owner"`
		PointTypeID string    `json:"point_type_id" maxLength:"64"`
		Amount      int64     `json:"amount" minimum:"1"`
		CauseJSON
	}
}

type transferIn struct {
	IdemHeader
	Body struct {
		From        OwnerJSON `json:"from"`
		To          OwnerJSON `json:"to"`
		PointTypeID string    `json:"point_type_id" maxLength:"64"`
		Amount      int64     `json:"amount" minimum:"1"`
		Reason      string    `json:"reason,omitempty" maxLength:"500"`
	}
}

type clawbackIn struct {
	IdemHeader
	Body struct {
		LotID  string `json:"lot_id" maxLength:"64"`
		Amount int64  `json:"amount" minimum:"1"`
		Policy string `json:"policy" enum:"source_only,other_lots,allow_negative" doc:"What to do with the part the lot no longer holds"`
		CauseJSON
	}
}

type reverseIn struct {
	IDPath
	IdemHeader
	Body struct {
		Reason string `json:"reason" minLength:"1" maxLength:"500"`
	}
}

func (a *API) ledgerRoutes() {
	const tag = "Ledger"
	handle(a, domainIdem(op("earn", http.MethodPost, "/v1/ledger/earn", tag, "Credit earned points to a wallet",
		"Needs write scope and an Idempotency-Key. Points usually come from events; this is for systems that compute points themselves.")),
		func(ctx context.Context, p access.Principal, in *earnIn) (*bodyOut[ledger.Transaction], error) {
			o, err := a.resolveOwner(ctx, p, in.Body.Owner)
			if err != nil {
				return nil, err
			}
			b := in.Body
			t, err := a.svc.Ledger.Earn(ctx, p, ledger.EarnInput{IdemKey: in.IdempotencyKey, Owner: o, PointTypeID: b.PointTypeID, Amount: b.Amount,
				EffectiveAt: b.EffectiveAt, AvailableAt: b.AvailableAt, ExpiresAt: b.ExpiresAt, NeverExpire: b.NeverExpire,
				Cause: b.cause()})
			return out(t), err
		})
	handle(a, domainIdem(op("spend", http.MethodPost, "/v1/ledger/spend", tag, "Spend points from a wallet",
		"Needs write scope and an Idempotency-Key. Takes the earliest-expiring points first; 409 insufficient_points when the wallet cannot cover it.")),
		func(ctx context.Context, p access.Principal, in *spendIn) (*bodyOut[ledger.Transaction], error) {
			o, err := a.resolveOwner(ctx, p, in.Body.Owner)
			if err != nil {
				return nil, err
			}
			t, err := a.svc.Ledger.Spend(ctx, p, ledger.SpendInput{IdemKey: in.IdempotencyKey, Owner: o, PointTypeID: in.Body.PointTypeID,
				Amount: in.Body.Amount, Cause: in.Body.cause()})
			return out(t), err
		})
	handle(a, domainIdem(op("transfer", http.MethodPost, "/v1/ledger/transfers", tag, "Move points between wallets",
		"Needs write scope and an Idempotency-Key. Only routes the point type allows (organization to its employee, branch to holding…); the points keep their expiry.")),
		func(ctx context.Context, p access.Principal, in *transferIn) (*bodyOut[ledger.Transaction], error) {
			from, err := a.resolveOwner(ctx, p, in.Body.From)
			if err != nil {
				return nil, err
			}
			to, err := a.resolveOwner(ctx, p, in.Body.To)
			if err != nil {
				return nil, errs.Prefix(err, "to.")
			}
			t, err := a.svc.Ledger.Transfer(ctx, p, ledger.TransferInput{IdemKey: in.IdempotencyKey, From: from, To: to,
				PointTypeID: in.Body.PointTypeID, Amount: in.Body.Amount, Reason: in.Body.Reason})
			return out(t), err
		})
	handle(a, domainIdem(op("clawback", http.MethodPost, "/v1/ledger/clawbacks", tag, "Take back points of a lot",
		"Needs write scope and an Idempotency-Key. For returned goods: takes from the lot first, then as the policy says.")),
		func(ctx context.Context, p access.Principal, in *clawbackIn) (*bodyOut[ledger.Transaction], error) {
			b := in.Body
			t, err := a.svc.Ledger.Clawback(ctx, p, ledger.ClawbackInput{IdemKey: in.IdempotencyKey, LotID: b.LotID, Amount: b.Amount,
				Policy: b.Policy, Cause: b.cause()})
			return out(t), err
		})
	handle(a, op("get-transaction", http.MethodGet, "/v1/transactions/{id}", tag, "Get a ledger transaction", "Needs read scope. With its postings, the lots it created and the lots it used."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[ledger.Transaction], error) {
			t, err := a.svc.Ledger.GetTransaction(ctx, p, in.ID)
			return out(t), err
		})
	handle(a, domainIdem(op("reverse-transaction", http.MethodPost, "/v1/transactions/{id}/reverse", tag, "Reverse a transaction",
		"Needs write scope and an Idempotency-Key. Undoes an earn, spend, adjustment, transfer or clawback; the lots it took from get their points back (to breakage if they expired since). An earn whose points were spent cannot be reversed.")),
		func(ctx context.Context, p access.Principal, in *reverseIn) (*bodyOut[ledger.Transaction], error) {
			t, err := a.svc.Ledger.Reverse(ctx, p, ledger.ReverseInput{IdemKey: in.IdempotencyKey, TxID: in.ID, Reason: in.Body.Reason})
			return out(t), err
		})
	a.walletRoutes()
	a.adjustmentRoutes()
	a.pointTypeRoutes()
}
