package ledger

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/join"
	"github.com/loyal-b2b/loyal/internal/platform/outbound"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Service is the ledger.
type Service struct {
	Store Store
	Clock clock.Clock
	// Approvers checks the second person of a four-eyes approval (required
	// to approve adjustments above a point type's threshold).
	Approvers access.Approvers
	// Publish, if set, announces spends and expiries (points.spent,
	// points.expired) in their transactions.
	Publish outbound.Publisher

	types sync.Map // tenant/id → cachedType
	// joins posts the earns a client sends at the same time together.
	joins    join.Joiner[access.Principal, posting, Transaction]
	joinInit sync.Once
}

// How long a point type read from storage is trusted. Point types change
// rarely; another replica's change is seen within this time.
const typeTTL = 10 * time.Second

type cachedType struct {
	pt PointType
	at time.Time
}

var accountNS = uuid.MustParse("6f1b8a2e-6c1d-4f3b-9a57-2c9b3f1d0e42")

// AccountID is the id of the account of an owner in a point type. It is
// derived, not looked up: the hot path updates the account row directly.
func AccountID(pointTypeID string, ownerType OwnerType, ownerID string) string {
	return uuid.NewSHA1(accountNS, []byte(pointTypeID+"/"+string(ownerType)+"/"+ownerID)).String()
}

// derivedID makes a stable id from its parts, for rows that must be found
// again from what created them.
func derivedID(parts ...string) string {
	return uuid.NewSHA1(accountNS, []byte(strings.Join(parts, "/"))).String()
}

// TxID is the id of a transaction the product posts with a key of its
// own making ("expire:<lot>", "event:<event>:<program>", "redemption:<id>"…):
// a repeat of the operation finds it without a separate index.
func TxID(tenantID, key string) string { return derivedID(tenantID, "tx", key) }

// clientTxID is the id of a transaction posted with a client's
// Idempotency-Key. It derives under another name than TxID, so that no key
// a client chooses can take the id of a transaction the product will post:
// a client's "expire:<lot>" is just a client's key.
func clientTxID(tenantID, key string) string { return derivedID(tenantID, "client-tx", key) }

// SystemAccountID is the id of a point type's system account of a kind.
func SystemAccountID(pointTypeID, kind string) string {
	return AccountID(pointTypeID, OwnerSystem, kind)
}

// CreatePointType adds a point type to a program, with its system accounts.
func (s *Service) CreatePointType(ctx context.Context, p access.Principal, programID string, in PointTypeInput) (PointType, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return PointType{}, err
	}
	now := s.Clock.Now()
	pt := PointType{ID: ids.New(), TenantID: p.TenantID, ProgramID: programID, CreatedAt: now, UpdatedAt: now}
	var f errs.Fields
	in.build(&f, &pt)
	if err := f.Err(); err != nil {
		return PointType{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (PointType, error) {
		ok, err := tx.ProgramExists(ctx, p.TenantID, programID)
		if err != nil {
			return pt, err
		}
		if !ok {
			return pt, errs.NotFoundf("program", programID)
		}
		if err := tx.InsertPointType(ctx, pt); err != nil {
			return pt, err
		}
		accts := make([]Account, len(SystemKinds))
		for i, k := range SystemKinds {
			accts[i] = Account{ID: SystemAccountID(pt.ID, k), TenantID: p.TenantID, PointTypeID: pt.ID,
				OwnerType: OwnerSystem, OwnerID: k, CreatedAt: now, UpdatedAt: now}
		}
		if err := tx.InsertAccounts(ctx, accts); err != nil {
			return pt, err
		}
		return pt, audit.Record(ctx, tx, p, now, "point_type.created", "point_type", pt.ID, nil, pt)
	})
}

// GetPointType returns one point type.
func (s *Service) GetPointType(ctx context.Context, p access.Principal, id string) (PointType, error) {
	if err := p.Can(access.ReadData); err != nil {
		return PointType{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (PointType, error) { return tx.GetPointType(ctx, p.TenantID, id) })
}

// ListPointTypes returns the point types of a program.
func (s *Service) ListPointTypes(ctx context.Context, p access.Principal, programID string) ([]PointType, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]PointType, error) {
		ok, err := tx.ProgramExists(ctx, p.TenantID, programID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errs.NotFoundf("program", programID)
		}
		return tx.ListPointTypes(ctx, p.TenantID, programID)
	})
}

// pointType reads a point type through a short-lived cache: every ledger
// write needs its settings, and they almost never change.
func (s *Service) pointType(ctx context.Context, tx Tx, tenantID, id string) (PointType, error) {
	key := tenantID + "/" + id
	now := s.Clock.Now()
	if v, ok := s.types.Load(key); ok {
		if c := v.(cachedType); now.Sub(c.at) < typeTTL && !now.Before(c.at) {
			return c.pt, nil
		}
	}
	pt, err := tx.GetPointType(ctx, tenantID, id)
	if errs.Is(err, errs.NotFound) {
		return pt, errs.InvalidField("point_type_id", "unknown_point_type", "no point type %q in this tenant", id)
	}
	if err != nil {
		return pt, err
	}
	s.types.Store(key, cachedType{pt: pt, at: now})
	return pt, nil
}
