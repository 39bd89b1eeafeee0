package app

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/wallet/apple"
	"github.com/loyal-b2b/loyal/internal/wallet/google"
)

// JobWallet tells Apple and Google wallets of the cards that changed.
const JobWallet = "wallet"

// setupWallet loads the configured wallets' identities into the wallet
// service; an unconfigured wallet stays off.
func (a *App) setupWallet(cfg config.Wallet) error {
	w := a.Wallet
	w.Issuer = cfg.Issuer
	var keyMaterial []byte
	if cfg.AppleOn() {
		s, err := apple.LoadSigner(cfg.ApplePassTypeID, cfg.AppleTeamID, cfg.Issuer, cfg.AppleCert, cfg.AppleKey, cfg.AppleIntermediate)
		if err != nil {
			return err
		}
		w.Apple, w.Pusher = s, apple.NewAPNs(s, cfg.AppleAPNs, nil)
		der, err := x509.MarshalPKCS8PrivateKey(s.Key)
		if err != nil {
			return fmt.Errorf("apple wallet: key: %w", err)
		}
		keyMaterial = append(keyMaterial, der...)
	}
	if cfg.GoogleOn() {
		iss, err := google.LoadIssuer(cfg.GoogleIssuerID, cfg.GoogleKey)
		if err != nil {
			return err
		}
		w.Google, w.Objects = iss, google.NewAPI(iss, cfg.GoogleAPI)
		if cfg.GoogleRootKeys != "" && cfg.GoogleRootKeys != "off" {
			w.Callbacks = &google.Verifier{RecipientID: iss.IssuerID, Keys: &google.RootKeys{Source: cfg.GoogleRootKeys},
				Now: func() time.Time { return w.Clock.Now() }}
		}
		keyMaterial = append(keyMaterial, x509.MarshalPKCS1PrivateKey(iss.Key)...)
	}
	w.LinkKey = linkKey(cfg.LinkKey, keyMaterial)
	return nil
}

// linkKey is the configured key, else one derived from the wallets' own
// keys (the same on every replica), else a random one (no wallet: no
// links to sign anyway).
func linkKey(configured string, keyMaterial []byte) []byte {
	if configured != "" {
		return []byte(configured)
	}
	if len(keyMaterial) == 0 {
		k := make([]byte, 32)
		_, _ = rand.Read(k)
		return k
	}
	sum := sha256.Sum256(append([]byte("loyal wallet download links\x00"), keyMaterial...))
	return sum[:]
}

// walletHandler serves members' pass downloads (/p/wallet/…), program
// logos (/wallet/logo/…) and Apple's pass web service (/wallet/apple/…).
func (a *App) walletHandler() http.Handler {
	return a.Wallet.Handler(a.walletViewer)
}

// walletViewer is the portal's signed-in member and the cards they may
// take: their own, and their organization's when they manage it.
func (a *App) walletViewer(r *http.Request) (string, []string, bool) {
	tenantID, memberID, ok := a.Kit.MemberOf(r)
	if !ok {
		return "", nil, false
	}
	m, err := a.Party.GetMember(r.Context(), access.System(tenantID), memberID)
	if err != nil {
		return "", nil, false
	}
	owners := []string{m.ID}
	if slices.Contains(m.Roles, party.RoleOwner) {
		owners = append(owners, m.OrganizationID)
	}
	return tenantID, owners, true
}
