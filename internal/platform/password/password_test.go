package password

import "testing"

func TestHashAndCheck(t *testing.T) {
	h := hashWith("correct horse battery", Params{Memory: 64, Time: 1, Threads: 1})
	tests := []struct {
		name string
		pw   string
		hash string
		want bool
	}{
		{"right password", "correct horse battery", h, true},
		{"wrong password", "correct horse batterz", h, false},
		{"empty hash matches nothing", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Check(tc.pw, tc.hash)
			if err != nil || got != tc.want {
				t.Fatalf("Check = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	if h2 := hashWith("correct horse battery", Params{Memory: 64, Time: 1, Threads: 1}); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA", "plain", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA"} {
		if _, err := Check("x", bad); err != ErrMalformed {
			t.Errorf("Check(%q) error = %v, want ErrMalformed", bad, err)
		}
	}
}

func TestDefaultHashVerifies(t *testing.T) {
	h := Hash("a long enough passphrase")
	if ok, err := Check("a long enough passphrase", h); !ok || err != nil {
		t.Fatalf("default hash does not verify: %v %v", ok, err)
	}
}

func TestProblem(t *testing.T) {
	for pw, bad := range map[string]bool{"short": true, "aaaaaaaaaaaa": true, "ten chars!": false, "блок-пароль-1": false} {
		if got := Problem(pw) != ""; got != bad {
			t.Errorf("Problem(%q) = %q", pw, Problem(pw))
		}
	}
}
