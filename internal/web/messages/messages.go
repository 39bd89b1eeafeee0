// Package messages is the public side of messaging under /m/: the page an
// e-mail's unsubscribe link opens, which records the withdrawal, and the
// open pixel and click redirect of tracked e-mail, and the survey an
// e-mail's link opens. It needs no sign-in:
// the link's secret or signature is the proof.
package messages

import (
	"embed"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/survey"
	"github.com/loyal-b2b/loyal/internal/web"
)

// Root is the area's path.
const Root = "/m"

//go:embed *.html
var files embed.FS

var unsubscribePage = web.Page(files, "unsubscribe.html")

// Area serves /m/.
type Area struct {
	kit     *web.Kit
	svc     *notify.Service
	surveys *survey.Service
}

// unsubscribe is the page's data.
type unsubscribe struct {
	Tenant  string
	Channel string
	Done    bool
	Invalid bool
}

// New returns the area's handler.
func New(k *web.Kit, svc *notify.Service, surveys *survey.Service) http.Handler {
	a := &Area{kit: k, svc: svc, surveys: surveys}
	m := http.NewServeMux()
	m.HandleFunc("GET "+Root+"/u/{secret}", a.show)
	// POST is the button on the page and RFC 8058's one-click unsubscribe
	// (List-Unsubscribe-Post) that mail clients send.
	m.HandleFunc("POST "+Root+"/u/{secret}", a.confirm)
	m.HandleFunc("GET "+Root+"/o/{token}", a.open)
	m.HandleFunc("GET "+Root+"/c/{token}", a.click)
	m.HandleFunc("GET "+Root+"/s/{token}", a.survey)
	m.HandleFunc("POST "+Root+"/s/{token}", a.answerSurvey)
	return k.Handle(m)
}

// show asks to confirm: a GET changes nothing, since mail scanners
// open links.
func (a *Area) show(w http.ResponseWriter, r *http.Request) {
	u, err := a.svc.LookUpUnsubscribe(r.Context(), r.PathValue("secret"))
	a.render(w, r, u, err, false)
}

func (a *Area) confirm(w http.ResponseWriter, r *http.Request) {
	u, err := a.svc.Unsubscribe(r.Context(), r.PathValue("secret"))
	a.render(w, r, u, err, true)
}

func (a *Area) render(w http.ResponseWriter, r *http.Request, u notify.Unsubscription, err error, done bool) {
	status, page := http.StatusOK, unsubscribe{Tenant: u.TenantName, Channel: u.Channel, Done: done}
	if errs.Is(err, errs.NotFound) {
		status, page = http.StatusNotFound, unsubscribe{Invalid: true}
	} else if err != nil {
		http.Error(w, "Something went wrong on our side; try again later.", http.StatusInternalServerError)
		return
	}
	l := a.kit.Locale(r)
	a.kit.Render(w, r, status, unsubscribePage, &web.View{L: l, Title: l.T("notify.unsubscribe.title"), Page: page})
}
