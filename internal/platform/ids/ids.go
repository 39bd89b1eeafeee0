// Package ids makes identifiers and secrets: time-ordered UUIDv7 ids for
// rows (made by the application, never by the database) and random tokens
// for keys and codes.
package ids

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"

	"github.com/google/uuid"
)

// New returns a new UUIDv7 as text. Ids sort by creation time, which keeps
// index inserts appending and makes cursor pagination follow creation order.
func New() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 fails only when the system's random source fails, and then
		// nothing secure can be done anyway.
		panic("ids: random source failed: " + err.Error())
	}
	return id.String()
}

// Valid reports whether s has the form of an id made by New (any UUID).
func Valid(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

var token = base32.NewEncoding("abcdefghijkmnpqrstuvwxyz23456789").WithPadding(base32.NoPadding)

// Token returns n random bytes as lower-case base32 text without look-alike
// characters (no l, o, 0, 1); 20 bytes give 160 bits of entropy.
func Token(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("ids: random source failed: " + err.Error())
	}
	return token.EncodeToString(b)
}

// Hash returns the SHA-256 of a high-entropy secret as hex. Fast hashing is
// right for random secrets (a guess costs 2^160 tries); passwords need a slow
// hash instead.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Equal compares two hashes in constant time.
func Equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
