package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
)

// MoneyJSON is an amount of money in minor units.
type MoneyJSON struct {
	Amount   int64  `json:"amount" doc:"In minor units (pence, cents)"`
	Currency string `json:"currency"`
}

// ExpiringJSON is an amount of points expiring at a time.
type ExpiringJSON struct {
	At     time.Time `json:"at"`
	Amount int64     `json:"amount"`
}

// BalanceJSON is a wallet in one point type.
type BalanceJSON struct {
	AccountID     string         `json:"account_id"`
	PointTypeID   string         `json:"point_type_id"`
	PointTypeCode string         `json:"point_type_code"`
	Unit          string         `json:"unit"`
	Available     int64          `json:"available" doc:"Spendable now (negative only where the point type allows)"`
	Pending       int64          `json:"pending" doc:"Earned, not yet spendable"`
	Value         MoneyJSON      `json:"value" doc:"Money value of the available points"`
	ExpiringSoon  int64          `json:"expiring_soon" doc:"Available points expiring within expiring_within_days"`
	NextExpiries  []ExpiringJSON `json:"next_expiries"`
}

type walletBody struct {
	Owner              OwnerJSON     `json:"owner"`
	ExpiringWithinDays int           `json:"expiring_within_days"`
	Balances           []BalanceJSON `json:"balances"`
}

type walletIn struct {
	IDPath
	Within int `query:"expiring_within_days" minimum:"0" maximum:"3650" default:"30" doc:"Window for expiring_soon"`
}

// AccountJSON is a ledger account.
type AccountJSON struct {
	ID          string    `json:"id"`
	PointTypeID string    `json:"point_type_id"`
	OwnerType   string    `json:"owner_type" enum:"organization,member,system"`
	OwnerID     string    `json:"owner_id"`
	Available   int64     `json:"available" doc:"For a system account: the sum of its postings"`
	Pending     int64     `json:"pending"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// StatementLineJSON is one posting to an account.
type StatementLineJSON struct {
	TxID           string    `json:"tx_id"`
	Kind           string    `json:"kind"`
	EffectiveAt    time.Time `json:"effective_at"`
	RecordedAt     time.Time `json:"recorded_at"`
	Bucket         string    `json:"bucket" enum:"available,pending"`
	Amount         int64     `json:"amount"`
	AvailableAfter int64     `json:"available_after" doc:"Running balance"`
	PendingAfter   int64     `json:"pending_after"`
	LotID          string    `json:"lot_id,omitempty"`
	Reason         string    `json:"reason,omitempty"`
	EventID        string    `json:"event_id,omitempty" doc:"The ingested event that caused it"`
	Reference      string    `json:"reference,omitempty" doc:"The caller's own reference of a manual operation"`
	RuleID         string    `json:"rule_id,omitempty"`
}

type statementIn struct {
	IDPath
	PageQuery
}

func (a *API) walletRoutes() {
	const tag = "Ledger"
	wallet := func(kind ledger.OwnerType) func(ctx context.Context, p access.Principal, in *walletIn) (*bodyOut[walletBody], error) {
		return func(ctx context.Context, p access.Principal, in *walletIn) (*bodyOut[walletBody], error) {
			o, err := a.resolveOwner(ctx, p, OwnerJSON{Type: string(kind), ID: in.ID})
			if err != nil {
				return nil, err
			}
			bs, err := a.svc.Ledger.Balances(ctx, p, o, time.Duration(in.Within)*24*time.Hour)
			body := walletBody{Owner: OwnerJSON{Type: string(kind), ID: o.ID}, ExpiringWithinDays: in.Within, Balances: make([]BalanceJSON, len(bs))}
			for i, b := range bs {
				body.Balances[i] = balanceJSON(b)
			}
			return out(body), err
		}
	}
	handle(a, op("get-organization-wallet", http.MethodGet, "/v1/organizations/{id}/wallet", tag, "An organization's balances",
		"Needs read scope. Per point type: available and pending points, their money value, points expiring soon and the next expiries."),
		wallet(ledger.OwnerOrganization))
	handle(a, op("get-member-wallet", http.MethodGet, "/v1/members/{id}/wallet", tag, "A member's balances", "Needs read scope."),
		wallet(ledger.OwnerMember))
	handle(a, op("get-account", http.MethodGet, "/v1/accounts/{id}", tag, "Get a ledger account", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[AccountJSON], error) {
			acc, err := a.svc.Ledger.GetAccount(ctx, p, in.ID)
			return out(AccountJSON{ID: acc.ID, PointTypeID: acc.PointTypeID, OwnerType: string(acc.OwnerType), OwnerID: acc.OwnerID,
				Available: acc.Available, Pending: acc.Pending, CreatedAt: acc.CreatedAt, UpdatedAt: acc.UpdatedAt}), err
		})
	handle(a, op("get-statement", http.MethodGet, "/v1/accounts/{id}/statement", tag, "A wallet's statement",
		"Needs read scope. Every posting, oldest first, with its reason and the running balance."),
		func(ctx context.Context, p access.Principal, in *statementIn) (*listOut[StatementLineJSON], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Ledger.Statement(ctx, p, in.ID, r)
			return pageOut(pg, statementLineJSON), err
		})
	handle(a, op("list-expiring-wallets", http.MethodGet, "/v1/ledger/expiring", tag, "Wallets whose points expire soon",
		"Needs read scope. Organizations' and members' wallets with available points expiring within within_days of now, in account order: "+
			"the next expiry and its points, and all points expiring in the window — the data of \"your points expire on …\" messages."),
		func(ctx context.Context, p access.Principal, in *expiringIn) (*listOut[ledger.ExpiringWallet], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Ledger.ExpiringSoon(ctx, p, ledger.ExpiringQuery{Days: in.Days, PointTypeID: in.PointTypeID}, r)
			return pageOut(pg, func(w ledger.ExpiringWallet) ledger.ExpiringWallet { return w }), err
		})
}

type expiringIn struct {
	PageQuery
	Days        int    `query:"within_days" default:"30" doc:"The window, 1 to 366 days from now"`
	PointTypeID string `query:"point_type_id" maxLength:"110" doc:"Only wallets of this point type"`
}

func balanceJSON(b ledger.Balance) BalanceJSON {
	out := BalanceJSON{AccountID: b.Account.ID, PointTypeID: b.PointType.ID, PointTypeCode: b.PointType.Code, Unit: string(b.PointType.Unit),
		Available: b.Account.Available, Pending: b.Account.Pending, Value: MoneyJSON{Amount: b.MoneyValue, Currency: b.PointType.Currency},
		ExpiringSoon: b.ExpiringSoon, NextExpiries: make([]ExpiringJSON, len(b.NextExpiries))}
	for i, e := range b.NextExpiries {
		out.NextExpiries[i] = ExpiringJSON{At: e.At, Amount: e.Amount}
	}
	return out
}

func statementLineJSON(l ledger.StatementLine) StatementLineJSON {
	return StatementLineJSON{TxID: l.TxID, Kind: string(l.Kind), EffectiveAt: l.Effective, RecordedAt: l.Created, Bucket: string(l.Bucket),
		Amount: l.Amount, AvailableAfter: deref(l.AvailableAfter), PendingAfter: deref(l.PendingAfter), LotID: l.LotID,
		Reason: l.Reason, EventID: l.EventID, Reference: l.Reference, RuleID: l.RuleID}
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
