package tenant

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// An API key reads lyl_<tenant slug>_<key id>_<secret>. The tenant slug and
// key id locate the stored hash without scanning every tenant; the 160-bit
// secret is what proves possession.
const keyPrefix = "lyl_"

// KeyAuth is what authentication reads about a key in one query.
type KeyAuth struct {
	Tenant      Tenant
	Key         APIKey
	StaffStatus string // "" for an integration key
	StaffRole   Role
}

// KeyInput describes an API key to create.
type KeyInput struct {
	Name    string
	Scope   access.Scope
	StaffID string // optional: the staff user the key acts for
	// PartnerID makes a coalition partner's key. Only the partner service
	// sets it, after checking the partner exists; the API's key endpoint
	// does not expose it.
	PartnerID string
}

// CreateKey makes an API key and returns it with its secret, which is
// never stored nor shown again. It needs admin scope; a key acting for a
// staff user cannot have more power than that user's role allows.
func (s *Service) CreateKey(ctx context.Context, p access.Principal, in KeyInput) (APIKey, string, error) {
	if err := p.Can(access.Administer); err != nil {
		return APIKey{}, "", err
	}
	var f errs.Fields
	in.Name = valid.Text(&f, "name", in.Name, true, 100)
	valid.OneOf(&f, "scope", in.Scope, true, access.Scopes)
	if err := f.Err(); err != nil {
		return APIKey{}, "", err
	}
	var key APIKey
	var secret string
	err := s.Store.Write(ctx, func(tx Tx) error {
		t, err := tx.TenantByID(ctx, p.TenantID)
		if err != nil {
			return err
		}
		if in.StaffID != "" {
			st, err := tx.GetStaff(ctx, p.TenantID, in.StaffID)
			if errs.Is(err, errs.NotFound) {
				return errs.InvalidField("staff_id", "unknown_staff", "no staff user %q in this tenant", in.StaffID)
			}
			if err != nil {
				return err
			}
			if !roleCeiling(st.Role).Includes(in.Scope) {
				return errs.InvalidField("scope", "scope_above_role", "a %s can hold keys up to %q scope", st.Role, roleCeiling(st.Role))
			}
		}
		now := s.Clock.Now()
		secret = ids.Token(20)
		key = APIKey{ID: ids.Token(8), TenantID: p.TenantID, Name: in.Name, Scope: in.Scope, StaffID: in.StaffID, PartnerID: in.PartnerID,
			SecretHash: ids.Hash(secret), CreatedBy: Actor(p), CreatedAt: now}
		secret = keyPrefix + t.Slug + "_" + key.ID + "_" + secret
		if err := tx.InsertAPIKey(ctx, key); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, now, "api_key.created", "api_key", key.ID, nil, key)
	})
	if err != nil {
		return APIKey{}, "", err
	}
	return key, secret, nil
}

// limitFor is the adjustment limit of a staff user of the role: the
// tenant's for support agents and account managers, none for others.
func (t Tenant) limitFor(r Role) int64 {
	if r == RoleSupport || r == RoleAccountManager {
		return max(t.AdjustLimit, 1)
	}
	return 0
}

// roleCeiling is the strongest scope a key of a staff user may have.
func roleCeiling(r Role) access.Scope { return r.Ceiling() }

// GetKey returns one API key (without its secret); it needs admin scope.
func (s *Service) GetKey(ctx context.Context, p access.Principal, id string) (APIKey, error) {
	if err := p.Can(access.Administer); err != nil {
		return APIKey{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (APIKey, error) { return tx.GetAPIKey(ctx, p.TenantID, id) })
}

// ListKeys returns a page of the tenant's API keys; it needs admin scope.
func (s *Service) ListKeys(ctx context.Context, p access.Principal, r page.Request) (page.Page[APIKey], error) {
	if err := p.Can(access.Administer); err != nil {
		return page.Page[APIKey]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]APIKey, error) { return tx.ListAPIKeys(ctx, p.TenantID, r) })
	return page.Build(r, rows, func(k APIKey) string { return k.ID }), err
}

