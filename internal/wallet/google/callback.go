package google

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strconv"
	"time"
)

// Google tells an issuer of a pass saved or deleted by POSTing a signed
// message to the class's callback URL. The message is signed as Google
// Pay's "ECv2SigningOnly" tokens are: Google's long-lived root keys
// (published as JSON) sign a short-lived intermediate key, which signs
// the message; both signatures are ECDSA P-256 with SHA-256 over
// length-prefixed fields naming the sender, the recipient (the issuer id)
// and the protocol, so a message for another issuer does not verify here.
const (
	Protocol = "ECv2SigningOnly"
	SenderID = "GooglePayPasses"
)

// Callback events.
const (
	EventSave   = "save"
	EventDelete = "del"
)

// Callback is what a verified message says.
type Callback struct {
	ClassID   string `json:"classId"`
	ObjectID  string `json:"objectId"`
	EventType string `json:"eventType"`
	Nonce     string `json:"nonce"`
	// Expires is after when the message must be refused.
	Expires time.Time `json:"-"`
}

// Envelope is the body Google posts.
type Envelope struct {
	ProtocolVersion        string          `json:"protocolVersion"`
	Signature              string          `json:"signature"`
	IntermediateSigningKey IntermediateKey `json:"intermediateSigningKey"`
	SignedMessage          string          `json:"signedMessage"`
}

// IntermediateKey is the intermediate key (SignedKey, a JSON string)
// with the root keys' signatures of it.
type IntermediateKey struct {
	SignedKey  string   `json:"signedKey"`
	Signatures []string `json:"signatures"`
}

// SignedKey is the intermediate key itself.
type SignedKey struct {
	KeyValue      string `json:"keyValue"`      // base64 of an X.509 SubjectPublicKeyInfo
	KeyExpiration string `json:"keyExpiration"` // milliseconds since the epoch
}

// ErrCallback is why a callback was refused; its text says what was
// wrong without helping a forger much.
type ErrCallback struct{ Reason string }

func (e *ErrCallback) Error() string { return "google wallet callback: " + e.Reason }

func refuse(reason string) error { return &ErrCallback{Reason: reason} }

// Verifier checks callbacks for one issuer against Google's root keys.
type Verifier struct {
	RecipientID string // the issuer id
	Keys        *RootKeys
	Now         func() time.Time
}

// Verify checks a posted body and returns its message: the signature
// chain from a current root key through an unexpired intermediate key,
// and the message's own expiry. A replayed nonce is the caller's to
// catch (it needs storage).
func (v *Verifier) Verify(ctx context.Context, body []byte) (Callback, error) {
	var env Envelope
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return Callback{}, refuse("the body is not a signed callback message")
	}
	if env.ProtocolVersion != Protocol || env.Signature == "" || env.SignedMessage == "" {
		return Callback{}, refuse("the message is not signed with " + Protocol)
	}
	now := v.Now()
	inter, err := v.intermediate(ctx, env.IntermediateSigningKey, now)
	if err != nil {
		return Callback{}, err
	}
	signed := lengthValue(SenderID, v.RecipientID, Protocol, env.SignedMessage)
	if !verifyAny([]*ecdsa.PublicKey{inter}, []string{env.Signature}, signed) {
		return Callback{}, refuse("the message's signature does not verify")
	}
	return parseMessage(env.SignedMessage, now)
}

// intermediate verifies the intermediate key with the root keys and
// returns it.
func (v *Verifier) intermediate(ctx context.Context, ik IntermediateKey, now time.Time) (*ecdsa.PublicKey, error) {
	roots, err := v.Keys.Current(ctx, now)
	if err != nil {
		return nil, err
	}
	if !verifyAny(roots, ik.Signatures, lengthValue(SenderID, Protocol, ik.SignedKey)) {
		return nil, refuse("the intermediate signing key is not signed by a current Google root key")
	}
	var sk SignedKey
	if err := json.Unmarshal([]byte(ik.SignedKey), &sk); err != nil {
		return nil, refuse("the intermediate signing key is not JSON")
	}
	exp, err := strconv.ParseInt(sk.KeyExpiration, 10, 64)
	if err != nil || !now.Before(time.UnixMilli(exp)) {
		return nil, refuse("the intermediate signing key has expired")
	}
	k, err := parseKey(sk.KeyValue)
	if err != nil {
		return nil, refuse("the intermediate signing key is not an ECDSA public key")
	}
	return k, nil
}

// parseMessage reads the signed message and checks its expiry.
func parseMessage(s string, now time.Time) (Callback, error) {
	var m struct {
		Callback
		ExpTimeMillis json.Number `json:"expTimeMillis"`
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return Callback{}, refuse("the signed message is not JSON")
	}
	exp, err := m.ExpTimeMillis.Int64()
	if err != nil || !now.Before(time.UnixMilli(exp)) {
		return Callback{}, refuse("the message has expired")
	}
	cb := m.Callback
	cb.Expires = time.UnixMilli(exp)
	if cb.EventType != EventSave && cb.EventType != EventDelete || cb.Nonce == "" || cb.ObjectID == "" || cb.ClassID == "" {
		return Callback{}, refuse("the message lacks its class, object, nonce or a known event type")
	}
	return cb, nil
}

// lengthValue is each field's byte length (4 bytes, little-endian)
// followed by the field.
func lengthValue(fields ...string) []byte {
	var b []byte
	for _, f := range fields {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	return b
}

// verifyAny reports whether any signature (base64 ASN.1 ECDSA) verifies
// with any key.
func verifyAny(keys []*ecdsa.PublicKey, sigs []string, signed []byte) bool {
	sum := sha256.Sum256(signed)
	for _, s := range sigs {
		sig, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			continue
		}
		for _, k := range keys {
			if ecdsa.VerifyASN1(k, sum[:], sig) {
				return true
			}
		}
	}
	return false
}

// parseKey reads a base64 SubjectPublicKeyInfo of an ECDSA key.
func parseKey(s string) (*ecdsa.PublicKey, error) {
	der, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("google wallet: a key is not base64")
	}
	k, err := x509.ParsePKIXPublicKey(der)
	ek, ok := k.(*ecdsa.PublicKey)
	if err != nil || !ok {
		return nil, errors.New("google wallet: a key is not an ECDSA public key")
	}
	return ek, nil
}
