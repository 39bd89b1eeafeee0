package portal

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/card"
)

// myCard returns the member's card, issuing it in the first running
// program when the member has none yet (a member invited before cards
// existed); ok is false when no program runs.
func (c *Portal) myCard(ctx context.Context, me *self) (card.Card, bool, error) {
	cs, err := c.svc.Cards.ListOf(ctx, me.P, card.OwnerMember, me.Member.ID)
	if err != nil || len(cs) > 0 {
		return firstCard(cs), len(cs) > 0, err
	}
	prs, err := c.programs(ctx, me.P)
	if err != nil || len(prs) == 0 {
		return card.Card{}, false, err
	}
	cd, _, err := c.svc.Cards.Issue(ctx, me.P, card.IssueInput{ProgramID: prs[0].ID, OwnerType: card.OwnerMember, Owner: me.Member.ID})
	return cd, err == nil, err
}

func firstCard(cs []card.Card) card.Card {
	if len(cs) == 0 {
		return card.Card{}
	}
	return cs[0]
}

// issueCard gives a newly registered member their card in the program
// they registered through (the product acts: the person is not signed in
// yet).
func (c *Portal) issueCard(ctx context.Context, tenantID, programID, memberID string) error {
	_, _, err := c.svc.Cards.Issue(ctx, access.System(tenantID), card.IssueInput{ProgramID: programID, OwnerType: card.OwnerMember, Owner: memberID})
	return err
}