// RevokeKey makes a key unusable from now on. Revoking a revoked key is a
// conflict, so that a client learns its earlier call already took effect.
func (s *Service) RevokeKey(ctx context.Context, p access.Principal, id string) (APIKey, error) {
	if err := p.Can(access.Administer); err != nil {
		return APIKey{}, err
	}
	var after APIKey
	err := s.Store.Write(ctx, func(tx Tx) error {
		before, err := tx.GetAPIKey(ctx, p.TenantID, id)
		if err != nil {
			return err
		}
		if before.RevokedAt != nil {
			return errs.E(errs.Conflict, "already_revoked", "API key %q was already revoked at %s", id, before.RevokedAt.Format(time.RFC3339))
		}
		now := s.Clock.Now()
		if err := tx.RevokeAPIKey(ctx, p.TenantID, id, now); err != nil {
			return err
		}
		after = before
		after.RevokedAt = &now
		return audit.Record(ctx, tx, p, now, "api_key.revoked", "api_key", id, before, after)
	})
	s.keys.invalidate()
	return after, err
}

var errBadKey = errs.E(errs.Unauthenticated, "invalid_api_key",
	"the API key is not valid; send the whole key as 'Authorization: Bearer lyl_…' exactly as it was shown when created")

// Authenticate checks a bearer token and returns the principal it proves.
func (s *Service) Authenticate(ctx context.Context, token string) (access.Principal, error) {
	p, _, err := s.AuthenticateKey(ctx, token)
	return p, err
}

// AuthenticateKey is Authenticate that also returns the key's tenant, read
// in the same query (its request rate, for throttling).
func (s *Service) AuthenticateKey(ctx context.Context, token string) (_ access.Principal, _ Tenant, err error) {
	slug, keyID, secret, ok := parseKey(token)
	if !ok {
		return access.Principal{}, Tenant{}, errBadKey
	}
	now := s.Clock.Now()
	hit, ok := s.keys.get(token, now)
	if !ok {
		if hit.p, hit.t, hit.key, err = s.verifyKey(ctx, slug, keyID, secret); err != nil {
			return access.Principal{}, Tenant{}, err
		}
		hit.at = now
		s.keys.put(hit)
	}
	s.touchKey(ctx, hit.key)
	return hit.p, hit.t, nil
}

// verifyKey reads a key with its tenant and staff user and checks the
// secret and that the key may still be used.
func (s *Service) verifyKey(ctx context.Context, slug, keyID, secret string) (access.Principal, Tenant, APIKey, error) {
	ka, err := txn.Get(ctx, s.Store, func(tx Tx) (KeyAuth, error) { return tx.KeyForAuth(ctx, slug, keyID) })
	if errs.Is(err, errs.NotFound) {
		return access.Principal{}, Tenant{}, APIKey{}, errBadKey
	}
	if err != nil {
		return access.Principal{}, Tenant{}, APIKey{}, err
	}
	k := ka.Key
	if !ids.Equal(k.SecretHash, ids.Hash(secret)) {
		return access.Principal{}, Tenant{}, APIKey{}, errBadKey
	}
	switch {
	case k.RevokedAt != nil:
		return access.Principal{}, Tenant{}, APIKey{}, errs.E(errs.Unauthenticated, "api_key_revoked", "this API key was revoked; ask an administrator for a new one")
	case ka.Tenant.Status != "active":
		return access.Principal{}, Tenant{}, APIKey{}, errs.E(errs.Forbidden, "tenant_suspended", "this operator account is suspended")
	case k.StaffID != "" && ka.StaffStatus != StaffActive:
		return access.Principal{}, Tenant{}, APIKey{}, errs.E(errs.Unauthenticated, "staff_disabled", "the staff user of this API key is disabled")
	}
	scope := k.Scope
	if k.StaffID != "" && !roleCeiling(ka.StaffRole).Includes(scope) {
		scope = roleCeiling(ka.StaffRole) // the user's role was lowered after the key was made
	}
	p := access.Principal{TenantID: k.TenantID, ActorType: access.ActorAPIKey, ActorID: k.ID, StaffID: k.StaffID, Scope: scope, PartnerID: k.PartnerID}
	if k.StaffID != "" {
		p.Role, p.AdjustLimit = ka.StaffRole, ka.Tenant.limitFor(ka.StaffRole)
	}
	return p, ka.Tenant, k, nil
}

