package mail

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
)

// ParseURL reads the mailer's configuration from one URL:
// smtp://user:pass@host:port?from=Loyal%20<noreply@example.com>. The port
// defaults to 587; the user part is optional (no authentication).
func ParseURL(s string) (*SMTP, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("the SMTP URL must look like smtp://user:pass@host:587?from=noreply@example.com")
	}
	from := u.Query().Get("from")
	if _, err := mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("the SMTP URL needs ?from=<sender address>, e.g. ?from=noreply@example.com")
	}
	port := u.Port()
	if port == "" {
		port = "587"
	}
	s2 := &SMTP{Addr: net.JoinHostPort(u.Hostname(), port), From: from}
	if u.User != nil {
		s2.Username = u.User.Username()
		s2.Password, _ = u.User.Password()
	}
	return s2, nil
}
