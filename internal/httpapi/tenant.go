package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// TenantJSON is the caller's operator account.
type TenantJSON struct {
	ID        string       `json:"id"`
	Slug      string       `json:"slug"`
	Name      string       `json:"name"`
	Status    string       `json:"status"`
	CreatedAt time.Time    `json:"created_at"`
	Settings  SettingsJSON `json:"settings"`
	RateLimit int64        `json:"rate_limit" doc:"The account's own request rate, requests a second per server (0: the server's default); set by the platform operator"`
}

// SettingsJSON are the tenant's settings for approvals.
type SettingsJSON struct {
	VersionApproval bool  `json:"version_approval" doc:"New versions of running programs wait for a second person's approval before they take effect"`
	AdjustLimit     int64 `json:"adjust_limit" minimum:"1" maximum:"1000000000" doc:"The most points a support agent or account manager may adjust without a second person's approval"`
}

func tenantJSON(t tenant.Tenant) TenantJSON {
	return TenantJSON{ID: t.ID, Slug: t.Slug, Name: t.Name, Status: t.Status, CreatedAt: t.CreatedAt, RateLimit: t.RateLimit,
		Settings: SettingsJSON{VersionApproval: t.VersionApproval, AdjustLimit: t.AdjustLimit}}
}

type settingsPut struct {
	Body SettingsJSON
}

// StaffJSON is a staff user.
type StaffJSON struct {
	ID          string     `json:"id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Role        string     `json:"role" enum:"admin,program_manager,account_manager,finance,support,integrator,read_only"`
	Status      string     `json:"status" enum:"active,disabled"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	CreatedBy   string     `json:"created_by" doc:"Who created the user: api_key:<id>, staff:<id> or system:system (empty for users created before it was recorded)"`
	EmpoweredBy string     `json:"empowered_by,omitempty" doc:"Who last changed the user's role or enabled the user again"`
	EmpoweredAt *time.Time `json:"empowered_at,omitempty" doc:"When"`
}

func staffJSON(s tenant.Staff) StaffJSON {
	return StaffJSON{ID: s.ID, Email: s.Email, Name: s.Name, Role: string(s.Role), Status: s.Status, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
		CreatedBy: s.CreatedBy, EmpoweredBy: s.EmpoweredBy, EmpoweredAt: s.EmpoweredAt}
}

type staffCreate struct {
	Body struct {
		Email string `json:"email" maxLength:"254" format:"email" doc:"Work e-mail; unique per tenant"`
		Name  string `json:"name" minLength:"1" maxLength:"200"`
		Role  string `json:"role" enum:"admin,program_manager,account_manager,finance,support,integrator,read_only"`
	}
}

type staffPatch struct {
	IDPath
	Body struct {
		Name   *string `json:"name,omitempty" minLength:"1" maxLength:"200"`
		Role   *string `json:"role,omitempty" enum:"admin,program_manager,account_manager,finance,support,integrator,read_only"`
		Status *string `json:"status,omitempty" enum:"active,disabled" doc:"Disabling a user stops their API keys"`
	}
}

// APIKeyJSON is an API key without its secret.
type APIKeyJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope" enum:"read,write,admin"`
	StaffID    string     `json:"staff_id,omitempty"`
	PartnerID  string     `json:"partner_id,omitempty" doc:"The coalition partner a partner key belongs to"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty" doc:"Updated at most once a minute"`
}

func keyJSON(k tenant.APIKey) APIKeyJSON {
	return APIKeyJSON{ID: k.ID, Name: k.Name, Scope: string(k.Scope), StaffID: k.StaffID, PartnerID: k.PartnerID, CreatedBy: k.CreatedBy,
		CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt, LastUsedAt: k.LastUsedAt}
}

// NewAPIKeyJSON is a key just created, with its secret.
type NewAPIKeyJSON struct {
	APIKeyJSON
	Key string `json:"key" doc:"The full key to send as 'Authorization: Bearer <key>'. Shown only now: store it safely."`
}

type keyCreate struct {
	Body struct {
		Name    string `json:"name" minLength:"1" maxLength:"100" doc:"What the key is for, e.g. 'ERP integration'"`
		Scope   string `json:"scope" enum:"read,write,admin"`
		StaffID string `json:"staff_id,omitempty" maxLength:"64" doc:"The staff user the key acts for; omit for an integration key"`
	}
}

