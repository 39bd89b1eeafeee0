// Package portal is the participants' side under /p/: members sign in by a
// code or link sent to their phone or e-mail and see their card (QR code
// and barcode), standing, goals, history, rewards, claims and referral
// link, messages and channel preferences; an organization's owner/director also decides the employee terms,
// manages the team, sees what each employee earned and redeemed, approves
// their redemptions and sees the organization's wallet. Newcomers register
// through a program's public form. Pages are phone first (390 px).
//
// A member acts through the services with access.Member, which the role
// table limits to a member's few actions; the portal passes only the
// member's own ids, and its organization's for management, never ids
// taken from the request for another member's data.
package portal

import (
	"embed"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/memberauth"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/throttle"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/referral"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/signup"
	"github.com/loyal-b2b/loyal/internal/survey"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web"
)

//go:embed *.html static
var files embed.FS

// Root is where the portal is served.
const Root = "/p"

// Services are the domain services the portal uses.
type Services struct {
	Tenants   *tenant.Service
	Party     *party.Service
	Programs  *program.Service
	Ledger    *ledger.Service
	Events    *events.Service
	Claims    *claim.Service
	Rewards   *reward.Service
	Goals     *goal.Service
	Referrals *referral.Service
	Auth      *memberauth.Service
	Signup    *signup.Service
	// Cards issues the members' cards and tells their live state.
	Cards *card.Service
	// Messages is messaging: the member's inbox and channel preferences.
	Messages *notify.Service
	// Surveys are the surveys members were sent, answered here.
	Surveys *survey.Service
	// Limiter throttles the public registration form per client address.
	Limiter *throttle.Limiter
}

// Portal is the portal's handler.
type Portal struct {
	kit *web.Kit
	svc Services
	mux *http.ServeMux
}

// New builds the portal; it serves /p/ and the referral links /r/.
func New(kit *web.Kit, svc Services) http.Handler {
	c := &Portal{kit: kit, svc: svc, mux: http.NewServeMux()}
	c.publicRoutes()
	c.joinRoutes()
	c.appRoutes()
	members := http.NewServeMux()
	c.memberRoutes(members)
	c.manageRoutes(members)
	c.mux.Handle(Root+"/", kit.MemberOnly(Root+"/sign-in", members))
	return kit.Handle(c.mux)
}

// memberRoutes are the pages of a signed-in member.
func (c *Portal) memberRoutes(m *http.ServeMux) {
	c.homeRoutes(m)
	c.historyRoutes(m)
	c.rewardRoutes(m)
	c.claimRoutes(m)
	c.inviteRoutes(m)
	c.messageRoutes(m)
	c.surveyRoutes(m)
	c.deviceRoutes(m)
	m.HandleFunc("POST "+Root+"/sign-out", c.signOut)
}

// manageRoutes are the pages of an organization's management.
func (c *Portal) manageRoutes(m *http.ServeMux) {
	c.termsRoutes(m)
	c.teamRoutes(m)
	c.peopleRoutes(m)
	c.approvalRoutes(m)
	c.orgRoutes(m)
}

var errorPage = parse("error.html")

// parse parses a portal page with the portal's shared partials.
func parse(name string) *web.Template { return web.PageOf(files, name, "nav.html") }

// fail shows a service error as a page; internal errors are logged only.
func (c *Portal) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := web.StatusOf(err)
	msg := ""
	if e := errs.As(err); e != nil && e.Kind != errs.Internal {
		msg = e.Message
	} else {
		c.kit.Log.ErrorContext(r.Context(), "portal", "err", err, "path", r.URL.Path)
	}
	c.kit.Render(w, r, status, errorPage, c.view(r, nil, "", "portal.error.title", errorData{Status: status, Message: msg}))
}

type errorData struct {
	Status  int
	Message string
}
