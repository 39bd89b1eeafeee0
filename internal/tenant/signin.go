package tenant

import (
	"context"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/password"
	"github.com/loyal-b2b/loyal/internal/session"
)

// SignInInput is what a person types to sign in to the console.
type SignInInput struct {
	Workspace string // the tenant's slug
	Email     string
	Password  string
	Address   string // the client's IP address, for throttling
}

// errWrongCredentials is the one answer for an unknown workspace, an
// unknown e-mail, a disabled user and a wrong password, so that the form
// does not tell which accounts exist.
var errWrongCredentials = errs.E(errs.Unauthenticated, "wrong_credentials", "the workspace, e-mail or password is wrong")

// dummyHash is checked against when there is no account, so that a wrong
// e-mail costs as long as a wrong password.
var dummyHash = password.Hash("not a real password, only for timing")

// SignIn checks a staff user's e-mail and password. Failures count per
// account and per address; past the limits both are locked out for a
// while (session.AccountLimit, session.AddressLimit). The slow password
// check runs outside any transaction.
func (s *Service) SignIn(ctx context.Context, in SignInInput) (Staff, Tenant, error) {
	email := strings.ToLower(strings.TrimSpace(in.Email))
	t, err := s.TenantBySlug(ctx, strings.ToLower(strings.TrimSpace(in.Workspace)))
	if errs.Is(err, errs.NotFound) {
		_, _ = password.Check(in.Password, dummyHash)
		return Staff{}, Tenant{}, errWrongCredentials
	}
	if err != nil {
		return Staff{}, Tenant{}, err
	}
	acct, addr := "account:"+email, "address:"+in.Address
	now := s.Clock.Now()
	var st Staff
	err = s.Store.Read(ctx, func(tx Tx) error {
		for _, subj := range []string{acct, addr} {
			until, err := session.LockedUntil(ctx, tx, t.ID, subj, now)
			if err != nil {
				return err
			}
			if !until.IsZero() {
				return session.ErrLocked(until, now)
			}
		}
		st, err = tx.StaffByEmail(ctx, t.ID, email)
		return err
	})
	if err != nil && !errs.Is(err, errs.NotFound) {
		return Staff{}, Tenant{}, err
	}
	hash := st.PasswordHash
	if hash == "" {
		hash = dummyHash
	}
	ok, cerr := password.Check(in.Password, hash)
	if cerr != nil || !ok || st.ID == "" || st.PasswordHash == "" || st.Status != StaffActive || t.Status != "active" {
		werr := s.Store.Write(ctx, func(tx Tx) error {
			if err := session.Fail(ctx, tx, t.ID, acct, session.AccountLimit, now); err != nil {
				return err
			}
			return session.Fail(ctx, tx, t.ID, addr, session.AddressLimit, now)
		})
		if werr != nil {
			return Staff{}, Tenant{}, werr
		}
		return Staff{}, Tenant{}, errWrongCredentials
	}
	err = s.Store.Write(ctx, func(tx Tx) error { return tx.ClearFailures(ctx, t.ID, acct) })
	return st, t, err
}

// StaffPrincipal returns the principal of a signed-in staff user, checking
// the user and the tenant are still active and that the session began
// after the password was last set.
func (s *Service) StaffPrincipal(ctx context.Context, tenantID, staffID string, since time.Time) (access.Principal, Staff, Tenant, error) {
	var st Staff
	var t Tenant
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if t, err = tx.TenantByID(ctx, tenantID); err != nil {
			return err
		}
		st, err = tx.GetStaff(ctx, tenantID, staffID)
		return err
	})
	switch {
	case errs.Is(err, errs.NotFound):
		return access.Principal{}, st, t, errs.E(errs.Unauthenticated, "no_session", "your account is gone; sign in again")
	case err != nil:
		return access.Principal{}, st, t, err
	case st.Status != StaffActive || t.Status != "active":
		return access.Principal{}, st, t, errs.E(errs.Unauthenticated, "staff_disabled", "your account is disabled; ask an administrator")
	case since.Before(st.PasswordSetAt):
		return access.Principal{}, st, t, errs.E(errs.Unauthenticated, "password_changed", "your password was changed; sign in again")
	}
	p := access.Principal{TenantID: t.ID, ActorType: access.ActorStaff, ActorID: st.ID, StaffID: st.ID,
		Scope: st.Role.Ceiling(), Role: st.Role, AdjustLimit: t.limitFor(st.Role)}
	return p, st, t, nil
}
