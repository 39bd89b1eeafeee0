package sms_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/sms"
)

func TestHTTPPostsJSONWithBearer(t *testing.T) {
	var got sms.Message
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		_ = json.NewDecoder(r.Body).Decode(&got)
		if got.To == "+70000000000" {
			http.Error(w, "blocked number", http.StatusUnprocessableEntity)
		}
	}))
	defer srv.Close()
	h := sms.HTTP{URL: srv.URL, Token: "tok"}
	if err := h.Send(context.Background(), sms.Message{To: "+79990001122", Text: "Hi"}); err != nil {
		t.Fatal(err)
	}
	if auth != "Bearer tok" || got.To != "+79990001122" || got.Text != "Hi" {
		t.Fatalf("%q %+v", auth, got)
	}
	if err := h.Send(context.Background(), sms.Message{To: "+70000000000"}); err == nil {
		t.Fatal("a 422 was taken for success")
	}
}

func TestRecorder(t *testing.T) {
	var r sms.Recorder
	r.FailNext(1)
	if err := r.Send(context.Background(), sms.Message{To: "a"}); err == nil {
		t.Fatal("FailNext did not fail")
	}
	_ = r.Send(context.Background(), sms.Message{To: "b"})
	if s := r.Sent(); len(s) != 1 || s[0].To != "b" {
		t.Fatalf("%+v", s)
	}
}
