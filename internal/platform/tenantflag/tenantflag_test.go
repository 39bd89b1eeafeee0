package tenantflag

import "testing"

func TestFlags(t *testing.T) {
	var f Flags
	asked, answer := 0, false
	check := func() (bool, error) { asked++; return answer, nil }
	for range 3 {
		if has, err := f.Uses("a", check); has || err != nil {
			t.Fatalf("Uses: %v %v", has, err)
		}
	}
	if asked != 1 {
		t.Errorf("asked %d times within the TTL, want once", asked)
	}
	f.MarkUsed("a")
	if has, _ := f.Uses("a", check); !has || asked != 1 {
		t.Errorf("after MarkUsed: %v, asked %d", has, asked)
	}
	// An answer read before a MarkUsed does not overwrite it.
	var g Flags
	stale := func() (bool, error) { g.MarkUsed("b"); return false, nil }
	if _, err := g.Uses("b", stale); err != nil {
		t.Fatal(err)
	}
	if has, _ := g.Uses("b", check); !has {
		t.Error("a stale 'no' replaced MarkUsed's 'yes'")
	}
	var none *Flags
	before := asked
	_, _ = none.Uses("c", check)
	_, _ = none.Uses("c", check)
	if asked != before+2 {
		t.Errorf("a nil Flags must ask every time")
	}
}
