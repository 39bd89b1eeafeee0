package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/jobs"
)

func (a *API) jobRoutes() {
	handle(a, op("list-jobs", http.MethodGet, "/v1/jobs", "Operations", "List background jobs",
		"Needs read scope. The tenant's background jobs (points becoming available, expiry, program reviews, membership lapses, "+
			"personal codes, coupon expiry, occasions, segments): each one's last run — when, how long, its outcome and rows — and when it "+
			"is next due. Replicas of the server share the schedule: one runs a given job at a time, and last_ran_by names it."),
		func(ctx context.Context, p access.Principal, _ *struct{}) (*bodyOut[listBody[jobs.Run]], error) {
			runs, err := a.svc.Jobs.List(ctx, p)
			return out(listBody[jobs.Run]{Items: nonNil(runs)}), err
		})
}
