package passview

import (
	"strings"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// builder makes the fields of one view.
type builder struct {
	st      card.State
	prev    *card.State
	primary string
	side    int // secondary and auxiliary fields placed so far
}

// maxSide is how many fields Apple's store card shows beside the primary
// one; more go to the back.
const maxSide = 4

// field makes the field of a design key, if the state has it.
func (b *builder) field(key string) (Field, bool) {
	var f Field
	var ok bool
	switch key {
	case card.FieldBalance:
		f, ok = b.balance()
	case card.FieldPending:
		f, ok = b.pending()
	case card.FieldExpiry:
		f, ok = b.expiry()
	case card.FieldTier:
		f, ok = b.tier()
	case card.FieldProgress:
		f, ok = b.progress()
	case card.FieldDiscount:
		f, ok = b.discount()
	case card.FieldStamps:
		f, ok = b.stamps()
	case card.FieldCoupons:
		f, ok = b.coupons()
	}
	if !ok {
		return f, false
	}
	f.Key, f.Label = key, label(key)
	f.Slot = b.slot(key)
	return f, true
}

// slot places a field: the card kind's main figure is primary, the tier
// in the header, then beside the primary while there is room, then back.
func (b *builder) slot(key string) string {
	switch {
	case key == b.primary:
		return Primary
	case key == card.FieldTier:
		return Header
	case b.side >= maxSide:
		return Back
	}
	b.side++
	if b.side <= 2 {
		return Secondary
	}
	return Auxiliary
}

func (b *builder) balance() (Field, bool) {
	if len(b.st.Balances) == 0 {
		return Field{}, false
	}
	w := b.st.Balances[0]
	f := Field{Value: same(amount(w, w.Available)), Change: changes["balance"]}
	if b.prev != nil && len(b.prev.Balances) > 0 {
		if d := w.Available - b.prev.Balances[0].Available; d != 0 {
			f.Change, f.Delta = deltaMessage(w.Unit, w.Currency, d, signedAmount(w, d)), true
		}
	}
	return f, true
}

func signedAmount(w card.Balance, d int64) string {
	if w.Unit == "currency" {
		s := string(money.AppendAmount(nil, d, 2))
		if d > 0 {
			s = "+" + s
		}
		return s
	}
	return signed(d)
}

func (b *builder) pending() (Field, bool) {
	if len(b.st.Balances) == 0 || b.st.Balances[0].Pending == 0 {
		return Field{}, false
	}
	w := b.st.Balances[0]
	return Field{Value: same(amount(w, w.Pending)), Change: changes["pending"]}, true
}

func (b *builder) expiry() (Field, bool) {
	if len(b.st.Balances) == 0 || b.st.Balances[0].NextExpiry == nil {
		return Field{}, false
	}
	w := b.st.Balances[0]
	return Field{Value: expiring(amount(w, w.Expiring), *w.NextExpiry)}, true
}

func (b *builder) tier() (Field, bool) {
	t := b.st.Tier
	if t == nil {
		return Field{}, false
	}
	f := Field{Value: same(t.Name), Change: changes["tier"]}
	if p := b.prev; p != nil && p.Tier != nil && p.Tier.Code != t.Code && p.Tier.Next == t.Name {
		f.Change, f.Delta = changes["tier_up"], true
	}
	return f, true
}

func (b *builder) progress() (Field, bool) {
	t := b.st.Tier
	if t == nil || t.Next == "" {
		return Field{}, false
	}
	rem := grouped(t.Remaining)
	if t.Metric == "spend" {
		rem = string(money.AppendAmount(nil, t.Remaining, 2))
	}
	return Field{Value: toNext(rem, t.Next)}, true
}

func (b *builder) discount() (Field, bool) {
	d := b.st.Discount
	if d == nil {
		return Field{}, false
	}
	f := Field{Value: same(percent(d.PercentBP)), Change: changes["discount"]}
	if d.NextPercentBP > 0 {
		// The way to the next step rides along on the back.
		f.Back = stepNext(percent(d.NextPercentBP), string(money.AppendAmount(nil, d.Remaining, 2)))
	}
	return f, true
}

func (b *builder) stamps() (Field, bool) {
	s := b.st.Stamps
	if s == nil {
		return Field{}, false
	}
	f := Field{Value: ofN(s.Have, s.Needed), Change: changes["stamps"]}
	if p := b.prev; p != nil && p.Stamps != nil && s.Completed > p.Stamps.Completed {
		f.Change, f.Delta = changes["reward"], true
	}
	return f, true
}

func (b *builder) coupons() (Field, bool) {
	if len(b.st.Coupons) == 0 && (b.prev == nil || len(b.prev.Coupons) == 0) {
		return Field{}, false
	}
	names := make([]string, len(b.st.Coupons))
	for i, c := range b.st.Coupons {
		names[i] = c.Name
	}
	f := Field{Value: same(grouped(int64(len(b.st.Coupons)))), Change: changes["coupons"]}
	if len(names) > 0 {
		f.Back = same(strings.Join(names, "\n"))
	}
	return f, true
}
