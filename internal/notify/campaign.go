package notify

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
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Campaign statuses.
const (
	CampaignDraft     = "draft"
	CampaignScheduled = "scheduled"
	CampaignSent      = "sent"
	maxAudience       = 200_000
)

// Campaign is a template sent to the active members of a segment's
// organizations (all organizations without one) who hold one of the
// roles (any role without any), once, now or at a time.
type Campaign struct {
	ID          string     `json:"id"`
	TenantID    string     `json:"-"`
	Name        string     `json:"name"`
	Template    string     `json:"template" doc:"The template code; each person gets the version for their channel, role and language"`
	SegmentID   string     `json:"segment_id,omitempty"`
	Roles       []string   `json:"roles"`
	Status      string     `json:"status" enum:"draft,scheduled,sent"`
	ScheduledAt *time.Time `json:"scheduled_at,omitempty"`
	SentAt      *time.Time `json:"sent_at,omitempty"`
	Audience    int        `json:"audience" doc:"People it was sent to (after sending)"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// CampaignTx is the campaigns' storage.
type CampaignTx interface {
	InsertMessageCampaign(ctx context.Context, c Campaign) error
	UpdateMessageCampaign(ctx context.Context, c Campaign) error
	// LockCampaign reads a campaign, locking it for the transaction.
	LockMessageCampaign(ctx context.Context, tenantID, id string) (Campaign, error)
	GetMessageCampaign(ctx context.Context, tenantID, id string) (Campaign, error)
	ListMessageCampaigns(ctx context.Context, tenantID string, r page.Request) ([]Campaign, error)
	DueMessageCampaigns(ctx context.Context, tenantID string, now time.Time) ([]string, error)
	// Audience lists the ids of the active members a campaign reaches.
	Audience(ctx context.Context, tenantID, segmentID string, roles []string, limit int) ([]string, error)
	SegmentExists(ctx context.Context, tenantID, id string) (bool, error)
}

// CreateCampaign saves a draft campaign.
func (s *Service) CreateCampaign(ctx context.Context, p access.Principal, in Campaign) (Campaign, error) {
	if err := p.Can(access.ManageMessages); err != nil {
		return Campaign{}, err
	}
	now := s.Clock.Now()
	c := Campaign{ID: ids.New(), TenantID: p.TenantID, Name: strings.TrimSpace(in.Name), Template: in.Template, SegmentID: in.SegmentID,
		Roles: in.Roles, Status: CampaignDraft, CreatedAt: now, UpdatedAt: now}
	var f errs.Fields
	if c.Name == "" || len(c.Name) > 200 {
		f.Add("name", "required", "give the campaign a name (at most 200 characters)")
	}
	if !validCode(c.Template) {
		f.Add("template", "bad_code", "name a template code")
	}
	for _, r := range c.Roles {
		if !slices.Contains(party.Roles, party.Role(r)) {
			f.Add("roles", "bad_role", "unknown role %q", r)
		}
	}
	if err := f.Err(); err != nil {
		return Campaign{}, err
	}
	if c.Roles == nil {
		c.Roles = []string{}
	}
	return c, s.Store.Write(ctx, func(tx Tx) error {
		if ok, err := tx.SegmentExists(ctx, p.TenantID, c.SegmentID); c.SegmentID != "" && (err != nil || !ok) {
			if err != nil {
				return err
			}
			return errs.InvalidField("segment_id", "not_found", "no segment %s", c.SegmentID)
		}
		if err := tx.InsertMessageCampaign(ctx, c); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, now, "campaign.created", "campaign", c.ID, nil, c)
	})
}

// AudienceCount counts the people a campaign would reach now.
func (s *Service) AudienceCount(ctx context.Context, p access.Principal, id string) (int, error) {
	if err := p.Can(access.ReadData); err != nil {
		return 0, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (int, error) {
		c, err := tx.GetMessageCampaign(ctx, p.TenantID, id)
		if err != nil {
			return 0, err
		}
		people, err := tx.Audience(ctx, p.TenantID, c.SegmentID, c.Roles, maxAudience+1)
		return len(people), err
	})
}

// Campaign reads one campaign.
func (s *Service) Campaign(ctx context.Context, p access.Principal, id string) (Campaign, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Campaign{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Campaign, error) { return tx.GetMessageCampaign(ctx, p.TenantID, id) })
}

// Campaigns lists a page of campaigns, newest first.
func (s *Service) Campaigns(ctx context.Context, p access.Principal, r page.Request) (page.Page[Campaign], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Campaign]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Campaign, error) { return tx.ListMessageCampaigns(ctx, p.TenantID, r) })
	return page.Build(r, rows, func(c Campaign) string { return c.ID }), err
}
