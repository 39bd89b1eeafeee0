// Package mailtest is a real SMTP server, in process, for tests: it
// accepts every message, records it, and lets a test wait for the mail of
// one recipient (a sign-in code, an invitation):
//
//	srv := mailtest.Start(t)
//	sender := &mail.SMTP{Addr: srv.Addr(), From: "noreply@example.com"}
//	...
//	m, err := srv.WaitFor("ann@example.com", 5*time.Second)
//
// It speaks enough of RFC 5321 for net/smtp: EHLO/HELO, optional
// STARTTLS (WithTLS), AUTH PLAIN (any credentials), MAIL, RCPT, DATA,
// RSET, NOOP, QUIT.
package mailtest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running test SMTP server; it stops when the test ends.
type Server struct {
	ln       net.Listener
	tls      *tls.Config
	mu       sync.Mutex
	msgs     []Message
	taken    map[int]bool
	changed  chan struct{}
	failNext int
	wg       sync.WaitGroup
}

// Option configures a server.
type Option func(*Server)

// WithTLS makes the server offer STARTTLS with a self-signed certificate
// for 127.0.0.1; Roots returns the pool a client must trust.
func WithTLS() Option { return func(s *Server) { s.tls = selfSigned() } }

// Start runs a server on 127.0.0.1 until the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s := &Server{ln: ln, taken: map[int]bool{}, changed: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.Close)
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Roots is the certificate pool that trusts a WithTLS server (nil without).
func (s *Server) Roots() *x509.CertPool {
	if s.tls == nil {
		return nil
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.tls.Certificates[0].Leaf)
	return pool
}

// Close stops the server and waits for its sessions to end.
func (s *Server) Close() {
	_ = s.ln.Close()
	s.wg.Wait()
}

// FailNext makes the server refuse the next n messages with a temporary
// error (451), to test retries.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.failNext = n
	s.mu.Unlock()
}

// Messages returns every message received so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// To returns the messages received for one address.
func (s *Server) To(addr string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		if m.hasRecipient(addr) {
			out = append(out, m)
		}
	}
	return out
}

// WaitFor returns the oldest message to addr that no earlier WaitFor
// returned, waiting up to timeout for one to arrive.
func (s *Server) WaitFor(addr string, timeout time.Duration) (Message, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		for i, m := range s.msgs {
			if !s.taken[i] && m.hasRecipient(addr) {
				s.taken[i] = true
				s.mu.Unlock()
				return m, nil
			}
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			return Message{}, errors.New("mailtest: no message to " + addr + " within " + timeout.String())
		}
	}
}

// record keeps a message and wakes the waiters; it says whether to refuse it.
func (s *Server) record(m Message) (refuse bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failNext > 0 {
		s.failNext--
		return true
	}
	s.msgs = append(s.msgs, m)
	close(s.changed)
	s.changed = make(chan struct{})
	return false
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(time.Minute))
			newSession(s, c).run()
		}()
	}
}

func (m Message) hasRecipient(addr string) bool {
	for _, r := range m.Rcpt {
		if strings.EqualFold(r, addr) {
			return true
		}
	}
	return false
}
