package push_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/push"
)

func TestHTTPPostsFCMShape(t *testing.T) {
	var got struct {
		Message struct {
			Token        string `json:"token"`
			Notification struct{ Title, Body string }
			Data         map[string]string `json:"data"`
		} `json:"message"`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		_ = json.NewDecoder(r.Body).Decode(&got)
	}))
	defer srv.Close()
	err := push.HTTP{URL: srv.URL, Token: "t"}.Send(context.Background(), push.Message{Token: "dev", Title: "T", Body: "B", Data: map[string]string{"id": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Message.Token != "dev" || got.Message.Notification.Title != "T" || got.Message.Notification.Body != "B" || got.Message.Data["id"] != "1" {
		t.Fatalf("%+v", got)
	}
	if err := (push.HTTP{URL: srv.URL, Token: "wrong"}).Send(context.Background(), push.Message{}); err == nil {
		t.Fatal("a 401 was taken for success")
	}
}

// FCM's answers about a dead token (404 UNREGISTERED, 410) are ErrGone;
// other failures are not, so the token is kept and the push retried.
func TestHTTPTellsGoneTokens(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Message struct{ Token string } }
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch body.Message.Token {
		case "unregistered":
			http.Error(w, `{"error": {"status": "NOT_FOUND", "details": [{"errorCode": "UNREGISTERED"}]}}`, http.StatusNotFound)
		case "gone":
			w.WriteHeader(http.StatusGone)
		default:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	send := func(token string) error {
		return push.HTTP{URL: srv.URL}.Send(context.Background(), push.Message{Token: token})
	}
	for _, tok := range []string{"unregistered", "gone"} {
		if err := send(tok); !errors.Is(err, push.ErrGone) {
			t.Errorf("%s: %v, want ErrGone", tok, err)
		}
	}
	if err := send("busy"); err == nil || errors.Is(err, push.ErrGone) {
		t.Errorf("a 503: %v, want a plain error", err)
	}
}
