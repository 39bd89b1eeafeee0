package google

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Objects writes classes and objects to the Wallet API.
type Objects interface {
	// PutClass creates or replaces a class.
	PutClass(ctx context.Context, c LoyaltyClass) error
	// PutObject creates or replaces an object: a saved card changes on
	// the phone.
	PutObject(ctx context.Context, o LoyaltyObject) error
}

// Production is the Wallet API's address.
const Production = "https://walletobjects.googleapis.com/walletobjects/v1"

// scope is the Wallet API's OAuth scope.
const scope = "https://www.googleapis.com/auth/wallet_object.issuer"

// API is the Wallet API client, authenticated with OAuth tokens the
// service account's key obtains (the JWT bearer grant).
type API struct {
	Base   string
	Issuer *Issuer
	HTTP   *http.Client

	mu      sync.Mutex
	token   string
	expires time.Time
}

// NewAPI returns a client of the API at base (Production unless testing).
func NewAPI(i *Issuer, base string) *API {
	return &API{Base: strings.TrimRight(base, "/"), Issuer: i, HTTP: &http.Client{Timeout: 20 * time.Second}}
}

// PutClass creates or replaces a class.
func (a *API) PutClass(ctx context.Context, c LoyaltyClass) error {
	return a.put(ctx, "loyaltyClass", c.ID, c)
}

// PutObject creates or replaces an object.
func (a *API) PutObject(ctx context.Context, o LoyaltyObject) error {
	return a.put(ctx, "loyaltyObject", o.ID, o)
}

// put replaces a resource, inserting it when the API does not have it.
func (a *API) put(ctx context.Context, kind, id string, v any) error {
	status, err := a.send(ctx, http.MethodPut, a.Base+"/"+kind+"/"+url.PathEscape(id), v)
	if err == nil && status == http.StatusNotFound {
		status, err = a.send(ctx, http.MethodPost, a.Base+"/"+kind, v)
	}
	if err == nil && status >= 300 {
		err = fmt.Errorf("google wallet: %s %s: status %d", kind, id, status)
	}
	return err
}

func (a *API) send(ctx context.Context, method, u string, v any) (int, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	tok, err := a.accessToken(ctx)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	res, err := a.HTTP.Do(req)
	if err != nil {
		return 0, fmt.Errorf("google wallet: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
	return res.StatusCode, nil
}

// accessToken returns a cached OAuth token, asking for a new one a minute
// before it expires.
func (a *API) accessToken(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	if a.token != "" && now.Before(a.expires.Add(-time.Minute)) {
		return a.token, nil
	}
	assertion, err := a.Issuer.Sign(map[string]any{"iss": a.Issuer.Email, "scope": scope, "aud": a.Issuer.TokenURI,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()})
	if err != nil {
		return "", err
	}
	form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:jwt-bearer"}, "assertion": {assertion}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.Issuer.TokenURI, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := a.HTTP.Do(req)
	if err != nil {
		return "", fmt.Errorf("google wallet: token: %w", err)
	}
	defer res.Body.Close()
	var t struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(&t); err != nil || res.StatusCode != http.StatusOK || t.AccessToken == "" {
		return "", fmt.Errorf("google wallet: token: status %d", res.StatusCode)
	}
	a.token, a.expires = t.AccessToken, now.Add(time.Duration(t.ExpiresIn)*time.Second)
	return a.token, nil
}
