package portal_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/wallet"
	"github.com/loyal-b2b/loyal/internal/wallet/apple/appletest"
)

// TestWalletDownloadsBySession: the portal's session takes a member to
// their own card's pass, a director also to the organization's; someone
// else's card is not found, and without a session nothing is served.
func TestWalletDownloadsBySession(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		issue := func(ownerType, owner string) card.Card {
			c, _, err := s.app.Cards.Issue(t.Context(), s.sys, card.IssueInput{ProgramID: s.program.ID, OwnerType: ownerType, Owner: owner})
			must(t, err)
			return c
		}
		mine, org, vera := issue("member", s.foreman.ID), issue("organization", s.brick.ID), issue("member", s.other.ID)
		if r := s.browser().get(wallet.Path(wallet.Apple, mine.Serial)); r.status != http.StatusUnauthorized {
			t.Fatalf("without a session: %d", r.status)
		}
		foreman := s.browser().signIn(s.foreman)
		if r := foreman.get(wallet.Path(wallet.Google, mine.Serial)); r.status != http.StatusConflict || !strings.Contains(r.body, "not configured") {
			t.Fatalf("own card, Google not configured: %d %s", r.status, r.body)
		}
		s.app.Wallet.Apple = appletest.New(t).Signer
		if r := foreman.get(wallet.Path(wallet.Apple, mine.Serial)); r.status != http.StatusOK || r.header.Get("Content-Type") != "application/vnd.apple.pkpass" {
			t.Fatalf("own card: %d %s", r.status, r.body)
		}
		for _, c := range []card.Card{org, vera} {
			if r := foreman.get(wallet.Path(wallet.Apple, c.Serial)); r.status != http.StatusNotFound {
				t.Fatalf("a foreman took %s's card: %d", c.OwnerType, r.status)
			}
		}
		director := s.browser().signIn(s.director)
		if r := director.get(wallet.Path(wallet.Apple, org.Serial)); r.status != http.StatusOK {
			t.Fatalf("the director's organization card: %d %s", r.status, r.body)
		}
	})
}
