package apple_test

import (
	"context"
	"errors"
	"testing"

	"github.com/loyal-b2b/loyal/internal/wallet/apple"
	"github.com/loyal-b2b/loyal/internal/wallet/apple/appletest"
)

func TestAPNsPush(t *testing.T) {
	id := appletest.New(t)
	fake := appletest.NewAPNs(t)
	fake.Gone["old-device"] = true
	c := apple.NewAPNs(id.Signer, fake.Server.URL, fake.Roots)
	if err := c.Push(context.Background(), "device-1"); err != nil {
		t.Fatal(err)
	}
	if err := c.Push(context.Background(), "old-device"); !errors.Is(err, apple.ErrUnregistered) {
		t.Fatalf("a gone device: %v, want ErrUnregistered", err)
	}
	got := fake.Pushes()
	if len(got) != 2 || got[0].Token != "device-1" || got[0].Topic != appletest.PassTypeID || got[0].Body != "{}" || !got[0].HTTP2 ||
		got[0].ClientCert != "Pass Type ID: "+appletest.PassTypeID {
		t.Fatalf("pushes: %+v", got)
	}
}
