package httpapi_test

import (
	"context"
	"maps"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// rewardsEnv is tenant A with a tier program, dealer R-1 holding 10,000
// points, its owner and a sales employee holding 5,000 member points.
type rewardsEnv struct {
	*env
	pt    string
	org   obj
	owner obj
	emp   obj
}

// tierLevels: spend this calendar year; 6,000.00 makes silver.
var tierLevels = obj{"metric": "spend", "window": "calendar_year", "review": "year", "levels": []obj{
	{"code": "base", "name": "Base", "threshold": 0},
	{"code": "silver", "name": "Silver", "threshold": 500000},
	{"code": "gold", "name": "Gold", "threshold": 5000000},
}}

func newRewards(e *env) rewardsEnv {
	e.t.Helper()
	f := newProgram(e, obj{"tiers": tierLevels})
	r := rewardsEnv{env: e, pt: str(f.pt["id"]), org: f.org}
	r.owner = e.createMember(obj{"organization_id": f.org["id"], "name": "Olga Owner", "roles": []string{"owner"}})
	r.emp = e.createMember(obj{"organization_id": f.org["id"], "name": "Sam Sales", "roles": []string{"sales"}})
	r.earn("organization", str(f.org["id"]), 10000)
	r.earn("member", str(r.emp["id"]), 5000)
	return r
}

// earn credits points to a wallet of tenant A.
func (r rewardsEnv) earn(ownerType, id string, amount int64) {
	r.t.Helper()
	r.do("POST", "/v1/ledger/earn", r.keyA, obj{"owner": obj{"type": ownerType, "id": id}, "point_type_id": r.pt, "amount": amount},
		"Idempotency-Key", "seed-"+ownerType+"-"+id).must(201, nil)
}

// item creates a catalog item priced in the program's points.
func (r rewardsEnv) item(fields obj) obj {
	r.t.Helper()
	body := obj{"kind": "merchandise", "name": "Site jacket", "point_type_id": r.pt, "price": 1000}
	maps.Copy(body, fields)
	var it obj
	r.do("POST", "/v1/rewards", r.keyA, body).must(201, &it)
	return it
}

// redemption is a redemption as the API returns it.
type redemption struct {
	ID          string
	Status      string
	Points      int64
	UnitPrice   int64  `json:"unit_price"`
	PriceBasis  string `json:"price_basis"`
	MemberID    string `json:"member_id"`
	LedgerTxID  string `json:"ledger_tx_id"`
	ReturnTxID  string `json:"return_tx_id"`
	VoucherCode string `json:"voucher_code"`
	Steps       []struct {
		Actor    string
		MemberID string `json:"member_id"`
		At       time.Time
		From, To string
		Note     string
	}
}

// redeem asks for a redemption and decodes it (want: the status code).
func (r rewardsEnv) redeem(body obj, want int) redemption {
	r.t.Helper()
	var out redemption
	r.do("POST", "/v1/redemptions", r.keyA, body).must(want, &out)
	return out
}

func (r rewardsEnv) orgPoints() int64 {
	return r.available("/v1/organizations/" + str(r.org["id"]) + "/wallet")
}
func (r rewardsEnv) empPoints() int64 {
	return r.available("/v1/members/" + str(r.emp["id"]) + "/wallet")
}

// stock reads an item's stock (-1: unlimited).
func (r rewardsEnv) stock(id string) int64 {
	r.t.Helper()
	var it struct{ Stock *int64 }
	r.do("GET", "/v1/rewards/"+id, r.keyA, nil).must(200, &it)
	if it.Stock == nil {
		return -1
	}
	return *it.Stock
}

// staffKey is a write key of tenant A acting for a new staff user, made
// by the operator's set-up (not by keyA, so that the user may approve
// what keyA asked for: four eyes). Make it before the request it approves.
func (r rewardsEnv) staffKey(email string) string {
	r.t.Helper()
	st, err := r.app.Tenants.CreateStaff(context.Background(), access.System(r.tidA), tenant.StaffInput{Email: email, Name: "Staff " + email, Role: tenant.RoleFinance})
	if err != nil {
		r.t.Fatal(err)
	}
	return r.key(r.tidA, "write", st.ID)
}
