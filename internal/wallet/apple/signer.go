// Package apple makes a card's Apple Wallet pass — a signed .pkpass:
// pass.json, localized pass.strings, images, a manifest of SHA-1 hashes
// and a detached PKCS#7 signature by the operator's pass certificate with
// Apple's intermediate — serves Apple's pass web service (devices register
// for a pass and fetch it again when told to), and pushes "this pass
// changed" to registered devices through APNs.
package apple

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"

	"github.com/smallstep/pkcs7"
)

// Signer is the operator's pass identity: Apple's pass type id and team
// id, the pass certificate with its key, and Apple's intermediate (WWDR)
// certificate.
type Signer struct {
	PassTypeID   string
	TeamID       string
	Organization string // shown by Wallet as the pass's issuer
	Cert         *x509.Certificate
	Key          crypto.PrivateKey
	Intermediate *x509.Certificate
}

// LoadSigner reads the certificate (PEM), its key (PEM: PKCS#8, PKCS#1 or
// EC) and Apple's intermediate (PEM or DER, as Apple ships it).
func LoadSigner(passTypeID, teamID, organization, certFile, keyFile, intermediateFile string) (*Signer, error) {
	if passTypeID == "" || teamID == "" {
		return nil, errors.New("apple wallet: give the pass type id and the team id")
	}
	cert, err := readCert(certFile)
	if err != nil {
		return nil, fmt.Errorf("apple wallet: pass certificate: %w", err)
	}
	wwdr, err := readCert(intermediateFile)
	if err != nil {
		return nil, fmt.Errorf("apple wallet: Apple intermediate certificate: %w", err)
	}
	key, err := readKey(keyFile)
	if err != nil {
		return nil, fmt.Errorf("apple wallet: pass certificate key: %w", err)
	}
	return &Signer{PassTypeID: passTypeID, TeamID: teamID, Organization: organization, Cert: cert, Key: key, Intermediate: wwdr}, nil
}

func readCert(file string) (*x509.Certificate, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if blk, _ := pem.Decode(b); blk != nil {
		b = blk.Bytes
	}
	return x509.ParseCertificate(b)
}

func readKey(file string) (crypto.PrivateKey, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, errors.New("not a PEM file (convert a .p12 with: openssl pkcs12 -in pass.p12 -nocerts -nodes -out key.pem)")
	}
	if k, err := x509.ParsePKCS8PrivateKey(blk.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(blk.Bytes); err == nil {
		return k, nil
	}
	return x509.ParseECPrivateKey(blk.Bytes)
}

// Sign returns the detached PKCS#7 signature (DER) of a manifest, SHA-256
// digest, with the signer's certificate and Apple's intermediate.
func (s *Signer) Sign(manifest []byte) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(manifest)
	if err != nil {
		return nil, err
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := sd.AddSignerChain(s.Cert, s.Key, []*x509.Certificate{s.Intermediate}, pkcs7.SignerInfoConfig{}); err != nil {
		return nil, err
	}
	sd.Detach()
	return sd.Finish()
}
