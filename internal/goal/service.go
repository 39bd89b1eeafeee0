package goal

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Limits of a goal's input.
const (
	maxItems  = 200             // SKUs or categories
	maxTarget = money.MaxAmount // the most an event's amount can be
	maxBP     = 10_000
)

// MaxProgress is where a goal's counter stops: far beyond any target, so
// a goal is decided long before, and far enough below the int64 limit
// that adding an event's delta (at most money.MaxAmount) cannot overflow.
const MaxProgress int64 = 1_000_000_000_000_000_000 // 10^18

// Input describes a goal to create.
type Input struct {
	Name         string
	Organization string // id or ext:<external id>; may be empty when Member is given
	Member       string // id or ext:<external id>; "": the whole organization
	Metric       string
	SKUs         []string
	Categories   []string
	Target       int64
	StartsAt     time.Time
	EndsAt       time.Time
	Reward       Reward
}

// Create adds an active goal.
func (s *Service) Create(ctx context.Context, p access.Principal, in Input) (Goal, error) {
	if err := p.Can(access.ManageGoals); err != nil {
		return Goal{}, err
	}
	now := s.Clock.Now()
	g, f := check(in)
	g.ID, g.TenantID, g.Status, g.CreatedAt, g.UpdatedAt = ids.New(), p.TenantID, Active, now, now
	if in.Organization == "" && in.Member == "" {
		f.Add("organization", "required", "give the organization (or the member) the goal is for")
	}
	if err := f.Err(); err != nil {
		return Goal{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Goal, error) {
		if err := resolve(ctx, tx, p.TenantID, in, &g); err != nil {
			return g, err
		}
		if err := party.RequireReach(ctx, tx, p, g.OrganizationID); err != nil {
			return g, err
		}
		if err := tx.InsertGoal(ctx, g); err != nil {
			return g, err
		}
		s.Used.MarkUsed(p.TenantID)
		return g, audit.Record(ctx, tx, p, now, "goal.created", "goal", g.ID, nil, g)
	})
}

// check validates what needs no storage; every problem is reported at once.
func check(in Input) (Goal, *errs.Fields) {
	f := &errs.Fields{}
	g := Goal{Name: valid.Text(f, "name", in.Name, true, 200), Metric: valid.OneOf(f, "metric", in.Metric, true, Metrics),
		Target: in.Target, StartsAt: in.StartsAt.UTC().Truncate(time.Millisecond), EndsAt: in.EndsAt.UTC().Truncate(time.Millisecond),
		SKUs: items(f, "skus", in.SKUs), Categories: items(f, "categories", in.Categories)}
	switch {
	case in.Target <= 0:
		f.Add("target", "not_positive", "the target must be positive")
	case in.Target > maxTarget:
		f.Add("target", "too_large", "the target must be at most %d", int64(maxTarget))
	case in.Metric == Share && in.Target > maxBP:
		f.Add("target", "too_large", "a share target is in basis points of the partner's purchases: at most 10000 (100%%)")
	}
	if (in.Metric == Trainings || in.Metric == Claims) && len(g.SKUs)+len(g.Categories) > 0 {
		f.Add("skus", "not_applicable", "%s goals count events, not lines: leave skus and categories empty", in.Metric)
	}
	switch {
	case in.StartsAt.IsZero():
		f.Add("starts_at", "required", "give when the goal's period starts (RFC 3339)")
	case in.EndsAt.IsZero():
		f.Add("ends_at", "required", "give when the goal's period ends (RFC 3339, exclusive)")
	case !g.EndsAt.After(g.StartsAt):
		f.Add("ends_at", "before_start", "the period must end after it starts")
	}
	g.Reward = checkReward(f, in.Reward)
	return g, f
}

func checkReward(f *errs.Fields, r Reward) Reward {
	out := Reward{PointTypeID: strings.TrimSpace(r.PointTypeID), Points: r.Points,
		Text: valid.LongText(f, "reward_text", r.Text, false, 1000)}
	switch {
	case r.Points < 0:
		f.Add("reward_points", "negative", "reward points must not be negative")
	case r.Points > maxTarget:
		f.Add("reward_points", "too_large", "at most %d reward points", int64(maxTarget))
	case r.Points > 0 && out.PointTypeID == "":
		f.Add("point_type_id", "required", "give the point type the reward points are credited in")
	case r.Points == 0 && out.PointTypeID != "":
		f.Add("reward_points", "required", "give how many points the goal rewards, or leave point_type_id out")
	case r.Points == 0 && out.Text == "":
		f.Add("reward_points", "required", "a goal rewards points, a text reward, or both")
	}
	return out
}

