package messages

import (
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/web"
)

var badLinkPage = web.Page(files, "badlink.html")

// pixel is a transparent 1×1 GIF.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// open serves an e-mail's open pixel and records the open. A bad token
// gets the same image (a mail client shows nothing broken) but a 404.
func (a *Area) open(w http.ResponseWriter, r *http.Request) {
	token := strings.TrimSuffix(r.PathValue("token"), ".gif")
	status := http.StatusOK
	if err := a.svc.TrackOpen(r.Context(), token); errs.Is(err, errs.NotFound) {
		status = http.StatusNotFound
	} else if err != nil {
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Cache-Control", "no-store, private")
	w.WriteHeader(status)
	_, _ = w.Write(pixel)
}

// click records a click and redirects to the link's target, which only
// a valid token can name; a bad token is a 404 page, never a redirect.
func (a *Area) click(w http.ResponseWriter, r *http.Request) {
	target, err := a.svc.TrackClick(r.Context(), r.PathValue("token"))
	if err != nil && target == "" {
		a.notFound(w, r, err)
		return
	}
	// A failure to record must not break the member's link.
	w.Header().Set("Cache-Control", "no-store, private")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, target, http.StatusFound)
}

// notFound answers a bad link with the page that says so.
func (a *Area) notFound(w http.ResponseWriter, r *http.Request, err error) {
	if !errs.Is(err, errs.NotFound) {
		http.Error(w, "Something went wrong on our side; try again later.", http.StatusInternalServerError)
		return
	}
	l := a.kit.Locale(r)
	a.kit.Render(w, r, http.StatusNotFound, badLinkPage, &web.View{L: l, Title: l.T("reach.link.title")})
}
