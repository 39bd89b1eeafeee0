package apple_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smallstep/pkcs7"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/wallet/apple"
	"github.com/loyal-b2b/loyal/internal/wallet/apple/appletest"
	"github.com/loyal-b2b/loyal/internal/wallet/passview"
)

func samplePass() apple.Pass {
	prev := card.State{Kind: card.KindPoints, Balances: []card.Balance{{Unit: "points", Available: 100}}, Tier: &card.Tier{Code: "base", Name: "Base", Next: "Silver"}}
	st := card.State{Kind: card.KindPoints, Balances: []card.Balance{{Unit: "points", Available: 220}}, Tier: &card.Tier{Code: "silver", Name: "Silver"}}
	c := card.Card{Number: "4000123412341234", Serial: "serial-1"}
	return apple.Pass{Serial: c.Serial, AuthToken: "token-of-at-least-sixteen", WebServiceURL: "https://loyal.example/wallet/apple/t1",
		View: passview.Build(c, st, &prev, card.DefaultDesign("p", "Dealer Club"))}
}

// unzip reads a .pkpass.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return files
}

func TestPassVerifies(t *testing.T) {
	id := appletest.New(t)
	raw, err := id.Signer.Build(samplePass())
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, raw)
	var manifest map[string]string
	if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pass.json", "icon.png", "icon@2x.png", "en.lproj/pass.strings", "ru.lproj/pass.strings"} {
		if manifest[want] == "" {
			t.Errorf("manifest lacks %s", want)
		}
	}
	for name, b := range files {
		if name == "manifest.json" || name == "signature" {
			continue
		}
		sum := sha1.Sum(b)
		if manifest[name] != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: manifest hash %s does not match the file", name, manifest[name])
		}
	}
	if len(manifest) != len(files)-2 {
		t.Errorf("manifest lists %d files, the pass has %d besides it and the signature", len(manifest), len(files)-2)
	}
	p7, err := pkcs7.Parse(files["signature"])
	if err != nil {
		t.Fatal(err)
	}
	p7.Content = files["manifest.json"]
	roots := x509.NewCertPool()
	roots.AddCert(id.Root)
	if err := p7.VerifyWithChain(roots); err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}
	p7.Content = append([]byte(" "), files["manifest.json"]...)
	if p7.VerifyWithChain(roots) == nil {
		t.Fatal("a changed manifest verifies")
	}
	opensslVerify(t, id, files)
}

// opensslVerify checks the signature as Apple's tools would, when openssl
// is installed.
func opensslVerify(t *testing.T, id appletest.Identity, files map[string][]byte) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Log("openssl not installed: verified in Go only")
		return
	}
	dir := t.TempDir()
	for _, n := range []string{"manifest.json", "signature"} {
		if err := os.WriteFile(filepath.Join(dir, n), files[n], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(bin, "smime", "-verify", "-binary", "-inform", "DER", "-in", filepath.Join(dir, "signature"),
		"-content", filepath.Join(dir, "manifest.json"), "-CAfile", filepath.Join(id.Dir, "root.pem"), "-purpose", "any", "-out", os.DevNull).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Verification successful") {
		t.Fatalf("openssl smime -verify: %v\n%s", err, out)
	}
}

func TestPassContent(t *testing.T) {
	id := appletest.New(t)
	raw, err := id.Signer.Build(samplePass())
	if err != nil {
		t.Fatal(err)
	}
	files := unzip(t, raw)
	var pj struct {
		PassTypeIdentifier, SerialNumber, TeamIdentifier, AuthenticationToken string
		WebServiceURL                                                         string `json:"webServiceURL"`
		Barcodes                                                              []struct{ Format, Message string }
		StoreCard                                                             struct {
			PrimaryFields, HeaderFields []struct{ Key, Label, Value, ChangeMessage string }
		}
	}
	if err := json.Unmarshal(files["pass.json"], &pj); err != nil {
		t.Fatal(err)
	}
	if pj.PassTypeIdentifier != appletest.PassTypeID || pj.TeamIdentifier != appletest.TeamID || pj.SerialNumber != "serial-1" ||
		pj.AuthenticationToken == "" || pj.WebServiceURL == "" || pj.Barcodes[0].Message != "4000123412341234" {
		t.Fatalf("pass.json: %s", files["pass.json"])
	}
	bal := pj.StoreCard.PrimaryFields[0]
	if bal.Value != "220" || bal.ChangeMessage != "+120 points, now %@" {
		t.Fatalf("balance field: %+v", bal)
	}
	if tier := pj.StoreCard.HeaderFields[0]; tier.Value != "Silver" || tier.ChangeMessage != "%@ reached" {
		t.Fatalf("tier field: %+v", tier)
	}
	ru := string(files["ru.lproj/pass.strings"])
	for _, want := range []string{`"+120 points, now %@" = "+120 баллов, теперь %@";`, `"%@ reached" = "Достигнут уровень %@";`, `"Balance" = "Баланс";`} {
		if !strings.Contains(ru, want) {
			t.Errorf("ru pass.strings lacks %s:\n%s", want, ru)
		}
	}
}

func BenchmarkBuildPass(b *testing.B) {
	id := appletest.New(b)
	p := samplePass()
	for b.Loop() {
		if _, err := id.Signer.Build(p); err != nil {
			b.Fatal(err)
		}
	}
}
