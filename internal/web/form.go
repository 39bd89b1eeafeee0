package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// TokenField is the hidden field that makes a form's submission
// idempotent: a double submit carries the same token and creates one
// record.
const TokenField = "_token"

var tokenRE = regexp.MustCompile(`^[a-z0-9]{16,64}$`)

// Form is a form's values and what is wrong with them, field by field.
type Form struct {
	Values url.Values
	Errors map[string]string // field name → message shown next to it
	Error  string            // what is wrong with the form as a whole
	Token  string
}

// NewForm starts an empty form with a fresh submission token.
func NewForm() *Form {
	return &Form{Values: url.Values{}, Errors: map[string]string{}, Token: ids.Token(16)}
}

// ReadForm reads a posted form, keeping its submission token (a new one
// when it has none).
func ReadForm(r *http.Request) *Form {
	_ = r.ParseForm()
	f := &Form{Values: r.PostForm, Errors: map[string]string{}, Token: r.PostForm.Get(TokenField)}
	if !tokenRE.MatchString(f.Token) {
		f.Token = ids.Token(16)
	}
	return f
}

// Get returns a field's value, trimmed.
func (f *Form) Get(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Set sets a field's value.
func (f *Form) Set(name, value string) { f.Values.Set(name, value) }

// Invalid records a problem with a field.
func (f *Form) Invalid(field, msg string) { f.Errors[field] = msg }

// Ok reports whether no problem was recorded.
func (f *Form) Ok() bool { return len(f.Errors) == 0 && f.Error == "" }

// Fail takes a service's error: field errors go next to their fields (the
// service's field names are the form's; alias maps others, e.g. the API's
// "reason" to the form's "note"), anything else is the form's error. It
// returns the status to answer with.
func (f *Form) Fail(err error, alias map[string]string) int {
	e := errs.As(err)
	if e == nil || e.Kind == errs.Internal {
		f.Error = "Something went wrong on our side; it has been logged. Try again in a moment."
		return http.StatusInternalServerError
	}
	for _, fe := range e.Fields {
		name := fe.Field
		if a, ok := alias[name]; ok {
			name = a
		}
		if _, known := f.Values[name]; known || alias != nil && alias[fe.Field] != "" {
			f.Errors[name] = fe.Message
			continue
		}
		f.Error = strings.TrimSpace(f.Error + " " + fe.Message)
	}
	if len(e.Fields) == 0 {
		f.Error = e.Message
	}
	return StatusOf(err)
}

// Field is what the "field" partial renders: label, input and the
// field's error beside it.
type Field struct {
	Name, Label, Type, Value, Error, Hint string
	Required                              bool
	Options                               []Option // for Type "select"
	Attrs                                 string   // a few safe extra attributes: "min", "step"
}

// Option is one choice of a select field.
type Option struct{ Value, Label string }

// Field builds a field of this form for the partial.
func (f *Form) Field(name, label, typ string, required bool) Field {
	return Field{Name: name, Label: label, Type: typ, Value: f.Values.Get(name), Error: f.Errors[name], Required: required}
}

// Choice builds a select field.
func (f *Form) Choice(name, label string, opts []Option) Field {
	fl := f.Field(name, label, "select", false)
	fl.Options = opts
	return fl
}

func inProgress(err error) bool {
	e := errs.As(err)
	return e != nil && e.Code == "request_in_progress"
}

// Once runs a form's submission at most once per submission token: the
// first run's result (the address to go to next) is stored under the
// token, and a repeat — a double click, a resent form — gets the same
// address without running again. Failed runs are forgotten so the form
// can be corrected and sent again.
func (k *Kit) Once(ctx context.Context, tenantID string, f *Form, purpose string, run func() (string, error)) (string, error) {
	key := "web:" + purpose + ":" + f.Token
	h := sha256.Sum256([]byte(purpose + "\n" + f.Values.Encode()))
	hash := hex.EncodeToString(h[:])
	rec, err := k.Idempotency.Begin(ctx, tenantID, key, hash)
	for try := 0; try < 30 && inProgress(err); try++ {
		// The first click's request is still running: wait for its answer.
		time.Sleep(100 * time.Millisecond)
		rec, err = k.Idempotency.Begin(ctx, tenantID, key, hash)
	}
	if err != nil {
		return "", err
	}
	if rec != nil {
		return string(rec.Response), nil
	}
	next, err := run()
	if err != nil {
		_ = k.Idempotency.Abandon(context.WithoutCancel(ctx), tenantID, key)
		return "", err
	}
	if err := k.Idempotency.Finish(context.WithoutCancel(ctx), tenantID, key, hash, http.StatusSeeOther, []byte(next)); err != nil {
		k.logError(ctx, "form token", err)
	}
	return next, nil
}
