package app_test

import (
	"context"
	"testing"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/sms"
)

func TestSMSTexterSendsThroughTheProvider(t *testing.T) {
	rec := &sms.Recorder{}
	if err := (app.SMSTexter{Sender: rec}).Text(context.Background(), "+447700900123", "code 123456"); err != nil {
		t.Fatal(err)
	}
	if got := rec.Sent(); len(got) != 1 || got[0].To != "+447700900123" || got[0].Text != "code 123456" {
		t.Fatalf("sent %+v", got)
	}
}
