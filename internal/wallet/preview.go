package wallet

import (
	"context"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/wallet/passview"
)

// Preview is a design shown on a sample card.
type Preview struct {
	Design card.Design    `json:"design"`
	Locale string         `json:"locale"`
	Fields []PreviewField `json:"fields"`
	SVG    string         `json:"svg" doc:"The pass's front as SVG"`
}

// PreviewField is one field of the sample pass.
type PreviewField struct {
	Key    string `json:"key"`
	Slot   string `json:"slot" enum:"header,primary,secondary,auxiliary,back"`
	Label  string `json:"label"`
	Value  string `json:"value"`
	Change string `json:"change_message,omitempty"`
}

// Preview shows a program's design on a sample card in a locale: its
// fields as the passes lay them out, and the front drawn as SVG.
func (s *Service) Preview(ctx context.Context, p access.Principal, programID, locale string) (Preview, error) {
	if locale == "" {
		locale = passview.Locales[0]
	}
	if !slices.Contains(passview.Locales, locale) {
		return Preview{}, errs.InvalidField("locale", "invalid_choice", "locale is one of %v", passview.Locales)
	}
	d, err := s.Cards.DesignOf(ctx, p, programID)
	if err != nil {
		return Preview{}, err
	}
	prev, st := sample(d, s.Clock.Now())
	v := passview.Build(card.Card{Number: "4000000000000002"}, st, &prev, d)
	out := Preview{Design: d, Locale: locale, Fields: []PreviewField{}, SVG: passview.SVG(v, locale, d.Logo)}
	for _, f := range v.Fields {
		out.Fields = append(out.Fields, PreviewField{Key: f.Key, Slot: f.Slot, Label: f.Label[locale], Value: f.Value[locale], Change: f.Change[locale]})
	}
	return out, nil
}

// sample is a card with every field filled, just after an earn that
// moved it up a level: what a design can show.
func sample(d card.Design, now time.Time) (card.State, card.State) {
	exp := now.AddDate(0, 3, 0)
	kind := card.KindDiscount
	for _, f := range d.Fields {
		if f == card.FieldBalance || f == card.FieldStamps {
			kind = map[string]string{card.FieldBalance: card.KindPoints, card.FieldStamps: card.KindStamps}[f]
			break
		}
	}
	st := card.State{Kind: kind, Balances: []card.Balance{{PointType: "points", Name: "Points", Unit: "points", Available: 1250, Pending: 80,
		NextExpiry: &exp, Expiring: 200}}, Stamps: &card.Stamps{Have: 3, Needed: 5},
		Coupons:  []card.Coupon{{ID: "c1", Name: "A free bag of cement"}},
		Tier:     &card.Tier{Code: "silver", Name: "Silver", Next: "Gold", Remaining: 250000, Metric: "spend"},
		Discount: &card.Discount{Name: "Loyal customer", PercentBP: 500, NextPercentBP: 700, Remaining: 120000}}
	prev := st
	prev.Balances = []card.Balance{st.Balances[0]}
	prev.Balances[0].Available = 1130
	prev.Tier = &card.Tier{Code: "base", Name: "Base", Next: "Silver"}
	return prev, st
}
