// Package chart draws small charts as SVG on the server: lines over time,
// bars and donuts. Labels are escaped; colours come from CSS classes (s1…
// s6), so the markup has no inline style and obeys the pages'
// Content-Security-Policy. Every chart carries a title and a text
// description for screen readers.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Series is one line of a line chart.
type Series struct {
	Name   string
	Values []float64
}

// Slice is one bar or one part of a donut.
type Slice struct {
	Label string
	Value float64
}

const (
	width  = 480
	height = 220
	padL   = 60
	padB   = 24
	padT   = 10
	padR   = 10
)

// Format turns a value into an axis label (the page's number format).
type Format func(float64) string

func plain(v float64) string { return fmt.Sprintf("%.0f", v) }

// Line draws series over shared x labels (days, months).
func Line(title string, labels []string, series []Series, f Format) template.HTML {
	if f == nil {
		f = plain
	}
	top := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			top = math.Max(top, v)
		}
	}
	top = niceTop(top)
	var b strings.Builder
	open(&b, title, describe(title, labels, series, f))
	grid(&b, top, f)
	n := len(labels)
	x := func(i int) float64 {
		if n <= 1 {
			return padL
		}
		return padL + float64(i)*float64(width-padL-padR)/float64(n-1)
	}
	y := func(v float64) float64 { return float64(height-padB) - v/top*float64(height-padB-padT) }
	for si, s := range series {
		var pts []string
		for i, v := range s.Values {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
		}
		fmt.Fprintf(&b, `<polyline class="line s%d" points="%s"><title>%s</title></polyline>`, si%6+1, strings.Join(pts, " "), esc(s.Name))
	}
	for _, i := range ticks(n) {
		anchor := "middle" // the ends' labels stay inside the chart
		if i == 0 {
			anchor = "start"
		} else if i == n-1 {
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="%s">%s</text>`, x(i), height-6, anchor, esc(labels[i]))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // built from escaped parts
}

// Bar draws one bar per slice.
func Bar(title string, items []Slice, f Format) template.HTML {
	if f == nil {
		f = plain
	}
	top := 0.0
	for _, it := range items {
		top = math.Max(top, it.Value)
	}
	top = niceTop(top)
	var b strings.Builder
	open(&b, title, describeSlices(title, items, f))
	grid(&b, top, f)
	n := max(len(items), 1)
	slot := float64(width-padL-padR) / float64(n)
	for i, it := range items {
		h := it.Value / top * float64(height-padB-padT)
		x := padL + float64(i)*slot + slot*0.15
		fmt.Fprintf(&b, `<rect class="s%d" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %s</title></rect>`,
			i%6+1, x, float64(height-padB)-h, slot*0.7, h, esc(it.Label), esc(f(it.Value)))
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`, x+slot*0.35, height-6, esc(clip(it.Label, 14)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // built from escaped parts
}

// Donut draws the slices' shares of their total, with a legend.
func Donut(title string, items []Slice, f Format) template.HTML {
	if f == nil {
		f = plain
	}
	total := 0.0
	for _, it := range items {
		total += math.Max(it.Value, 0)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<figure class="donut"><svg class="chart" viewBox="0 0 200 200" role="img" aria-labelledby="%s"><title id="%[1]s">%s</title><desc>%s</desc>`,
		id(title), esc(title), esc(describeSlices(title, items, f)))
	const r, c = 70.0, 100.0
	circ := 2 * math.Pi * r
	off := 0.0
	for i, it := range items {
		if total == 0 || it.Value <= 0 {
			continue
		}
		part := it.Value / total * circ
		fmt.Fprintf(&b, `<circle class="s%d" cx="%g" cy="%g" r="%g" fill="none" stroke-width="28" stroke-dasharray="%.2f %.2f" stroke-dashoffset="%.2f" transform="rotate(-90 100 100)"><title>%s: %s</title></circle>`,
			i%6+1, c, c, r, part, circ-part, -off, esc(it.Label), esc(f(it.Value)))
		off += part
	}
	if total == 0 {
		fmt.Fprintf(&b, `<circle class="grid" cx="100" cy="100" r="%g" fill="none" stroke-width="28"/>`, r)
	}
	b.WriteString(`</svg><ul class="legend">`)
	for i, it := range items {
		fmt.Fprintf(&b, `<li><svg viewBox="0 0 10 10" aria-hidden="true"><rect class="s%d" width="10" height="10"/></svg>%s: %s</li>`, i%6+1, esc(it.Label), esc(f(it.Value)))
	}
	b.WriteString(`</ul></figure>`)
	return template.HTML(b.String()) //nolint:gosec // built from escaped parts
}

func open(b *strings.Builder, title, desc string) {
	fmt.Fprintf(b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="%s"><title id="%[3]s">%s</title><desc>%s</desc>`,
		width, height, id(title), esc(title), esc(desc))
}

func grid(b *strings.Builder, top float64, f Format) {
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		y := float64(height-padB) - float64(i)/4*float64(height-padB-padT)
		fmt.Fprintf(b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/><text x="%d" y="%.1f" text-anchor="end">%s</text>`,
			padL, y, width-padR, y, padL-4, y+4, esc(f(v)))
	}
}

// niceTop rounds a maximum up to 1, 2 or 5 × a power of ten.
func niceTop(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// ticks picks at most 7 evenly spaced label positions.
func ticks(n int) []int {
	if n == 0 {
		return nil
	}
	step := max(1, (n+6)/7)
	var out []int
	for i := 0; i < n; i += step {
		out = append(out, i)
	}
	if out[len(out)-1] != n-1 {
		out = append(out, n-1)
	}
	return out
}

func describe(title string, labels []string, series []Series, f Format) string {
	var parts []string
	for _, s := range series {
		if len(s.Values) == 0 || len(labels) == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s %s, %s %s", s.Name, labels[0], f(s.Values[0]), labels[len(s.Values)-1], f(s.Values[len(s.Values)-1])))
	}
	return title + ". " + strings.Join(parts, "; ")
}

func describeSlices(title string, items []Slice, f Format) string {
	var parts []string
	for _, it := range items {
		parts = append(parts, it.Label+" "+f(it.Value))
	}
	return title + ". " + strings.Join(parts, "; ")
}

func esc(s string) string { return html.EscapeString(s) }

func id(title string) string {
	var b strings.Builder
	b.WriteString("chart-")
	for _, r := range strings.ToLower(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
