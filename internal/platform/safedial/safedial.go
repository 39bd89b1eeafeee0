// Package safedial keeps outgoing requests to addresses a tenant chooses
// (webhook URLs) away from the server's own network: loopback, private,
// link-local (cloud metadata), carrier-grade NAT and unspecified addresses
// are refused when a URL is saved, and again on every connection, after
// name resolution, so that a name re-pointed to an internal address (DNS
// rebinding) is refused too.
package safedial

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// Public reports whether an address is one a request may go to.
func Public(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsValid() && a.IsGlobalUnicast() && !a.IsPrivate() && !cgnat.Contains(a) &&
		!(a.Is4() && a.As4()[0] == 0)
}

// ErrPrivate is returned for a destination inside the server's network.
var ErrPrivate = errors.New("the address is loopback, private or link-local")

// CheckURL validates an http(s) URL and, unless allowPrivate, that every
// address its host resolves to is public.
func CheckURL(ctx context.Context, raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || u.User != nil || len(raw) > 2000 {
		return errors.New("the URL must be an absolute http(s) address without credentials, e.g. https://example.com/hooks/loyal")
	}
	if allowPrivate {
		return nil
	}
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		if !Public(a) {
			return fmt.Errorf("%s: %w", host, ErrPrivate)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return fmt.Errorf("the host %s does not resolve", host)
	}
	for _, a := range addrs {
		if !Public(a) {
			return fmt.Errorf("%s resolves to %s: %w", host, a, ErrPrivate)
		}
	}
	return nil
}

// Client returns an HTTP client that follows no redirects, times out
// after timeout, and (unless allowPrivate) refuses to connect to any
// address that is not public.
func Client(timeout time.Duration, allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: timeout}
	if !allowPrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !Public(ap.Addr()) {
				return fmt.Errorf("connect to %s: %w", address, ErrPrivate)
			}
			return nil
		}
	}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: timeout, ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost: 16, IdleConnTimeout: 90 * time.Second, ForceAttemptHTTP2: true}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
