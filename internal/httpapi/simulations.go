package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/simulate"
)

type simulationIn struct {
	Body simulate.Request
}

func (a *API) simulationRoutes() {
	handle(a, bulk(action(op("simulate", http.MethodPost, "/v1/simulations", "Simulations", "Replay stored events through program variants",
		"Needs read scope; writes nothing. Each variant (a draft definition with its point type's parameters, or an existing program, optionally with "+
			"another definition) replays the tenant's events of [from, to) with the same engine as live, in memory: points issued, redeemed, expired "+
			"and clawed back, liability per month, discounts, reward cost, cost as a share of revenue and margin, tiers per month, top organizations "+
			"and segments, side by side. Without a redemption rate only the points the events spend are redeemed, so the prediction equals live. "+
			"See docs/SIMULATION.md."))),
		func(ctx context.Context, p access.Principal, in *simulationIn) (*bodyOut[simulate.Report], error) {
			rep, err := a.svc.Simulations.Simulate(ctx, p, in.Body, nil)
			return out(rep), err
		})
}
