package tenantflag

import "testing"

func TestFlags(t *testing.T) {
	var f Flags
	if _, known := f.Get("a"); known {
		t.Fatal("an unknown tenant is known")
	}
	f.Set("a", false)
	if has, known := f.Get("a"); !known || has {
		t.Fatalf("after Set(false): %v %v", has, known)
	}
	f.Set("a", true)
	if has, known := f.Get("a"); !known || !has {
		t.Fatalf("after Set(true): %v %v", has, known)
	}
	f.Forget("a")
	if _, known := f.Get("a"); known {
		t.Fatal("a forgotten tenant is known")
	}
}
