package valid_test

import (
	"slices"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// fieldCodes returns "field:code" for every finding of f, in order.
func fieldCodes(t *testing.T, f *errs.Fields) []string {
	t.Helper()
	err := f.Err()
	if err == nil {
		return nil
	}
	e := errs.As(err)
	if e == nil {
		t.Fatalf("Fields.Err() = %v, not an *errs.Error", err)
	}
	if e.Kind != errs.Invalid {
		t.Errorf("kind = %v, want invalid", e.Kind)
	}
	out := make([]string, len(e.Fields))
	for i, fe := range e.Fields {
		out[i] = fe.Field + ":" + fe.Code
		if fe.Message == "" {
			t.Errorf("field %s (%s) has no message", fe.Field, fe.Code)
		}
	}
	return out
}

// wantCodes compares the findings with want ("" for none).
func wantCodes(t *testing.T, f *errs.Fields, want string) {
	t.Helper()
	got := fieldCodes(t, f)
	switch {
	case want == "" && len(got) != 0:
		t.Errorf("findings = %v, want none", got)
	case want != "" && !slices.Equal(got, []string{want}):
		t.Errorf("findings = %v, want [%s]", got, want)
	}
}
