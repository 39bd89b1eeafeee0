package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/economics"
)

type saleInput struct {
	Body struct {
		Price  int64 `json:"price" doc:"Price of the purchase, minor units (900000 is 9,000.00)"`
		Margin int64 `json:"margin" doc:"Its margin, minor units"`
		RateBP int64 `json:"rate_bp" doc:"Discount or bonus rate, basis points (500 is 5%)"`
	}
}

type breakEvenInput struct {
	Body struct {
		Fee        int64 `json:"fee" doc:"Membership fee for a period, minor units"`
		DiscountBP int64 `json:"discount_bp" doc:"The members' discount, basis points (5000 is 50%)"`
	}
}

type breakEvenOut struct {
	BreakEven int64    `json:"break_even_spend" doc:"Full-price spend in the period at which the discount has saved the fee, minor units, rounded up"`
	Summary   []string `json:"summary"`
}

func (a *API) economicsRoutes() {
	const tag = "Economics"
	handle(a, action(op("compare-discount-bonus", http.MethodPost, "/v1/economics/discount-vs-bonus", tag, "Compare a discount with a bonus of the same rate",
		"Needs read scope. What a discount costs as a share of the margin, against a bonus earned on a first purchase and spent on an identical second one.")),
		func(ctx context.Context, p access.Principal, in *saleInput) (*bodyOut[economics.Comparison], error) {
			if err := p.Can(access.ReadData); err != nil {
				return nil, err
			}
			c, err := economics.CompareDiscountBonus(in.Body.Price, in.Body.Margin, in.Body.RateBP)
			return out(c), err
		})
	handle(a, action(op("discount-volume", http.MethodPost, "/v1/economics/discount-volume", tag, "Sales growth needed to pay for a discount",
		"Needs read scope. How much more must be sold to keep the same profit after a discount.")),
		func(ctx context.Context, p access.Principal, in *saleInput) (*bodyOut[economics.VolumeNeeded], error) {
			if err := p.Can(access.ReadData); err != nil {
				return nil, err
			}
			v, err := economics.DiscountVolume(in.Body.Price, in.Body.Margin, in.Body.RateBP)
			return out(v), err
		})
	handle(a, action(op("membership-break-even", http.MethodPost, "/v1/economics/membership-break-even", tag, "When a paid membership pays off",
		"Needs read scope. The full-price spend after which a membership's discount has saved its fee.")),
		func(ctx context.Context, p access.Principal, in *breakEvenInput) (*bodyOut[breakEvenOut], error) {
			if err := p.Can(access.ReadData); err != nil {
				return nil, err
			}
			n, err := economics.MembershipBreakEven(in.Body.Fee, in.Body.DiscountBP)
			return out(breakEvenOut{BreakEven: n, Summary: []string{economics.BreakEvenSummary(in.Body.Fee, in.Body.DiscountBP, n)}}), err
		})
}
