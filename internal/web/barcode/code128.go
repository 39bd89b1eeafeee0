package barcode

import (
	"fmt"
	"html/template"
	"strings"
)

// patterns are Code 128's symbols 0–106 as bar and space widths in
// modules (bar first); 103–105 start code sets A, B and C, 106 stops.
var patterns = [107]string{
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
	"221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
	"221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
	"212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
	"231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
	"231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
	"314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
	"112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
	"111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
	"214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
	"114131", "311141", "411131", "211412", "211214", "211232", "2331112",
}

const (
	startB = 104
	startC = 105
	stop   = 106
)

// Symbols encodes text as Code 128 symbol values with the check symbol and
// stop: code set C (two digits a symbol) for an even number of digits,
// else code set B (printable ASCII). It refuses other characters.
func Symbols(text string) ([]int, error) {
	var syms []int
	if len(text) >= 2 && len(text)%2 == 0 && strings.Trim(text, "0123456789") == "" {
		syms = append(syms, startC)
		for i := 0; i < len(text); i += 2 {
			syms = append(syms, int(text[i]-'0')*10+int(text[i+1]-'0'))
		}
	} else {
		syms = append(syms, startB)
		for _, r := range text {
			if r < 32 || r > 126 {
				return nil, fmt.Errorf("code 128: %q cannot be encoded", r)
			}
			syms = append(syms, int(r)-32)
		}
	}
	sum := syms[0]
	for i, s := range syms[1:] {
		sum += (i + 1) * s
	}
	return append(syms, sum%103, stop), nil
}

// Code128 returns text as a Code 128 barcode in SVG, with quiet zones of
// ten modules and the text under it.
func Code128(text string) (template.HTML, error) {
	syms, err := Symbols(text)
	if err != nil {
		return "", err
	}
	var d strings.Builder
	x := 10
	for _, s := range syms {
		for i, w := range patterns[s] {
			n := int(w - '0')
			if i%2 == 0 {
				fmt.Fprintf(&d, "M%d 0h%dv50h-%dz", x, n, n)
			}
			x += n
		}
	}
	width := x + 10
	esc := template.HTMLEscapeString(text)
	return template.HTML(fmt.Sprintf(`<svg class="barcode" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d 64" role="img" aria-label="%s" shape-rendering="crispEdges"><rect width="%d" height="64" fill="#fff"/><path d="%s" fill="#000"/><text x="%d" y="62" font-size="10" text-anchor="middle" font-family="monospace" fill="#000">%s</text></svg>`,
		width, esc, width, d.String(), width/2, esc)), nil
}
