package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
)

// WhoAmIJSON says what the calling key proves: which tenant, acting as whom,
// with which scope. It is read from the authenticated principal alone.
type WhoAmIJSON struct {
	TenantID  string `json:"tenant_id"`
	ActorType string `json:"actor_type" doc:"api_key for an integration key, staff for a key acting for a staff user"`
	ActorID   string `json:"actor_id" doc:"The key's id"`
	StaffID   string `json:"staff_id,omitempty" doc:"The staff user the key acts for"`
	Role      string `json:"role,omitempty" doc:"That staff user's role"`
	PartnerID string `json:"partner_id,omitempty" doc:"Set for a coalition partner's key"`
	Scope     string `json:"scope" doc:"read, write or admin"`
}

// whoamiRoute lets an integrator check a key without touching any data:
// the cheapest authenticated request, so also what measures what
// authentication itself costs (docs/PERFORMANCE.md).
func (a *API) whoamiRoute() {
	handle(a, op("whoami", http.MethodGet, "/v1/whoami", "Tenant and access", "Check the calling API key",
		"Any valid key. Answers from the verified key alone: its tenant, whom it acts for and its scope."),
		func(_ context.Context, p access.Principal, _ *struct{}) (*bodyOut[WhoAmIJSON], error) {
			return out(WhoAmIJSON{TenantID: p.TenantID, ActorType: string(p.ActorType), ActorID: p.ActorID,
				StaffID: p.StaffID, Role: string(p.Role), PartnerID: p.PartnerID, Scope: string(p.Scope)}), nil
		})
}
