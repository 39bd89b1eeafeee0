package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/jsonscan"
)

// bodyRule is what the input check knows of a route's request body.
type bodyRule struct {
	json  bool  // a JSON document (not a file)
	limit int64 // the operation's size limit
}

// noteBody records the body rule of an operation being registered.
func noteBody[I any](a *API, op huma.Operation) {
	limit := op.MaxBodyBytes
	if limit == 0 {
		limit = 1 << 20 // huma's default
	}
	_, isJSON := reflect.TypeFor[I]().FieldByName("Body")
	a.bodies[op.Method+" "+op.Path] = bodyRule{json: isJSON, limit: limit}
}

// withInputCheck refuses input that the decoders would take but the
// services must never see: a NUL in the path (404: there is no such
// resource), in the query (422) or in a header (400); and in a JSON body,
// a key given twice (encoding/json silently keeps the last), or a string
// holding a NUL (PostgreSQL cannot store it) or a bidirectional control
// character (it disguises how text reads). Each is refused naming the
// field. It runs after authentication, so that strangers cost no parsing.
func withInputCheck(bodies map[string]bodyRule, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := inputProblem(r); p != nil {
			writeProblem(w, r, p)
			return
		}
		rule := bodies[infoOf(r).route]
		if !rule.json || r.Body == nil || r.ContentLength == 0 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, rule.limit))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeProblem(w, r, newProblem(http.StatusRequestEntityTooLarge, "too_large", "the request body exceeds "+strconv.FormatInt(rule.limit, 10)+" bytes"))
				return
			}
			writeProblem(w, r, newProblem(http.StatusBadRequest, "unreadable_body", "the request body could not be read"))
			return
		}
		if f, ok := jsonscan.Check(body); ok {
			writeProblem(w, r, scanProblem(f))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// inputProblem checks the path, query and headers for NUL characters.
func inputProblem(r *http.Request) *Problem {
	if strings.ContainsRune(r.URL.Path, 0) {
		return newProblem(http.StatusNotFound, "not_found", "no resource at this path: it contains a NUL character")
	}
	if strings.ContainsRune(r.URL.RawQuery, 0) || strings.Contains(r.URL.RawQuery, "%00") {
		for k, vs := range r.URL.Query() {
			if strings.ContainsRune(k, 0) || strings.ContainsRune(strings.Join(vs, ""), 0) {
				return fieldProblem(k, "invalid_characters", k+" must not contain NUL characters")
			}
		}
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			if strings.ContainsRune(v, 0) {
				return newProblem(http.StatusBadRequest, "bad_request", "header "+k+" must not contain NUL characters")
			}
		}
	}
	return nil
}

// scanProblem is the 422 for what jsonscan found.
func scanProblem(f jsonscan.Finding) *Problem {
	field := f.Path
	if field == "" {
		field = "body"
	}
	switch f.Code {
	case jsonscan.DuplicateKey:
		return fieldProblem(field, "duplicate_key", "key \""+f.Key+"\" is given twice; give each field once")
	case jsonscan.NUL:
		return fieldProblem(field, "invalid_characters", field+" must not contain NUL characters")
	}
	return fieldProblem(field, "invalid_characters", field+" must not contain bidirectional control characters (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, U+061C): they disguise how the text reads")
}

func fieldProblem(field, code, msg string) *Problem {
	p := newProblem(http.StatusUnprocessableEntity, "validation_failed", "the input has an invalid field")
	p.Errors = []errs.FieldError{{Field: field, Code: code, Message: msg}}
	return p
}

// jsonFormat decodes request bodies as huma's default does, but says
// which field a number does not fit and what it may be, instead of
// encoding/json's words about Go types.
var jsonFormat = huma.Format{Marshal: marshalJSON, Unmarshal: unmarshalJSON}

func unmarshalJSON(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return typeError(jsonscan.PathAt(data, te.Offset), te.Type)
	}
	return err
}

// typeErrorPrefix marks a decoding error that names its field; fieldError
// reads the field back from it.
const typeErrorPrefix = "field "

// typeError says what a field's value must be.
func typeError(field string, t reflect.Type) error {
	var what string
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		what = "a whole number from " + strconv.FormatInt(math.MinInt64>>(64-bits), 10) + " to " + strconv.FormatInt(math.MaxInt64>>(64-bits), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		what = "a whole number from 0 to " + strconv.FormatUint(math.MaxUint64>>(64-t.Bits()), 10)
	case reflect.Float32, reflect.Float64:
		what = "a number"
	case reflect.String:
		what = "a string"
	case reflect.Bool:
		what = "true or false"
	case reflect.Slice, reflect.Array:
		what = "a list"
	default:
		what = "an object"
	}
	return errors.New(typeErrorPrefix + field + ": must be " + what)
}

// nonZero is v's address, or nil (unchanged, the default) for zero.
func nonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}
