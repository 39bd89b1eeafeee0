package notify

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Device is a mobile device that receives a person's push messages.
type Device struct {
	Token     string    `json:"token" doc:"The registration token the push provider gave the app"`
	PersonID  string    `json:"person_id"`
	Platform  string    `json:"platform" doc:"android, ios or web"`
	CreatedAt time.Time `json:"created_at"`
}

// Platforms a device may name.
var Platforms = []string{"android", "ios", "web"}

// maxDevices is how many devices one person's push reaches.
const maxDevices = 20

// DeviceTx is the device tokens' storage.
type DeviceTx interface {
	PutDevice(ctx context.Context, tenantID string, d Device) error
	DeleteDevice(ctx context.Context, tenantID, personID, token string) (bool, error)
	DevicesOf(ctx context.Context, tenantID, personID string) ([]Device, error)
}

// own checks that a member acts only for themselves (the portal, or an
// app signed in as the member); staff and keys need the right to edit
// people and reach the person.
func (s *Service) own(ctx context.Context, tx Tx, p access.Principal, personID string) error {
	if p.IsMember() && p.ActorID != personID {
		return errs.E(errs.Forbidden, "not_yours", "a member registers devices only for themselves")
	}
	_, err := s.person(ctx, tx, p, personID)
	return err
}

// RegisterDevice records a device token of a person's app, so that push
// messages reach it. Registering it again (or for another person: a phone
// that changed hands) replaces the earlier record.
func (s *Service) RegisterDevice(ctx context.Context, p access.Principal, personID string, d Device) (Device, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Device{}, err
	}
	var f errs.Fields
	d.Token, d.Platform = strings.TrimSpace(d.Token), strings.ToLower(strings.TrimSpace(d.Platform))
	if d.Token == "" || len(d.Token) > 4096 || strings.ContainsAny(d.Token, " \t\r\n") {
		f.Add("token", "bad_token", "give the push provider's registration token: 1–4096 characters, no spaces")
	}
	if d.Platform == "" {
		d.Platform = "android"
	} else if !slices.Contains(Platforms, d.Platform) {
		f.Add("platform", "bad_platform", "platform is one of %s", strings.Join(Platforms, ", "))
	}
	if err := f.Err(); err != nil {
		return Device{}, err
	}
	d.PersonID, d.CreatedAt = personID, s.Clock.Now()
	return d, s.Store.Write(ctx, func(tx Tx) error {
		if err := s.own(ctx, tx, p, personID); err != nil {
			return err
		}
		if ds, err := tx.DevicesOf(ctx, p.TenantID, personID); err != nil {
			return err
		} else if len(ds) >= maxDevices && !slices.ContainsFunc(ds, func(x Device) bool { return x.Token == d.Token }) {
			return errs.E(errs.Conflict, "too_many_devices", "a person may have at most %d devices; unregister one first", maxDevices)
		}
		if err := tx.PutDevice(ctx, p.TenantID, d); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, d.CreatedAt, "member.device_registered", "member", personID, nil, map[string]string{"platform": d.Platform})
	})
}

// UnregisterDevice forgets a person's device token (the app signed out).
func (s *Service) UnregisterDevice(ctx context.Context, p access.Principal, personID, token string) error {
	if err := p.Can(access.EditParties); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		if err := s.own(ctx, tx, p, personID); err != nil {
			return err
		}
		ok, err := tx.DeleteDevice(ctx, p.TenantID, personID, strings.TrimSpace(token))
		if err == nil && !ok {
			err = errs.E(errs.NotFound, "not_found", "this person has no device with that token")
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, s.Clock.Now(), "member.device_unregistered", "member", personID, nil, nil)
	})
}

// Devices lists a person's registered devices.
func (s *Service) Devices(ctx context.Context, p access.Principal, personID string) ([]Device, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Device, error) {
		if err := s.own(ctx, tx, p, personID); err != nil {
			return nil, err
		}
		return tx.DevicesOf(ctx, p.TenantID, personID)
	})
}
