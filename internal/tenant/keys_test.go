package tenant

import "testing"

// KeyRef agrees with parseKey on what a key is, and names it without its
// secret.
func TestKeyRef(t *testing.T) {
	secret := "abcdefghijklmnopqrstuvwxyz234567"
	for _, tok := range []string{
		"lyl_acme_abcdefghijklm_" + secret, "lyl_acme-west_abcdefghijklm_" + secret, "lyl_ac_abcdefghijklm_" + secret,
		"lyl_acme_abcdefghijkl_" + secret, "lyl_acme_abcdefghijklm_" + secret + "x", "lyx_acme_abcdefghijklm_" + secret,
		"lyl__abcdefghijklm_" + secret, "lyl_acme_abcdefghijklm" + secret, "", "Bearer", "lyl_acme_x_abcdefghijklm_" + secret,
	} {
		ref, ok := KeyRef(tok)
		slug, id, _, want := parseKey(tok)
		if ok != want || ok && ref != "lyl_"+slug+"_"+id {
			t.Errorf("KeyRef(%q) = %q, %v; parseKey says %v (%s, %s)", tok, ref, ok, want, slug, id)
		}
	}
	tok := "lyl_acme_abcdefghijklm_" + secret
	if n := testing.AllocsPerRun(100, func() { KeyRef(tok) }); n != 0 {
		t.Errorf("KeyRef allocates %v times", n)
	}
}
