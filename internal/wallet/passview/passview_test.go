package passview

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/card"
)

func TestChangeMessages(t *testing.T) {
	prev := card.State{Kind: card.KindPoints, Balances: []card.Balance{{Unit: "points", Available: 100}},
		Tier: &card.Tier{Code: "base", Name: "Base", Next: "Silver"}}
	now := card.State{Kind: card.KindPoints, Balances: []card.Balance{{Unit: "points", Available: 222}},
		Tier: &card.Tier{Code: "silver", Name: "Silver"}}
	v := Build(card.Card{Number: "1234"}, now, &prev, card.DefaultDesign("p", "Club"))
	got := map[string]Field{}
	for _, f := range v.Fields {
		got[f.Key] = f
	}
	if b := got["balance"]; b.Slot != Primary || b.Value["en"] != "222" || b.Change["en"] != "+122 points, now %@" || b.Change["ru"] != "+122 балла, теперь %@" {
		t.Fatalf("balance field: %+v", b)
	}
	if tr := got["tier"]; tr.Slot != Header || tr.Change["en"] != "%@ reached" || !tr.Delta {
		t.Fatalf("tier field: %+v", tr)
	}
	if n := got["number"]; n.Slot != Back || n.Value["ru"] != "1234" {
		t.Fatalf("number field: %+v", n)
	}
	first := Build(card.Card{}, now, nil, card.DefaultDesign("p", "Club"))
	if first.Fields[0].Change["en"] != "Balance: %@" || first.Fields[0].Delta {
		t.Fatalf("without an earlier state the message names the value: %+v", first.Fields[0])
	}
}

func TestPlural(t *testing.T) {
	forms := unitWords["points"]["ru"]
	for n, want := range map[int64]string{1: "балл", 2: "балла", 5: "баллов", 11: "баллов", 12: "баллов", 21: "балл", 104: "балла", -3: "балла"} {
		if got := plural("ru", n, forms); got != want {
			t.Errorf("ru %d: %s, want %s", n, got, want)
		}
	}
}
