package googletest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Signer acts as Google signing Wallet callbacks: a root key it
// publishes and an intermediate key the root key signs.
type Signer struct {
	t            testing.TB
	Root, Inter  *ecdsa.PrivateKey
	RootExpires  time.Time
	InterExpires time.Time
}

// NewSigner makes a root key and an intermediate key valid for a year
// from now.
func NewSigner(t testing.TB, now time.Time) *Signer {
	t.Helper()
	return &Signer{t: t, Root: ecKey(t), Inter: ecKey(t), RootExpires: now.AddDate(1, 0, 0), InterExpires: now.AddDate(1, 0, 0)}
}

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// RootKeysJSON is the root key as Google publishes its keys.
func (s *Signer) RootKeysJSON() []byte {
	b, _ := json.Marshal(map[string]any{"keys": []map[string]string{{
		"keyValue": s.spki(&s.Root.PublicKey), "protocolVersion": "ECv2SigningOnly",
		"keyExpiration": strconv.FormatInt(s.RootExpires.UnixMilli(), 10)}}})
	return b
}

// WriteRootKeys writes RootKeysJSON to a file and returns its path.
func (s *Signer) WriteRootKeys() string {
	p := filepath.Join(s.t.TempDir(), "google-root-keys.json")
	if err := os.WriteFile(p, s.RootKeysJSON(), 0o600); err != nil {
		s.t.Fatal(err)
	}
	return p
}

// Message is a callback's content.
type Message struct {
	ClassID       string `json:"classId"`
	ObjectID      string `json:"objectId"`
	ExpTimeMillis int64  `json:"expTimeMillis"`
	EventType     string `json:"eventType"`
	Nonce         string `json:"nonce"`
}

// Sign makes the body Google posts for m to issuer recipient.
func (s *Signer) Sign(recipient string, m Message) []byte {
	msg, _ := json.Marshal(m)
	signedKey, _ := json.Marshal(map[string]string{"keyValue": s.spki(&s.Inter.PublicKey),
		"keyExpiration": strconv.FormatInt(s.InterExpires.UnixMilli(), 10)})
	body, _ := json.Marshal(map[string]any{
		"protocolVersion": "ECv2SigningOnly",
		"signature":       s.sig(s.Inter, lv("GooglePayPasses", recipient, "ECv2SigningOnly", string(msg))),
		"intermediateSigningKey": map[string]any{"signedKey": string(signedKey),
			"signatures": []string{s.sig(s.Root, lv("GooglePayPasses", "ECv2SigningOnly", string(signedKey)))}},
		"signedMessage": string(msg),
	})
	return body
}

func (s *Signer) spki(k *ecdsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		s.t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}

func (s *Signer) sig(k *ecdsa.PrivateKey, signed []byte) string {
	sum := sha256.Sum256(signed)
	sig, err := ecdsa.SignASN1(rand.Reader, k, sum[:])
	if err != nil {
		s.t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// lv is the protocol's length-prefixed concatenation, written here again
// (not imported) so a mistake in the server's is not repeated by the test.
func lv(fields ...string) []byte {
	var b []byte
	for _, f := range fields {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	return b
}
