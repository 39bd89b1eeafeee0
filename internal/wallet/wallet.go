// Package wallet puts participants' cards in Apple Wallet and Google
// Wallet: it builds a card's passes from its live state and its program's
// design, serves Apple's pass web service (registrations, changed passes,
// the latest pass), keeps both wallets current — a job finds the cards
// whose state changed (card.UpdatedSince), pushes Apple devices through
// APNs and replaces Google objects through the Wallet API — and counts
// passes added and removed per program. Either wallet is off until it is
// configured; asking for its pass then says so.
package wallet

import (
	"context"
	"log/slog"
	"time"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/wallet/apple"
	"github.com/loyal-b2b/loyal/internal/wallet/google"
)

// Wallets.
const (
	Apple  = "apple"
	Google = "google"
)

// Install actions: a pass added to a wallet, removed from it (Apple: a
// device registering or unregistering; Google: a signed callback), or a
// Google save link handed out.
const (
	Installed = "installed"
	Removed   = "removed"
	SaveLink  = "save_link"
)

// Install is one pass added or removed.
type Install struct {
	ID, TenantID, ProgramID, CardID string
	Wallet, Action                  string
	At                              time.Time
}

// Registration is an Apple device registered for a card's updates.
type Registration struct {
	DeviceID, CardID, PushToken string
}

// Tx is what the wallets need from storage.
type Tx interface {
	// RegisterDevice records a device's push token for a card, reporting
	// whether the registration is new (an old one takes the new token).
	RegisterDevice(ctx context.Context, tenantID string, r Registration, at time.Time) (bool, error)
	UnregisterDevice(ctx context.Context, tenantID, deviceID, cardID string) (bool, error)
	// DeviceCardsShownSince returns the serials and shown times of a
	// device's cards whose shown state changed after since.
	DeviceCardsShownSince(ctx context.Context, tenantID, deviceID string, since time.Time) ([]card.Card, error)
	Registrations(ctx context.Context, tenantID, cardID string) ([]Registration, error)
	InsertInstall(ctx context.Context, in Install) error
	// CardsInWallets returns which cards are in a wallet (an Apple
	// device registered, a Google save link handed out).
	CardsInWallets(ctx context.Context, tenantID string, cardIDs []string) (map[string]bool, error)
	// HasInstalls reports whether a card's pass went to a wallet.
	HasInstalls(ctx context.Context, tenantID, cardID, wallet string) (bool, error)
	// InsertInstallOnce inserts unless an install of that id exists,
	// reporting whether it did.
	InsertInstallOnce(ctx context.Context, in Install) (bool, error)
	// InstallCounts counts a program's installs by wallet and action.
	InstallCounts(ctx context.Context, tenantID, programID string) (map[[2]string]int64, error)
	// WalletMark is how far the job looked for changed cards (zero: never).
	WalletMark(ctx context.Context, tenantID string) (time.Time, error)
	SetWalletMark(ctx context.Context, tenantID string, at time.Time) error
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service is the wallets.
type Service struct {
	Store     Store
	Cards     *card.Service
	Clock     clock.Clock
	Log       *slog.Logger
	PublicURL string // where Wallet reaches the web service and Google the logo
	// Issuer names the operator on passes.
	Issuer string
	// Apple is nil until configured; Pusher tells devices of changes.
	Apple  *apple.Signer
	Pusher apple.Pusher
	// Google is nil until configured; Objects updates saved cards.
	Google  *google.Issuer
	Objects google.Objects
	// Callbacks verifies Google's save and delete callbacks (nil: they
	// are refused).
	Callbacks *google.Verifier
	// LinkKey signs download links handed to members.
	LinkKey []byte
}

// notConfigured is the answer for a wallet the operator has not set up:
// a Conflict (409) with the server's state, not a failure to retry.
func notConfigured(wallet string) error {
	return errs.E(errs.Conflict, "wallet_not_configured", "%s Wallet is not configured on this server (see docs/WALLET.md)", map[string]string{Apple: "Apple", Google: "Google"}[wallet])
}
