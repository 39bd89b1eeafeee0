package cli

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a progress line on stderr for long imports: nothing in
// the first second, then at most twice a second, with rows per second.
type progress struct {
	w            io.Writer
	now          func() time.Time
	start, shown time.Time
	drawn        bool
	last         [2]int
	stage        string
}

func newProgress(w io.Writer, now func() time.Time) *progress {
	t := now()
	return &progress{w: w, now: now, start: t, shown: t}
}

func (p *progress) update(stage string, done, total int) {
	t := p.now()
	p.stage, p.last = stage, [2]int{done, total}
	if t.Sub(p.start) < time.Second || t.Sub(p.shown) < 500*time.Millisecond {
		return
	}
	p.shown, p.drawn = t, true
	p.draw(t, stage, done, total)
}

func (p *progress) draw(t time.Time, stage string, done, total int) {
	rate := float64(done) / t.Sub(p.start).Seconds()
	if total <= 0 {
		fmt.Fprintf(p.w, "\r%-7s %10d rows  %8.0f rows/s   ", stage, done, rate)
		return
	}
	const width = 30
	n := done * width / total
	fmt.Fprintf(p.w, "\r%-7s [%s%s] %3d%%  %d/%d events   ", stage, strings.Repeat("=", n), strings.Repeat(" ", width-n), done*100/total, done, total)
}

func (p *progress) done() {
	if p.drawn {
		p.draw(p.now(), p.stage, p.last[0], p.last[1])
		fmt.Fprintln(p.w)
	}
}
