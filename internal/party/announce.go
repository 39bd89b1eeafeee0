package party

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/outbound"
)

// RegisteredData is what member.registered announces when a member is
// created (through the API, online registration or a portal invitation). Contact
// details are left out: a receiver that needs them reads the member.
type RegisteredData struct {
	MemberID       string `json:"member_id"`
	OrganizationID string `json:"organization_id"`
	ExternalID     string `json:"external_id,omitempty"`
	Name           string `json:"name"`
	Roles          []Role `json:"roles"`
	Status         string `json:"status"`
	By             string `json:"by"` // the actor type that created it: api_key, staff, system…
}

// ConsentData is what consent.recorded announces for every recorded
// decision on a program's terms.
type ConsentData struct {
	ConsentID      string   `json:"consent_id"`
	OrganizationID string   `json:"organization_id"`
	ProgramID      string   `json:"program_id"`
	TermsVersion   int      `json:"terms_version"`
	Decision       Decision `json:"decision"`
	Method         Method   `json:"method"`
	MemberID       string   `json:"member_id,omitempty"`
}

func (s *Service) announceMember(ctx context.Context, tx Tx, p access.Principal, m Member) error {
	return outbound.Publish(ctx, s.Publish, tx, m.TenantID, outbound.MemberRegistered, RegisteredData{MemberID: m.ID,
		OrganizationID: m.OrganizationID, ExternalID: m.ExternalID, Name: m.Name, Roles: m.Roles, Status: m.Status, By: string(p.ActorType)})
}

func (s *Service) announceConsent(ctx context.Context, tx Tx, tenantID string, c Consent) error {
	return outbound.Publish(ctx, s.Publish, tx, tenantID, outbound.ConsentRecorded, ConsentData{ConsentID: c.ID,
		OrganizationID: c.OrganizationID, ProgramID: c.ProgramID, TermsVersion: c.TermsVersion, Decision: c.Decision, Method: c.Method, MemberID: c.MemberID})
}
