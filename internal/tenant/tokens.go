package tenant

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/password"
)

// Token purposes and how long their links work.
const (
	PurposeReset  = "reset"
	PurposeInvite = "invite"

	ResetTTL  = time.Hour
	InviteTTL = 7 * 24 * time.Hour
)

// Token is a single-use link sent to a staff user by e-mail; only its
// secret's hash is stored.
type Token struct {
	TenantID  string
	Hash      string
	StaffID   string
	Purpose   string
	CreatedBy string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// Mail is one e-mail to a person.
type Mail struct {
	To      string
	Subject string
	Text    string
}

// Mailer sends e-mail. The product has one mailer (SMTP); tests and the
// demo use ones that capture or log.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Links makes the address of a staff link from its purpose, the tenant's
// slug and the secret (the console's public URL is the caller's to know).
type Links interface {
	StaffLink(purpose, slug, secret string) string
}

// issue stores a new token for a staff user and returns its secret.
func (s *Service) issue(ctx context.Context, tx Tx, st Staff, purpose, by string, ttl time.Duration) (string, error) {
	secret := ids.Token(24)
	now := s.Clock.Now()
	return secret, tx.InsertStaffToken(ctx, Token{TenantID: st.TenantID, Hash: ids.Hash(secret), StaffID: st.ID, Purpose: purpose,
		CreatedBy: by, CreatedAt: now, ExpiresAt: now.Add(ttl)})
}

func (s *Service) canMail() error {
	if s.Mailer == nil || s.Links == nil {
		return errs.E(errs.Unavailable, "no_mailer", "this server sends no e-mail; an administrator can set a password with `loyal admin staff create`")
	}
	return nil
}

// RequestReset e-mails a password-reset link to a staff user. It answers
// the same whether or not the address belongs to someone, so the form does
// not reveal who works here; only an active user gets mail.
func (s *Service) RequestReset(ctx context.Context, workspace, email string) error {
	if err := s.canMail(); err != nil {
		return err
	}
	t, err := s.TenantBySlug(ctx, strings.ToLower(strings.TrimSpace(workspace)))
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var st Staff
	var secret string
	err = s.Store.Write(ctx, func(tx Tx) error {
		st, err = tx.StaffByEmail(ctx, t.ID, strings.ToLower(strings.TrimSpace(email)))
		if errs.Is(err, errs.NotFound) || (err == nil && st.Status != StaffActive) {
			st = Staff{}
			return nil
		}
		if err != nil {
			return err
		}
		secret, err = s.issue(ctx, tx, st, PurposeReset, "staff:"+st.ID, ResetTTL)
		return err
	})
	if err != nil || st.ID == "" {
		return err
	}
	link := s.Links.StaffLink(PurposeReset, t.Slug, secret)
	return s.Mailer.Send(ctx, Mail{To: st.Email, Subject: "Reset your " + t.Name + " console password",
		Text: fmt.Sprintf("Hello %s,\n\nSomeone (we hope you) asked to reset your password for the %s loyalty console.\nChoose a new one here within an hour:\n\n%s\n\nIf you did not ask, ignore this message; your password stays as it is.\n", st.Name, t.Name, link)})
}

// Invite creates a staff user without a password and e-mails them a link
// to choose one (valid a week). It needs the right to manage staff.
func (s *Service) Invite(ctx context.Context, p access.Principal, in StaffInput) (Staff, error) {
	if err := p.Can(access.Administer); err != nil {
		return Staff{}, err
	}
	if err := s.canMail(); err != nil {
		return Staff{}, err
	}
	if err := in.validate(); err != nil {
		return Staff{}, err
	}
	now := s.Clock.Now()
	st := Staff{ID: ids.New(), TenantID: p.TenantID, Email: in.Email, Name: in.Name, Role: in.Role, Status: StaffActive, CreatedAt: now, UpdatedAt: now}
	var t Tenant
	var secret string
	err := s.Store.Write(ctx, func(tx Tx) error {
		var err error
		if t, err = tx.TenantByID(ctx, p.TenantID); err != nil {
			return err
		}
		if err := tx.InsertStaff(ctx, st); err != nil {
			return err
		}
		if secret, err = s.issue(ctx, tx, st, PurposeInvite, p.Name(), InviteTTL); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, now, "staff.invited", "staff", st.ID, nil, st)
	})
	if err != nil {
		return Staff{}, err
	}
	link := s.Links.StaffLink(PurposeInvite, t.Slug, secret)
	return st, s.Mailer.Send(ctx, Mail{To: st.Email, Subject: "You are invited to the " + t.Name + " loyalty console",
		Text: fmt.Sprintf("Hello %s,\n\nYou have been given access to the %s loyalty console as %s.\nChoose your password here within 7 days:\n\n%s\n\nWorkspace: %s\nE-mail: %s\n", st.Name, t.Name, st.Role.Label(), link, t.Slug, st.Email)})
}

