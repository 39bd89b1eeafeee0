package portal

import (
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// self is the signed-in member as every page needs them: who, where, and
// whether they manage the organization.
type self struct {
	P       access.Principal
	Member  party.Member
	Org     party.Organization
	Tenant  tenant.Tenant
	Manager bool // an active owner/director: the management pages
	Unread  int  // unread messages, shown in the navigation
}

// me reads the signed-in member. A member who left or was deactivated
// since signing in is signed out.
func (c *Portal) me(w http.ResponseWriter, r *http.Request) (*self, bool) {
	p := web.MemberPrincipal(r)
	ctx := r.Context()
	m, err := c.svc.Party.GetMember(ctx, p, p.ActorID)
	if err == nil && m.Status != party.MemberActive {
		err = errs.E(errs.Unauthenticated, "inactive", "your membership is not active")
	}
	var o party.Organization
	if err == nil {
		o, err = c.svc.Party.GetOrganization(ctx, p, m.OrganizationID)
	}
	var t tenant.Tenant
	if err == nil {
		t, err = c.svc.Tenants.Current(ctx, p)
	}
	unread := 0
	if err == nil {
		unread, err = c.svc.Messages.Unread(ctx, p, m.ID)
	}
	if err != nil {
		if errs.Is(err, errs.Unauthenticated) || errs.Is(err, errs.NotFound) {
			c.kit.EndMemberSession(w, r)
			http.Redirect(w, r, Root+"/sign-in", http.StatusSeeOther)
		} else {
			c.fail(w, r, err)
		}
		return nil, false
	}
	return &self{P: p, Member: m, Org: o, Tenant: t, Manager: m.HasRole(party.RoleOwner), Unread: unread}, true
}

// manager is me for the management pages: others get 403.
func (c *Portal) manager(w http.ResponseWriter, r *http.Request) (*self, bool) {
	s, ok := c.me(w, r)
	if ok && !s.Manager {
		c.fail(w, r, errs.E(errs.Forbidden, "not_management", "only the organization's owner or director may see this page"))
		return nil, false
	}
	return s, ok
}

// Page is what portal templates get as .Page: the page's own data and
// the member, for the navigation.
type Page struct {
	Me   *self
	Data any
}

// nav entries: key, path, and whether only management sees it.
var nav = []struct {
	key, href string
	manager   bool
}{
	{"card", "/", false}, {"history", "/history", false}, {"rewards", "/rewards", false},
	{"claims", "/claims", false}, {"messages", "/messages", false}, {"invite", "/invite", false},
	{"terms", "/manage/terms", true}, {"team", "/manage/team", true}, {"people", "/manage/people", true},
	{"approvals", "/manage/approvals", true}, {"org", "/manage/organization", true},
}

// view starts a page's view: title, navigation, flash, the page's data.
func (c *Portal) view(r *http.Request, me *self, navKey, titleKey string, data any) *web.View {
	l := c.kit.Locale(r)
	v := &web.View{L: l, Nav: navKey, Title: l.T(titleKey), Page: Page{Me: me, Data: data}, Area: Root}
	for _, n := range nav {
		if me != nil && (!n.manager || me.Manager) {
			v.Menu = append(v.Menu, web.MenuItem{Href: Root + n.href, Label: navLabel(l, n.key, me), Key: n.key, Current: n.key == navKey})
		}
	}
	if k := r.URL.Query().Get("done"); k != "" && l.T("portal.done."+k) != "portal.done."+k {
		v.Flash = l.T("portal.done." + k)
	}
	return v
}

// navLabel is a navigation entry's label; Messages tells the unread count.
func navLabel(l *i18n.Locale, key string, me *self) string {
	if key == "messages" && me.Unread > 0 {
		return l.T("portal.nav.messages_unread", me.Unread)
	}
	return l.T("portal.nav." + key)
}

// back is a local path to return to, never another site.
func back(s, fallback string) string {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.Contains(s, "\\") {
		return s
	}
	return fallback
}

// systemOf is the product's principal in a tenant, for the public pages'
// few reads that need one (a referral link's workspace).
func systemOf(tenantID string) access.Principal { return access.System(tenantID) }
