package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rahnuma/generator/browsertest"
	"rahnuma/generator/internal/corpus"
)

// strictCSP is sent in browser tests: the reload client and its overlay must work under it.
const strictCSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"

// eval runs JavaScript in the page and decodes its value.
func eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitJS waits until the expression is true. It polls from here rather than in the page, so
// it survives the page reloading and sees every kind of change (text nodes included).
func waitJS(t testing.TB, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		if ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+js+")")); err == nil && ok {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML.slice(-3000)`))
	t.Fatalf("%s: not true after 10s (last error: %v)\npage end:\n%s", what, err, state)
}

// openLive opens a page and waits until its reload client is connected. It marks the window,
// so a test can tell an in-place update (mark kept) from a reload (mark gone), and records
// CSP violations.
func openLive(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "reload client connects", `document.documentElement.dataset.rahnumaLive === 'open'`)
	eval[bool](t, ctx, `window.__mark = 42; window.__csp = [];
		document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
		true`)
}

func noCSPViolations(t testing.TB, ctx context.Context) {
	t.Helper()
	if v := eval[[]string](t, ctx, `window.__csp || []`); len(v) > 0 {
		t.Errorf("CSP violations: %q", v)
	}
}

// longPage is a page long enough to scroll, with a distinctive first paragraph.
func longPage(title, intro string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\nweight: 1\n---\n%s\n\n", title, intro)
	for i := range 120 {
		fmt.Fprintf(&b, "## Part %d\n\nParagraph %d goes on for a while so that the page is long enough to scroll well past the first screen.\n\n", i, i)
	}
	return b.String()
}

func TestBrowserLiveEdit(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Tab(t, 1024, 768)
	site := withBase(map[string]string{"content/en/guide/alpha.md": longPage("Alpha", "Intro as first written.")})
	ts := startServer(t, writeSite(t, site), serverOpts{watch: true, debounce: 20 * time.Millisecond, csp: strictCSP})
	openLive(t, ctx, ts.ts.URL+"/guide/alpha/")

	y := eval[float64](t, ctx, `window.scrollTo(0, 2500); window.scrollY`)
	if y < 2000 {
		t.Fatalf("page did not scroll: scrollY %v", y)
	}
	saveByRename(t, ts.dir, "content/en/guide/alpha.md", longPage("Alpha", "Intro after the edit."))
	waitJS(t, ctx, "edited text appears", `document.body.innerText.includes('Intro after the edit.')`)

	got := eval[[]any](t, ctx, `[window.scrollY, window.__mark === 42, document.body.innerText.includes('Intro as first written.')]`)
	if got[0].(float64) != y {
		t.Errorf("scroll position %v after the update, want %v", got[0], y)
	}
	if got[1] != true {
		t.Errorf("the page reloaded instead of updating in place")
	}
	if got[2] != false {
		t.Errorf("old text still on the page")
	}
	// A title change updates the tab title and the navigation too.
	saveByRename(t, ts.dir, "content/en/guide/alpha.md", longPage("Alpha Retitled", "Intro after the edit."))
	waitJS(t, ctx, "new title", `document.title.includes('Alpha Retitled')`)
	if eval[bool](t, ctx, `window.__mark === 42`) != true {
		t.Errorf("the page reloaded on a title change")
	}
	noCSPViolations(t, ctx)
}

func TestBrowserOverlay(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Tab(t, 1024, 768)
	ts := startServer(t, writeSite(t, baseSite), serverOpts{watch: true, debounce: 20 * time.Millisecond, csp: strictCSP})
	openLive(t, ctx, ts.ts.URL+"/guide/alpha/")

	// Break the page, with markup in the bad line: it must show as text.
	writeFile(t, ts.dir, "content/en/guide/alpha.md", "---\ntitle: Alpha\ndtae: \"<img src=x id=injected>\"\n---\nAlpha text, broken.\n")
	waitJS(t, ctx, "overlay appears", `(document.getElementById('__rahnuma-overlay') || {}).textContent?.includes('content/en/guide/alpha.md:3:')`)
	overlay := eval[string](t, ctx, `document.getElementById('__rahnuma-overlay').innerText`)
	for _, want := range []string{"dtae", `"<img src=x id=injected>"`, "title: Alpha"} {
		if !strings.Contains(overlay, want) {
			t.Errorf("overlay lacks %q:\n%s", want, overlay)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#__rahnuma-overlay img, #injected').length`); n != 0 {
		t.Errorf("error text became markup: %d elements", n)
	}
	if !eval[bool](t, ctx, `document.body.innerText.includes('Alpha text here.') && window.__mark === 42`) {
		t.Errorf("the last good page is not kept under the overlay")
	}

	// Every page shows it, including one opened while the site is broken.
	openLive(t, ctx, ts.ts.URL+"/guide/beta/")
	waitJS(t, ctx, "overlay on another page", `(document.getElementById('__rahnuma-overlay') || {}).textContent?.includes('alpha.md:3:')`)

	// Fix: the overlay goes by itself.
	writeFile(t, ts.dir, "content/en/guide/alpha.md", "---\ntitle: Alpha\n---\nAlpha text, fixed.\n")
	waitJS(t, ctx, "overlay goes", `!document.getElementById('__rahnuma-overlay')`)
	if !eval[bool](t, ctx, `window.__mark === 42 && document.body.innerText.includes('Beta text here.')`) {
		t.Errorf("the other page did not stay in place")
	}
	noCSPViolations(t, ctx)
}

