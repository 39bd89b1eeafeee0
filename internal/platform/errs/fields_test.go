package errs_test

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

func fieldNames(err error) []string {
	e := errs.As(err)
	if e == nil {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

func TestFieldsErr(t *testing.T) {
	tests := []struct {
		name    string
		add     []string // field names, each added with code "bad"
		wantNil bool
		wantMsg string
	}{
		{"nothing found", nil, true, ""},
		{"one field", []string{"name"}, false, "the input has an invalid field"},
		{"three fields", []string{"name", "email", "phone"}, false, "the input has 3 invalid fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f errs.Fields
			for _, n := range tt.add {
				f.Add(n, "bad", "%s is bad", n)
			}
			if f.Len() != len(tt.add) {
				t.Errorf("Len = %d, want %d", f.Len(), len(tt.add))
			}
			err := f.Err()
			if tt.wantNil {
				if err != nil {
					t.Fatalf("Err = %v, want nil", err)
				}
				return
			}
			e := errs.As(err)
			if e == nil || e.Kind != errs.Invalid || e.Code != "validation_failed" || e.Message != tt.wantMsg {
				t.Fatalf("Err = %+v, want invalid/validation_failed %q", e, tt.wantMsg)
			}
			if len(e.Fields) != len(tt.add) {
				t.Fatalf("Fields = %v, want %d", e.Fields, len(tt.add))
			}
			for i, n := range tt.add {
				if e.Fields[i].Field != n || e.Fields[i].Message != n+" is bad" {
					t.Errorf("Fields[%d] = %+v, want field %q in order of Add", i, e.Fields[i], n)
				}
			}
		})
	}
}

func TestFieldsUnderAndMerge(t *testing.T) {
	var all errs.Fields
	all.Add("items", "too_many", "too many")
	for i := range 2 {
		sub := all.Under(fmt.Sprintf("items[%d].", i))
		sub.Add("name", "required", "name is required")
		sub.Under("tags.").Add("0", "invalid_tag", "bad tag") // not merged: dropped
		deeper := sub.Under("messenger.")
		deeper.Add("app", "not_allowed", "bad app")
		sub.Merge(deeper)
		all.Merge(sub)
	}
	want := []string{"items:too_many", "items[0].name:required", "items[0].messenger.app:not_allowed",
		"items[1].name:required", "items[1].messenger.app:not_allowed"}
	if got := fieldNames(all.Err()); !slices.Equal(got, want) {
		t.Errorf("fields = %v\nwant     %v", got, want)
	}
	if all.Len() != len(want) {
		t.Errorf("Len = %d, want %d", all.Len(), len(want))
	}
}

func TestInvalidField(t *testing.T) {
	err := errs.InvalidField("staff_id", "unknown_staff", "no staff user %q in this tenant", "s1")
	e := errs.As(err)
	if e == nil || e.Kind != errs.Invalid || len(e.Fields) != 1 {
		t.Fatalf("InvalidField = %+v", e)
	}
	if f := e.Fields[0]; f.Field != "staff_id" || f.Code != "unknown_staff" || f.Message != `no staff user "s1" in this tenant` {
		t.Errorf("field = %+v", f)
	}
}

func TestPrefix(t *testing.T) {
	plain := io.EOF
	tests := []struct {
		name       string
		err        error
		wantFields []string
		wantMsg    string // for errs values
		same       bool   // returned unchanged
	}{
		{"nil", nil, nil, "", true},
		{"plain error unchanged", plain, nil, "", true},
		{"field paths prefixed", errs.InvalidField("email", "invalid_email", "bad"), []string{"items[3].email:invalid_email"}, "the input has an invalid field", false},
		{"no fields: message names the item", errs.E(errs.Conflict, "duplicate", "external id R-1 is taken"), nil, "items[3]: external id R-1 is taken", false},
		{"wrapped errs value", fmt.Errorf("upsert: %w", errs.InvalidField("name", "required", "name is required")), []string{"items[3].name:required"}, "the input has an invalid field", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := errs.Prefix(tt.err, "items[3].")
			if tt.same {
				if got != tt.err {
					t.Errorf("Prefix = %v, want the error unchanged", got)
				}
				return
			}
			e := errs.As(got)
			if e == nil {
				t.Fatalf("Prefix = %v, want an *errs.Error", got)
			}
			if names := fieldNames(got); !slices.Equal(names, tt.wantFields) {
				t.Errorf("fields = %v, want %v", names, tt.wantFields)
			}
			if e.Message != tt.wantMsg {
				t.Errorf("message = %q, want %q", e.Message, tt.wantMsg)
			}
			if errs.KindOf(got) != errs.KindOf(tt.err) {
				t.Errorf("kind changed from %v to %v", errs.KindOf(tt.err), errs.KindOf(got))
			}
		})
	}
}

func TestPrefixDoesNotChangeTheOriginal(t *testing.T) {
	orig := errs.InvalidField("email", "invalid_email", "bad")
	_ = errs.Prefix(orig, "items[0].")
	_ = errs.Prefix(orig, "items[1].")
	if got := fieldNames(orig); !slices.Equal(got, []string{"email:invalid_email"}) {
		t.Errorf("original fields became %v", got)
	}
	noFields := errs.E(errs.Conflict, "duplicate", "taken")
	_ = errs.Prefix(noFields, "items[0].")
	if noFields.Message != "taken" {
		t.Errorf("original message became %q", noFields.Message)
	}
}

func TestPrefixKeepsCause(t *testing.T) {
	cause := errors.New("driver said no")
	got := errs.Prefix(errs.E(errs.Internal, "db", "save failed").Wrap(cause), "items[1].")
	if !errors.Is(got, cause) {
		t.Errorf("Prefix lost the cause: %v", got)
	}
	if !strings.HasPrefix(got.Error(), "items[1]: save failed") {
		t.Errorf("Error() = %q", got.Error())
	}
}
