package ledger

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// ExpiringWallet is a wallet with available points that expire soon: the data
// of an "your points expire on …" warning.
type ExpiringWallet struct {
	Owner       Owner     `json:"owner"`
	PointTypeID string    `json:"point_type_id"`
	AccountID   string    `json:"account_id"`
	NextExpiry  time.Time `json:"next_expiry"`   // the earliest expiry among them
	NextPoints  int64     `json:"next_points"`   // the points that expire then
	PointsSoon  int64     `json:"points_within"` // all points expiring within the window
}

// ExpiringQuery selects the wallets whose points expire within Days days
// of now (1–366), optionally of one point type.
type ExpiringQuery struct {
	Days        int
	PointTypeID string
}

// MaxExpiringDays bounds the window of ExpiringSoon.
const MaxExpiringDays = 366

// ExpiringSoon lists, a page at a time in account order, the wallets
// (organizations and members) holding available points that expire
// within the window: when the next expire and how many, and how many
// expire within the window in all. Messaging reads it to warn
// participants; it writes nothing. Under an inactivity expiry the dates
// are those in force now: an activity before then pushes them back.
func (s *Service) ExpiringSoon(ctx context.Context, p access.Principal, q ExpiringQuery, r page.Request) (page.Page[ExpiringWallet], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[ExpiringWallet]{}, err
	}
	if p.OwnOrgsOnly() { // a tenant-wide list: not for one manager's accounts
		return page.Page[ExpiringWallet]{}, errs.E(errs.Forbidden, "not_your_account", "the tenant-wide list of expiring wallets is not for account managers; open each of your organizations' wallets instead")
	}
	if q.Days < 1 || q.Days > MaxExpiringDays {
		return page.Page[ExpiringWallet]{}, errs.InvalidField("within_days", "out_of_range", "within_days must be between 1 and %d", MaxExpiringDays)
	}
	before := s.Clock.Now().AddDate(0, 0, q.Days)
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]ExpiringWallet, error) {
		return tx.ExpiringWallets(ctx, p.TenantID, q.PointTypeID, before, r.After, r.Limit+1)
	})
	return page.Build(r, rows, func(e ExpiringWallet) string { return e.AccountID }), err
}
