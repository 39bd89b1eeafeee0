package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Problem is an RFC 9457 problem document with a stable machine-readable
// code and per-field details.
type Problem struct {
	Type      string            `json:"type" doc:"A URI naming the kind of problem"`
	Title     string            `json:"title" doc:"Short summary of the kind of problem"`
	Status    int               `json:"status" doc:"HTTP status code"`
	Code      string            `json:"code" doc:"Stable code to switch on, e.g. validation_failed, not_found, duplicate"`
	Detail    string            `json:"detail,omitempty" doc:"What went wrong in this case and how to fix it"`
	Instance  string            `json:"instance,omitempty" doc:"The request path"`
	RequestID string            `json:"request_id,omitempty" doc:"Quote it when asking for help"`
	Errors    []errs.FieldError `json:"errors,omitempty" doc:"Every invalid field, with what to fix"`
}

func (p *Problem) Error() string { return p.Detail }

// GetStatus makes Problem a huma.StatusError.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes huma send problems as application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

var kindStatus = map[errs.Kind]int{
	errs.Internal:        http.StatusInternalServerError,
	errs.Invalid:         http.StatusUnprocessableEntity,
	errs.NotFound:        http.StatusNotFound,
	errs.Conflict:        http.StatusConflict,
	errs.Forbidden:       http.StatusForbidden,
	errs.Unauthenticated: http.StatusUnauthorized,
	errs.Unavailable:     http.StatusServiceUnavailable,
	errs.TooLarge:        http.StatusRequestEntityTooLarge,
	errs.RateLimited:     http.StatusTooManyRequests,
}

var statusCode = map[int]string{
	400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
	406: "not_acceptable", 409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "validation_failed",
	429: "rate_limited", 500: "internal", 503: "unavailable",
}

func newProblem(status int, code, detail string) *Problem {
	if code == "" {
		code = statusCode[status]
		if code == "" {
			code = "error"
		}
	}
	return &Problem{Type: "https://loyal.dev/problems/" + strings.ReplaceAll(code, "_", "-"), Title: http.StatusText(status),
		Status: status, Code: code, Detail: detail}
}

// problemFor converts any error into the problem sent to the client. An
// error without a kind is internal: it is logged, and the client learns only
// the request id to quote.
func problemFor(ctx context.Context, log *slog.Logger, err error) *Problem {
	if p, ok := err.(*Problem); ok {
		return p
	}
	e := errs.As(err)
	if e == nil || e.Kind == errs.Internal {
		log.ErrorContext(ctx, "internal error", "err", err, "request_id", access.RequestID(ctx))
		return newProblem(500, "internal", "something went wrong on our side; it has been logged — quote the request id if it persists")
	}
	if e.Kind == errs.Unavailable {
		log.WarnContext(ctx, "unavailable", "err", err, "request_id", access.RequestID(ctx))
	}
	p := newProblem(kindStatus[e.Kind], e.Code, e.Message)
	p.Errors = e.Fields
	return p
}

// installHumaErrors makes huma report its own errors (validation, bad
// JSON, handler errors) as Problems. Huma's hooks are package variables, so
// this affects every huma API in the process, which is just this one.
func installHumaErrors(log *slog.Logger) {
	huma.NewError = func(status int, msg string, list ...error) huma.StatusError {
		return humaProblem(context.Background(), log, status, msg, list)
	}
	huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, list ...error) huma.StatusError {
		ctx := context.Background()
		if hctx != nil {
			ctx = hctx.Context()
		}
		p := humaProblem(ctx, log, status, msg, list)
		if hctx != nil {
			p.Instance = hctx.URL().Path
			p.RequestID = access.RequestID(ctx)
		}
		return p
	}
}

