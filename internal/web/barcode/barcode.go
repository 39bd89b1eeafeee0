// Package barcode draws the codes on a member's card as SVG, server-side:
// a QR code for phones and a Code 128 barcode for a till's laser scanner.
// Both are plain markup (no script), so the card works offline once loaded.
package barcode

import (
	"fmt"
	"html/template"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// QR returns a QR code of text as an SVG image with a quiet zone, its
// modules drawn as one path (medium error correction: a scratched screen
// still scans).
func QR(text, label string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	bm := q.Bitmap() // includes the quiet zone
	var d strings.Builder
	for y, row := range bm {
		for x, on := range row {
			if on {
				fmt.Fprintf(&d, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	n := len(bm)
	return template.HTML(fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path d="%s" fill="#000"/></svg>`,
		n, n, template.HTMLEscapeString(label), n, n, d.String())), nil
}
