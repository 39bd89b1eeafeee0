package google

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultRootKeysURL is where Google publishes the keys that sign
// Wallet callbacks.
const DefaultRootKeysURL = "https://pay.google.com/gp/m/issuer/keys"

// rootKeysTTL is how long fetched keys are used before asking again;
// Google announces rotations well ahead, so an hour is plenty.
const rootKeysTTL = time.Hour

// RootKeys are Google's root signing keys, read from a URL (fetched and
// kept for an hour) or a file (read on every change of an hour too, so an
// operator may replace it).
type RootKeys struct {
	Source string // an http(s) URL or a file path
	Client *http.Client

	mu      sync.Mutex
	keys    []rootKey
	fetched time.Time
}

type rootKey struct {
	key     *ecdsa.PublicKey
	expires time.Time
}

// rootKeysFile is the published JSON.
type rootKeysFile struct {
	Keys []struct {
		KeyValue        string `json:"keyValue"`
		ProtocolVersion string `json:"protocolVersion"`
		KeyExpiration   string `json:"keyExpiration"`
	} `json:"keys"`
}

// Current returns the root keys of the callbacks' protocol that have not
// expired at now.
func (r *RootKeys) Current(ctx context.Context, now time.Time) ([]*ecdsa.PublicKey, error) {
	keys, err := r.load(ctx, now)
	if err != nil {
		return nil, err
	}
	var out []*ecdsa.PublicKey
	for _, k := range keys {
		if now.Before(k.expires) {
			out = append(out, k.key)
		}
	}
	if len(out) == 0 {
		return nil, refuse("no current Google root signing key")
	}
	return out, nil
}

// load returns the cached keys, reading them again when they are old; a
// failed refresh keeps the old keys.
func (r *RootKeys) load(ctx context.Context, now time.Time) ([]rootKey, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.keys != nil && now.Sub(r.fetched) < rootKeysTTL && !now.Before(r.fetched) {
		return r.keys, nil
	}
	b, err := r.read(ctx)
	var keys []rootKey
	if err == nil {
		keys, err = parseRootKeys(b)
	}
	if err != nil {
		if r.keys != nil {
			return r.keys, nil
		}
		return nil, err
	}
	r.keys, r.fetched = keys, now
	return keys, nil
}

func (r *RootKeys) read(ctx context.Context) ([]byte, error) {
	if !strings.HasPrefix(r.Source, "https://") && !strings.HasPrefix(r.Source, "http://") {
		return os.ReadFile(r.Source)
	}
	c := r.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.Source, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("google wallet: root keys: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("google wallet: root keys: %s answered %d", r.Source, resp.StatusCode)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// parseRootKeys reads the published JSON, keeping the keys of the
// callbacks' protocol.
func parseRootKeys(b []byte) ([]rootKey, error) {
	var f rootKeysFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, errors.New("google wallet: the root keys are not the JSON Google publishes")
	}
	var out []rootKey
	for _, k := range f.Keys {
		if k.ProtocolVersion != Protocol {
			continue
		}
		pk, err := parseKey(k.KeyValue)
		if err != nil {
			return nil, err
		}
		ms, err := strconv.ParseInt(k.KeyExpiration, 10, 64)
		if err != nil {
			continue // the protocol requires an expiry: a key without one is not trusted
		}
		out = append(out, rootKey{key: pk, expires: time.UnixMilli(ms)})
	}
	if len(out) == 0 {
		return nil, errors.New("google wallet: the root keys hold no " + Protocol + " key")
	}
	return out, nil
}
