package apple

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Root is where the pass web service is mounted; a pass's webServiceURL
// is <public URL>/wallet/apple/<tenant id>, to which Wallet appends
// /v1/devices/…, /v1/passes/… and /v1/log.
const Root = "/wallet/apple"

// Backend keeps registrations and makes passes for the web service.
// token is the pass's authentication token from the request.
type Backend interface {
	// PassTypeID is the pass type served ("" while Apple Wallet is off).
	PassTypeID() string
	// Register records a device's push token for a pass, reporting
	// whether the registration is new.
	Register(ctx context.Context, tenantID, device, serial, token, pushToken string) (bool, error)
	Unregister(ctx context.Context, tenantID, device, serial, token string) error
	// Updated returns the serials of the device's passes that changed
	// after since, and the time to ask from next.
	Updated(ctx context.Context, tenantID, device string, since time.Time) ([]string, time.Time, error)
	// Latest returns the pass as it is now, built with token, and when
	// it last changed.
	Latest(ctx context.Context, tenantID, serial, token string) ([]byte, time.Time, error)
}

// WebService serves Apple's pass web service protocol.
type WebService struct {
	Backend Backend
	Log     *slog.Logger
}

// Handler returns the service's routes under Root.
func (w *WebService) Handler() http.Handler {
	mux := http.NewServeMux()
	base := Root + "/{tenant}/v1"
	mux.HandleFunc("POST "+base+"/devices/{device}/registrations/{type}/{serial}", w.register)
	mux.HandleFunc("DELETE "+base+"/devices/{device}/registrations/{type}/{serial}", w.unregister)
	mux.HandleFunc("GET "+base+"/devices/{device}/registrations/{type}", w.updated)
	mux.HandleFunc("GET "+base+"/passes/{type}/{serial}", w.latest)
	mux.HandleFunc("POST "+base+"/log", w.log)
	return mux
}

// passToken reads "Authorization: ApplePass <token>".
func passToken(r *http.Request) string {
	t, _ := strings.CutPrefix(r.Header.Get("Authorization"), "ApplePass ")
	return t
}

// ours checks the pass type in the path: another type is not served here.
func (w *WebService) ours(rw http.ResponseWriter, r *http.Request) bool {
	if t := w.Backend.PassTypeID(); t == "" || r.PathValue("type") != t {
		http.Error(rw, "unknown pass type", http.StatusNotFound)
		return false
	}
	return true
}

func (w *WebService) register(rw http.ResponseWriter, r *http.Request) {
	if !w.ours(rw, r) {
		return
	}
	var body struct {
		PushToken string `json:"pushToken"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&body); err != nil || body.PushToken == "" || len(body.PushToken) > 200 {
		http.Error(rw, "send {\"pushToken\": \"…\"}", http.StatusBadRequest)
		return
	}
	created, err := w.Backend.Register(r.Context(), r.PathValue("tenant"), r.PathValue("device"), r.PathValue("serial"), passToken(r), body.PushToken)
	if w.failed(rw, r, err) {
		return
	}
	if created {
		rw.WriteHeader(http.StatusCreated)
	}
}

func (w *WebService) unregister(rw http.ResponseWriter, r *http.Request) {
	if w.ours(rw, r) {
		err := w.Backend.Unregister(r.Context(), r.PathValue("tenant"), r.PathValue("device"), r.PathValue("serial"), passToken(r))
		w.failed(rw, r, err)
	}
}

func (w *WebService) updated(rw http.ResponseWriter, r *http.Request) {
	if !w.ours(rw, r) {
		return
	}
	var since time.Time
	if tag := r.URL.Query().Get("passesUpdatedSince"); tag != "" {
		ms, err := strconv.ParseInt(tag, 10, 64)
		if err != nil {
			http.Error(rw, "passesUpdatedSince is the lastUpdated tag of an earlier answer", http.StatusBadRequest)
			return
		}
		since = time.UnixMilli(ms)
	}
	serials, next, err := w.Backend.Updated(r.Context(), r.PathValue("tenant"), r.PathValue("device"), since)
	if w.failed(rw, r, err) {
		return
	}
	if len(serials) == 0 {
		rw.WriteHeader(http.StatusNoContent)
		return
	}
	rw.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(rw).Encode(map[string]any{"serialNumbers": serials, "lastUpdated": strconv.FormatInt(next.UnixMilli(), 10)})
}

func (w *WebService) latest(rw http.ResponseWriter, r *http.Request) {
	if !w.ours(rw, r) {
		return
	}
	pass, modified, err := w.Backend.Latest(r.Context(), r.PathValue("tenant"), r.PathValue("serial"), passToken(r))
	if w.failed(rw, r, err) {
		return
	}
	modified = modified.Truncate(time.Second)
	if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !modified.After(ims) {
		rw.WriteHeader(http.StatusNotModified)
		return
	}
	rw.Header().Set("Content-Type", MIMEType)
	rw.Header().Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	_, _ = rw.Write(pass)
}

// log records what devices report of their trouble with the service.
func (w *WebService) log(rw http.ResponseWriter, r *http.Request) {
	var body struct {
		Logs []string `json:"logs"`
	}
	if json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&body) != nil {
		http.Error(rw, "send {\"logs\": [\"…\"]}", http.StatusBadRequest)
		return
	}
	for i, l := range body.Logs {
		if i == 20 {
			break // a device's log is advice; a flood of it is not
		}
		w.Log.Warn("apple wallet device log", "tenant", r.PathValue("tenant"), "line", l)
	}
}

// failed answers an error, reporting whether there was one. Errors say
// nothing about which part was wrong: an unknown pass and a wrong token
// look alike.
func (w *WebService) failed(rw http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errs.Is(err, errs.Unauthenticated), errs.Is(err, errs.NotFound), errs.Is(err, errs.Forbidden):
		http.Error(rw, "unknown pass or wrong authentication token", http.StatusUnauthorized)
	case errs.Is(err, errs.Invalid):
		http.Error(rw, "bad request", http.StatusBadRequest)
	default:
		w.Log.Error("apple wallet web service", "path", r.URL.Path, "err", err)
		http.Error(rw, "internal error", http.StatusInternalServerError)
	}
	return true
}
