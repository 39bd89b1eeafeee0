package chart

import (
	"strings"
	"testing"
)

// Labels are data: a name with markup must come out as text.
func TestLabelsAreEscaped(t *testing.T) {
	evil := `<script>alert(1)</script>`
	outs := map[string]string{
		"line":  string(Line(evil, []string{evil, "b"}, []Series{{Name: evil, Values: []float64{1, 2}}}, nil)),
		"bar":   string(Bar(evil, []Slice{{Label: evil, Value: 3}}, nil)),
		"donut": string(Donut(evil, []Slice{{Label: evil, Value: 3}, {Label: "x", Value: 1}}, nil)),
	}
	for name, out := range outs {
		if strings.Contains(out, "<script>") {
			t.Errorf("%s chart has an unescaped <script>: %s", name, out)
		}
		if !strings.Contains(out, "&lt;script&gt;") {
			t.Errorf("%s chart lost the label", name)
		}
		if strings.Contains(out, "style=") {
			t.Errorf("%s chart has an inline style (the CSP forbids it)", name)
		}
	}
}

func TestNiceTopAndTicks(t *testing.T) {
	for in, want := range map[float64]float64{0: 1, 7: 10, 12: 20, 430: 500, 1000: 1000} {
		if got := niceTop(in); got != want {
			t.Errorf("niceTop(%v) = %v, want %v", in, got, want)
		}
	}
	if got := ticks(30); len(got) > 8 || got[0] != 0 || got[len(got)-1] != 29 {
		t.Errorf("ticks(30) = %v", got)
	}
}

// A donut of nothing still draws (an empty ring), without dividing by 0.
func TestEmptyDonut(t *testing.T) {
	out := string(Donut("none", nil, nil))
	if !strings.Contains(out, `class="grid"`) || strings.Contains(out, "NaN") {
		t.Errorf("empty donut: %s", out)
	}
}
