package reward

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Patch changes an item's price, stock, status or window; nil fields stay.
type Patch struct {
	Price          *int64
	Stock          *int64
	UnlimitedStock bool // clear the stock (unlimited)
	Status         *string
	AvailableFrom  *time.Time
	AvailableUntil *time.Time
	OpenWindow     bool // clear both window bounds (before applying the new ones)
	// UnchangedSince, when set, refuses the change with a Conflict if the
	// item was changed after it (a form showing an older version).
	UnchangedSince *time.Time
}

// Update changes a catalog item. Redemptions already requested keep the
// price they were made at.
func (s *Service) Update(ctx context.Context, p access.Principal, id string, in Patch) (Item, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Item{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Item, error) {
		// Locked before it is read: the whole row is written back, and a
		// redemption taking stock meanwhile would get its unit back.
		if err := tx.LockRewardItem(ctx, p.TenantID, id); err != nil {
			return Item{}, err
		}
		before, err := tx.GetRewardItem(ctx, p.TenantID, id)
		if err != nil {
			return before, err
		}
		if in.UnchangedSince != nil && !before.UpdatedAt.Equal(*in.UnchangedSince) {
			return before, errs.E(errs.Conflict, "changed_meanwhile", "the item was changed by someone else since it was read: look at it again")
		}
		it, err := in.apply(before)
		if err != nil {
			return before, err
		}
		it.UpdatedAt = s.Clock.Now()
		if err := tx.UpdateRewardItem(ctx, it); err != nil {
			return it, err
		}
		return it, audit.Record(ctx, tx, p, it.UpdatedAt, "reward.updated", "reward", it.ID, before, it)
	})
}

func (in Patch) apply(it Item) (Item, error) {
	var f errs.Fields
	if in.Price != nil {
		checkPrice(&f, "price", *in.Price)
		it.Price = *in.Price
	}
	if in.UnlimitedStock && in.Stock != nil {
		f.Add("stock", "conflicting", "give stock or unlimited_stock, not both")
	}
	if in.Stock != nil {
		checkStock(&f, in.Stock)
		v := *in.Stock
		it.Stock = &v
	}
	if in.UnlimitedStock {
		it.Stock = nil
	}
	if in.Status != nil {
		it.Status = valid.OneOf(&f, "status", *in.Status, true, []string{ItemActive, ItemArchived})
	}
	if in.OpenWindow {
		it.AvailableFrom, it.AvailableUntil = nil, nil
	}
	if in.AvailableFrom != nil {
		it.AvailableFrom = in.AvailableFrom
	}
	if in.AvailableUntil != nil {
		it.AvailableUntil = in.AvailableUntil
	}
	checkWindow(&f, it.AvailableFrom, it.AvailableUntil)
	return it, f.Err()
}

// GetSettings returns the tenant's redemption settings (defaults: no
// operator approval, management approval only where items ask for it).
func (s *Service) GetSettings(ctx context.Context, p access.Principal) (Settings, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Settings{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Settings, error) { return tx.GetRewardSettings(ctx, p.TenantID) })
}

// PutSettings replaces the tenant's redemption settings; it needs admin
// scope, since the threshold decides what the operator must approve.
// Redemptions already waiting keep their status.
func (s *Service) PutSettings(ctx context.Context, p access.Principal, in Settings) (Settings, error) {
	if err := p.Can(access.Administer); err != nil {
		return Settings{}, err
	}
	if in.ApprovalThreshold != nil && (*in.ApprovalThreshold < 0 || *in.ApprovalThreshold > MaxMoney) {
		return Settings{}, errs.InvalidField("approval_threshold", "out_of_range", "approval_threshold is 0 to %d minor units (null: never)", MaxMoney)
	}
	in.UpdatedAt = s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Settings, error) {
		before, err := tx.GetRewardSettings(ctx, p.TenantID)
		if err != nil {
			return in, err
		}
		if err := tx.PutRewardSettings(ctx, p.TenantID, in); err != nil {
			return in, err
		}
		return in, audit.Record(ctx, tx, p, in.UpdatedAt, "reward.settings_changed", "tenant", p.TenantID, before, in)
	})
}
