package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/wimgo/wimgo/engine"
)

// progress prints live progress on stderr: rewritten in place on a
// terminal, one line every few seconds otherwise (batch logs).
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	last    time.Time
	every   time.Duration
	pending bool // a \r line is on screen
	lastMsg engine.Progress
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, every: 5 * time.Second}
	if isTerminal(w) {
		p.tty, p.every = true, 200*time.Millisecond
	}
	return p
}

func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func (p *progress) line(pr engine.Progress) string {
	if pr.Phase == "scan" {
		return fmt.Sprintf("Scanning: %d files and directories, %s of data", pr.Files, human(pr.Bytes))
	}
	pct := 100.0
	if pr.Total > 0 {
		pct = 100 * float64(pr.Done) / float64(pr.Total)
	}
	return fmt.Sprintf("Writing: %s of %s (%.0f%%)", human(pr.Done), human(pr.Total), pct)
}

func (p *progress) update(pr engine.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	phaseChange := pr.Phase != p.lastMsg.Phase
	final := pr.Phase == "write" && pr.Done == pr.Total
	if !phaseChange && !final && time.Since(p.last) < p.every {
		p.lastMsg = pr
		return
	}
	if phaseChange && p.lastMsg.Phase != "" {
		p.print(p.lastMsg, true)
	}
	p.lastMsg = pr
	p.last = time.Now()
	p.print(pr, final)
}

func (p *progress) print(pr engine.Progress, end bool) {
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", p.line(pr))
		p.pending = !end
		if end {
			fmt.Fprintln(p.w)
		}
		return
	}
	fmt.Fprintln(p.w, p.line(pr))
}

// warn prints a warning on its own line.
func (p *progress) warn(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending {
		fmt.Fprintln(p.w)
		p.pending = false
	}
	fmt.Fprintf(p.w, "WARNING: %s\n", msg)
}

// done ends a pending progress line.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending {
		fmt.Fprintln(p.w)
		p.pending = false
	}
}
