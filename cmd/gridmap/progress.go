package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/version"
)

// progressBar draws an import's progress on a terminal, on one line of
// stderr that it rewrites: [#######.............]  35 % topology. It stays
// silent for the first half second, so short imports print nothing.
type progressBar struct {
	w     io.Writer
	start time.Time
	drawn bool
	width int
}

// newProgressBar returns a bar on w when w is a terminal, else nil (a nil
// bar's methods do nothing).
func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progressBar{w: w, start: time.Now(), width: 30}
}

// update draws p; it is version.ImportOptions.Progress.
func (b *progressBar) update(p version.Progress) {
	if b == nil || time.Since(b.start) < 500*time.Millisecond {
		return
	}
	n := int(p.Percent / 100 * float64(b.width))
	n = min(max(n, 0), b.width)
	detail := ""
	if p.Stage == importer.StageRead && p.Total > 0 {
		detail = fmt.Sprintf(" %.0f/%.0f MB", float64(p.Done)/1e6, float64(p.Total)/1e6)
	}
	fmt.Fprintf(b.w, "\r[%s%s] %3.0f%% %-9s%-16s", strings.Repeat("#", n), strings.Repeat(".", b.width-n), p.Percent, p.Stage, detail)
	b.drawn = true
}

// done clears the bar's line.
func (b *progressBar) done() {
	if b != nil && b.drawn {
		fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", b.width+40))
	}
}
