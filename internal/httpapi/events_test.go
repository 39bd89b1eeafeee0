package httpapi_test

import (
	"testing"
)

// programFixture is a running program with a point type worth 1.00 EUR
// per point, and one dealer.
type programFixture struct {
	org, program, pt obj
}

// newProgram creates a program with a point type and the given
// definition (its point_type_id and currency are filled in), activates
// it, and adds a dealer R-1.
func newProgram(e *env, def obj) programFixture {
	e.t.Helper()
	var f programFixture
	f.org = e.createOrg(obj{"type": "dealer", "name": "Brick & Beam", "external_id": "R-1", "region": "north"})
	e.do("POST", "/v1/programs", e.keyA, obj{"name": "Dealer Club"}).must(201, &f.program)
	pid := str(f.program["id"])
	e.do("POST", "/v1/programs/"+pid+"/point-types", e.keyA, obj{"code": "points", "name": "Club points", "unit": "points",
		"currency": "EUR", "value_num": 100, "value_den": 1, "expiry": "never"}).must(201, &f.pt)
	def["point_type_id"] = f.pt["id"]
	if def["currency"] == nil {
		def["currency"] = "EUR"
	}
	e.do("POST", "/v1/programs/"+pid+"/versions", e.keyA, obj{"definition": def}).must(201, nil)
	e.do("POST", "/v1/programs/"+pid+"/status", e.keyA, obj{"status": "active"}).must(200, nil)
	return f
}

func invoice(ext string, lines ...obj) obj {
	return obj{"type": "invoice", "source": "erp", "external_id": ext, "occurred_at": epoch.Format("2006-01-02T15:04:05Z"),
		"organization": "ext:R-1", "currency": "EUR", "lines": lines}
}

func line(sku string, qty, price int64) obj { return obj{"sku": sku, "qty": qty, "unit_price": price} }

func (e *env) available(path string) int64 {
	e.t.Helper()
	w := e.wallet(path)
	if len(w.Balances) == 0 {
		return 0
	}
	return w.Balances[0].Available
}

// DOMAIN §8.13: 20% of each bill credited for the next visit; then a
// partial return takes back its share of the points.
func TestCashbackAndReturn(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"rules": []obj{{"id": "cashback", "name": "20% back", "effects": []obj{{"type": "earn", "percent_bp": 2000}}}}})
		var res struct {
			Duplicate bool
			Results   []struct {
				Status string
				Earns  []struct{ Points int64 }
			}
		}
		e.do("POST", "/v1/events", e.keyA, invoice("INV-1", line("A", 2, 12500), line("B", 1, 5000))).must(200, &res)
		if len(res.Results) != 1 || res.Results[0].Status != "applied" || len(res.Results[0].Earns) != 1 || res.Results[0].Earns[0].Points != 60 {
			t.Fatalf("cashback outcome %+v", res)
		}
		if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 60 {
			t.Fatalf("balance %d, want 60 (20%% of 300.00 at 1.00 per point)", got)
		}
		e.do("POST", "/v1/events", e.keyA, invoice("INV-1", line("A", 2, 12500), line("B", 1, 5000))).must(200, &res)
		if !res.Duplicate || e.available("/v1/organizations/ext:R-1/wallet") != 60 {
			t.Fatalf("a repeated event changed the balance: %+v", res)
		}
		e.do("POST", "/v1/events", e.keyA, invoice("INV-1", line("A", 3, 12500))).fails(409, "external_id_reused", "")
		ret := obj{"type": "return", "source": "erp", "external_id": "CN-1", "original": "INV-1", "occurred_at": epoch.Format("2006-01-02T15:04:05Z"),
			"organization": "ext:R-1", "currency": "EUR", "lines": []obj{line("A", 1, 12500)}}
		e.do("POST", "/v1/events", e.keyA, ret).must(200, nil)
		if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 35 {
			t.Fatalf("after returning 125.00 of 300.00 the balance is %d, want 60 - 25 = 35", got)
		}
		ret["external_id"], ret["lines"] = "CN-2", []obj{line("A", 2, 12500)}
		e.do("POST", "/v1/events", e.keyA, ret).fails(422, "validation_failed", "lines[0].qty")
	})
}
