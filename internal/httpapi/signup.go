package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/signup"
)

type signupFormPut struct {
	IDPath
	Body struct {
		Enabled  *bool            `json:"enabled,omitempty" doc:"Whether the public form takes registrations (default true)"`
		Title    string           `json:"title,omitempty" doc:"The form's heading"`
		Fields   []signupFieldIn  `json:"fields" doc:"The fields asked, in order"`
		Consents []signup.Consent `json:"consents,omitempty" doc:"Consent boxes: key, version, text, required"`
		Review   bool             `json:"review,omitempty" doc:"New organizations wait (suspended) for the operator's review"`
		OrgType  string           `json:"organization_type,omitempty" doc:"The type of organizations registration creates (default dealer)"`
	}
}

type signupFieldIn struct {
	Name     string `json:"name" doc:"name, phone, email, company, tax_id, role, birthday or custom:<key>"`
	Required bool   `json:"required,omitempty"`
	Label    string `json:"label,omitempty" doc:"A custom field's label"`
}

// form is the body as the service's form.
func (in *signupFormPut) form() signup.Form {
	b := in.Body
	f := signup.Form{Enabled: b.Enabled == nil || *b.Enabled, Title: b.Title, Consents: b.Consents, Review: b.Review, OrgType: party.OrgType(b.OrgType)}
	for _, x := range b.Fields {
		f.Fields = append(f.Fields, signup.Field{Name: x.Name, Required: x.Required, Label: x.Label})
	}
	return f
}

type portalInviteOut struct {
	Body struct {
		Sent bool `json:"sent" doc:"A sign-in link valid 7 days went to the member's e-mail, else phone"`
	}
}

// signupRoutes are online registration's settings and portal invitations.
func (a *API) signupRoutes() {
	const tag = "Registration"
	handle(a, op("get-signup-form", http.MethodGet, "/v1/programs/{id}/signup-form", tag, "A program's registration form",
		"Needs read scope. Never set: name, phone, e-mail, company and role, no consent boxes. The public form is at /p/{workspace}/join/{program id}."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[signup.Form], error) {
			f, err := a.svc.Signup.GetForm(ctx, p, in.ID)
			return out(f), err
		})
	handle(a, op("put-signup-form", http.MethodPut, "/v1/programs/{id}/signup-form", tag, "Set a program's registration form",
		"Needs write scope and the right to manage programs. fields: name, phone, email, company, tax_id, role, birthday or custom:<key> "+
			"(with a label), each optionally required; the form needs name and phone or email. consents: {key, version, text, required}; "+
			"give a changed text a new version. review: organizations created by registration wait (suspended) for the operator."),
		func(ctx context.Context, p access.Principal, in *signupFormPut) (*bodyOut[signup.Form], error) {
			f, err := a.svc.Signup.PutForm(ctx, p, in.ID, in.form())
			return out(f), err
		})
	handle(a, op("invite-member-to-portal", http.MethodPost, "/v1/members/{id}/portal-invitation", tag, "Invite a member to the portal",
		"Needs write scope. Sends a sign-in link to the members' portal, valid 7 days, to the member's e-mail (else phone)."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*portalInviteOut, error) {
			if err := p.Can(access.EditParties); err != nil {
				return nil, err
			}
			m, err := a.svc.Party.GetMember(ctx, p, in.ID)
			if err != nil {
				return nil, err
			}
			t, err := a.svc.Tenants.Current(ctx, p)
			if err != nil {
				return nil, err
			}
			o := &portalInviteOut{}
			o.Body.Sent = true
			return o, a.svc.MemberAuth.Invite(ctx, t, m)
		})
}
