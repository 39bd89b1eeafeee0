package apple

import (
	"archive/zip"
	"bytes"
	"crypto/sha1" // Apple's manifest format names SHA-1 hashes
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"

	"github.com/loyal-b2b/loyal/internal/wallet/passview"
)

// MIMEType is a pass's content type.
const MIMEType = "application/vnd.apple.pkpass"

// Build makes a signed .pkpass of a pass.
func (s *Signer) Build(p Pass) ([]byte, error) {
	files, err := s.files(p)
	if err != nil {
		return nil, err
	}
	manifest, err := manifestOf(files)
	if err != nil {
		return nil, err
	}
	sig, err := s.Sign(manifest)
	if err != nil {
		return nil, err
	}
	files["manifest.json"], files["signature"] = manifest, sig
	return zipped(files)
}

// files are the pass's files before the manifest and the signature.
func (s *Signer) files(p Pass) (map[string][]byte, error) {
	pj, cat := s.passJSON(p)
	raw, err := json.Marshal(pj)
	if err != nil {
		return nil, err
	}
	files, err := images(p.Logo, p.View.Background, p.View.Foreground)
	if err != nil {
		return nil, err
	}
	files["pass.json"] = raw
	for _, l := range passview.Locales {
		files[l+".lproj/pass.strings"] = cat.file(l)
	}
	return files, nil
}

// manifestOf lists every file's SHA-1, hex.
func manifestOf(files map[string][]byte) ([]byte, error) {
	m := make(map[string]string, len(files))
	for name, b := range files {
		sum := sha1.Sum(b)
		m[name] = hex.EncodeToString(sum[:])
	}
	return json.Marshal(m)
}

func zipped(files map[string][]byte) ([]byte, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Method: zip.Deflate}
		if strings.HasSuffix(n, ".png") {
			h.Method = zip.Store // compressed already
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[n]); err != nil {
			return nil, err
		}
	}
	err := zw.Close()
	return buf.Bytes(), err
}
