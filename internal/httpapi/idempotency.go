package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/idempotency"
)

// maxBody bounds any request body; operations set lower limits of their own.
const maxBody = 8 << 20

// withIdempotency makes a POST carrying an Idempotency-Key header safe to
// retry: the first response is stored and a repeat gets it back (marked
// with Idempotent-Replayed: true); the same key with a different body, or
// while the first request is still running, gets a 409. Server errors are
// not stored, so a retry after one runs the request again.
func withIdempotency(log *slog.Logger, svc *idempotency.Service, own func(*http.Request) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		p, authed := access.From(r.Context())
		if r.Method != http.MethodPost || key == "" || !authed || own(r) {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeProblem(w, r, newProblem(http.StatusRequestEntityTooLarge, "too_large", "the request body exceeds 8 MiB"))
				return
			}
			writeProblem(w, r, newProblem(http.StatusBadRequest, "unreadable_body", "the request body could not be read"))
			return
		}
		hash := idempotency.Hash(r.Method, r.URL.RequestURI(), body)
		stored, err := svc.Begin(r.Context(), p.TenantID, key, hash)
		if err != nil {
			writeProblem(w, r, problemFor(r.Context(), log, err))
			return
		}
		if stored != nil {
			replay(w, stored)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &recorder{statusWriter: statusWriter{ResponseWriter: w}}
		next.ServeHTTP(rec, r)
		// The outcome is recorded even if the client has gone away meanwhile:
		// that client is exactly the one that will retry.
		ctx := context.WithoutCancel(r.Context())
		if rec.status >= 500 {
			err = svc.Abandon(ctx, p.TenantID, key)
		} else {
			err = svc.Finish(ctx, p.TenantID, key, hash, rec.status, rec.buf.Bytes())
		}
		if err != nil {
			log.ErrorContext(ctx, "idempotency: record outcome", "err", err, "key", key, "request_id", access.RequestID(ctx))
		}
	})
}

// recorder passes a response through and keeps a copy of its body.
type recorder struct {
	statusWriter
	buf bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.buf.Write(b)
	return r.statusWriter.Write(b)
}

func replay(w http.ResponseWriter, rec *idempotency.Record) {
	ct := "application/json"
	if rec.Status >= 400 {
		ct = "application/problem+json"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(rec.Status)
	_, _ = w.Write(rec.Response)
}
