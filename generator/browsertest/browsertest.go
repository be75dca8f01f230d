// Package browsertest starts headless Chromium for end-to-end tests and collects what the page
// reports: console errors, uncaught exceptions and Content-Security-Policy violations.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Path finds the Chromium binary, or "" when there is none.
func Path() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Require returns the Chromium binary for a test. Without one the test is skipped with a
// message, except under CI=true, where it fails.
func Require(t testing.TB) string {
	t.Helper()
	bin := Path()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is required under CI=true (apt-get install chromium)")
		}
		t.Skip("Chromium not found: install Debian's chromium to run browser tests")
	}
	return bin
}

// Start starts headless Chromium (bin) with a fresh profile and a window of the given size,
// and returns a tab context and the function that closes the browser and deletes the
// profile. The flags keep Chromium from making requests of its own, which would blur the
// byte counts of the benchmarks and the tests.
func Start(ctx context.Context, bin string, width, height int) (context.Context, func(), error) {
	profile, err := os.MkdirTemp("", "rahnuma-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(actx)
	stop := func() {
		cancelTab()
		cancelAlloc()
		// Chromium's helpers can write to the profile for a moment after it exits.
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if err := chromedp.Do(tab); err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting Chromium: %w", err)
	}
	return tab, stop, nil
}

// Tab starts a headless browser for a test (see Require for a machine without Chromium)
// and returns a tab context; the browser closes when the test ends.
func Tab(t testing.TB, width, height int) context.Context {
	t.Helper()
	tab, stop, err := Start(context.Background(), Require(t), width, height)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return tab
}

// New is Tab with a 60 s limit, also returning what the page reports.
func New(t testing.TB, width, height int) (context.Context, *Problems) {
	t.Helper()
	ctx, cancelTimeout := context.WithTimeout(Tab(t, width, height), 60*time.Second)
	t.Cleanup(cancelTimeout)
	p := &Problems{}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				p.add("console.error: " + strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if ex := e.ExceptionDetails.Exception; ex != nil {
				msg += " " + ex.Description
			}
			p.add("exception: " + msg)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || strings.Contains(e.Entry.Text, "Content Security Policy") {
				p.add(fmt.Sprintf("%s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
			}
		}
	})
	if err == nil {
		_, err = chromedp.Call(ctx, log.Enable, cdp.Empty{})
	}
	if err == nil {
		_, err = chromedp.Call(ctx, runtime.Enable, cdp.Empty{})
	}
	if err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx, p
}

// Problems collects errors a page reported.
type Problems struct {
	mu   sync.Mutex
	list []string
}

func (p *Problems) add(s string) {
	p.mu.Lock()
	p.list = append(p.list, s)
	p.mu.Unlock()
}

// List returns the problems so far.
func (p *Problems) List() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.list...)
}

// Reset forgets the problems so far (between page loads).
func (p *Problems) Reset() {
	p.mu.Lock()
	p.list = nil
	p.mu.Unlock()
}