func humaProblem(ctx context.Context, log *slog.Logger, status int, msg string, list []error) *Problem {
	for _, err := range list {
		if e := errs.As(err); e != nil || status >= 500 {
			return problemFor(ctx, log, err)
		}
	}
	var fields []errs.FieldError
	code := ""
	for _, err := range list {
		var d *huma.ErrorDetail
		if dd, ok := err.(huma.ErrorDetailer); ok {
			d = dd.ErrorDetail()
		} else {
			d = &huma.ErrorDetail{Message: err.Error()}
		}
		if status == http.StatusUnsupportedMediaType {
			msg = "send the body as JSON with the header Content-Type: application/json"
			continue
		}
		if status == http.StatusBadRequest && d.Location == "body" {
			code = "malformed_json"
			msg = "the request body is not valid JSON: " + firstLine(d.Message)
			continue
		}
		fields = append(fields, fieldError(d))
	}
	if status == http.StatusUnprocessableEntity && len(fields) > 0 {
		msg = "the input has invalid fields; see errors"
	}
	p := newProblem(status, code, msg)
	p.Errors = fields
	return p
}

// fieldCodes maps huma's validation messages to codes; the first matching
// prefix wins, so longer prefixes come first.
var fieldCodes = []struct{ prefix, code string }{
	{"unexpected property", "unknown_field"},
	{"expected length <=", "too_long"},
	{"expected length >=", "too_short"},
	{"expected value to be one of", "not_allowed"},
	{"expected string to match pattern", "invalid_format"},
	{"expected string to be", "invalid_format"},
	{"expected number ", "out_of_range"},
	{"expected array length", "wrong_count"},
	{"expected array items to be unique", "duplicate"},
	{"expected ", "wrong_type"},
}

var requiredRE = regexp.MustCompile(`^expected required property (\S+) to be present`)

// fieldError turns one of huma's validation messages into a field error
// with a stable code.
func fieldError(d *huma.ErrorDetail) errs.FieldError {
	field := stripLocation(d.Location)
	msg := d.Message
	if rest, ok := strings.CutPrefix(msg, typeErrorPrefix); ok && field == "" {
		// A number that does not fit its field, said by unmarshalJSON.
		path, what, _ := strings.Cut(rest, ": ")
		code := "wrong_type"
		if strings.Contains(what, "whole number") {
			code = "out_of_range"
		}
		return errs.FieldError{Field: path, Code: code, Message: path + " " + what}
	}
	if m := requiredRE.FindStringSubmatch(msg); m != nil {
		if field != "" {
			field += "."
		}
		return errs.FieldError{Field: field + m[1], Code: "required", Message: m[1] + " is required"}
	}
	code := "invalid"
	for _, fc := range fieldCodes {
		if strings.HasPrefix(msg, fc.prefix) {
			code = fc.code
			break
		}
	}
	return errs.FieldError{Field: field, Code: code, Message: humanize(field, code, msg)}
}

// stripLocation turns huma's "body.items[2].name" or "query.limit" into the
// field's own path, which is how domain errors name fields too.
var limitRE = regexp.MustCompile(`[<>]=? ?(-?[0-9.]+)`)

// humanize rewrites a validation message so that it names the field and
// says what is expected in words.
func humanize(field, code, msg string) string {
	n := ""
	if m := limitRE.FindStringSubmatch(msg); m != nil {
		n = m[1]
	}
	switch {
	case code == "unknown_field":
		return "unknown field; check its spelling against the API documentation at /v1/docs"
	case code == "too_short" && n == "1":
		return field + " must not be empty"
	case code == "too_short":
		return field + " must be at least " + n + " characters"
	case code == "too_long":
		return field + " must be at most " + n + " characters"
	case code == "out_of_range" && strings.Contains(msg, ">"):
		return field + " must be at least " + n
	case code == "out_of_range":
		return field + " must be at most " + n
	case code == "not_allowed":
		return field + " must be one of " + strings.TrimSuffix(strings.TrimPrefix(msg, `expected value to be one of "`), `"`)
	}
	return field + ": " + msg
}

func stripLocation(loc string) string {
	for _, p := range []string{"body.", "query.", "path.", "header.", "body"} {
		if rest, ok := strings.CutPrefix(loc, p); ok {
			return rest
		}
	}
	return loc
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// writeProblem sends a problem outside huma (middleware, unknown routes).
func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	p.Instance = r.URL.Path
	p.RequestID = access.RequestID(r.Context())
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(p)
}
