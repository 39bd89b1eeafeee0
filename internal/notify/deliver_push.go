package notify

import (
	"context"
	"errors"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/platform/push"
)

// push sends a message to each of the person's devices. A token the
// provider reports gone is forgotten; the message counts as sent if one
// device took it, else it is retried (by then, with no devices left, by
// another channel).
func (s *Service) push(ctx context.Context, d *delivery, title, body string) error {
	var gone []string
	var last error
	sent := 0
	for _, dev := range d.devices {
		err := s.Push.Send(ctx, push.Message{Token: dev.Token, Title: title, Body: body, Data: map[string]string{"message_id": d.it.ID}})
		switch {
		case err == nil:
			sent++
		case errors.Is(err, push.ErrGone):
			gone = append(gone, dev.Token)
		default:
			last = err
		}
	}
	if len(gone) > 0 {
		err := s.Store.Write(context.WithoutCancel(ctx), func(tx Tx) error {
			for _, t := range gone {
				if _, err := tx.DeleteDevice(ctx, d.it.TenantID, d.person.ID, t); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if sent > 0 {
		return nil
	}
	if last == nil {
		last = fmt.Errorf("push: all %d of the person's devices are gone", len(gone))
	}
	return last
}
