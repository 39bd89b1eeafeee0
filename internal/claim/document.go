package claim

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// MaxDocument is the largest document a claim may carry, decoded.
const MaxDocument = 5 << 20

// ContentTypes are the document types accepted, with the bytes a file of
// each type starts with: the declared type must match the content, so a
// renamed file is refused rather than stored under a false type.
var ContentTypes = []string{"application/pdf", "image/jpeg", "image/png"}

var magic = map[string][]byte{
	"application/pdf": []byte("%PDF-"),
	"image/jpeg":      {0xFF, 0xD8, 0xFF},
	"image/png":       {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
}

// DocumentInput is a document as sent: its bytes in standard base64.
type DocumentInput struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Data        string `json:"data"`
}

// sniff returns the accepted content type whose signature data starts
// with, or "".
func sniff(data []byte) string {
	for _, ct := range ContentTypes {
		if bytes.HasPrefix(data, magic[ct]) {
			return ct
		}
	}
	return ""
}

// checkDocument decodes and checks a document. A document over the limit
// is TooLarge (413); every other problem is a field of f.
func checkDocument(f *errs.Fields, in *DocumentInput) (DocumentInfo, []byte, error) {
	if in == nil {
		f.Add("document", "required", "attach the invoice as document {filename, content_type, data (base64)}")
		return DocumentInfo{}, nil, nil
	}
	info := DocumentInfo{Filename: valid.Text(f, "document.filename", in.Filename, true, 200),
		ContentType: strings.ToLower(strings.TrimSpace(in.ContentType))}
	if !slices.Contains(ContentTypes, info.ContentType) {
		f.Add("document.content_type", "unsupported_type", "content_type must be one of %s", strings.Join(ContentTypes, ", "))
	}
	if in.Data == "" {
		f.Add("document.data", "required", "give the document's bytes in base64")
		return info, nil, nil
	}
	if base64.StdEncoding.DecodedLen(len(in.Data)) > MaxDocument+3 {
		return info, nil, tooLarge()
	}
	data, err := base64.StdEncoding.DecodeString(in.Data)
	switch {
	case err != nil:
		f.Add("document.data", "invalid_base64", "data must be the document's bytes in standard base64")
		return info, nil, nil
	case len(data) > MaxDocument:
		return info, nil, tooLarge()
	case len(data) == 0:
		f.Add("document.data", "required", "the document is empty")
		return info, nil, nil
	}
	if got := sniff(data); slices.Contains(ContentTypes, info.ContentType) && got != info.ContentType {
		what := "is none of the accepted types"
		if got != "" {
			what = "is " + got
		}
		f.Add("document.data", "type_mismatch", "the document is declared %s but its content %s; send a PDF, JPEG or PNG with its true type",
			info.ContentType, what)
	}
	sum := sha256.Sum256(data)
	info.SHA256, info.Size = hex.EncodeToString(sum[:]), int64(len(data))
	return info, data, nil
}

func tooLarge() error {
	return errs.E(errs.TooLarge, "too_large", "the document is larger than %d MiB; send a smaller scan", MaxDocument>>20)
}