// UseToken sets a new password with a reset or invitation link. The token
// works once; an expired, used or unknown one is refused alike.
func (s *Service) UseToken(ctx context.Context, workspace, secret, newPassword string) (Staff, Tenant, error) {
	if msg := password.Problem(newPassword); msg != "" {
		return Staff{}, Tenant{}, errs.InvalidField("password", "weak_password", "%s", msg)
	}
	bad := errs.E(errs.NotFound, "invalid_link", "this link is not valid any more (links work once and expire); ask for a new one")
	t, err := s.TenantBySlug(ctx, workspace)
	if errs.Is(err, errs.NotFound) {
		return Staff{}, Tenant{}, bad
	}
	if err != nil {
		return Staff{}, Tenant{}, err
	}
	hash := password.Hash(newPassword) // slow: before the transaction
	var st Staff
	err = s.Store.Write(ctx, func(tx Tx) error {
		now := s.Clock.Now()
		tok, err := tx.UseStaffToken(ctx, t.ID, ids.Hash(secret), now)
		if errs.Is(err, errs.NotFound) {
			return bad
		}
		if err != nil {
			return err
		}
		if st, err = tx.GetStaff(ctx, t.ID, tok.StaffID); err != nil {
			return err
		}
		if st.Status != StaffActive {
			return bad
		}
		if err := tx.SetStaffPassword(ctx, t.ID, st.ID, hash, now); err != nil {
			return err
		}
		if err := tx.ClearFailures(ctx, t.ID, "account:"+st.Email); err != nil {
			return err
		}
		st.PasswordSetAt = now
		p := access.Principal{TenantID: t.ID, ActorType: access.ActorStaff, ActorID: st.ID, StaffID: st.ID}
		return audit.Record(ctx, tx, p, now, "staff.password_set", "staff", st.ID, nil, map[string]string{"by": tok.Purpose})
	})
	return st, t, err
}

// SetPassword sets a staff user's password from the command line (the
// platform operator's tool, as CreateTenant), ending their sessions.
func (s *Service) SetPassword(ctx context.Context, p access.Principal, staffID, newPassword string) error {
	if err := p.Can(access.Administer); err != nil {
		return err
	}
	if msg := password.Problem(newPassword); msg != "" {
		return errs.InvalidField("password", "weak_password", "%s", msg)
	}
	hash := password.Hash(newPassword)
	return s.Store.Write(ctx, func(tx Tx) error {
		st, err := tx.GetStaff(ctx, p.TenantID, staffID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := tx.SetStaffPassword(ctx, p.TenantID, st.ID, hash, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, now, "staff.password_set", "staff", st.ID, nil, map[string]string{"by": "administrator"})
	})
}

// PutSettings changes the tenant's settings; it needs administration rights.
func (s *Service) PutSettings(ctx context.Context, p access.Principal, in Settings) (Tenant, error) {
	if err := p.Can(access.Administer); err != nil {
		return Tenant{}, err
	}
	if in.AdjustLimit < 1 || in.AdjustLimit > 1_000_000_000 {
		return Tenant{}, errs.InvalidField("adjust_limit", "out_of_range", "the adjustment limit is a number of points between 1 and 1,000,000,000")
	}
	var after Tenant
	err := s.Store.Write(ctx, func(tx Tx) error {
		before, err := tx.TenantByID(ctx, p.TenantID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := tx.PutSettings(ctx, p.TenantID, in, now); err != nil {
			return err
		}
		after = before
		after.Settings, after.UpdatedAt = in, now
		return audit.Record(ctx, tx, p, now, "tenant.settings_changed", "tenant", p.TenantID, before.Settings, in)
	})
	s.keys.invalidate()
	return after, err
}
