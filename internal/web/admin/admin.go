// Package admin is the operator console under /admin: one file per page
// (or small group of pages) beside its template. Handlers read the
// signed-in staff user's principal and call the same services as the API;
// the services check the role.
package admin

import (
	"embed"
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/partner"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/promo"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/simulate"
	"github.com/loyal-b2b/loyal/internal/survey"
	"github.com/loyal-b2b/loyal/internal/tenant"
	walletsvc "github.com/loyal-b2b/loyal/internal/wallet"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

//go:embed *.html
var files embed.FS

// Root is where the console is served.
const Root = "/admin"

// Services are the domain services the console uses.
type Services struct {
	Tenants   *tenant.Service
	Party     *party.Service
	Programs  *program.Service
	Ledger    *ledger.Service
	Events    *events.Service
	Claims    *claim.Service
	Rewards   *reward.Service
	Audit     *audit.Service
	Analytics *analytics.Service
	Segments  *segment.Service
	Goals     *goal.Service
	// Offers, imports and analytics.
	Imports *importer.Service
	// Simulations replay history through a draft (the program editor).
	Simulations *simulate.Service
	// Campaigns are the promo campaigns and their codes (the calendar).
	Campaigns *promo.Service
	// Cards and Wallet are the card designs and their wallet figures.
	Cards  *card.Service
	Wallet *walletsvc.Service
	// Memberships sells plans; Partners are the coalition partners.
	Memberships *membership.Service
	Partners    *partner.Service
	// Messages are messaging's campaigns and their reach.
	Messages *notify.Service
	// Surveys are the surveys and their results.
	Surveys *survey.Service
}

// Console is the console's handler.
type Console struct {
	kit *web.Kit
	svc Services
	mux *http.ServeMux
	// imports are the console's import uploads and runs in progress.
	jobs *importJobs
}

// Handler serves the console; Close removes what it keeps on disk.
type Handler struct {
	http.Handler
	jobs *importJobs
}

// Close removes the uploaded files kept for an import, so that none is
// left behind when the server stops. A run still reading its file keeps
// it until the run ends.
func (h *Handler) Close() error { return h.jobs.close() }

// New builds the console.
func New(kit *web.Kit, svc Services) *Handler {
	c := &Console{kit: kit, svc: svc, mux: http.NewServeMux(), jobs: newImportJobs()}
	c.publicRoutes()
	staff := http.NewServeMux()
	c.staffRoutes(staff)
	c.mux.Handle(Root+"/", kit.StaffOnly(Root+"/sign-in", staff))
	return &Handler{Handler: kit.Handle(c.mux), jobs: c.jobs}
}

// staffRoutes are the pages of signed-in staff; each file registers its
// own in a routesX method.
func (c *Console) staffRoutes(m *http.ServeMux) {
	c.dashboardRoutes(m)
	c.organizationRoutes(m)
	c.walletRoutes(m)
	c.cardRoutes(m)
	c.eventRoutes(m)
	c.approvalRoutes(m)
	c.keyRoutes(m)
	c.auditRoutes(m)
	c.settingsRoutes(m)
	c.accountRoutes(m)
	c.importRoutes(m)
	c.analyticsRoutes(m)
	c.programRoutes(m)
	c.promoRoutes(m)
	c.rewardRoutes(m)
	c.planRoutes(m)
	c.partnerRoutes(m)
	c.goalRoutes(m)
	c.templateRoutes(m)
	c.campaignRoutes(m)
	c.surveyRoutes(m)
	c.webhookRoutes(m)
	c.deadLetterRoutes(m)
}

// menu is the console's navigation: entries, and groups of entries under
// a heading (group names the heading's key). An entry shows only to those
// whose role allows its action; a group only when one of its entries does.
var menu = []struct {
	key, href, nav, group string
	need                  access.Action
}{
	{"nav.dashboard", Root + "/", "dashboard", "", access.ReadData},
	{"nav.organizations", Root + "/organizations", "organizations", "", access.ReadData},
	{"nav.approvals", Root + "/approvals", "approvals", "", access.ReadData},
	{"nav.programs", Root + "/programs", "programs", "nav.group.programs", access.ReadData},
	{"nav.calendar", Root + "/calendar", "calendar", "nav.group.programs", access.ReadData},
	{"nav.cards", Root + "/cards", "cards", "nav.group.programs", access.ReadData},
	{"nav.promo", Root + "/promo", "promo", "nav.group.offers", access.ReadData},
	{"nav.rewards", Root + "/rewards", "rewards", "nav.group.offers", access.ReadData},
	{"nav.plans", Root + "/plans", "plans", "nav.group.offers", access.ReadData},
	{"nav.goals", Root + "/goals", "goals", "nav.group.offers", access.ReadData},
	{"nav.partners", Root + "/partners", "partners", "nav.group.offers", access.ReadData},
	{"nav.templates", Root + "/templates", "templates", "nav.group.messages", access.ReadData},
	{"nav.campaigns", Root + "/campaigns", "campaigns", "nav.group.messages", access.ReadData},
	{"nav.surveys", Root + "/surveys", "surveys", "nav.group.messages", access.ReadData},
	{"nav.webhooks", Root + "/webhooks", "webhooks", "nav.group.messages", access.ManageWebhooks},
	{"nav.dead_messages", Root + "/messages/dead", "dead", "nav.group.messages", access.ManageWebhooks},
	{"nav.analytics", Root + "/analytics/participation", "analytics", "", access.ReadData},
	{"nav.imports", Root + "/imports", "imports", "nav.group.admin", access.ReadData},
	{"nav.keys", Root + "/api-keys", "keys", "nav.group.admin", access.Administer},
	{"nav.audit", Root + "/audit", "audit", "nav.group.admin", access.ReadAudit},
	{"nav.settings", Root + "/settings", "settings", "nav.group.admin", access.Administer},
}

// menuFor is the navigation a principal may see, with the current page's
// entry (and its group) marked.
func menuFor(l *i18n.Locale, p access.Principal, nav string) []web.MenuItem {
	var out []web.MenuItem
	for _, m := range menu {
		if p.TenantID != "" && p.Can(m.need) != nil {
			continue
		}
		item := web.MenuItem{Href: m.href, Label: l.T(m.key), Key: m.nav, Current: m.nav == nav}
		if m.group == "" {
			out = append(out, item)
			continue
		}
		if n := len(out); n == 0 || out[n-1].Key != m.group {
			out = append(out, web.MenuItem{Label: l.T(m.group), Key: m.group})
		}
		g := &out[len(out)-1]
		g.Items, g.Current = append(g.Items, item), g.Current || item.Current
	}
	return out
}

// view starts a page's view: title, navigation, the page's data.
func (c *Console) view(r *http.Request, nav, titleKey string, page any) *web.View {
	l := c.kit.Locale(r)
	v := &web.View{L: l, Nav: nav, Title: l.T(titleKey), Page: page, Area: Root}
	p := web.Principal(r)
	v.Menu = menuFor(l, p, nav)
	if k := r.URL.Query().Get("done"); k != "" && l.T("done."+k) != "done."+k {
		v.Flash = l.T("done." + k) // a confirmation after a redirect; unknown keys show nothing
	}
	return v
}

var errorPage = web.Page(files, "error.html")

// fail shows a service error as a page: what went wrong, in words, with
// the right status; internal errors are logged and not shown.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := web.StatusOf(err)
	msg := ""
	if e := errs.As(err); e != nil && e.Kind != errs.Internal {
		msg = e.Message
	} else {
		c.kit.Log.ErrorContext(r.Context(), "console", "err", err, "path", r.URL.Path)
	}
	c.kit.Render(w, r, status, errorPage, c.view(r, "", "error.title", errorData{Status: status, Message: msg}))
}

type errorData struct {
	Status  int
	Message string
}

// back is a local path to return to, never another site.
func back(s, fallback string) string {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.Contains(s, "\\") {
		return s
	}
	return fallback
}
