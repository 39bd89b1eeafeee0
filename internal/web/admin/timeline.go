package admin

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"
)

// span is one thing on the calendar: a program, a pilot, a campaign or
// a promo code, over [From, To) (To zero: open-ended).
type span struct {
	Kind, Name, Href, Status string
	From, To                 time.Time
	Overlaps                 []string // the names of the other spans it runs at the same time as
}

// end is the span's end, open ends drawn to the window's end.
func (s span) end(limit time.Time) time.Time {
	if s.To.IsZero() || s.To.After(limit) {
		return limit
	}
	return s.To
}

// markOverlaps names, for every span, those that run at the same time.
func markOverlaps(spans []span, limit time.Time) {
	for i := range spans {
		for j := range spans {
			if i != j && spans[i].From.Before(spans[j].end(limit)) && spans[j].From.Before(spans[i].end(limit)) {
				spans[i].Overlaps = append(spans[i].Overlaps, spans[j].Name)
			}
		}
	}
}

const (
	tlLabel = 200 // the names' column
	tlWidth = 800
	tlRow   = 26
	tlHead  = 24
)

// timeline draws the spans over [from, to) as SVG: a row each, a bar
// for the time it runs, months along the top, and the stretches where
// two or more run at once shaded (overlaps). Attributes only: the page's
// Content-Security-Policy allows no inline style.
func timeline(spans []span, from, to time.Time, title string) template.HTML {
	var b strings.Builder
	h := tlHead + tlRow*len(spans) + 4
	x := func(t time.Time) float64 {
		if t.Before(from) {
			t = from
		}
		if t.After(to) {
			t = to
		}
		return tlLabel + float64(tlWidth-tlLabel)*t.Sub(from).Seconds()/to.Sub(from).Seconds()
	}
	fmt.Fprintf(&b, `<svg class="timeline" viewBox="0 0 %d %d" role="img" aria-labelledby="tl-title"><title id="tl-title">%s</title>`, tlWidth, h, html.EscapeString(title))
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(to); m = m.AddDate(0, 1, 0) {
		if !m.Before(from) {
			fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="0" y2="%d"/>`, x(m), x(m), h)
		}
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="16">%s</text>`, x(m)+3, m.Format("2006-01"))
	}
	overlapBands(&b, spans, from, to, x, h)
	for i, s := range spans {
		y := tlHead + i*tlRow
		fmt.Fprintf(&b, `<text class="label" x="4" y="%d">%s</text>`, y+17, html.EscapeString(clipName(s.Name, 26)))
		cls := "bar k-" + s.Kind
		if len(s.Overlaps) > 0 {
			cls += " overlap"
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%d" width="%.1f" height="%d" rx="3"><title>%s</title></rect>`,
			cls, x(s.From), y+4, max(x(s.end(to))-x(s.From), 2), tlRow-8, html.EscapeString(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text written above is escaped
}

// overlapBands shades, day by day, where two or more spans run at once.
func overlapBands(b *strings.Builder, spans []span, from, to time.Time, x func(time.Time) float64, h int) {
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		n := 0
		for _, s := range spans {
			if !s.From.After(d) && d.Before(s.end(to)) {
				n++
			}
		}
		if n >= 2 {
			fmt.Fprintf(b, `<rect class="band" x="%.1f" y="%d" width="%.1f" height="%d"/>`, x(d), tlHead, x(d.AddDate(0, 0, 1))-x(d), h-tlHead)
		}
	}
}

func clipName(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
