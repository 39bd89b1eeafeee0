package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
)

type campaignReachIn struct {
	IDPath
	Format string `query:"format" enum:"json,csv" default:"json" doc:"csv for a text/csv export"`
}

// campaignReachRoutes serve how far each campaign got.
func (a *API) campaignReachRoutes() {
	handle(a, op("get-message-campaign-reach", http.MethodGet, "/v1/message-campaigns/{id}/reach", "Messages", "A campaign's reach by role and segment",
		"Needs read scope. Of the audience counted when the campaign was sent: how many were delivered, opened (e-mail's image loaded or a link clicked, or the inbox message seen on the portal) and clicked, "+
			"in all, per role (a person with two roles counts under both), per segment their organization belonged to at sending, and per role in each segment. "+
			"A campaign not sent yet has an audience of 0. format=csv exports one row per total, role, segment and segment × role. Definitions: docs/MESSAGING.md."),
		func(ctx context.Context, p access.Principal, in *campaignReachIn) (*fileOut, error) {
			r, err := a.svc.Notify.CampaignReach(ctx, p, in.ID)
			if err != nil {
				return nil, err
			}
			return report(in.Format, r, r.CSV)
		})
}
