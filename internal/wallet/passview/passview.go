// Package passview decides what a card's wallet pass shows — which
// fields, in which slot, with which labels and values in every locale,
// and the lock-screen message each field carries when it changes — from
// the card, its live state, the state the wallets showed before and the
// program's design. Apple's and Google's passes render the same View, so
// both wallets show the same card.
package passview

import (
	"strconv"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// Locales passes are written in; the first is the default.
var Locales = []string{"en", "ru"}

// Text is a string per locale.
type Text map[string]string

// Slots of a field on the pass's face (Apple's store card names them;
// Google maps them to its modules).
const (
	Header    = "header"
	Primary   = "primary"
	Secondary = "secondary"
	Auxiliary = "auxiliary"
	Back      = "back"
)

// Field is one field of a pass.
type Field struct {
	Key    string // a design field (card.Field…) or "number"
	Slot   string
	Label  Text
	Value  Text
	Change Text // the lock-screen message when the value changes, with %@ for the new value; nil: none
	// Delta says Change reports this update's difference ("+120
	// points"), not just the new value.
	Delta bool
	// Back is a longer text shown on the back of the pass (the coupons'
	// names, the next discount step); Build makes it a field of its own.
	Back Text
}

// backLabels label a field's Back text.
var backLabels = map[string]string{card.FieldDiscount: "discount_next", card.FieldCoupons: "coupon_list"}

// View is what a pass shows.
type View struct {
	Title       string
	Description string
	Number      string // in the barcode and under it
	Background  string // #rrggbb
	Foreground  string
	Label       string
	Fields      []Field
}

// Build composes the view of card c in state st; prev is the state the
// wallets showed before (nil: none), which turns change messages into
// differences ("+120 points", "Silver reached").
func Build(c card.Card, st card.State, prev *card.State, d card.Design) View {
	v := View{Title: d.Title, Description: d.Description, Number: c.Number, Background: d.Background, Foreground: d.Foreground, Label: d.Label}
	b := builder{st: st, prev: prev, primary: primaryKey(st)}
	for _, key := range d.Fields {
		f, ok := b.field(key)
		if !ok {
			continue
		}
		v.Fields = append(v.Fields, f)
		if f.Back != nil {
			v.Fields = append(v.Fields, Field{Key: key + "_more", Slot: Back, Label: label(backLabels[key]), Value: f.Back})
		}
	}
	v.Fields = append(v.Fields, Field{Key: "number", Slot: Back, Label: label("number"), Value: same(c.Number)})
	return v
}

// primaryKey is the field the card kind shows largest.
func primaryKey(st card.State) string {
	switch st.Kind {
	case card.KindStamps:
		return card.FieldStamps
	case card.KindPoints, card.KindCashback:
		return card.FieldBalance
	}
	return card.FieldDiscount
}

func same(s string) Text {
	t := Text{}
	for _, l := range Locales {
		t[l] = s
	}
	return t
}

func grouped(n int64) string {
	if n < 0 {
		return "-" + string(money.AppendGrouped(nil, uint64(-n)))
	}
	return string(money.AppendGrouped(nil, uint64(n)))
}

func percent(bp int64) string { return string(money.AppendPercent(nil, bp)) }

// amount formats a balance: money for a currency unit (minor units, two
// decimals), else a grouped count.
func amount(b card.Balance, n int64) string {
	if b.Unit == "currency" {
		return string(money.AppendAmount(nil, n, 2)) + " " + b.Currency
	}
	return grouped(n)
}

func signed(n int64) string {
	if n > 0 {
		return "+" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}
