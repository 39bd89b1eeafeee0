package cli

import (
	"fmt"
	"strings"

	"github.com/loyal-b2b/loyal/internal/economics"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

type economicsCmd struct {
	DiscountVsBonus economicsCompareCmd `cmd:"" name:"discount-vs-bonus" help:"What a discount costs against a bonus of the same rate (e.g. --price 9000 --margin 30% --rate 5%)."`
	DiscountVolume  economicsVolumeCmd  `cmd:"" name:"discount-volume" help:"How much more must be sold to pay for a discount (e.g. --price 100 --margin 45 --rate 10%)."`
	Membership      economicsFeeCmd     `cmd:"" help:"After how much full-price spend a paid membership pays off (e.g. --fee 220 --discount 50%)."`
}

type saleFlags struct {
	Price  string `required:"" help:"Price of the purchase, e.g. 9000 or 9,000.00."`
	Margin string `required:"" help:"Its margin: an amount (2700) or a share of the price (30%)."`
	Rate   string `required:"" help:"The discount or bonus rate, e.g. 5%."`
}

// parse reads the flags into minor units and basis points.
func (f saleFlags) parse() (price, margin, rate int64, err error) {
	if price, err = money.ParseAmount(f.Price, 2); err != nil {
		return 0, 0, 0, fmt.Errorf("--price %q: %w", f.Price, err)
	}
	if strings.HasSuffix(strings.TrimSpace(f.Margin), "%") {
		bp, err := money.ParseRate(f.Margin)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("--margin %q: %w", f.Margin, err)
		}
		margin, err = money.MulDiv(price, bp, 10000, money.HalfUp)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("--margin: %w", err)
		}
	} else if margin, err = money.ParseAmount(f.Margin, 2); err != nil {
		return 0, 0, 0, fmt.Errorf("--margin %q: %w", f.Margin, err)
	}
	if rate, err = money.ParseRate(f.Rate); err != nil {
		return 0, 0, 0, fmt.Errorf("--rate %q: %w", f.Rate, err)
	}
	return price, margin, rate, nil
}

type economicsCompareCmd struct{ saleFlags }

func (c *economicsCompareCmd) Run(e *env) error {
	price, margin, rate, err := c.parse()
	if err != nil {
		return err
	}
	r, err := economics.CompareDiscountBonus(price, margin, rate)
	if err != nil {
		return err
	}
	return printLines(e, r.Summary)
}

type economicsVolumeCmd struct{ saleFlags }

func (c *economicsVolumeCmd) Run(e *env) error {
	price, margin, rate, err := c.parse()
	if err != nil {
		return err
	}
	r, err := economics.DiscountVolume(price, margin, rate)
	if err != nil {
		return err
	}
	return printLines(e, r.Summary)
}

type economicsFeeCmd struct {
	Fee      string `required:"" help:"The membership fee for a period, e.g. 220."`
	Discount string `required:"" help:"The members' discount, e.g. 50%."`
}

func (c *economicsFeeCmd) Run(e *env) error {
	fee, err := money.ParseAmount(c.Fee, 2)
	if err != nil {
		return fmt.Errorf("--fee %q: %w", c.Fee, err)
	}
	bp, err := money.ParseRate(c.Discount)
	if err != nil {
		return fmt.Errorf("--discount %q: %w", c.Discount, err)
	}
	n, err := economics.MembershipBreakEven(fee, bp)
	if err != nil {
		return err
	}
	return printLines(e, []string{economics.BreakEvenSummary(fee, bp, n)})
}

func printLines(e *env, lines []string) error {
	for _, l := range lines {
		if _, err := fmt.Fprintln(e.out, l); err != nil {
			return err
		}
	}
	return nil
}
