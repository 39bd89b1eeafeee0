package errs_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

func TestKindString(t *testing.T) {
	tests := []struct {
		k    errs.Kind
		want string
	}{
		{errs.Internal, "internal"},
		{errs.Invalid, "invalid"},
		{errs.NotFound, "not_found"},
		{errs.Conflict, "conflict"},
		{errs.Forbidden, "forbidden"},
		{errs.Unauthenticated, "unauthenticated"},
		{errs.Unavailable, "unavailable"},
		{errs.TooLarge, "too_large"},
		{errs.RateLimited, "rate_limited"},
		{errs.Kind(42), "kind(42)"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(tt.k), got, tt.want)
		}
	}
}

func TestKindOfIsAs(t *testing.T) {
	conflict := errs.E(errs.Conflict, "already_revoked", "key %q was already revoked", "k1")
	tests := []struct {
		name     string
		err      error
		kind     errs.Kind
		isKind   bool // errs.Is(err, kind)
		wantCode string
	}{
		{"nil", nil, errs.Internal, false, ""},
		{"plain error is internal", io.EOF, errs.Internal, true, ""},
		{"errs value", conflict, errs.Conflict, true, "already_revoked"},
		{"wrapped by fmt.Errorf", fmt.Errorf("revoke: %w", conflict), errs.Conflict, true, "already_revoked"},
		{"joined", errors.Join(io.EOF, conflict), errs.Conflict, true, "already_revoked"},
		{"not found shorthand", errs.NotFoundf("organization", "ext:R-1"), errs.NotFound, true, "not_found"},
		{"invalid field", errs.InvalidField("email", "invalid_email", "bad"), errs.Invalid, true, "validation_failed"},
		{"a plain cause does not change the kind", errs.E(errs.Unavailable, "db_down", "try later").Wrap(io.EOF), errs.Unavailable, true, "db_down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errs.KindOf(tt.err); got != tt.kind {
				t.Errorf("KindOf = %v, want %v", got, tt.kind)
			}
			if got := errs.Is(tt.err, tt.kind); got != tt.isKind {
				t.Errorf("Is(err, %v) = %v, want %v", tt.kind, got, tt.isKind)
			}
			e := errs.As(tt.err)
			switch {
			case tt.wantCode == "" && e != nil:
				t.Errorf("As = %v, want nil", e)
			case tt.wantCode != "" && (e == nil || e.Code != tt.wantCode):
				t.Errorf("As = %+v, want code %q", e, tt.wantCode)
			}
		})
	}
}

func TestIsOtherKind(t *testing.T) {
	err := errs.NotFoundf("member", "m1")
	for _, k := range []errs.Kind{errs.Internal, errs.Invalid, errs.Conflict, errs.Forbidden} {
		if errs.Is(err, k) {
			t.Errorf("Is(not found, %v) = true", k)
		}
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  *errs.Error
		want string
	}{
		{"message only", errs.E(errs.NotFound, "not_found", "member %q not found", "m1"), `member "m1" not found`},
		{"with fields", &errs.Error{Kind: errs.Invalid, Message: "the input has 2 invalid fields", Fields: []errs.FieldError{
			{Field: "name", Code: "required", Message: "name is required"},
			{Field: "email", Code: "invalid_email", Message: "bad e-mail"},
		}}, "the input has 2 invalid fields; name: name is required; email: bad e-mail"},
		{"with cause", errs.E(errs.Internal, "db", "could not save").Wrap(io.ErrUnexpectedEOF), "could not save: unexpected EOF"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: Error() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestWrapKeepsOriginalAndUnwraps(t *testing.T) {
	base := errs.E(errs.Unavailable, "busy", "database busy")
	wrapped := base.Wrap(io.EOF)
	if base.Err != nil {
		t.Errorf("Wrap changed the original: Err = %v", base.Err)
	}
	if !errors.Is(wrapped, io.EOF) {
		t.Errorf("errors.Is(wrapped, io.EOF) = false; the cause must be reachable")
	}
	if wrapped.Kind != errs.Unavailable || wrapped.Code != "busy" || wrapped.Message != "database busy" {
		t.Errorf("Wrap lost kind, code or message: %+v", wrapped)
	}
}
