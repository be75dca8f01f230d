package generator

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// ShowProgress sets opts.Progress so that a build shows "rendering done/total pages" on w,
// when w is a terminal and the build takes longer than a second; stop clears the line.
func ShowProgress(w io.Writer, opts *Options) (stop func()) {
	var done, total atomic.Int64
	opts.Progress = func(d, t int) {
		done.Store(int64(d))
		total.Store(int64(t))
	}
	f, ok := w.(*os.File)
	if !ok {
		return func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func() {}
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
	return func() { close(quit); <-finished }
}
