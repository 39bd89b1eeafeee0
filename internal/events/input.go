package events

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Input is an event as a source sends it.
type Input struct {
	Type         string      `json:"type"`
	Source       string      `json:"source"`
	ExternalID   string      `json:"external_id"`
	OccurredAt   time.Time   `json:"occurred_at"`
	Organization string      `json:"organization"` // id or ext:<ERP id>
	Member       string      `json:"member,omitempty"`
	Currency     string      `json:"currency,omitempty"`
	Lines        []LineInput `json:"lines,omitempty"`
	Original     string      `json:"original,omitempty"` // return: external id of the invoice (same source)
	PointsSpent  int64       `json:"points_spent,omitempty"`
	// Codes are promo codes used on an order, redeemed when it is received.
	Codes []string `json:"codes,omitempty"`
	// Coupons are ids of the organization's (or member's) coupons used on
	// an order, each used once when it is received.
	Coupons    []string          `json:"coupons,omitempty"`
	Attributes map[string]string `json:"attributes,omitempty"`
	// NewOrganization describes the organization to create when it is
	// unknown and a program allows creating it from events.
	NewOrganization *NewOrg `json:"new_organization,omitempty"`
	// requestID is the request an event joined with others' came in
	// (see join): what its hooks audit is traced to that request, not to
	// the one whose goroutine ran the batch. Not part of the event.
	requestID string
}

// LineInput is one line of an event. Money is in minor currency units.
type LineInput struct {
	SKU       string `json:"sku"`
	Category  string `json:"category,omitempty"`
	Brand     string `json:"brand,omitempty"`
	Qty       int64  `json:"qty"`
	UnitPrice int64  `json:"unit_price,omitempty"` // required except on returns (the original's price counts)
	Cost      int64  `json:"cost,omitempty"`
	OnSale    bool   `json:"on_sale,omitempty"`
}

// NewOrg is what an event says about an organization to create.
type NewOrg struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Limits of one event. Amounts are bounded by money's limits: a line, and
// the whole event (its total and its cost), at most money.MaxAmount.
const (
	MaxLines    = 1000
	MaxAttrs    = 50
	futureSlack = 24 * time.Hour // clocks of sources drift; a day ahead is the most we accept
)

// check validates an input and builds the engine's event. Everything wrong
// is reported at once.
func check(in Input, now time.Time) (engine.Event, error) {
	var f errs.Fields
	ev := engine.Event{Type: in.Type, OccurredAt: in.OccurredAt.UTC().Truncate(time.Millisecond), Original: in.Original,
		Attributes: in.Attributes, PointsSpent: in.PointsSpent, Currency: strings.ToUpper(strings.TrimSpace(in.Currency))}
	if !slices.Contains(engine.EventTypes, in.Type) && !(strings.HasPrefix(in.Type, "custom:") && len(in.Type) > 7 && len(in.Type) <= 64) {
		f.Add("type", "unknown_event_type", "%q is not an event type: use one of %v or custom:<name>", in.Type, engine.EventTypes)
	}
	ev.Source = valid.Text(&f, "source", in.Source, true, 64)
	ev.ExternalID = valid.Text(&f, "external_id", in.ExternalID, true, 200)
	valid.Text(&f, "organization", in.Organization, true, 200)
	switch {
	case in.OccurredAt.IsZero():
		f.Add("occurred_at", "required", "give when the event happened (RFC 3339)")
	case in.OccurredAt.After(now.Add(futureSlack)):
		f.Add("occurred_at", "in_the_future", "%s is more than a day ahead of now (%s)", in.OccurredAt.Format(time.RFC3339), now.Format(time.RFC3339))
	case in.OccurredAt.UTC().Year() < 2000:
		f.Add("occurred_at", "too_old", "events before 2000 are not accepted")
	}
	checkLines(&f, in, &ev)
	if in.Type == engine.Return && in.Original == "" {
		f.Add("original", "required", "a return names the external id of its original invoice")
	}
	if in.PointsSpent < 0 || in.PointsSpent > money.MaxAmount {
		f.Add("points_spent", "out_of_range", "points_spent must be between 0 and %d", money.MaxAmount)
	}
	ev.Codes = checkCodes(&f, in.Codes)
	ev.Coupons = checkCoupons(&f, in.Coupons)
	if len(in.Attributes) > MaxAttrs {
		f.Add("attributes", "too_many", "at most %d attributes", MaxAttrs)
	}
	return ev, f.Err()
}