// items cleans a list of SKUs or categories: trimmed, unique, sorted.
func items(f *errs.Fields, field string, in []string) []string {
	if len(in) > maxItems {
		f.Add(field, "too_many", "at most %d items", maxItems)
		return nil
	}
	out := make([]string, 0, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || len(s) > 100 {
			f.Add(field, "invalid", "items must be 1 to 100 characters")
			return nil
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// resolve finds the goal's organization, member and point type.
func resolve(ctx context.Context, tx Tx, tenantID string, in Input, g *Goal) error {
	var f errs.Fields
	if in.Organization != "" {
		o, err := party.OrgByRef(ctx, tx, tenantID, in.Organization)
		if errs.Is(err, errs.NotFound) {
			f.Add("organization", "unknown_organization", "no organization %q", in.Organization)
		} else if err != nil {
			return err
		}
		g.OrganizationID = o.ID
	}
	if in.Member != "" {
		m, err := party.MemberByRef(ctx, tx, tenantID, in.Member)
		switch {
		case errs.Is(err, errs.NotFound):
			f.Add("member", "unknown_member", "no member %q", in.Member)
		case err != nil:
			return err
		case g.OrganizationID != "" && m.OrganizationID != g.OrganizationID:
			f.Add("member", "not_in_organization", "member %q does not belong to organization %q", in.Member, in.Organization)
		case in.Organization == "":
			g.OrganizationID = m.OrganizationID
		}
		g.MemberID = m.ID
	}
	if g.Metric == Share && in.Member != "" {
		f.Add("metric", "organization_only", "a share goal is for an organization: the partner reports its total purchases, not a member's")
	}
	if g.Reward.PointTypeID != "" {
		if _, err := tx.GetPointType(ctx, tenantID, g.Reward.PointTypeID); errs.Is(err, errs.NotFound) {
			f.Add("point_type_id", "unknown_point_type", "no point type %q", g.Reward.PointTypeID)
		} else if err != nil {
			return err
		}
	}
	return f.Err()
}

// Get returns one goal.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Goal, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Goal{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Goal, error) {
		g, err := tx.GetGoal(ctx, p.TenantID, id)
		if err != nil {
			return g, err
		}
		return g, party.RequireReach(ctx, tx, p, g.OrganizationID)
	})
}

// ListInput filters a list: organization and member by id or ext:<id>.
type ListInput struct {
	Organization, Member, Status string
}

// List returns a page of goals in creation order.
func (s *Service) List(ctx context.Context, p access.Principal, in ListInput, r page.Request) (page.Page[Goal], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Goal]{}, err
	}
	var fs errs.Fields
	f := Filter{Status: valid.OneOf(&fs, "status", in.Status, false, Statuses), Now: s.Clock.Now()}
	if err := fs.Err(); err != nil {
		return page.Page[Goal]{}, err
	}
	if p.OwnOrgsOnly() && in.Organization == "" && in.Member == "" {
		return page.Page[Goal]{}, errs.E(errs.Forbidden, "not_your_account",
			"an account manager lists the goals of one of their own organizations: name the organization")
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Goal, error) {
		if err := filterRefs(ctx, tx, p, in, &f); err != nil {
			return nil, err
		}
		return tx.ListGoals(ctx, p.TenantID, f, r)
	})
	return page.Build(r, rows, func(g Goal) string { return g.ID }), err
}

// filterRefs resolves the list's organization and member references; an
// unknown one is a 404, as for the thing itself, and one out of an
// account manager's reach is refused.
func filterRefs(ctx context.Context, tx Tx, p access.Principal, in ListInput, f *Filter) error {
	if in.Organization != "" {
		o, err := party.OrgByRef(ctx, tx, p.TenantID, in.Organization)
		if err != nil {
			return err
		}
		if err := p.Reaches(o.AccountManagerID); err != nil {
			return err
		}
		f.OrganizationID = o.ID
	}
	if in.Member != "" {
		m, err := party.MemberByRef(ctx, tx, p.TenantID, in.Member)
		if err != nil {
			return err
		}
		if err := party.RequireReach(ctx, tx, p, m.OrganizationID); err != nil {
			return err
		}
		f.MemberID = m.ID
	}
	return nil
}

// Cancel stops an active goal: events no longer count and its reward is
// no longer granted. An achieved or cancelled goal cannot be cancelled.
func (s *Service) Cancel(ctx context.Context, p access.Principal, id string) (Goal, error) {
	if err := p.Can(access.ManageGoals); err != nil {
		return Goal{}, err
	}
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Goal, error) {
		before, err := tx.GetGoal(ctx, p.TenantID, id)
		if err != nil {
			return before, err
		}
		if err := party.RequireReach(ctx, tx, p, before.OrganizationID); err != nil {
			return before, err
		}
		ok, err := tx.CancelGoal(ctx, p.TenantID, id, now)
		if err != nil {
			return before, err
		}
		if !ok {
			return before, errs.E(errs.Conflict, "goal_not_active", "goal %s is %s: only an active goal can be cancelled", id, before.Status)
		}
		after := before
		after.Status, after.UpdatedAt = Cancelled, now
		return after, audit.Record(ctx, tx, p, now, "goal.cancelled", "goal", id, before, after)
	})
}