func (a *API) tenantRoutes() {
	const tag = "Tenant and access"
	a.whoamiRoute()
	handle(a, op("get-tenant", http.MethodGet, "/v1/tenant", tag, "Get the caller's tenant", "Needs read scope."),
		func(ctx context.Context, p access.Principal, _ *struct{}) (*bodyOut[TenantJSON], error) {
			t, err := a.svc.Tenants.Current(ctx, p)
			return out(tenantJSON(t)), err
		})
	handle(a, op("put-tenant-settings", http.MethodPut, "/v1/tenant/settings", tag, "Change the tenant's settings",
		"Needs an administrator. Whether new versions of running programs need a second person's approval, and how many points support agents and account managers may adjust without approval."),
		func(ctx context.Context, p access.Principal, in *settingsPut) (*bodyOut[TenantJSON], error) {
			t, err := a.svc.Tenants.PutSettings(ctx, p, tenant.Settings{VersionApproval: in.Body.VersionApproval, AdjustLimit: in.Body.AdjustLimit})
			return out(tenantJSON(t)), err
		})

	handle(a, op("create-staff", http.MethodPost, "/v1/staff", tag, "Create a staff user", "Needs admin scope."),
		func(ctx context.Context, p access.Principal, in *staffCreate) (*bodyOut[StaffJSON], error) {
			s, err := a.svc.Tenants.CreateStaff(ctx, p, tenant.StaffInput{Email: in.Body.Email, Name: in.Body.Name, Role: tenant.Role(in.Body.Role)})
			return out(staffJSON(s)), err
		})
	handle(a, op("list-staff", http.MethodGet, "/v1/staff", tag, "List staff users", "Needs admin scope: staff users are personal data and say who may act."),
		func(ctx context.Context, p access.Principal, in *PageQuery) (*listOut[StaffJSON], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Tenants.ListStaff(ctx, p, r)
			return pageOut(pg, staffJSON), err
		})
	handle(a, op("get-staff", http.MethodGet, "/v1/staff/{id}", tag, "Get a staff user", "Needs admin scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[StaffJSON], error) {
			s, err := a.svc.Tenants.GetStaff(ctx, p, in.ID)
			return out(staffJSON(s)), err
		})
	handle(a, op("update-staff", http.MethodPatch, "/v1/staff/{id}", tag, "Change a staff user", "Needs admin scope. Absent (or null) fields stay as they are."),
		func(ctx context.Context, p access.Principal, in *staffPatch) (*bodyOut[StaffJSON], error) {
			patch := tenant.StaffPatch{Name: in.Body.Name, Status: in.Body.Status}
			if in.Body.Role != nil {
				r := tenant.Role(*in.Body.Role)
				patch.Role = &r
			}
			s, err := a.svc.Tenants.UpdateStaff(ctx, p, in.ID, patch)
			return out(staffJSON(s)), err
		})

	handle(a, op("create-api-key", http.MethodPost, "/v1/api-keys", tag, "Create an API key",
		"Needs admin scope. The response carries the key's secret; it is stored only as a hash and never shown again."),
		func(ctx context.Context, p access.Principal, in *keyCreate) (*bodyOut[NewAPIKeyJSON], error) {
			k, secret, err := a.svc.Tenants.CreateKey(ctx, p, tenant.KeyInput{Name: in.Body.Name, Scope: access.Scope(in.Body.Scope), StaffID: in.Body.StaffID})
			return out(NewAPIKeyJSON{APIKeyJSON: keyJSON(k), Key: secret}), err
		})
	handle(a, op("list-api-keys", http.MethodGet, "/v1/api-keys", tag, "List API keys", "Needs admin scope. Secrets are never listed."),
		func(ctx context.Context, p access.Principal, in *PageQuery) (*listOut[APIKeyJSON], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Tenants.ListKeys(ctx, p, r)
			return pageOut(pg, keyJSON), err
		})
	handle(a, op("get-api-key", http.MethodGet, "/v1/api-keys/{id}", tag, "Get an API key", "Needs admin scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[APIKeyJSON], error) {
			k, err := a.svc.Tenants.GetKey(ctx, p, in.ID)
			return out(keyJSON(k)), err
		})
	handle(a, action(op("revoke-api-key", http.MethodPost, "/v1/api-keys/{id}/revoke", tag, "Revoke an API key",
		"Needs admin scope. The key stops working at once; the record stays for the audit trail.")),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[APIKeyJSON], error) {
			k, err := a.svc.Tenants.RevokeKey(ctx, p, in.ID)
			return out(keyJSON(k)), err
		})
}
