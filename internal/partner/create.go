package partner

import (
	"context"
	"regexp"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Input describes a partner to create.
type Input struct {
	Name        string
	ProgramID   string
	PointTypeID string
	IssuePrice  int64
	RedeemPrice int64
	Currency    string // "": the point type's currency
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// Create adds an active partner of a program, issuing and accepting one of
// the program's point types. It needs write scope.
func (s *Service) Create(ctx context.Context, p access.Principal, in Input) (Partner, error) {
	if err := operator(p, access.ScopeWrite); err != nil {
		return Partner{}, err
	}
	now := s.Clock.Now()
	pt := Partner{ID: ids.New(), TenantID: p.TenantID, Status: Active, CreatedAt: now, UpdatedAt: now,
		IssuePrice: in.IssuePrice, RedeemPrice: in.RedeemPrice}
	var f errs.Fields
	pt.Name = valid.Text(&f, "name", in.Name, true, 200)
	pt.ProgramID = valid.Text(&f, "program_id", in.ProgramID, true, 64)
	pt.PointTypeID = valid.Text(&f, "point_type_id", in.PointTypeID, true, 64)
	checkPrice(&f, "issue_price", in.IssuePrice)
	checkPrice(&f, "redeem_price", in.RedeemPrice)
	pt.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	if pt.Currency != "" && !currencyRE.MatchString(pt.Currency) {
		f.Add("currency", "invalid_currency", "currency is a three-letter ISO 4217 code such as GBP or EUR")
	}
	if err := f.Err(); err != nil {
		return Partner{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Partner, error) {
		if err := s.checkProgram(ctx, tx, &pt); err != nil {
			return pt, err
		}
		if err := tx.InsertPartner(ctx, pt); err != nil {
			return pt, err
		}
		return pt, audit.Record(ctx, tx, p, now, "partner.created", "partner", pt.ID, nil, pt)
	})
}

func checkPrice(f *errs.Fields, field string, v int64) {
	if v < 0 || v > MaxPrice {
		f.Add(field, "out_of_range", "%s is minor currency units per %d points, between 0 and %d", field, PricePer, MaxPrice)
	}
}

// checkProgram checks that the program exists and the point type is one of
// its own, and takes the point type's currency when none was given.
func (s *Service) checkProgram(ctx context.Context, tx Tx, pt *Partner) error {
	if _, err := tx.GetProgram(ctx, pt.TenantID, pt.ProgramID); errs.Is(err, errs.NotFound) {
		return errs.InvalidField("program_id", "unknown_program", "no program %q in this tenant", pt.ProgramID)
	} else if err != nil {
		return err
	}
	typ, err := tx.GetPointType(ctx, pt.TenantID, pt.PointTypeID)
	if errs.Is(err, errs.NotFound) || (err == nil && typ.ProgramID != pt.ProgramID) {
		return errs.InvalidField("point_type_id", "unknown_point_type", "program %s has no point type %q", pt.ProgramID, pt.PointTypeID)
	}
	if err != nil {
		return err
	}
	if pt.Currency == "" {
		pt.Currency = typ.Currency
	}
	return nil
}
