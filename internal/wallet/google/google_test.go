package google_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/wallet/google"
	"github.com/loyal-b2b/loyal/internal/wallet/google/googletest"
	"github.com/loyal-b2b/loyal/internal/wallet/passview"
)

// verifyJWT checks an RS256 JWT with the public key and decodes its claims.
func verifyJWT(t *testing.T, jwt string, pub *rsa.PublicKey, claims any) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %s", jwt)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("JWT signature: %v", err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if err := json.Unmarshal(raw, claims); err != nil {
		t.Fatal(err)
	}
}

func view(available int64) passview.View {
	st := card.State{Kind: card.KindPoints, Balances: []card.Balance{{Unit: "points", Available: available}}, Tier: &card.Tier{Code: "base", Name: "Base"}}
	prev := card.State{Kind: card.KindPoints, Balances: []card.Balance{{Unit: "points", Available: 100}}, Tier: &card.Tier{Code: "base", Name: "Base"}}
	return passview.Build(card.Card{Number: "4000123412341234", Serial: "s1"}, st, &prev, card.DefaultDesign("p1", "Dealer Club"))
}

func TestSaveLink(t *testing.T) {
	acct := googletest.NewAccount(t, "http://127.0.0.1:1/token")
	iss, err := google.LoadIssuer(googletest.IssuerID, acct.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	v := view(220)
	u, err := iss.SaveURL(iss.Class("p1", "Operator", v, "https://loyal.example/logo.png"), iss.Object("p1", "s1", v, time.Now()), "https://loyal.example", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	jwt, ok := strings.CutPrefix(u, "https://pay.google.com/gp/v/save/")
	if !ok {
		t.Fatalf("save link %s", u)
	}
	var claims struct {
		Iss, Aud, Typ string
		Payload       struct {
			LoyaltyObjects []google.LoyaltyObject
		}
	}
	verifyJWT(t, jwt, &acct.Key.PublicKey, &claims)
	o := claims.Payload.LoyaltyObjects[0]
	if claims.Aud != "google" || claims.Typ != "savetowallet" || o.LoyaltyPoints.Balance.String != "220" || o.Barcode.Value != "4000123412341234" {
		t.Fatalf("claims: %+v", claims)
	}
	if len(o.Messages) != 1 || o.Messages[0].Body != "+120 points, now 220" || o.Messages[0].LocalizedBody.TranslatedValues[0].Value != "+120 баллов, теперь 220" {
		t.Fatalf("change message: %+v", o.Messages)
	}
}

func TestAPIClient(t *testing.T) {
	srv := googletest.NewServer(t)
	acct := googletest.NewAccount(t, srv.URL+"/token")
	iss, err := google.LoadIssuer(googletest.IssuerID, acct.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	api := google.NewAPI(iss, srv.URL)
	ctx := context.Background()
	obj := iss.Object("p1", "s1", view(220), time.Now())
	for range 2 { // created, then replaced
		if err := api.PutObject(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	var methods []string
	for _, r := range srv.Requests() {
		methods = append(methods, r.Method+" "+r.Path)
		if r.Path != "/token" && r.Auth != "Bearer fake-token" {
			t.Errorf("%s without the token: %q", r.Path, r.Auth)
		}
	}
	want := "POST /token,PUT /loyaltyObject/" + obj.ID + ",POST /loyaltyObject,PUT /loyaltyObject/" + obj.ID
	if strings.Join(methods, ",") != want {
		t.Fatalf("requests:\n%s\nwant\n%s", strings.Join(methods, ","), want)
	}
}