// KeyRef names the key a well-formed token claims to be, without checking
// it: failed attempts are counted per key. It is the token without its
// secret ("lyl_<tenant slug>_<key id>"); ok is false for a token that is
// not a key at all. It allocates nothing: it runs on every request.
func KeyRef(token string) (string, bool) {
	cut := len(token) - 33 // "_" and a 32-character secret
	if cut < len(keyPrefix)+3+1+13 || token[cut] != '_' || !strings.HasPrefix(token, keyPrefix) {
		return "", false
	}
	ref := token[:cut]
	at := strings.LastIndexByte(ref, '_')
	if at < len(keyPrefix)+3 || len(ref)-at-1 != 13 || !ValidSlug(ref[len(keyPrefix):at]) {
		return "", false
	}
	return ref, true
}

// KeyID returns the id of the key a whole key names ("lyl_<tenant>_<id>_<secret>"),
// or ref itself when it is not a whole key: an administrator may revoke a
// key by pasting it. The secret is not checked.
func KeyID(ref string) string {
	if _, id, _, ok := parseKey(strings.TrimSpace(ref)); ok {
		return id
	}
	return strings.TrimSpace(ref)
}

func parseKey(token string) (slug, keyID, secret string, ok bool) {
	rest, found := strings.CutPrefix(token, keyPrefix)
	if !found {
		return "", "", "", false
	}
	// Cut rather than Split: this runs on every request, and a split allocates.
	slug, rest, ok1 := strings.Cut(rest, "_")
	keyID, secret, ok2 := strings.Cut(rest, "_")
	if !ok1 || !ok2 || strings.Contains(secret, "_") || !ValidSlug(slug) || len(keyID) != 13 || len(secret) != 32 {
		return "", "", "", false
	}
	return slug, keyID, secret, true
}

// touchThrottle remembers when each key's last-used time was last written,
// so that a busy key costs one write a minute, not one per request. (A map
// under a lock rather than a sync.Map: its struct keys need no boxing, so
// the check allocates nothing.)
type touchThrottle struct {
	mu   sync.RWMutex
	last map[touchKeyOf]time.Time
}

const touchEvery = time.Minute

type touchKeyOf struct{ tenant, id string }

// recent says whether at's last-used time was written less than
// touchEvery before now.
func (t *touchThrottle) recent(at touchKeyOf, now time.Time) bool {
	t.mu.RLock()
	last, ok := t.last[at]
	t.mu.RUnlock()
	return ok && now.Sub(last) < touchEvery
}

func (t *touchThrottle) mark(at touchKeyOf, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		t.last = make(map[touchKeyOf]time.Time)
	}
	t.last[at] = now
}

func (s *Service) touchKey(ctx context.Context, k APIKey) {
	now := s.Clock.Now()
	at := touchKeyOf{k.TenantID, k.ID}
	if s.touch.recent(at, now) {
		return
	}
	if k.LastUsedAt != nil && now.Sub(*k.LastUsedAt) < touchEvery {
		return
	}
	s.touch.mark(at, now)
	s.writeLastUsed(ctx, at, now)
}

// writeLastUsed records a key's last use. (A function of its own: a
// closure in touchKey would move the key to the heap on every request.)
// Last-used is informational: a failure to record it must not fail the
// request.
func (s *Service) writeLastUsed(ctx context.Context, at touchKeyOf, now time.Time) {
	_ = s.Store.Write(context.WithoutCancel(ctx), func(tx Tx) error { return tx.TouchAPIKey(ctx, at.tenant, at.id, now) })
}
