// Package password hashes and checks people's passwords with argon2id
// (RFC 9106), stored as PHC strings so that the parameters travel with the
// hash and can be raised later without invalidating old hashes.
//
// Parameters: 19 MiB of memory, 2 passes, 1 lane, 16-byte salt, 32-byte
// key: OWASP's recommended minimum for argon2id, which costs about 40 ms
// on one core of the 2-core machines this runs on, and bounds what a burst
// of sign-ins can take (19 MiB each).
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// Default are the parameters of new hashes.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

var b64 = base64.RawStdEncoding

// Hash returns the PHC string of a password's argon2id hash.
func Hash(pw string) string {
	return hashWith(pw, Default)
}

func hashWith(pw string, p Params) string {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		panic("password: random source failed: " + err.Error())
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// ErrMalformed is returned for a stored hash that is not argon2id PHC.
var ErrMalformed = errors.New("password: malformed hash")

// Check reports whether pw matches the stored hash. An empty hash (no
// password set) matches nothing.
func Check(pw, hash string) (bool, error) {
	if hash == "" {
		return false, nil
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false, ErrMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Memory > 1<<20 || p.Time > 16 || p.Threads == 0 {
		return false, ErrMalformed
	}
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) == 0 {
		return false, ErrMalformed
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// Problem says what is wrong with a new password, or "" when it is
// acceptable: at least 10 characters, at most 200, not all one character.
// Length is what matters (NIST SP 800-63B); no composition rules.
func Problem(pw string) string {
	n := len([]rune(pw))
	switch {
	case n < 10:
		return "use at least 10 characters (a few words make a good password)"
	case n > 200:
		return "use at most 200 characters"
	case strings.Count(pw, string([]rune(pw)[:1])) == n:
		return "use more than one distinct character"
	}
	return ""
}
