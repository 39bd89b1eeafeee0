package wallet

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/wallet/apple"
)

// Paths members download their passes at (the portal links to them), and
// the public logo Google fetches.
const (
	AppleDownload = "/p/wallet/apple/"  // + <serial>.pkpass
	GoogleSave    = "/p/wallet/google/" // + <serial>: redirects to the save link
	LogoRoot      = "/wallet/logo/"     // + <tenant>/<program>.png
)

// Viewer tells who is signed in to the portal: the tenant and the owners
// (the member, and the organization they manage) whose cards they may
// take. The portal sets it; without it only signed links work.
type Viewer func(r *http.Request) (tenantID string, owners []string, ok bool)

// Path is where a member takes a card's pass in a wallet (Apple or
// Google), authorized by the portal's session.
func Path(wallet, serial string) string {
	if wallet == Apple {
		return AppleDownload + serial + ".pkpass"
	}
	return GoogleSave + serial
}

// SignedLink is Path with a signature that needs no session (for an
// e-mail, the registration page's answer): valid for ttl, for one card.
func (s *Service) SignedLink(wallet, tenantID, serial string, ttl time.Duration) string {
	exp := strconv.FormatInt(s.Clock.Now().Add(ttl).Unix(), 10)
	q := url.Values{"t": {tenantID}, "e": {exp}, "s": {s.sign(tenantID, serial, exp)}}
	return Path(wallet, serial) + "?" + q.Encode()
}

func (s *Service) sign(tenantID, serial, exp string) string {
	m := hmac.New(sha256.New, s.LinkKey)
	m.Write([]byte("wallet-link\x00" + tenantID + "\x00" + serial + "\x00" + exp))
	return hex.EncodeToString(m.Sum(nil)[:20])
}

// Handler serves the members' downloads, the public logos and Apple's
// pass web service.
func (s *Service) Handler(viewer Viewer) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+AppleDownload+"{file}", func(w http.ResponseWriter, r *http.Request) {
		serial, _ := strings.CutSuffix(r.PathValue("file"), ".pkpass")
		s.download(w, r, viewer, serial, s.serveApple)
	})
	mux.HandleFunc("GET "+GoogleSave+"{serial}", func(w http.ResponseWriter, r *http.Request) {
		s.download(w, r, viewer, r.PathValue("serial"), s.serveGoogle)
	})
	mux.HandleFunc("GET "+LogoRoot+"{tenant}/{file}", s.serveLogo)
	mux.HandleFunc("POST "+GoogleCallbackRoot+"{tenant}/callback", s.serveGoogleCallback)
	ws := &apple.WebService{Backend: s, Log: s.logger()}
	mux.Handle(apple.Root+"/", ws.Handler())
	return mux
}

func (s *Service) logger() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// download authorizes a member's request for a card's pass — by a signed
// link, or by the portal's session when the card is theirs — and serves
// it. An unknown card and someone else's card are answered alike.
func (s *Service) download(w http.ResponseWriter, r *http.Request, viewer Viewer, serial string, serve func(http.ResponseWriter, *http.Request, card.Card)) {
	tenantID, owners := s.linkHolder(r, serial)
	if tenantID == "" && viewer != nil {
		tenantID, owners, _ = viewer(r)
	}
	if tenantID == "" {
		http.Error(w, "sign in to the portal, or open the link you were sent again (it may have expired)", http.StatusUnauthorized)
		return
	}
	c, err := s.Cards.BySerial(r.Context(), access.System(tenantID), serial)
	if err != nil || (owners != nil && !slices.Contains(owners, c.OwnerID)) {
		http.Error(w, "no such card", http.StatusNotFound)
		return
	}
	serve(w, r, c)
}

// linkHolder checks a signed link: its tenant, with nil owners (the
// link names the card), or "".
func (s *Service) linkHolder(r *http.Request, serial string) (string, []string) {
	q := r.URL.Query()
	exp, err := strconv.ParseInt(q.Get("e"), 10, 64)
	if err != nil || len(s.LinkKey) == 0 || s.Clock.Now().Unix() > exp {
		return "", nil
	}
	if !hmac.Equal([]byte(q.Get("s")), []byte(s.sign(q.Get("t"), serial, q.Get("e")))) {
		return "", nil
	}
	return q.Get("t"), nil
}

func (s *Service) serveApple(w http.ResponseWriter, r *http.Request, c card.Card) {
	b, err := s.ApplePass(r.Context(), c)
	if s.failed(w, r, err) {
		return
	}
	w.Header().Set("Content-Type", apple.MIMEType)
	w.Header().Set("Content-Disposition", `attachment; filename="card.pkpass"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

func (s *Service) serveGoogle(w http.ResponseWriter, r *http.Request, c card.Card) {
	u, err := s.GoogleSaveURL(r.Context(), c)
	if s.failed(w, r, err) {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// serveLogo serves a program's logo, or the plain badge without one.
func (s *Service) serveLogo(w http.ResponseWriter, r *http.Request) {
	programID, ok := strings.CutSuffix(r.PathValue("file"), ".png")
	d, err := s.Cards.DesignOf(r.Context(), access.System(r.PathValue("tenant")), programID)
	if !ok || err != nil {
		http.Error(w, "no such logo", http.StatusNotFound)
		return
	}
	logo, err := apple.Badge(d.Logo, d.Background, d.Foreground, 660)
	if s.failed(w, r, err) {
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(logo)
}

// failed answers an error, reporting whether there was one.
func (s *Service) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	if err == nil {
		return false
	}
	if e := errs.As(err); e != nil && e.Kind != errs.Internal {
		http.Error(w, e.Message, status(e.Kind))
		return true
	}
	s.logger().Error("wallet", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
	return true
}

func status(k errs.Kind) int {
	switch k {
	case errs.Conflict:
		return http.StatusConflict
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}
