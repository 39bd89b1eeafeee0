package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
)

// MessengerJSON is a handle in a messenger app.
type MessengerJSON struct {
	App    string `json:"app,omitempty" enum:"telegram,whatsapp,viber,signal,wechat,line,other,"`
	Handle string `json:"handle,omitempty" maxLength:"100"`
}

// MemberJSON is a person working at an organization.
type MemberJSON struct {
	ID               string        `json:"id"`
	OrganizationID   string        `json:"organization_id"`
	Name             string        `json:"name"`
	Roles            []string      `json:"roles"`
	Email            string        `json:"email"`
	Phone            string        `json:"phone" doc:"E.164"`
	Messenger        MessengerJSON `json:"messenger"`
	PreferredChannel string        `json:"preferred_channel"`
	Locale           string        `json:"locale"`
	Birthday         string        `json:"birthday" doc:"YYYY-MM-DD, or empty"`
	ExternalID       string        `json:"external_id"`
	Status           string        `json:"status" enum:"active,inactive,left"`
	CreatedAt        time.Time     `json:"created_at"`
	UpdatedAt        time.Time     `json:"updated_at"`
}

func memberJSON(m party.Member) MemberJSON {
	return MemberJSON{ID: m.ID, OrganizationID: m.OrganizationID, Name: m.Name, Roles: strs(m.Roles), Email: m.Email, Phone: m.Phone,
		Messenger: MessengerJSON{App: m.Messenger.App, Handle: m.Messenger.Handle}, PreferredChannel: string(m.PreferredChannel),
		Locale: m.Locale, Birthday: m.Birthday, ExternalID: m.ExternalID, Status: m.Status, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func typed[T ~string](in []string) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = T(v)
	}
	return out
}

const memberRoleDoc = "owner (owner or director: may consent for the organization), purchasing, sales, engineer, accountant, foreman, other"

// MemberInput creates a member, or replaces one in a bulk upsert.
type MemberInput struct {
	OrganizationID         string        `json:"organization_id,omitempty" maxLength:"64"`
	OrganizationExternalID string        `json:"organization_external_id,omitempty" maxLength:"100" doc:"Alternative to organization_id"`
	Name                   string        `json:"name" minLength:"1" maxLength:"200"`
	Roles                  []string      `json:"roles" minItems:"1" maxItems:"7" doc:"One or more of: owner (owner or director: may consent for the organization), purchasing, sales, engineer, accountant, foreman, other"`
	Email                  string        `json:"email,omitempty" maxLength:"254"`
	Phone                  string        `json:"phone,omitempty" maxLength:"32" doc:"International format, e.g. +44 20 7946 0958"`
	Messenger              MessengerJSON `json:"messenger,omitempty"`
	PreferredChannel       string        `json:"preferred_channel,omitempty" enum:"email,sms,messenger,push,portal" doc:"Default: the first of email, messenger, sms the member has"`
	Locale                 string        `json:"locale,omitempty" maxLength:"35" doc:"BCP 47 tag, default en"`
	Birthday               string        `json:"birthday,omitempty" maxLength:"10" doc:"YYYY-MM-DD"`
	ExternalID             string        `json:"external_id,omitempty" maxLength:"100" doc:"Required in bulk upserts"`
	Status                 string        `json:"status,omitempty" enum:"active,inactive,left"`
}

func (in MemberInput) domain() party.MemberInput {
	return party.MemberInput{OrganizationID: in.OrganizationID, OrganizationExternalID: in.OrganizationExternalID, Name: in.Name,
		Roles: typed[party.Role](in.Roles), Email: in.Email, Phone: in.Phone,
		Messenger: party.Messenger{App: in.Messenger.App, Handle: in.Messenger.Handle}, PreferredChannel: party.Channel(in.PreferredChannel),
		Locale: in.Locale, Birthday: in.Birthday, ExternalID: in.ExternalID, Status: in.Status}
}

type memberCreate struct {
	Body MemberInput
}

type memberPatch struct {
	IDPath
	Body struct {
		Name             *string        `json:"name,omitempty" minLength:"1" maxLength:"200"`
		Roles            *[]string      `json:"roles,omitempty" minItems:"1" maxItems:"7"`
		Email            *string        `json:"email,omitempty" maxLength:"254"`
		Phone            *string        `json:"phone,omitempty" maxLength:"32"`
		Messenger        *MessengerJSON `json:"messenger,omitempty"`
		PreferredChannel *string        `json:"preferred_channel,omitempty" enum:"email,sms,messenger,push,portal"`
		Locale           *string        `json:"locale,omitempty" maxLength:"35"`
		Birthday         *string        `json:"birthday,omitempty" maxLength:"10"`
		ExternalID       *string        `json:"external_id,omitempty" maxLength:"100"`
		Status           *string        `json:"status,omitempty" enum:"active,inactive,left"`
	}
}

type memberList struct {
	PageQuery
	OrganizationID string `query:"organization_id" maxLength:"64"`
	Role           string `query:"role" enum:"owner,purchasing,sales,engineer,accountant,foreman,other"`
	Status         string `query:"status" enum:"active,inactive,left"`
	Q              string `query:"q" maxLength:"100" doc:"Search in name, e-mail and external id"`
}

