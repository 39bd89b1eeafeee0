// Package mail is the product's one mailer: it sends e-mail over SMTP
// (net/smtp), upgrading to TLS with STARTTLS when the server offers it and
// authenticating when told to. Tests use mail/mailtest, a real in-process
// SMTP server, rather than a fake sender.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"time"
)

// Message is one e-mail to one recipient. HTML is optional; when present
// the message carries both forms (multipart/alternative). Headers adds
// fields such as List-Unsubscribe; ID, when set, becomes the Message-ID so
// that a message sent twice can be recognised as the same one.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	ID      string
	Headers map[string]string
}

// SMTP sends mail through one SMTP server.
type SMTP struct {
	Addr     string // host:port
	From     string // envelope and header sender
	Username string // empty: no authentication
	Password string
	Timeout  time.Duration // per message, dial to QUIT; 0: 30s
	// TLS, when set, is used for STARTTLS (tests give their own roots);
	// nil verifies the server's name against the system roots.
	TLS *tls.Config
}

// Send delivers m, or says why it could not. It honours ctx's deadline.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if s.From == "" || s.Addr == "" {
		return errors.New("mail: no SMTP address or sender configured")
	}
	body, err := Compose(s.From, m, time.Now())
	if err != nil {
		return err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", s.Addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	return s.converse(conn, m.To, body)
}

// converse runs one SMTP session on conn.
func (s *SMTP) converse(conn net.Conn, to string, body []byte) error {
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("mail: greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("mail: EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(s.tlsConfig(host)); err != nil {
			return fmt.Errorf("mail: STARTTLS: %w", err)
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fmt.Errorf("mail: authentication: %w", err)
		}
	}
	if err := c.Mail(address(s.From)); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(address(to)); err != nil {
		return fmt.Errorf("mail: RCPT TO %s: %w", to, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: message refused: %w", err)
	}
	return c.Quit()
}

func (s *SMTP) tlsConfig(host string) *tls.Config {
	if s.TLS != nil {
		c := s.TLS.Clone()
		if c.ServerName == "" {
			c.ServerName = host
		}
		return c
	}
	return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
}
