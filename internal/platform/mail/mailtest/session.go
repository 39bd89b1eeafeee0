package mailtest

import (
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"net/textproto"
	"strings"
)

// session is one SMTP conversation.
type session struct {
	srv   *Server
	conn  net.Conn
	tp    *textproto.Conn
	from  string
	rcpt  []string
	user  string
	isTLS bool
}

func newSession(s *Server, c net.Conn) *session {
	return &session{srv: s, conn: c, tp: textproto.NewConn(c)}
}

func (s *session) reply(code int, msg string) { _ = s.tp.PrintfLine("%d %s", code, msg) }

func (s *session) run() {
	s.reply(220, "mailtest ESMTP ready")
	for {
		line, err := s.tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		if !s.handle(strings.ToUpper(verb), arg) {
			return
		}
	}
}

// handle answers one command; false ends the session.
func (s *session) handle(verb, arg string) bool {
	switch verb {
	case "EHLO":
		s.ehlo()
	case "HELO":
		s.reply(250, "mailtest")
	case "STARTTLS":
		return s.startTLS()
	case "AUTH":
		s.auth(arg)
	case "MAIL":
		s.from, s.rcpt = pathOf(arg), nil
		s.reply(250, "OK")
	case "RCPT":
		s.rcpt = append(s.rcpt, pathOf(arg))
		s.reply(250, "OK")
	case "DATA":
		return s.data()
	case "RSET":
		s.from, s.rcpt = "", nil
		s.reply(250, "OK")
	case "NOOP":
		s.reply(250, "OK")
	case "QUIT":
		s.reply(221, "bye")
		return false
	default:
		s.reply(502, "command not implemented")
	}
	return true
}

func (s *session) ehlo() {
	lines := []string{"mailtest", "8BITMIME", "AUTH PLAIN"}
	if s.srv.tls != nil && !s.isTLS {
		lines = append(lines, "STARTTLS")
	}
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		_ = s.tp.PrintfLine("250%s%s", sep, l)
	}
}

func (s *session) startTLS() bool {
	if s.srv.tls == nil || s.isTLS {
		s.reply(502, "no TLS here")
		return true
	}
	s.reply(220, "go ahead")
	tc := tls.Server(s.conn, s.srv.tls)
	if err := tc.Handshake(); err != nil {
		return false
	}
	s.conn, s.tp, s.isTLS = tc, textproto.NewConn(tc), true
	return true
}

// auth accepts AUTH PLAIN with any password and remembers the user.
func (s *session) auth(arg string) {
	mech, initial, _ := strings.Cut(arg, " ")
	if !strings.EqualFold(mech, "PLAIN") {
		s.reply(504, "only PLAIN")
		return
	}
	raw, err := base64.StdEncoding.DecodeString(initial)
	parts := strings.Split(string(raw), "\x00")
	if err != nil || len(parts) != 3 {
		s.reply(501, "bad PLAIN response")
		return
	}
	s.user = parts[1]
	s.reply(235, "authenticated")
}

func (s *session) data() bool {
	if s.from == "" || len(s.rcpt) == 0 {
		s.reply(503, "MAIL and RCPT first")
		return true
	}
	s.reply(354, "end with .")
	raw, err := s.tp.ReadDotBytes()
	if err != nil {
		return false
	}
	m := parse(raw)
	m.From, m.Rcpt, m.User, m.TLS = s.from, s.rcpt, s.user, s.isTLS
	if s.srv.record(m) {
		s.reply(451, "try again later")
	} else {
		s.reply(250, fmt.Sprintf("queued as %d", len(raw)))
	}
	s.from, s.rcpt = "", nil
	return true
}

// pathOf reads the address of "FROM:<a@b> SIZE=…" or "TO:<a@b>".
func pathOf(arg string) string {
	_, rest, _ := strings.Cut(arg, ":")
	rest = strings.TrimSpace(rest)
	if i := strings.IndexByte(rest, '>'); strings.HasPrefix(rest, "<") && i > 0 {
		return rest[1:i]
	}
	return rest
}
