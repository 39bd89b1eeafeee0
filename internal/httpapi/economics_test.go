package httpapi_test

import (
	"testing"
)

// TestEconomicsCalculator: DOMAIN §8.3, §8.4 and §8.11 through the API,
// and bad input names the field.
func TestEconomicsCalculator(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var c struct {
			Discount struct {
				Cost  int64
				Share int64 `json:"share_of_margin_bp"`
			}
			Bonus struct {
				Share     int64 `json:"share_of_margin_bp"`
				Left      int64 `json:"margin_left"`
				Liability int64
			}
		}
		e.do("POST", "/v1/economics/discount-vs-bonus", e.keyA, obj{"price": 900000, "margin": 270000, "rate_bp": 500}).must(200, &c)
		if c.Discount.Cost != 45000 || c.Discount.Share != 1667 || c.Bonus.Share != 833 || c.Bonus.Left != 495000 || c.Bonus.Liability != 45000 {
			t.Errorf("§8.3: %+v", c)
		}
		var v struct {
			MarginAfter int64 `json:"margin_after"`
			GrowthBP    int64 `json:"growth_bp"`
		}
		e.do("POST", "/v1/economics/discount-volume", e.keyA, obj{"price": 10000, "margin": 4500, "rate_bp": 1000}).must(200, &v)
		if v.MarginAfter != 3500 || v.GrowthBP != 2857 {
			t.Errorf("§8.4: %+v", v)
		}
		var b struct {
			BreakEven int64 `json:"break_even_spend"`
			Summary   []string
		}
		e.do("POST", "/v1/economics/membership-break-even", e.keyA, obj{"fee": 22000, "discount_bp": 5000}).must(200, &b)
		if b.BreakEven != 44000 || len(b.Summary) != 1 || b.Summary[0] != "A fee of 220.00 for 50% off pays off after 440.00 of full-price spend." {
			t.Errorf("§8.11: %+v", b)
		}
		e.do("POST", "/v1/economics/discount-volume", e.keyA, obj{"price": 10000, "margin": 1000, "rate_bp": 1000}).fails(422, "validation_failed", "rate_bp")
		e.do("POST", "/v1/economics/discount-vs-bonus", e.keyA, obj{"price": 100, "margin": 200, "rate_bp": 500}).fails(422, "validation_failed", "margin")
		e.do("POST", "/v1/economics/membership-break-even", e.keyA, obj{"fee": 22000}).fails(422, "validation_failed", "discount_bp")
	})
}
