package httpapi_test

import (
	"fmt"
	"testing"
)

// Twenty copies of one payment at a partner (one reference) and twenty
// payments of other references at once, for more than the wallet holds:
// the copies all answer with the one payment (never a 409), and the
// member never pays more than the wallet holds.
func TestPartnerRedemptionCopiesConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newPartnerFx(e)
		e.do("POST", "/v1/events", f.key, f.sale("R-1", "ext:M-OLGA", 20)).must(200, nil) // 200 points
		status, codes := parallel(40, func(i int) *resp {
			if i%2 == 0 {
				return f.redeem(f.key, "ext:M-OLGA", "SAME", 10)
			}
			return f.redeem(f.key, "ext:M-OLGA", fmt.Sprint("OTHER-", i), 20)
		})
		same, other := map[int]int{}, map[int]int{}
		for i, s := range status {
			if i%2 == 0 {
				same[s]++
			} else {
				other[s]++
			}
		}
		// SAME: made once, then repeats; OTHER: 20 each from the 190 left: nine pay.
		if same[201] != 1 || same[200] != 19 || other[201] != 9 || other[409] != 11 || count(codes, "insufficient_points") != 11 {
			t.Fatalf("same %v other %v codes %v", same, other, codes)
		}
		if bal := f.balance(f.olga); bal != 200-10-180 {
			t.Fatalf("balance %d, want 10", bal)
		}
		e.ledgerOK(e.tidA)
	})
}

// Twenty opt-ins of one member at once record one (the others answer with
// it), and twenty withdrawals one (the others: 409 not_opted_in).
func TestPartnerOptInsConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newPartnerFx(e)
		optins := "/v1/partners/" + id0(f.partner) + "/optins"
		status, codes := parallel(20, func(int) *resp { return e.do("POST", optins, e.keyA, obj{"member": "ext:M-SAM"}) })
		if count(status, 200) != 20 {
			t.Fatalf("opt-ins: statuses %v codes %v; want twenty 200", status, codes)
		}
		status, codes = parallel(20, func(int) *resp { return e.do("DELETE", optins+"/ext:M-SAM", e.keyA, nil) })
		if count(status, 200) != 1 || count(codes, "not_opted_in") != 19 {
			t.Fatalf("withdrawals: statuses %v codes %v; want one 200 and 19 409 not_opted_in", status, codes)
		}
		var log list
		e.do("GET", "/v1/audit-log?entity_type=partner&entity_id="+id0(f.partner)+"&limit=100", e.keyA, nil).must(200, &log)
		in, out := 0, 0
		for _, a := range log.Items {
			if m, _ := a["after"].(obj); m != nil && m["member_id"] == f.sam["id"] {
				switch a["action"] {
				case "partner.opted_in":
					in++
				case "partner.opt_in_revoked":
					out++
				}
			}
		}
		if in != 1 || out != 1 {
			t.Fatalf("%d opt-ins and %d withdrawals of Sam recorded, want one each", in, out)
		}
	})
}
