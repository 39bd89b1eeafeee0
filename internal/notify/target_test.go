package notify_test

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/notify"
)

// Each kind of outbox message names its recipient; an unknown kind or a
// payload that is not JSON names none rather than a wrong one.
func TestItemTarget(t *testing.T) {
	for _, tc := range []struct {
		kind, payload string
		want          notify.Target
	}{
		{"webhook.delivery", `{"webhook_id":"w1","event":{"id":"e1","type":"points.earned"}}`, notify.Target{Type: "webhook", ID: "w1"}},
		{"webhook.event", `{"type":"tier.changed","data":{}}`, notify.Target{Type: "webhooks", ID: "tier.changed"}},
		{notify.PersonMessage, `{"template":"welcome","person_id":"m1"}`, notify.Target{Type: "person", ID: "m1"}},
		{notify.OwnerMessage, `{"template":"t","owner_type":"organization","owner_id":"o1"}`, notify.Target{Type: "organization", ID: "o1"}},
		{notify.ProgramMessage, `{"template":"t","owner_type":"member","owner_id":"m2"}`, notify.Target{Type: "member", ID: "m2"}},
		{"something.else", `{"person_id":"m1"}`, notify.Target{}},
		{notify.PersonMessage, `not json`, notify.Target{}},
	} {
		if got := (notify.Item{Kind: tc.kind, Payload: []byte(tc.payload)}).Target(); got != tc.want {
			t.Errorf("%s %s: %+v, want %+v", tc.kind, tc.payload, got, tc.want)
		}
	}
}
