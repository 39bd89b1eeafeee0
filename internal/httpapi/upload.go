package httpapi

import (
	"errors"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// upload gives a handler the request body as it arrives, for files too
// large to hold: huma reads a RawBody whole into memory before the handler
// runs (a 100 MiB import held 100–200 MiB), while the importer streams. An
// input struct embeds it and its operation describes the body with
// uploadBody.
type upload struct {
	body   io.Reader
	length int64 // the announced length, -1 when unknown (chunked)
}

// Resolve implements huma.Resolver: it keeps the body for the handler.
func (u *upload) Resolve(ctx huma.Context) []error {
	r, _ := humago.Unwrap(ctx)
	u.body, u.length = r.Body, r.ContentLength
	return nil
}

// reader is the body, refused when absent or announced longer than limit,
// and cut off past limit (uploadError then answers 413).
func (u *upload) reader(limit int64) (io.Reader, error) {
	switch {
	case u.body == nil || u.body == http.NoBody || u.length == 0:
		return nil, newProblem(http.StatusBadRequest, "", "request body is required: send the file itself as the body")
	case u.length > limit:
		return nil, tooLarge(limit)
	}
	return http.MaxBytesReader(nil, io.NopCloser(u.body), limit), nil
}

// uploadError is err, or a 413 if it comes from reading past the limit.
func uploadError(err error, limit int64) error {
	if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
		return tooLarge(limit)
	}
	return err
}

func tooLarge(limit int64) error {
	return errs.E(errs.TooLarge, "too_large", "the file exceeds %d bytes; split it into smaller files", limit)
}

// uploadBody describes a file sent as the request body.
func uploadBody(doc string) *huma.RequestBody {
	return &huma.RequestBody{Required: true, Description: doc, Content: map[string]*huma.MediaType{
		"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}},
	}}
}
