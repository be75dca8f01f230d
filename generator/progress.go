package generator

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// ProgressLine shows "rendering done/total pages" on w when w is a terminal and the build
// takes longer than a second. progress is for Options.Progress; stop clears the line.
func ProgressLine(w io.Writer) (progress func(done, total int), stop func()) {
	var done, total atomic.Int64
	progress = func(d, t int) {
		done.Store(int64(d))
		total.Store(int64(t))
	}
	f, ok := w.(*os.File)
	if !ok {
		return progress, func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return progress, func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-quit:
			return
		case <-time.After(time.Second):
		}
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			fmt.Fprintf(w, "\rrendering %d/%d pages", done.Load(), total.Load())
			select {
			case <-quit:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
			}
		}
	}()
	return progress, func() { close(quit); <-finished }
}
