// Package errs gives every error of the product a kind that decides how it is
// reported (HTTP status, CLI exit), a stable machine-readable code, and
// optional per-field details. It imports nothing of the project.
//
// Domain code returns errs values for anything a caller can fix; anything
// else (a driver failure, a bug) stays a plain error and is reported as
// "internal" without its text leaving the process.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds, from the caller's point of view.
const (
	Internal        Kind = iota // a bug or an infrastructure failure; not the caller's fault
	Invalid                     // the input is wrong; the message says how to fix it
	NotFound                    // the thing does not exist (or belongs to another tenant)
	Conflict                    // the request clashes with the current state
	Forbidden                   // the caller is known but may not do this
	Unauthenticated             // the caller is not known
	Unavailable                 // try again later
	TooLarge                    // the request is bigger than allowed
	RateLimited                 // too many attempts; slow down
)

var kindNames = [...]string{"internal", "invalid", "not_found", "conflict", "forbidden", "unauthenticated", "unavailable", "too_large", "rate_limited"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// FieldError names one wrong field of an input and what to do about it.
type FieldError struct {
	Field   string `json:"field"`   // path of the field, e.g. "email" or "items[3].tags"
	Code    string `json:"code"`    // stable code, e.g. "required", "too_long", "invalid_email"
	Message string `json:"message"` // human-readable: what is wrong and how to fix it
}

// Error is the project's error value.
type Error struct {
	Kind    Kind
	Code    string // stable, snake_case; clients may switch on it
	Message string // safe to show to the caller
	Fields  []FieldError
	Err     error // the cause, never shown to callers
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error of the given kind with a code and a message.
func E(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a cause to an error; the cause is logged, never shown.
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.Err = cause
	return &c
}

// KindOf reports the kind of err: the kind of the first *Error in its chain,
// Internal when there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is an *Error of the given kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// NotFoundf is a shorthand for the most common error of all.
func NotFoundf(what, id string) *Error {
	return E(NotFound, "not_found", "%s %q not found", what, id)
}

// Fields collects field errors of one input, so that a caller learns about
// every wrong field at once instead of one per attempt.
type Fields struct {
	prefix string
	list   []FieldError
}

// Add records a wrong field.
func (f *Fields) Add(field, code, format string, args ...any) {
	f.list = append(f.list, FieldError{Field: f.prefix + field, Code: code, Message: fmt.Sprintf(format, args...)})
}

// Under returns a collector whose fields are prefixed, e.g. "items[2].";
// Merge its findings back into f.
func (f *Fields) Under(prefix string) *Fields { return &Fields{prefix: f.prefix + prefix} }

// Merge appends the findings of a sub-collector made by Under.
func (f *Fields) Merge(sub *Fields) { f.list = append(f.list, sub.list...) }

// Len reports how many wrong fields were found.
func (f *Fields) Len() int { return len(f.list) }

// Err returns nil when nothing was found, else an Invalid error listing them.
func (f *Fields) Err() error {
	if len(f.list) == 0 {
		return nil
	}
	msg := "the input has an invalid field"
	if len(f.list) > 1 {
		msg = fmt.Sprintf("the input has %d invalid fields", len(f.list))
	}
	return &Error{Kind: Invalid, Code: "validation_failed", Message: msg, Fields: f.list}
}

// InvalidField is a shorthand for an Invalid error about one field.
func InvalidField(field, code, format string, args ...any) error {
	var f Fields
	f.Add(field, code, format, args...)
	return f.Err()
}

// Prefix returns err with its field paths prefixed (e.g. "items[3]."), so
// that an error about one item of a batch names the item; other errors are
// returned unchanged.
func Prefix(err error, prefix string) error {
	e := As(err)
	if e == nil {
		return err
	}
	c := *e
	c.Fields = make([]FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = prefix + f.Field
		c.Fields[i] = f
	}
	if len(c.Fields) == 0 {
		c.Message = strings.TrimSuffix(prefix, ".") + ": " + c.Message
	}
	return &c
}
