package events

import "testing"

// An invalidation wins over a read that started before it; a fresh entry
// is served until invalidated.
func TestRunningCache(t *testing.T) {
	var c runningCache
	old := []*running{{}}
	_, gen, ok := c.get("t1")
	if ok {
		t.Fatal("an empty cache answered")
	}
	c.invalidate("t1") // a program changed while the read was in flight
	c.put("t1", gen, old)
	if _, _, ok := c.get("t1"); ok {
		t.Fatal("a list read before an invalidation was kept")
	}
	_, gen, _ = c.get("t1")
	c.put("t1", gen, old)
	if got, _, ok := c.get("t1"); !ok || len(got) != 1 {
		t.Fatal("a fresh list was not served")
	}
	if _, _, ok := c.get("t2"); ok {
		t.Fatal("another tenant's list was served")
	}
	c.invalidate("t1")
	if _, _, ok := c.get("t1"); ok {
		t.Fatal("served after invalidation")
	}
}
