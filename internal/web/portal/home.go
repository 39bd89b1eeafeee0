package portal

import (
	"html/template"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/barcode"
)

var homePage = parse("home.html")

// home is the card: what a foreman shows at the counter and reads at a
// glance — number, QR code, barcode, balance, tier and the way to the next
// one, goals.
type home struct {
	HasCard         bool
	Number, Grouped string
	State           card.State
	QR, Barcode     template.HTML
	Mine            []ledger.Balance
	Company         []ledger.Balance
	Discount        *discountView
	Tiers           []tierLine
	Goals           []goal.Goal
	Apple, Google   string
}

func (c *Portal) homeRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/{$}", c.home)
}

func (c *Portal) home(w http.ResponseWriter, r *http.Request) {
	me, ok := c.me(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	var d home
	cd, ok, err := c.myCard(ctx, me)
	if err == nil && ok {
		err = c.cardCodes(r, cd, &d)
	}
	if err == nil {
		d.Mine, err = c.wallets(ctx, me.P, ledger.OwnerMember, me.Member.ID)
	}
	if err == nil {
		d.Company, err = c.wallets(ctx, me.P, ledger.OwnerOrganization, me.Org.ID)
	}
	var ps []programStanding
	if err == nil {
		ps, err = c.standings(ctx, me.P, me.Org.ID)
	}
	if err == nil {
		d.Goals, err = c.goals(ctx, me.P, me.Org.ID, me.Member.ID)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d.Tiers, _ = lines(c.kit.Locale(r), ps, currencyOf(d.Company, d.Mine))
	d.Discount = discountOf(c.kit.Locale(r), d.State.Discount, currencyOf(d.Company, d.Mine))
	c.kit.Render(w, r, http.StatusOK, homePage, c.view(r, me, "card", "portal.card.title", d))
}

// WalletLinks are the addresses of the card in Apple Wallet and Google
// Wallet, which the wallet service serves.
func WalletLinks(serial string) (apple, google string) {
	return Root + "/wallet/apple/" + serial + ".pkpass", Root + "/wallet/google/" + serial
}

// discountLine is a discount whose rate depends on the organization.
type discountLine struct {
	Name, Reason, Percent string
}

func discounts(l localizer, ps []programStanding) []discountLine {
	var out []discountLine
	for _, p := range ps {
		for _, d := range p.Status.Discounts {
			out = append(out, discountLine{Name: d.Name, Reason: d.Reason, Percent: l.Percent(float64(d.PercentBP) / 10000)})
		}
	}
	return out
}

// currencyOf is the currency of the first wallet's points.
func currencyOf(ws ...[]ledger.Balance) string {
	for _, w := range ws {
		for _, b := range w {
			if b.PointType.Currency != "" {
				return b.PointType.Currency
			}
		}
	}
	return ""
}

// cardCodes fills the card's number, codes, wallet links and live state.
func (c *Portal) cardCodes(r *http.Request, cd card.Card, d *home) error {
	var err error
	d.HasCard, d.Number, d.Grouped = true, cd.Number, grouped(cd.Number)
	d.Apple, d.Google = WalletLinks(cd.Serial)
	if d.QR, err = barcode.QR(cd.Number, c.kit.Locale(r).T("portal.card.qr")); err != nil {
		return err
	}
	if d.Barcode, err = barcode.Code128(cd.Number); err != nil {
		return err
	}
	d.State, err = c.svc.Cards.State(r.Context(), web.MemberPrincipal(r), cd)
	return err
}

// discountView is a discount card's rate and the way to the next step.
type discountView struct{ Percent, Next, Left string }

func discountOf(l localizer, d *card.Discount, currency string) *discountView {
	if d == nil {
		return nil
	}
	v := &discountView{Percent: l.Percent(float64(d.PercentBP) / 10000)}
	if d.NextPercentBP > 0 {
		v.Next, v.Left = l.Percent(float64(d.NextPercentBP)/10000), l.Money(d.Remaining, currency)
	}
	return v
}
