package mail_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/mail"
	"github.com/loyal-b2b/loyal/internal/platform/mail/mailtest"
)

func TestSendPlainText(t *testing.T) {
	srv := mailtest.Start(t)
	s := &mail.SMTP{Addr: srv.Addr(), From: "Loyal <noreply@example.com>"}
	err := s.Send(context.Background(), mail.Message{To: "ann@example.com", Subject: "Привет, Ann", Text: "Line one\nЛиния два with a long line " + strings.Repeat("x", 200), ID: "msg-1"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := srv.WaitFor("ann@example.com", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Привет, Ann" || !strings.HasPrefix(m.Text, "Line one\nЛиния два") || !strings.HasSuffix(m.Text, strings.Repeat("x", 200)) {
		t.Fatalf("decoded %q / %q", m.Subject, m.Text)
	}
	if m.From != "noreply@example.com" || m.ID() != "msg-1@example.com" || m.TLS || m.User != "" {
		t.Fatalf("envelope %+v id %q", m, m.ID())
	}
	if _, err := srv.WaitFor("ann@example.com", 50*time.Millisecond); err == nil {
		t.Fatal("WaitFor returned the same message twice")
	}
}

func TestSendHTMLWithStartTLSAndAuth(t *testing.T) {
	srv := mailtest.Start(t, mailtest.WithTLS())
	s := &mail.SMTP{Addr: srv.Addr(), From: "noreply@example.com", Username: "u", Password: "p",
		TLS: &tls.Config{RootCAs: srv.Roots(), MinVersion: tls.VersionTLS12}}
	err := s.Send(context.Background(), mail.Message{To: "bob@example.com", Subject: "Hi", Text: "plain", HTML: "<p>html &amp; more</p>",
		Headers: map[string]string{"List-Unsubscribe": "<https://x.example/m/u/abc>"}})
	if err != nil {
		t.Fatal(err)
	}
	m := srv.Messages()[0]
	if !m.TLS || m.User != "u" || m.Text != "plain" || m.HTML != "<p>html &amp; more</p>" || m.Header.Get("List-Unsubscribe") == "" {
		t.Fatalf("got %+v", m)
	}
}

func TestSendRefusals(t *testing.T) {
	srv := mailtest.Start(t)
	s := &mail.SMTP{Addr: srv.Addr(), From: "noreply@example.com"}
	ctx := context.Background()
	if err := s.Send(ctx, mail.Message{To: "not an address"}); err == nil {
		t.Fatal("a bad recipient was accepted")
	}
	if err := s.Send(ctx, mail.Message{To: "a@example.com", Headers: map[string]string{"X-Evil": "a\r\nBcc: c@example.com"}}); err == nil {
		t.Fatal("a header with a line break was accepted")
	}
	srv.FailNext(1)
	if err := s.Send(ctx, mail.Message{To: "a@example.com", Text: "x"}); err == nil {
		t.Fatal("a refused message reported success")
	}
	if err := s.Send(ctx, mail.Message{To: "a@example.com", Text: "x"}); err != nil || len(srv.Messages()) != 1 {
		t.Fatalf("after the failure: %v, %d messages", err, len(srv.Messages()))
	}
	dead := &mail.SMTP{Addr: "127.0.0.1:1", From: "noreply@example.com", Timeout: time.Second}
	if err := dead.Send(ctx, mail.Message{To: "a@example.com"}); err == nil {
		t.Fatal("no server, no error")
	}
}

func TestParseURL(t *testing.T) {
	s, err := mail.ParseURL("smtp://user:p%40ss@mail.example.com?from=Loyal%20%3Cnoreply@example.com%3E")
	if err != nil {
		t.Fatal(err)
	}
	if s.Addr != "mail.example.com:587" || s.Username != "user" || s.Password != "p@ss" || s.From != "Loyal <noreply@example.com>" {
		t.Fatalf("%+v", s)
	}
	for _, bad := range []string{"http://x", "smtp://host:25", "smtp://:25?from=a@b.c", "smtp://h?from=nope"} {
		if _, err := mail.ParseURL(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
