package wallet

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Installs are a program's passes in wallets.
type Installs struct {
	ProgramID string        `json:"program_id"`
	Apple     AppleInstalls `json:"apple"`
	Google    GoogleSaves   `json:"google"`
}

// AppleInstalls count Apple passes: devices that registered the pass,
// that removed it, and those holding it now.
type AppleInstalls struct {
	Configured bool  `json:"configured"`
	Installed  int64 `json:"installed"`
	Removed    int64 `json:"removed"`
	Active     int64 `json:"active"`
}

// GoogleSaves count the "save to Google Wallet" links handed out and,
// from Google's signed callbacks, the passes saved, deleted and held now.
type GoogleSaves struct {
	Configured bool  `json:"configured"`
	Callbacks  bool  `json:"callbacks"` // whether callbacks are verified (and so counted)
	SaveLinks  int64 `json:"save_links"`
	Installed  int64 `json:"installed"`
	Removed    int64 `json:"removed"`
	Active     int64 `json:"active"`
}

// Count returns a program's wallet figures.
func (s *Service) Count(ctx context.Context, p access.Principal, programID string) (Installs, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Installs{}, err
	}
	if _, err := s.Cards.DesignOf(ctx, p, programID); err != nil { // the program must be the caller's
		return Installs{}, err
	}
	m, err := txn.Get(ctx, s.Store, func(tx Tx) (map[[2]string]int64, error) { return tx.InstallCounts(ctx, p.TenantID, programID) })
	out := Installs{ProgramID: programID}
	out.Apple = AppleInstalls{Configured: s.Apple != nil, Installed: m[[2]string{Apple, Installed}], Removed: m[[2]string{Apple, Removed}]}
	out.Apple.Active = out.Apple.Installed - out.Apple.Removed
	out.Google = GoogleSaves{Configured: s.Google != nil, Callbacks: s.Google != nil && s.Callbacks != nil, SaveLinks: m[[2]string{Google, SaveLink}],
		Installed: m[[2]string{Google, Installed}], Removed: m[[2]string{Google, Removed}]}
	out.Google.Active = out.Google.Installed - out.Google.Removed
	return out, err
}
