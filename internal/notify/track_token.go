package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// Link kinds a signed token can name.
const (
	linkOpen   = "o" // an e-mail's open pixel
	linkClick  = "c" // a rewritten link; the target travels in the token
	linkSurvey = "s" // a survey answered from an e-mail
)

// TrackTx is the storage of reach: signing keys, opens and clicks, seen
// inbox messages.
type TrackTx interface {
	// MessageKey returns the tenant's link-signing secret, storing fresh
	// when it has none yet.
	MessageKey(ctx context.Context, tenantID, fresh string, at time.Time) (string, error)
	// FindMessageKey returns the secret, or "" when the tenant has none.
	FindMessageKey(ctx context.Context, tenantID string) (string, error)
	RecordTrack(ctx context.Context, tenantID, messageID string, click bool, at time.Time) error
	MarkInboxSeen(ctx context.Context, tenantID, personID string, ids []string, at time.Time) error
}

// link is what a signed token says: which tenant's message, what kind of
// link, and (clicks) where it goes or (surveys) which survey.
type link struct {
	Kind, TenantID, MessageID, Target string
}

// tokenOf signs a link: its fields, base64url, a dot, the first 16 bytes
// of an HMAC-SHA256 with the tenant's secret. Nobody without the secret
// can make one, so tokens cannot be forged nor enumerated.
func tokenOf(secret string, l link) string {
	payload := l.Kind + "\n" + l.TenantID + "\n" + l.MessageID + "\n" + l.Target
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + linkMAC(secret, payload)
}

func linkMAC(secret, payload string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("loyal message link\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// parseToken reads a token's fields without checking them.
func parseToken(token string) (link, string, bool) {
	enc, mac, ok := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if !ok || err != nil {
		return link{}, "", false
	}
	f := strings.SplitN(string(raw), "\n", 4)
	if len(f) != 4 {
		return link{}, "", false
	}
	return link{Kind: f[0], TenantID: f[1], MessageID: f[2], Target: f[3]}, mac, true
}

// verify reads a token of a kind and checks its signature with the
// tenant's secret; a bad token is NotFound, as if no such link existed.
func (s *Service) verify(ctx context.Context, token, kind string) (link, error) {
	l, mac, ok := parseToken(token)
	if !ok || l.Kind != kind || l.TenantID == "" {
		return link{}, errNoLink
	}
	var secret string
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		secret, err = tx.FindMessageKey(ctx, l.TenantID)
		return err
	})
	if err != nil {
		return link{}, err
	}
	want := linkMAC(secret, l.Kind+"\n"+l.TenantID+"\n"+l.MessageID+"\n"+l.Target)
	if secret == "" || !hmac.Equal([]byte(mac), []byte(want)) {
		return link{}, errNoLink
	}
	return l, nil
}

// linkKey returns the tenant's signing secret, made on first use and
// then remembered (it never changes), so that sending costs no write.
func (s *Service) linkKey(ctx context.Context, tenantID string) (string, error) {
	if k, ok := s.linkKeys.Load(tenantID); ok {
		return k.(string), nil
	}
	var secret string
	err := s.Store.Write(ctx, func(tx Tx) error {
		var err error
		secret, err = tx.MessageKey(ctx, tenantID, ids.Token(32), s.Clock.Now())
		return err
	})
	if err == nil {
		s.linkKeys.Store(tenantID, secret)
	}
	return secret, err
}

var errNoLink = errs.E(errs.NotFound, "bad_link", "this link is not valid; it may have been copied incompletely")