func TestBrowserCSSAndLayout(t *testing.T) {
	t.Parallel()
	ctx := browsertest.Tab(t, 1024, 768)
	site := withBase(map[string]string{"assets/css/zz-test.css": "body { --probe: one; }\n"})
	ts := startServer(t, writeSite(t, site), serverOpts{watch: true, debounce: 20 * time.Millisecond, csp: strictCSP})
	openLive(t, ctx, ts.ts.URL+"/guide/alpha/")
	probe := `getComputedStyle(document.body).getPropertyValue('--probe').trim()`
	if v := eval[string](t, ctx, probe); v != "one" {
		t.Fatalf("--probe = %q before the edit", v)
	}
	writeFile(t, ts.dir, "assets/css/zz-test.css", "body { --probe: two; }\n")
	waitJS(t, ctx, "new stylesheet applies", probe+` === 'two'`)
	got := eval[[]any](t, ctx, `[window.__mark === 42, document.querySelectorAll('link[rel~="stylesheet"]').length]`)
	if got[0] != true {
		t.Errorf("the page reloaded for a stylesheet change")
	}
	if got[1].(float64) != 1 {
		t.Errorf("%v stylesheet links after the swap, want 1", got[1])
	}
	noCSPViolations(t, ctx)

	// A layout change reloads the page.
	writeFile(t, ts.dir, "layouts/partials/zz-unused.html", "<!-- unused -->\n")
	waitJS(t, ctx, "page reloads", `window.__mark === undefined && document.documentElement.dataset.rahnumaLive === 'open'`)

	// Deleting the open page shows the 404 page.
	eval[bool](t, ctx, `window.__mark = 42; true`)
	if err := os.Remove(filepath.Join(ts.dir, "content/en/guide/alpha.md")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "deleted page goes", `window.__mark === undefined && !document.body.innerText.includes('Alpha text here.')`)
}

// BenchmarkBrowserEdit measures what an editor sees: from writing a Markdown file to its new
// text on the open page in headless Chromium, through the watcher, reload, SSE and the
// in-place update. It reports the median as p50-ms.
func BenchmarkBrowserEdit(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("10,000 pages: not with -short")
			}
			ctx := browsertest.Tab(b, 1024, 768)
			site := b.TempDir()
			if err := corpus.Write(site, corpus.Options{Pages: n}); err != nil {
				b.Fatal(err)
			}
			ts := startServer(b, site, serverOpts{watch: true, debounce: DefaultDebounce})
			openLive(b, ctx, ts.ts.URL+editedURL)
			file := filepath.Join(site, filepath.FromSlash(editedPage))
			orig, err := os.ReadFile(file)
			if err != nil {
				b.Fatal(err)
			}
			var times []time.Duration
			i := 0
			for b.Loop() {
				i++
				marker := fmt.Sprintf("Browser edit number %d.", i)
				start := time.Now()
				saveByRename(b, site, editedPage, string(orig)+"\n"+marker+"\n")
				waitJS(b, ctx, "edit shows", `document.body.innerText.includes('`+marker+`')`)
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
		})
	}
}
