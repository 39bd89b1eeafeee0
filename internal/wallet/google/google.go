// Package google makes a card's Google Wallet pass: the program's loyalty
// class and the card's loyalty object (JSON of the Wallet API), the "save
// to Google Wallet" link — an RS256 JWT signed with the operator's
// service-account key — and a client of the Wallet API that updates
// objects when cards change.
package google

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"regexp"
)

// Issuer is the operator's Google Wallet identity: its issuer id and the
// service account whose key signs save links and API tokens.
type Issuer struct {
	IssuerID string
	Email    string // the service account's client_email
	KeyID    string
	Key      *rsa.PrivateKey
	TokenURI string
}

// serviceAccount is the JSON key file Google's console downloads.
type serviceAccount struct {
	ClientEmail  string `json:"client_email"`
	PrivateKey   string `json:"private_key"`
	PrivateKeyID string `json:"private_key_id"`
	TokenURI     string `json:"token_uri"`
}

var issuerID = regexp.MustCompile(`^[0-9]{1,30}$`)

// LoadIssuer reads a service-account key file.
func LoadIssuer(id, keyFile string) (*Issuer, error) {
	if !issuerID.MatchString(id) {
		return nil, errors.New("google wallet: the issuer id is the number Google's Pay & Wallet console shows")
	}
	b, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("google wallet: service account key: %w", err)
	}
	var sa serviceAccount
	if err := json.Unmarshal(b, &sa); err != nil || sa.ClientEmail == "" || sa.PrivateKey == "" {
		return nil, errors.New("google wallet: the service account key is not a Google service-account JSON key file")
	}
	blk, _ := pem.Decode([]byte(sa.PrivateKey))
	if blk == nil {
		return nil, errors.New("google wallet: the service account's private_key is not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	rk, ok := k.(*rsa.PrivateKey)
	if err != nil || !ok {
		return nil, errors.New("google wallet: the service account's private_key is not an RSA key")
	}
	if sa.TokenURI == "" {
		sa.TokenURI = "https://oauth2.googleapis.com/token"
	}
	return &Issuer{IssuerID: id, Email: sa.ClientEmail, KeyID: sa.PrivateKeyID, Key: rk, TokenURI: sa.TokenURI}, nil
}

// Sign makes an RS256 JWT of claims.
func (i *Issuer) Sign(claims any) (string, error) {
	head := map[string]string{"alg": "RS256", "typ": "JWT"}
	if i.KeyID != "" {
		head["kid"] = i.KeyID
	}
	h, err := json.Marshal(head)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, i.Key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signing + "." + enc.EncodeToString(sig), nil
}
