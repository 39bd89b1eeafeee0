package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Webhook request headers.
const (
	HeaderSignature = "Loyal-Signature"  // t=<unix seconds>,v1=<hex>[,v1=<hex>]
	HeaderMessageID = "Loyal-Message-Id" // the same on every retry of a delivery
	HeaderEventType = "Loyal-Event-Type"
)

// Sign computes HMAC-SHA256(secret, "<timestamp>.<body>") in hex.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SignatureHeader is the Loyal-Signature value for a body signed at ts
// with each secret.
func SignatureHeader(secrets []string, ts int64, body []byte) string {
	parts := []string{"t=" + strconv.FormatInt(ts, 10)}
	for _, s := range secrets {
		parts = append(parts, "v1="+Sign(s, ts, body))
	}
	return strings.Join(parts, ",")
}

// Verify checks a Loyal-Signature header against a body, as a receiver
// should: one v1 signature must match the secret, and the timestamp must
// be within tolerance of now (against replays).
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) bool {
	var ts int64 = -1
	var sigs []string
	for _, p := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch k {
		case "t":
			ts, _ = strconv.ParseInt(v, 10, 64)
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if ts < 0 || now.Sub(time.Unix(ts, 0)).Abs() > tolerance {
		return false
	}
	want := Sign(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(want)) {
			return true
		}
	}
	return false
}