func checkLines(f *errs.Fields, in Input, ev *engine.Event) {
	if engine.Purchase(in.Type) || in.Type == engine.Return {
		if len(in.Lines) == 0 {
			f.Add("lines", "required", "a %s lists its lines", in.Type)
		}
		if !codeOK(ev.Currency) {
			f.Add("currency", "invalid_currency", "give the currency as a three-letter ISO code such as EUR")
		}
	}
	if len(in.Lines) > MaxLines {
		f.Add("lines", "too_many", "at most %d lines per event", MaxLines)
		return
	}
	ev.Lines = make([]engine.Line, len(in.Lines))
	var total, cost int64
	var c money.Checked
	for i, l := range in.Lines {
		p := fmt.Sprintf("lines[%d].", i)
		ev.Lines[i] = engine.Line{SKU: valid.Text(f, p+"sku", l.SKU, true, 100), Category: valid.Text(f, p+"category", l.Category, false, 100),
			Brand: valid.Text(f, p+"brand", l.Brand, false, 100), Qty: l.Qty, UnitPrice: l.UnitPrice, Cost: l.Cost, OnSale: l.OnSale}
		if checkLine(f, p, in.Type, l) {
			ev.Lines[i].Amount = l.Qty * l.UnitPrice // at most money.MaxAmount, checked above
			c.Add(&total, ev.Lines[i].Amount)
			c.Add(&cost, l.Qty*l.Cost) // at most money.MaxAmount, checked above
		}
	}
	if c.Err() != nil || total > money.MaxAmount {
		f.Add("lines", "total_too_large", "the lines' amounts (qty × unit_price) must add up to at most %d minor units", money.MaxAmount)
	}
	if c.Err() != nil || cost > money.MaxAmount {
		f.Add("lines", "total_too_large", "the lines' costs (qty × cost) must add up to at most %d minor units", money.MaxAmount)
	}
}

// checkLine checks one line's numbers and reports whether they are sound
// (so that its amount and cost can be computed without overflow).
func checkLine(f *errs.Fields, p, typ string, l LineInput) bool {
	n := f.Len()
	switch {
	case l.Qty <= 0:
		f.Add(p+"qty", "not_positive", "quantity must be positive (a return lists the units returned as positive numbers)")
	case l.Qty > money.MaxQuantity:
		f.Add(p+"qty", "too_large", "quantity must be at most %d", money.MaxQuantity)
	}
	switch {
	case l.UnitPrice <= 0 && typ != engine.Return:
		f.Add(p+"unit_price", "not_positive", "unit_price must be positive (minor currency units); leave out free lines")
	case l.UnitPrice > money.MaxUnitPrice || l.UnitPrice < 0:
		f.Add(p+"unit_price", "out_of_range", "unit_price must be between 1 and %d", money.MaxUnitPrice)
	}
	if l.Cost < 0 || l.Cost > money.MaxUnitPrice {
		f.Add(p+"cost", "out_of_range", "cost is per unit, between 0 and %d minor units", money.MaxUnitPrice)
	}
	if f.Len() > n {
		return false
	}
	if l.UnitPrice > 0 && l.Qty > money.MaxAmount/l.UnitPrice {
		f.Add(p+"qty", "too_large", "qty × unit_price must be at most %d minor units", money.MaxAmount)
	}
	if l.Cost > 0 && l.Qty > money.MaxAmount/l.Cost {
		f.Add(p+"cost", "too_large", "qty × cost must be at most %d minor units", money.MaxAmount)
	}
	return f.Len() == n
}

func codeOK(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// hashInput fingerprints an input, so a repeat with other content is told
// apart from a true repeat.
func hashInput(in Input) string {
	in.OccurredAt = in.OccurredAt.UTC().Truncate(time.Millisecond)
	b, _ := json.Marshal(in) // plain data: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// MaxCodes is the most promo codes one order or quote may carry.
const MaxCodes = 10

// NormalizeCode is a promo code as stored: upper case, without spaces or
// dashes people type or paste around it ("skidka 30" is SKIDKA30).
func NormalizeCode(c string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r) || r == '-':
			return -1
		}
		return unicode.ToUpper(r)
	}, c)
}

func notCodeRune(r rune) bool {
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// checkCodes normalizes an event's promo codes.
func checkCodes(f *errs.Fields, codes []string) []string {
	if len(codes) > MaxCodes {
		f.Add("codes", "too_many", "at most %d promo codes per order", MaxCodes)
		return nil
	}
	var out []string
	for i, c := range codes {
		n := NormalizeCode(c)
		switch {
		case n == "" || len(n) > 64 || strings.IndexFunc(n, notCodeRune) >= 0:
			f.Add(fmt.Sprintf("codes[%d]", i), "invalid_code", "a promo code has 1 to 64 letters, digits and underscores")
		case slices.Contains(out, n):
			f.Add(fmt.Sprintf("codes[%d]", i), "duplicate_code", "code %s is given twice", n)
		default:
			out = append(out, n)
		}
	}
	return out
}

// MaxCoupons is the most coupons one order or quote may use.
const MaxCoupons = 10

// checkCoupons checks the coupon ids an order uses.
func checkCoupons(f *errs.Fields, ids []string) []string {
	if len(ids) > MaxCoupons {
		f.Add("coupons", "too_many", "at most %d coupons per order", MaxCoupons)
		return nil
	}
	var out []string
	for i, id := range ids {
		id = strings.TrimSpace(id)
		switch {
		case id == "" || len(id) > 64:
			f.Add(fmt.Sprintf("coupons[%d]", i), "invalid_coupon", "give the coupon's id as the participant's coupon list shows it")
		case slices.Contains(out, id):
			f.Add(fmt.Sprintf("coupons[%d]", i), "duplicate_coupon", "coupon %s is given twice", id)
		default:
			out = append(out, id)
		}
	}
	return out
}

// Check validates an input as ingestion does and returns the engine's
// event (the simulator replays imported files with it).
func Check(in Input, now time.Time) (engine.Event, error) { return check(in, now) }