type memberMove struct {
	IDPath
	Body struct {
		OrganizationID string   `json:"organization_id" maxLength:"64" doc:"The organization the member now works at"`
		Roles          []string `json:"roles,omitempty" maxItems:"7" doc:"Roles at the new organization; omit to keep the current ones"`
	}
}

type memberBulk struct {
	Body struct {
		Items []MemberInput `json:"items" minItems:"1" maxItems:"1000"`
	}
}

// AffiliationJSON is a period a member worked at an organization.
type AffiliationJSON struct {
	OrganizationID string     `json:"organization_id"`
	Roles          []string   `json:"roles"`
	From           time.Time  `json:"from"`
	To             *time.Time `json:"to,omitempty" doc:"Absent while current"`
}

type affiliationsBody struct {
	Items []AffiliationJSON `json:"items"`
}

func (a *API) memberRoutes() {
	const tag = "Members"
	handle(a, op("create-member", http.MethodPost, "/v1/members", tag, "Create a member", "Needs write scope. Roles: "+memberRoleDoc+"."),
		func(ctx context.Context, p access.Principal, in *memberCreate) (*bodyOut[MemberJSON], error) {
			m, err := a.svc.Party.CreateMember(ctx, p, in.Body.domain())
			return out(memberJSON(m)), err
		})
	handle(a, op("list-members", http.MethodGet, "/v1/members", tag, "List members", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *memberList) (*listOut[MemberJSON], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			f := party.MemberFilter{OrganizationID: in.OrganizationID, Role: party.Role(in.Role), Status: in.Status, Query: in.Q}
			pg, err := a.svc.Party.ListMembers(ctx, p, f, r)
			return pageOut(pg, memberJSON), err
		})
	handle(a, op("get-member", http.MethodGet, "/v1/members/{id}", tag, "Get a member", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[MemberJSON], error) {
			m, err := a.svc.Party.GetMember(ctx, p, in.ID)
			return out(memberJSON(m)), err
		})
	handle(a, op("update-member", http.MethodPatch, "/v1/members/{id}", tag, "Change a member",
		"Needs write scope. Absent (or null) fields stay as they are. To move the member to another organization, use the move operation."),
		func(ctx context.Context, p access.Principal, in *memberPatch) (*bodyOut[MemberJSON], error) {
			b := in.Body
			patch := party.MemberPatch{Name: b.Name, Email: b.Email, Phone: b.Phone, Locale: b.Locale, Birthday: b.Birthday,
				ExternalID: b.ExternalID, Status: b.Status, PreferredChannel: convPtr[party.Channel](b.PreferredChannel)}
			if b.Roles != nil {
				r := typed[party.Role](*b.Roles)
				patch.Roles = &r
			}
			if b.Messenger != nil {
				patch.Messenger = &party.Messenger{App: b.Messenger.App, Handle: b.Messenger.Handle}
			}
			m, err := a.svc.Party.UpdateMember(ctx, p, in.ID, patch)
			return out(memberJSON(m)), err
		})
	handle(a, op("delete-member", http.MethodDelete, "/v1/members/{id}", tag, "Delete a member",
		"Needs write scope. A member who signed consent records cannot be deleted; set status to left instead."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*struct{}, error) {
			return nil, a.svc.Party.DeleteMember(ctx, p, in.ID)
		})
	handle(a, action(op("move-member", http.MethodPost, "/v1/members/{id}/move", tag, "Move a member to another organization",
		"Needs write scope. Closes the current affiliation and opens a new one; the member keeps its id and history.")),
		func(ctx context.Context, p access.Principal, in *memberMove) (*bodyOut[MemberJSON], error) {
			var roles []party.Role
			if in.Body.Roles != nil {
				roles = typed[party.Role](in.Body.Roles)
			}
			m, err := a.svc.Party.MoveMember(ctx, p, in.ID, party.MoveInput{OrganizationID: in.Body.OrganizationID, Roles: roles})
			return out(memberJSON(m)), err
		})
	handle(a, op("list-member-affiliations", http.MethodGet, "/v1/members/{id}/affiliations", tag, "A member's history of organizations and roles",
		"Needs read scope. Oldest first; the current affiliation has no end."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[affiliationsBody], error) {
			list, err := a.svc.Party.Affiliations(ctx, p, in.ID)
			items := make([]AffiliationJSON, len(list))
			for i, af := range list {
				items[i] = AffiliationJSON{OrganizationID: af.OrganizationID, Roles: strs(af.Roles), From: af.From, To: af.To}
			}
			return out(affiliationsBody{Items: items}), err
		})
	handle(a, bulk(action(op("upsert-members", http.MethodPost, "/v1/members:bulk-upsert", tag, "Create or update members by external id",
		"Needs write scope. Up to 1,000 items in one transaction, matched by external_id; all or nothing. A changed organization is recorded as a move."))),
		func(ctx context.Context, p access.Principal, in *memberBulk) (*bodyOut[BulkResultJSON], error) {
			items := make([]party.MemberInput, len(in.Body.Items))
			for i, it := range in.Body.Items {
				items[i] = it.domain()
			}
			res, err := a.svc.Party.UpsertMembers(ctx, p, items)
			return out(bulkResult(res, func(m party.Member) (string, string) { return m.ID, m.ExternalID })), err
		})
}
