package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
)

// ConsentJSON is one recorded decision of an organization's management.
type ConsentJSON struct {
	ID             string    `json:"id"`
	ProgramID      string    `json:"program_id"`
	TermsVersion   int       `json:"terms_version"`
	Decision       string    `json:"decision" enum:"accepted,revoked"`
	Method         string    `json:"method" enum:"portal,paper,email"`
	MemberID       string    `json:"member_id,omitempty" doc:"The deciding member, if known"`
	SignerName     string    `json:"signer_name"`
	SignerTitle    string    `json:"signer_title,omitempty"`
	Evidence       string    `json:"evidence,omitempty"`
	RecordedByType string    `json:"recorded_by_type"`
	RecordedByID   string    `json:"recorded_by_id"`
	DecidedAt      time.Time `json:"decided_at"`
	RecordedAt     time.Time `json:"recorded_at"`
}

func consentJSON(c party.Consent) ConsentJSON {
	return ConsentJSON{ID: c.ID, ProgramID: c.ProgramID, TermsVersion: c.TermsVersion, Decision: string(c.Decision), Method: string(c.Method),
		MemberID: c.MemberID, SignerName: c.SignerName, SignerTitle: c.SignerTitle, Evidence: c.Evidence,
		RecordedByType: string(c.RecordedByType), RecordedByID: c.RecordedByID, DecidedAt: c.DecidedAt, RecordedAt: c.CreatedAt}
}

// ConsentStateJSON is where an organization stands with one program.
type ConsentStateJSON struct {
	ProgramID           string       `json:"program_id"`
	State               string       `json:"state" enum:"none,accepted,revoked,outdated" doc:"accepted: employees may earn personal rewards; outdated: newer terms need accepting"`
	EmployeesMayEarn    bool         `json:"employees_may_earn"`
	CurrentTermsVersion int          `json:"current_terms_version"`
	Latest              *ConsentJSON `json:"latest,omitempty" doc:"The decision in force"`
}

type consentStatusBody struct {
	OrganizationID string             `json:"organization_id"`
	Programs       []ConsentStateJSON `json:"programs"`
	History        []ConsentJSON      `json:"history" doc:"Every decision, newest first"`
}

type consentCreate struct {
	IDPath
	Body struct {
		ProgramID    string    `json:"program_id" maxLength:"64"`
		TermsVersion int       `json:"terms_version,omitempty" minimum:"1" doc:"The version accepted; omit for the current one. An outdated version is refused."`
		Decision     string    `json:"decision" enum:"accepted,revoked"`
		Method       string    `json:"method" enum:"portal,paper,email" doc:"portal: the member decided in the portal (member_id required); paper/email: staff record a signed document (signer_name and evidence required)"`
		MemberID     string    `json:"member_id,omitempty" maxLength:"64" doc:"The deciding member; must be an active owner/director of the organization"`
		SignerName   string    `json:"signer_name,omitempty" maxLength:"200"`
		SignerTitle  string    `json:"signer_title,omitempty" maxLength:"200"`
		Evidence     string    `json:"evidence,omitempty" maxLength:"500" doc:"Where the signed document is kept"`
		DecidedAt    time.Time `json:"decided_at,omitempty" doc:"When it was signed, if earlier than now"`
	}
}

type consentQuery struct {
	IDPath
	ProgramID string `query:"program_id" maxLength:"64" doc:"Only this program; omit for every program with terms"`
}

func (a *API) consentRoutes() {
	const tag = "Consent"
	handle(a, op("record-consent", http.MethodPost, "/v1/organizations/{id}/consents", tag,
		"Record management's decision on employee incentives",
		"Needs write scope. An organization's employees earn personal rewards only while its management has accepted the program's current employee-incentive terms. Decisions are kept forever; the newest is in force."),
		func(ctx context.Context, p access.Principal, in *consentCreate) (*bodyOut[ConsentJSON], error) {
			b := in.Body
			c, err := a.svc.Party.RecordConsent(ctx, p, in.ID, party.ConsentInput{ProgramID: b.ProgramID, TermsVersion: b.TermsVersion,
				Decision: party.Decision(b.Decision), Method: party.Method(b.Method), MemberID: b.MemberID, SignerName: b.SignerName,
				SignerTitle: b.SignerTitle, Evidence: b.Evidence, DecidedAt: b.DecidedAt})
			return out(consentJSON(c)), err
		})
	handle(a, op("get-consents", http.MethodGet, "/v1/organizations/{id}/consents", tag,
		"An organization's consent state and history", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *consentQuery) (*bodyOut[consentStatusBody], error) {
			rep, err := a.svc.Party.ConsentStatus(ctx, p, in.ID, in.ProgramID)
			body := consentStatusBody{OrganizationID: rep.OrganizationID, Programs: make([]ConsentStateJSON, len(rep.States)), History: make([]ConsentJSON, len(rep.History))}
			for i, st := range rep.States {
				s := ConsentStateJSON{ProgramID: st.ProgramID, State: st.State, EmployeesMayEarn: st.Granted(), CurrentTermsVersion: st.CurrentTermsVersion}
				if st.Latest != nil {
					l := consentJSON(*st.Latest)
					s.Latest = &l
				}
				body.Programs[i] = s
			}
			for i, c := range rep.History {
				body.History[i] = consentJSON(c)
			}
			return out(body), err
		})
}
