package passview

import (
	"encoding/base64"
	"fmt"
	"html"
	"strings"
)

// SVG draws the front of a pass as Wallet lays out a store card — logo
// and title, the header field, the main figure, the fields beside it and
// the code — in one locale: the design's preview. Every text is escaped.
func SVG(v View, locale string, logo []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="340" height="440" viewBox="0 0 340 440" role="img" aria-label="%s">`, esc(v.Title))
	fmt.Fprintf(&b, `<rect width="340" height="440" rx="14" fill="%s"/>`, colour(v.Background))
	x := 16
	if len(logo) > 0 {
		fmt.Fprintf(&b, `<image x="16" y="14" width="100" height="32" preserveAspectRatio="xMinYMid meet" href="data:image/png;base64,%s"/>`,
			base64.StdEncoding.EncodeToString(logo))
		x = 124
	}
	fmt.Fprintf(&b, `<text x="%d" y="36" font-family="sans-serif" font-size="16" fill="%s">%s</text>`, x, colour(v.Foreground), esc(v.Title))
	row := map[string][]Field{}
	for _, f := range v.Fields {
		row[f.Slot] = append(row[f.Slot], f)
	}
	for i, f := range row[Header] {
		field(&b, f, locale, v, 324-i*90, 22, 14, "end")
	}
	for _, f := range row[Primary] {
		field(&b, f, locale, v, 16, 90, 34, "start")
	}
	for i, f := range append(row[Secondary], row[Auxiliary]...) {
		field(&b, f, locale, v, 16+(i%2)*160, 170+(i/2)*56, 16, "start")
	}
	fmt.Fprintf(&b, `<rect x="110" y="290" width="120" height="120" rx="6" fill="#ffffff"/>`)
	fmt.Fprintf(&b, `<text x="170" y="354" font-family="monospace" font-size="11" text-anchor="middle" fill="#000000">QR</text>`)
	fmt.Fprintf(&b, `<text x="170" y="428" font-family="monospace" font-size="12" text-anchor="middle" fill="%s">%s</text>`, colour(v.Foreground), esc(v.Number))
	b.WriteString(`</svg>`)
	return b.String()
}

// field draws a label above a value.
func field(b *strings.Builder, f Field, locale string, v View, x, y, size int, anchor string) {
	fmt.Fprintf(b, `<text x="%d" y="%d" font-family="sans-serif" font-size="10" text-anchor="%s" fill="%s">%s</text>`,
		x, y, anchor, colour(v.Label), esc(strings.ToUpper(in(f.Label, locale))))
	fmt.Fprintf(b, `<text x="%d" y="%d" font-family="sans-serif" font-size="%d" text-anchor="%s" fill="%s">%s</text>`,
		x, y+size+4, size, anchor, colour(v.Foreground), esc(in(f.Value, locale)))
}

// in is a text in a locale, English when it has none.
func in(t Text, locale string) string {
	if s, ok := t[locale]; ok {
		return s
	}
	return t["en"]
}

func esc(s string) string { return html.EscapeString(s) }

// colour passes a design colour (checked as #rrggbb when saved) or black.
func colour(c string) string {
	if len(c) == 7 && c[0] == '#' && strings.Trim(c[1:], "0123456789abcdefABCDEF") == "" {
		return c
	}
	return "#000000"
}
