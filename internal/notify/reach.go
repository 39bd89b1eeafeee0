package notify

import (
	"context"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// ReachTx is the storage of campaign reach.
type ReachTx interface {
	// RecordRecipients keeps a campaign's audience as sent: each person's
	// roles and organization then, and their organizations' segments.
	RecordRecipients(ctx context.Context, tenantID, campaignID string, people []string) error
	// ReachRows counts a campaign's recipients by segment ("" : all) and
	// role set.
	ReachRows(ctx context.Context, tenantID, campaignID string) ([]ReachRow, error)
}

// ReachRow is the counts of the recipients who share a segment (""
// stands for the whole audience) and a set of roles (",a,b,").
type ReachRow struct {
	SegmentID, SegmentName, Roles string
	Counts
}

// Counts are how many of an audience the messages reached: delivered by
// any channel, opened (the e-mail's pixel, a click, or an inbox message
// seen on the portal) and clicked.
type Counts struct {
	Audience  int `json:"audience" doc:"People the campaign was sent to, as counted when it was sent"`
	Delivered int `json:"delivered" doc:"Of them, whose message was delivered (by any channel)"`
	Opened    int `json:"opened" doc:"Of them, who opened the e-mail (its image loaded or a link clicked) or saw the message in the portal"`
	Clicked   int `json:"clicked" doc:"Of them, who clicked a link in the e-mail"`
}

func (c *Counts) add(o Counts) {
	c.Audience, c.Delivered, c.Opened, c.Clicked = c.Audience+o.Audience, c.Delivered+o.Delivered, c.Opened+o.Opened, c.Clicked+o.Clicked
}

// Reach is a campaign's reach, in all and broken down.
type Reach struct {
	CampaignID string         `json:"campaign_id"`
	Total      Counts         `json:"total"`
	ByRole     []RoleReach    `json:"by_role" doc:"Per role; a person with two roles counts under both"`
	BySegment  []SegmentReach `json:"by_segment" doc:"Per segment the recipients' organizations belonged to when it was sent, each with its roles"`
}

// RoleReach is the reach among the holders of one role.
type RoleReach struct {
	Role string `json:"role"`
	Counts
}

// SegmentReach is the reach in one segment, and per role in it.
type SegmentReach struct {
	SegmentID string      `json:"segment_id"`
	Name      string      `json:"name"`
	ByRole    []RoleReach `json:"by_role"`
	Counts
}

// CampaignReach tells how far a sent campaign got, by role and segment.
// A campaign not sent yet has an empty audience.
func (s *Service) CampaignReach(ctx context.Context, p access.Principal, id string) (Reach, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Reach{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]ReachRow, error) {
		if _, err := tx.GetMessageCampaign(ctx, p.TenantID, id); err != nil {
			return nil, err
		}
		return tx.ReachRows(ctx, p.TenantID, id)
	})
	if err != nil {
		return Reach{}, err
	}
	return buildReach(id, rows), nil
}

// buildReach sums the rows by role and by segment.
func buildReach(id string, rows []ReachRow) Reach {
	r := Reach{CampaignID: id, ByRole: []RoleReach{}, BySegment: []SegmentReach{}}
	segs := map[string]*SegmentReach{}
	var order []string
	for _, row := range rows {
		if row.SegmentID == "" {
			r.Total.add(row.Counts)
			r.ByRole = addRoles(r.ByRole, row)
			continue
		}
		sg, ok := segs[row.SegmentID]
		if !ok {
			sg = &SegmentReach{SegmentID: row.SegmentID, Name: row.SegmentName, ByRole: []RoleReach{}}
			segs[row.SegmentID], order = sg, append(order, row.SegmentID)
		}
		sg.Counts.add(row.Counts)
		sg.ByRole = addRoles(sg.ByRole, row)
	}
	for _, id := range order {
		r.BySegment = append(r.BySegment, *segs[id])
	}
	slices.SortStableFunc(r.BySegment, func(a, b SegmentReach) int { return strings.Compare(a.Name, b.Name) })
	return r
}

// addRoles adds a row's counts to each of its roles.
func addRoles(list []RoleReach, row ReachRow) []RoleReach {
	for _, role := range strings.Split(strings.Trim(row.Roles, ","), ",") {
		if role == "" {
			continue
		}
		i := slices.IndexFunc(list, func(x RoleReach) bool { return x.Role == role })
		if i < 0 {
			list, i = append(list, RoleReach{Role: role}), len(list)
		}
		list[i].Counts.add(row.Counts)
	}
	slices.SortStableFunc(list, func(a, b RoleReach) int { return strings.Compare(a.Role, b.Role) })
	return list
}
