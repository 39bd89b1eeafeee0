package wallet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/wallet/google"
)

// GoogleCallbackRoot is where Google posts a tenant's save and delete
// callbacks: <public URL>/wallet/google/<tenant id>/callback, set as the
// callback URL of every class the tenant's save links carry.
const GoogleCallbackRoot = "/wallet/google/"

// callbackLimit bounds a callback's body; Google's are about 2 KB.
const callbackLimit = 64 << 10

// GoogleCallbackURL is the callback URL of a tenant's classes.
func (s *Service) GoogleCallbackURL(tenantID string) string {
	return strings.TrimRight(s.PublicURL, "/") + GoogleCallbackRoot + tenantID + "/callback"
}

// GoogleCallback counts a pass saved to or deleted from Google Wallet,
// once a callback's signature chain, expiry and nonce check out; any
// failure writes nothing.
func (s *Service) GoogleCallback(ctx context.Context, tenantID string, body []byte) error {
	if s.Google == nil || s.Callbacks == nil {
		return notConfigured(Google)
	}
	cb, err := s.Callbacks.Verify(ctx, body)
	var refused *google.ErrCallback
	if errors.As(err, &refused) {
		return errs.E(errs.Unauthenticated, "callback_refused", "%s", refused.Error())
	}
	if err != nil {
		return err
	}
	serial, ok := strings.CutPrefix(cb.ObjectID, s.Google.ObjectID(""))
	c, err := s.Cards.BySerial(ctx, access.System(tenantID), serial)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	if !ok || err != nil || cb.ClassID != s.Google.ClassID(c.ProgramID) {
		return errs.E(errs.NotFound, "unknown_object", "the callback names no card of this server")
	}
	action := map[string]string{google.EventSave: Installed, google.EventDelete: Removed}[cb.EventType]
	in := Install{ID: nonceID(cb.Nonce), TenantID: tenantID, ProgramID: c.ProgramID, CardID: c.ID, Wallet: Google, Action: action, At: s.Clock.Now()}
	return s.Store.Write(ctx, func(tx Tx) error {
		fresh, err := tx.InsertInstallOnce(ctx, in)
		if err == nil && !fresh {
			err = errs.E(errs.Conflict, "callback_replayed", "this callback's nonce was used already; it is not counted again")
		}
		return err
	})
}

// nonceID is the install id of a callback: derived from its nonce, so
// the install's primary key refuses a replay (Google's nonces are unique
// per message; hashing keeps any text within the id column's form).
func nonceID(nonce string) string {
	sum := sha256.Sum256([]byte("google-callback\x00" + nonce))
	return "gcb-" + hex.EncodeToString(sum[:16])
}

// serveGoogleCallback answers Google: 200 counted; 401 a signature,
// expiry or format refused; 404 an unknown card; 409 a replay; 409 Google
// Wallet not configured.
func (s *Service) serveGoogleCallback(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, callbackLimit))
	if err != nil {
		http.Error(w, "the callback is too large", http.StatusRequestEntityTooLarge)
		return
	}
	err = s.GoogleCallback(r.Context(), r.PathValue("tenant"), body)
	status, known := callbackStatus[errs.KindOf(err)]
	switch {
	case err == nil:
		w.WriteHeader(http.StatusOK)
	case known:
		http.Error(w, err.Error(), status)
	default:
		s.logger().Error("google wallet callback", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// callbackStatus is the answer to each refusal.
var callbackStatus = map[errs.Kind]int{errs.Unauthenticated: http.StatusUnauthorized, errs.NotFound: http.StatusNotFound, errs.Conflict: http.StatusConflict}
