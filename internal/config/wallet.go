package config

import (
	"os"
	"strings"
)

// Wallet configures Apple Wallet and Google Wallet passes. Each wallet is
// off until its settings are given (docs/WALLET.md tells where each comes
// from); asking for an unconfigured wallet's pass answers 409 saying so.
type Wallet struct {
	ApplePassTypeID   string `name:"apple-pass-type-id" env:"LOYAL_APPLE_PASS_TYPE_ID" placeholder:"ID" help:"Apple Wallet: the pass type identifier (pass.com.example.loyalty)."`
	AppleTeamID       string `name:"apple-team-id" env:"LOYAL_APPLE_TEAM_ID" placeholder:"ID" help:"Apple Wallet: the Apple developer team identifier."`
	AppleCert         string `name:"apple-cert" env:"LOYAL_APPLE_CERT" placeholder:"FILE" help:"Apple Wallet: the pass type certificate (PEM)."`
	AppleKey          string `name:"apple-key" env:"LOYAL_APPLE_KEY" placeholder:"FILE" help:"Apple Wallet: the certificate's private key (PEM, unencrypted)."`
	AppleIntermediate string `name:"apple-intermediate" env:"LOYAL_APPLE_INTERMEDIATE" placeholder:"FILE" help:"Apple Wallet: Apple's WWDR intermediate certificate (PEM or DER)."`
	AppleAPNs         string `name:"apple-apns-url" env:"LOYAL_APPLE_APNS_URL" default:"https://api.push.apple.com" placeholder:"URL" help:"Apple Wallet: APNs address (tests point it elsewhere)."`
	GoogleIssuerID    string `name:"google-issuer-id" env:"LOYAL_GOOGLE_ISSUER_ID" placeholder:"ID" help:"Google Wallet: the issuer id from the Pay & Wallet console."`
	GoogleKey         string `name:"google-key" env:"LOYAL_GOOGLE_SERVICE_ACCOUNT_KEY" placeholder:"FILE" help:"Google Wallet: the service account's JSON key file."`
	GoogleAPI         string `name:"google-api-url" env:"LOYAL_GOOGLE_WALLET_API_URL" default:"https://walletobjects.googleapis.com/walletobjects/v1" placeholder:"URL" help:"Google Wallet: the Wallet API address (tests point it elsewhere)."`
	GoogleRootKeys    string `name:"google-callback-keys" env:"LOYAL_GOOGLE_CALLBACK_KEYS" default:"https://pay.google.com/gp/m/issuer/keys" placeholder:"URL|FILE" help:"Google Wallet: Google's root keys that sign save/delete callbacks (a URL, or a file of the same JSON); \"off\" refuses callbacks."`
	Issuer            string `name:"wallet-issuer" env:"LOYAL_WALLET_ISSUER" placeholder:"NAME" help:"The operator's name on passes; default: the program's title."`
	LinkKey           string `name:"wallet-link-key" env:"LOYAL_WALLET_LINK_KEY" placeholder:"SECRET" help:"Signs pass download links (32+ random characters; the same on every replica). Default: derived from the wallets' keys."`
}

// AppleOn reports whether any Apple setting is given (then all must be).
func (w Wallet) AppleOn() bool {
	return w.ApplePassTypeID != "" || w.AppleTeamID != "" || w.AppleCert != "" || w.AppleKey != "" || w.AppleIntermediate != ""
}

// GoogleOn reports whether any Google setting is given (then all must be).
func (w Wallet) GoogleOn() bool { return w.GoogleIssuerID != "" || w.GoogleKey != "" }

// problems says what is missing from a wallet partly configured.
func (w Wallet) problems() []string {
	var problems []string
	if w.AppleOn() {
		for flag, v := range map[string]string{"--apple-pass-type-id": w.ApplePassTypeID, "--apple-team-id": w.AppleTeamID, "--apple-cert": w.AppleCert,
			"--apple-key": w.AppleKey, "--apple-intermediate": w.AppleIntermediate} {
			if v == "" {
				problems = append(problems, ("Apple Wallet is partly configured: give " + flag + " too (docs/WALLET.md)"))
			}
		}
	}
	if w.GoogleOn() && (w.GoogleIssuerID == "" || w.GoogleKey == "") {
		problems = append(problems, ("Google Wallet is partly configured: give both --google-issuer-id and --google-key (docs/WALLET.md)"))
	}
	for _, f := range []string{w.AppleCert, w.AppleKey, w.AppleIntermediate, w.GoogleKey} {
		if _, err := os.Stat(f); f != "" && err != nil {
			problems = append(problems, ("wallet: cannot read " + f))
		}
	}
	if k := w.GoogleRootKeys; w.GoogleOn() && k != "" && k != "off" && !strings.HasPrefix(k, "https://") && !strings.HasPrefix(k, "http://") {
		if _, err := os.Stat(k); err != nil {
			problems = append(problems, ("--google-callback-keys: cannot read " + k + " (give Google's keys URL, a file of the same JSON, or off)"))
		}
	}
	if w.LinkKey != "" && len(w.LinkKey) < 32 {
		problems = append(problems, ("--wallet-link-key must be at least 32 characters"))
	}
	return problems
}
