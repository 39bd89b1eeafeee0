// Package appletest makes a pass-signing identity for tests: a root
// standing in for Apple's, an intermediate standing in for Apple's WWDR
// certificate, and a pass certificate with its key, as PEM files too.
package appletest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/wallet/apple"
)

// Identity is a test pass identity.
type Identity struct {
	Signer *apple.Signer
	Root   *x509.Certificate
	// Files are the PEM files: root.pem, wwdr.pem, pass.pem, key.pem.
	Dir string
}

// PassTypeID and TeamID of test passes.
const (
	PassTypeID = "pass.dev.loyal.test"
	TeamID     = "TEAM123456"
)

// New makes an identity, with its files in a temporary directory.
func New(t testing.TB) Identity {
	t.Helper()
	rootKey, root := issue(t, nil, nil, "Test Apple Root", true)
	wwdrKey, wwdr := issue(t, root, rootKey, "Test WWDR", true)
	passKey, pass := issue(t, wwdr, wwdrKey, "Pass Type ID: "+PassTypeID, false)
	dir := t.TempDir()
	write(t, filepath.Join(dir, "root.pem"), "CERTIFICATE", root.Raw)
	write(t, filepath.Join(dir, "wwdr.pem"), "CERTIFICATE", wwdr.Raw)
	write(t, filepath.Join(dir, "pass.pem"), "CERTIFICATE", pass.Raw)
	der, err := x509.MarshalPKCS8PrivateKey(passKey)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "key.pem"), "PRIVATE KEY", der)
	s, err := apple.LoadSigner(PassTypeID, TeamID, "Test Operator", filepath.Join(dir, "pass.pem"), filepath.Join(dir, "key.pem"), filepath.Join(dir, "wwdr.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return Identity{Signer: s, Root: root, Dir: dir}
}

func issue(t testing.TB, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, cn string, ca bool) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn, Organization: []string{"Test"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: true, IsCA: ca}
	if ca {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

func write(t testing.TB, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}
