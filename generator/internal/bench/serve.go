package main

// The serve benchmark (-what serve): `rahnuma serve` against `hugo server` on
// the generated corpus, at -pages and at 1,000 pages.
//
// Startup is the time from starting the command to the first HTTP 200 for a
// page, polled every servePollHTTP. The two tools alternate, one warm-up each and
// then -runs timed runs each.
//
// Edit to screen is the time from saving a page's Markdown file to its new
// text being in the DOM of the page open in headless Chromium, reached by each
// tool's own live reload (Hugo injects its livereload.js; rahnuma serve its
// /__rahnuma/livereload.js). The save is atomic, as most editors do it: the
// new content is written to a file outside the site, then renamed over the
// page. The new text is a word that appears nowhere else. The DOM is polled
// from here every servePollDOM, which survives Hugo's full page reload as well as
// rahnuma's in-place update. Each tool gets one warm-up edit and then
// serveEdits timed edits, going round serveEditPages pages of the corpus
// (the browser opens each page before it is edited and waits until the
// live-reload client is connected). An edit that does not show within
// serveEditLimit counts as missed, and the run goes on with the page opened
// afresh. The pages are restored afterwards, so both tools see the same corpus.
//
// Every server runs in its own process group and is stopped with it, on
// errors and interrupts too.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/chromedp/chromedp"

	"rahnuma/generator/browsertest"
	"rahnuma/generator/internal/corpus"
)

const (
	serveSmall        = 1000 // the size -pages is compared with
	serveEdits        = 10   // timed edits per tool and corpus size
	serveEditPages    = 3    // pages the edits go round
	servePollHTTP     = 20 * time.Millisecond
	servePollDOM      = 5 * time.Millisecond
	serveStartupLimit = 5 * time.Minute
	serveEditLimit    = 2 * time.Minute // Hugo 0.111 takes 20-30 s per rebuild at 10,000 pages on a busy 2-CPU machine
	serveReadyLimit   = 30 * time.Second
	serveSettle       = 300 * time.Millisecond  // pause before each edit, so that no work of the last one overlaps
	serveSettleOpened = 1100 * time.Millisecond // the same, after opening a page (see measureEdits)
	serveStopGrace    = 3 * time.Second         // between asking a server to stop and killing it
	serveMaxMisses    = 3                       // edits that never show before a tool's edit run is given up
)

// Targets from the issue that asked for this benchmark.
const (
	serveTargetEdit    = 100 * time.Millisecond // rahnuma's median edit to screen at -pages, below
	serveTargetGrowth  = 1.5                    // rahnuma's edit median at -pages over 1,000 pages, at most
	serveTargetStartup = 0.2                    // rahnuma's startup over Hugo's, at most
)

// serveTool is one dev server under test.
type serveTool struct {
	name string // as the report shows it
	key  string // short, for the edit words
	// command starts the server for the corpus in src on port.
	command func(src string, port int) command
	// ready is a JavaScript expression that is true once the page's live-reload client is
	// connected, so that an edit made now reaches it.
	ready string
	// saidPrefix picks the line of the server's output the report quotes for startup,
	// rebuiltPrefix the one for the last rebuild ("" for none).
	saidPrefix, rebuiltPrefix string
	note                      string // why the tool is not measured; "" when it is
}

// serveResult is what one tool measured on one corpus size.
type serveResult struct {
	tool    *serveTool
	pages   int
	startup []time.Duration
	edits   []time.Duration
	misses  int      // edits whose text never showed
	rebuilt []string // what the server said about each rebuild, if it says
	said    string   // what the server said when it started (its own load time)
	note    string   // what went wrong, if anything
}

// runServe is the serve benchmark.
func runServe(ctx context.Context, cfg config) (err error) {
	logf := func(format string, args ...any) { fmt.Fprintf(cfg.stderr, format+"\n", args...) }

	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "rahnuma-bench-serve-")
	if err != nil {
		return err
	}
	if cfg.keep {
		defer fmt.Fprintf(cfg.stdout, "\nkept %s (corpus-N/, hugo-site/, rahnuma)\n", work)
	} else {
		defer func() { err = errors.Join(err, os.RemoveAll(work)) }()
	}
	// Runs before the folder goes: no server outlives the benchmark.
	procs := &serveFleet{}
	defer func() { err = errors.Join(err, procs.stopAll()) }()

	bin := filepath.Join(work, "rahnuma")
	logf("building rahnuma in %s", root)
	if err := goBuild(ctx, root, bin); err != nil {
		return err
	}
	site := filepath.Join(work, "hugo-site")
	if err := writeHugoSite(site); err != nil {
		return err
	}

	rah := &serveTool{
		name: "rahnuma serve", key: "r",
		command: func(src string, port int) command {
			return command{dir: work, name: bin, args: []string{"serve", "--src", src, "--addr", "127.0.0.1:" + strconv.Itoa(port)}}
		},
		ready:      `document.documentElement.dataset.rahnumaLive === 'open'`,
		saidPrefix: "Serving ",
	}
	hug := &serveTool{
		name: "hugo server", key: "h",
		ready:      `!!(window.LiveReload && window.LiveReload.connector && window.LiveReload.connector.protocol)`,
		saidPrefix: "Built in ", rebuiltPrefix: "Total in ",
	}
	hugoBin := findHugo(cfg.hugo)
	if hugoBin == "" {
		hug.note = fmt.Sprintf("not found at %q", cfg.hugo)
		logf("hugo: not found at %q; reporting rahnuma alone", cfg.hugo)
	} else {
		if v := hugoVersion(ctx, hugoBin); v != "" {
			if f := strings.Fields(v); len(f) > 1 {
				hug.name = "hugo " + strings.TrimPrefix(f[1], "v") + " server"
			}
		}
		hug.command = hugoServerCommand(ctx, hugoBin, site)
	}
	tools := []*serveTool{rah, hug}

	var browser context.Context
	browserNote := ""
	if path := browsertest.Path(); path == "" {
		browserNote = "Chromium not found: edit to screen not measured"
		logf("%s", browserNote)
	} else {
		b, closeBrowser, err := browsertest.Start(ctx, path, 1024, 768)
		if err != nil {
			return err
		}
		defer closeBrowser()
		browser = b
	}

	loadBefore := loadAverage()
	var (
		results   []*serveResult
		problems  []error
		startPage string
	)
	fail := func(r *serveResult, err error) {
		logf("%s, %d pages: %v", r.tool.name, r.pages, err)
		problems = append(problems, fmt.Errorf("%s, %d pages: %w", r.tool.name, r.pages, err))
		if r.note == "" {
			r.note = "failed: " + serveFirstLine(err.Error())
		}
	}
	for _, n := range serveSizes(cfg.pages) {
		src := filepath.Join(work, fmt.Sprintf("corpus-%d", n))
		logf("writing corpus: %d pages in %d sections", n, cfg.sections)
		if err := corpus.Write(src, corpus.Options{Pages: n, Sections: cfg.sections, Seed: cfg.seed}); err != nil {
			return err
		}
		pages, err := pickEditPages(src, serveEditPages)
		if err != nil {
			return err
		}
		startPage = pages[0].url
		var sized []*serveResult
		for _, t := range tools {
			r := &serveResult{tool: t, pages: n, note: t.note}
			sized = append(sized, r)
			results = append(results, r)
		}

		// Startup: alternate, so that neither tool always runs on a warmer machine.
		for k := 0; k <= cfg.runs; k++ {
			for _, r := range sized {
				if r.note != "" {
					continue
				}
				if k == 0 {
					logf("startup warm-up, %d pages: %s", n, r.tool.name)
				} else {
					logf("startup run %d/%d, %d pages: %s", k, cfg.runs, n, r.tool.name)
				}
				d, said, err := measureStartup(ctx, procs, r.tool, src, pages[0].url)
				if err != nil {
					fail(r, err)
					continue
				}
				r.said = said
				if k > 0 {
					r.startup = append(r.startup, d)
				}
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}

		// Edit to screen, one tool after the other: one server at a time.
		if browser == nil {
			continue
		}
		for _, r := range sized {
			if r.note != "" {
				continue
			}
			logf("edit to screen, %d pages: %s (%d edits after a warm-up)", n, r.tool.name, serveEdits)
			if err := measureEdits(ctx, browser, procs, r, src, work, pages, logf); err != nil {
				fail(r, err)
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	loadAfter := loadAverage()

	w := cfg.stdout
	fmt.Fprintf(w, "serve: corpus of %s pages in %d sections, seed %d\n", serveJoinInts(serveSizes(cfg.pages), " and "), cfg.sections, cfg.seed)
	fmt.Fprintf(w, "startup: command start to the first HTTP 200 of %s, polled every %s; %d timed runs per tool after one warm-up, alternating\n",
		startPage, servePollHTTP, cfg.runs)
	if browser != nil {
		fmt.Fprintf(w, "edit to screen: atomic save of a page's Markdown to the new word in the DOM of the open page (headless Chromium, polled every %s); %d timed edits per tool after one warm-up, round %d pages\n",
			servePollDOM, serveEdits, serveEditPages)
	} else {
		fmt.Fprintf(w, "edit to screen: %s\n", browserNote)
	}
	fmt.Fprintf(w, "machine: %s/%s, %d CPUs, %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	if loadBefore != "" {
		fmt.Fprintf(w, "load average before: %s, after: %s (other work on the machine skews the figures)\n", loadBefore, loadAfter)
	}
	fmt.Fprintln(w)
	writeServeTable(w, results)
	writeServeRatios(w, results, cfg.pages)

	fmt.Fprintf(w, "\nthe servers said (last start; rebuilds during the edits)\n")
	for _, r := range results {
		if r.said != "" {
			fmt.Fprintf(w, "  %-*s %6d  %s\n", serveNameWidth(results), r.tool.name, r.pages, r.said)
		}
		if len(r.rebuilt) > 0 {
			fmt.Fprintf(w, "  %-*s %6d  %s\n", serveNameWidth(results), r.tool.name, r.pages, rebuildSummary(r.rebuilt))
		}
	}
	return errors.Join(problems...)
}

// hugoServerCommand returns the command line of `hugo server` for a corpus. Pages are
// rendered to memory (the default of Hugo 0.111; newer versions have --renderToMemory
// for it), with fast render on, as an editor would run it.
func hugoServerCommand(ctx context.Context, bin, site string) func(src string, port int) command {
	help, _ := exec.CommandContext(ctx, bin, "server", "--help").CombinedOutput()
	toMemory := bytes.Contains(help, []byte("--renderToMemory"))
	return func(src string, port int) command {
		args := []string{"server", "--disableFastRender=false", "-s", site,
			"--contentDir", filepath.Join(src, "content"), "-p", strconv.Itoa(port), "--bind", "127.0.0.1"}
		if toMemory {
			args = append(args, "--renderToMemory")
		}
		return command{dir: site, name: bin, args: args}
	}
}

// serveSizes returns the corpus sizes to measure: pages and serveSmall, smallest first.
func serveSizes(pages int) []int {
	if pages == serveSmall {
		return []int{pages}
	}
	return []int{min(pages, serveSmall), max(pages, serveSmall)}
}

// serveEditPage is a corpus page the edit benchmark changes.
type serveEditPage struct {
	file string // absolute path of the Markdown file
	url  string // its URL path, "/s01/p0000/"
}

// pickEditPages picks n pages spread over the corpus in src: the first, the last and
// evenly between, in a fixed order.
func pickEditPages(src string, n int) ([]serveEditPage, error) {
	content := filepath.Join(src, "content")
	files, err := filepath.Glob(filepath.Join(content, "*", "p*.md"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no pages", content)
	}
	slices.Sort(files)
	var out []serveEditPage
	for i := range min(n, len(files)) {
		f := files[0]
		if n > 1 {
			f = files[i*(len(files)-1)/(n-1)]
		}
		rel, err := filepath.Rel(content, f)
		if err != nil {
			return nil, err
		}
		out = append(out, serveEditPage{file: f, url: "/" + strings.TrimSuffix(filepath.ToSlash(rel), ".md") + "/"})
	}
	return out, nil
}

// measureStartup starts t's server on the corpus in src, waits for the first 200 of
// page, and stops it.
func measureStartup(ctx context.Context, procs *serveFleet, t *serveTool, src, page string) (time.Duration, string, error) {
	port, err := serveFreePort()
	if err != nil {
		return 0, "", err
	}
	start := time.Now()
	s, err := procs.start(t.command(src, port))
	if err != nil {
		return 0, "", err
	}
	d, err := serveWaitHTTP(ctx, s, fmt.Sprintf("http://127.0.0.1:%d%s", port, page), start, serveStartupLimit)
	err = errors.Join(err, procs.stop(s))
	// Read after the stop: the line may come a moment after the first page.
	return d, s.out.line(t.saidPrefix), err
}

// measureEdits starts r's server on the corpus in src and times serveEdits edits of
// pages as seen in the browser, into r. The pages' files are restored afterwards.
//
// An edit whose text does not show within serveEditLimit is a miss: it is reported
// through logf, the page is opened afresh, and the next edit goes on, up to serveMaxMisses.
func measureEdits(ctx, browser context.Context, procs *serveFleet, r *serveResult, src, work string, pages []serveEditPage,
	logf func(format string, args ...any)) (err error) {
	t, size := r.tool, r.pages
	orig := make([][]byte, len(pages))
	for i, p := range pages {
		if orig[i], err = os.ReadFile(p.file); err != nil {
			return err
		}
	}
	tmp := filepath.Join(work, "edit.tmp")
	save := func(file string, b []byte) error {
		if err := os.WriteFile(tmp, b, 0o644); err != nil {
			return err
		}
		return os.Rename(tmp, file)
	}
	// Registered first, so it runs after the server has stopped.
	defer func() {
		for i, p := range pages {
			err = errors.Join(err, save(p.file, orig[i]))
		}
	}()

	port, err := serveFreePort()
	if err != nil {
		return err
	}
	start := time.Now()
	s, err := procs.start(t.command(src, port))
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, procs.stop(s))
		if t.rebuiltPrefix != "" {
			r.rebuilt = s.out.lines(t.rebuiltPrefix)
		}
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	if _, err := serveWaitHTTP(ctx, s, base+pages[0].url, start, serveStartupLimit); err != nil {
		return err
	}

	open := ""
	for i := 0; len(r.edits) < serveEdits; i++ {
		k := i % len(pages)
		p := pages[k]
		settle := serveSettle
		if open != p.url {
			if err := chromedp.Do(browser, chromedp.Navigate(base+p.url)); err != nil {
				return fmt.Errorf("open %s: %w", p.url, err)
			}
			open = p.url
			// Hugo renders a page on its first visit and serves it with a Last-Modified
			// of one-second precision; were the edit's render in the same second, the
			// browser's reload would get 304 Not Modified and keep the old page.
			settle = serveSettleOpened
		}
		if err := serveWaitJS(browser, t.ready, serveReadyLimit); err != nil {
			return fmt.Errorf("%s: live reload does not connect: %w", p.url, err)
		}
		time.Sleep(settle)

		word := fmt.Sprintf("benchedit%s%dn%d", t.key, size, i)
		edited := slices.Concat(orig[k], []byte("\n\n"+word+"\n"))
		if err := os.WriteFile(tmp, edited, 0o644); err != nil {
			return err
		}
		quoted, _ := json.Marshal(word)
		shown := `document.body !== null && document.body.textContent.includes(` + string(quoted) + `)`
		// Tells a page reload from an update in place, should the edit not show.
		if _, err := chromedp.Run(browser, chromedp.Evaluate[int](fmt.Sprintf(`window.__benchEdit = %d`, i))); err != nil {
			return err
		}
		begin := time.Now()
		if err := os.Rename(tmp, p.file); err != nil {
			return err
		}
		if err := serveWaitJS(browser, shown, serveEditLimit); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.misses++
			err = fmt.Errorf("edit %d of %s: new text not shown: %w; %s\n%s", i, p.url, err,
				editDiagnosis(browser, t, base+p.url, word), strings.TrimSpace(tail(s.out.String(), 12)))
			if r.misses > serveMaxMisses {
				return err
			}
			logf("%s, %d pages: missed: %v", t.name, size, err)
			open = "" // start clean
			continue
		}
		if i > 0 {
			r.edits = append(r.edits, time.Since(begin))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// rebuildSummary sums up Hugo's "Total in 2050 ms" lines: their median and count.
func rebuildSummary(lines []string) string {
	var d []time.Duration
	for _, l := range lines {
		var ms int
		if _, err := fmt.Sscanf(l, "Total in %d ms", &ms); err == nil {
			d = append(d, time.Duration(ms)*time.Millisecond)
		}
	}
	if len(d) == 0 {
		return lines[len(lines)-1]
	}
	return fmt.Sprintf("rebuilds: median %s of %d (its own \"Total in\" figures)", fmtDur(median(d)), len(d))
}

// editDiagnosis says where an edit got stuck: what the browser shows and whether the
// server has the new text.
func editDiagnosis(browser context.Context, t *serveTool, url, word string) string {
	ctx, cancel := context.WithTimeout(browser, 5*time.Second)
	defer cancel()
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const nav = performance.getEntriesByType('navigation')[0] || {};
		return JSON.stringify({location: location.href, readyState: document.readyState, liveReload: `+t.ready+`,
			reloaded: window.__benchEdit === undefined, navigation: nav.type, status: nav.responseStatus, transferSize: nav.transferSize});
	})()`))
	if err != nil {
		state = "unknown (" + err.Error() + ")"
	}
	served := "unknown"
	if resp, err := http.Get(url); err != nil {
		served = err.Error()
	} else {
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		served = fmt.Sprintf("%s, new text %v", resp.Status, err == nil && bytes.Contains(body, []byte(word)))
	}
	return fmt.Sprintf("browser: %s; server now answers %s", state, served)
}

// serveWaitJS evaluates expr in the browser's page every servePollDOM until it is true. Errors
// while the page reloads (no document, a destroyed context) count as false.
func serveWaitJS(browser context.Context, expr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var last error
	for {
		cctx, cancel := context.WithTimeout(browser, limit)
		ok, err := chromedp.Run(cctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		if err := browser.Err(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			if last != nil {
				return fmt.Errorf("not true after %s (last error: %v)", limit, last)
			}
			return fmt.Errorf("not true after %s", limit)
		}
		time.Sleep(servePollDOM)
	}
}

// serveWaitHTTP requests url every servePollHTTP until it answers 200, and returns the time from
// start. It gives up when s exits, ctx is done, or limit has passed since start.
func serveWaitHTTP(ctx context.Context, s *serveProc, url string, start time.Time, limit time.Duration) (time.Duration, error) {
	ctx, cancel := context.WithDeadline(ctx, start.Add(limit))
	defer cancel()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, err
		}
		resp, err := client.Do(req)
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err == nil && resp.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
			if err == nil {
				err = fmt.Errorf("%s: %s", url, resp.Status)
			}
		}
		last = err
		select {
		case <-s.exited:
			return 0, fmt.Errorf("%s exited before serving %s: %v\n%s", s.name, url, s.waitErr, strings.TrimSpace(tail(s.out.String(), 30)))
		case <-ctx.Done():
			if ctx.Err() == context.DeadlineExceeded {
				return 0, fmt.Errorf("%s: no 200 for %s within %s (last: %v)\n%s", s.name, url, limit, last, strings.TrimSpace(tail(s.out.String(), 30)))
			}
			return 0, ctx.Err()
		case <-time.After(servePollHTTP):
		}
	}
}

// serveFreePort returns a loopback TCP port that was free a moment ago.
func serveFreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	return port, ln.Close()
}

// servePercentile returns the nearest-rank p-th servePercentile (0 < p <= 100) of d, 0 for none.
func servePercentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func writeServeTable(w io.Writer, results []*serveResult) {
	nw := max(serveNameWidth(results), len("tool"))
	row := "%-*s  %6s  %14s  %11s  %18s  %8s  %8s  %5s  %6s"
	fmt.Fprintf(w, row+"\n", nw, "tool", "pages", "startup median", "startup min", "edit→screen median", "edit p90", "edit min", "edits", "missed")
	for _, r := range results {
		pages := strconv.Itoa(r.pages)
		if len(r.startup) == 0 && len(r.edits) == 0 {
			fmt.Fprintf(w, "%-*s  %6s  %s\n", nw, r.tool.name, pages, r.note)
			continue
		}
		fmt.Fprintf(w, row, nw, r.tool.name, pages, fmtDur(median(r.startup)), fmtDur(serveMin(r.startup)),
			fmtDur(median(r.edits)), fmtDur(servePercentile(r.edits, 90)), fmtDur(serveMin(r.edits)), strconv.Itoa(len(r.edits)), strconv.Itoa(r.misses))
		if r.note != "" {
			fmt.Fprintf(w, "  %s", r.note)
		}
		fmt.Fprintln(w)
	}
}

func writeServeRatios(w io.Writer, results []*serveResult, pages int) {
	find := func(key string, n int) *serveResult {
		for _, r := range results {
			if r.tool.key == key && r.pages == n {
				return r
			}
		}
		return &serveResult{}
	}
	sec := func(d time.Duration) float64 { return d.Seconds() }
	fmt.Fprintf(w, "\nratios (medians)\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, n := range serveSizes(pages) {
		rah, hug := find("r", n), find("h", n)
		fmt.Fprintf(tw, "  startup rahnuma/hugo, %d pages\t%s\t(target <= %.2fx)\n", n,
			ratio(sec(median(rah.startup)), sec(median(hug.startup))), serveTargetStartup)
		fmt.Fprintf(tw, "  edit→screen rahnuma/hugo, %d pages\t%s\t\n", n,
			smallRatio(sec(median(rah.edits)), sec(median(hug.edits))))
	}
	if pages != serveSmall {
		big, small := find("r", pages), find("r", serveSmall)
		fmt.Fprintf(tw, "  rahnuma edit→screen, %d/%d pages\t%s\t(target <= %.1fx)\n", pages, serveSmall,
			ratio(sec(median(big.edits)), sec(median(small.edits))), serveTargetGrowth)
	}
	fmt.Fprintf(tw, "  rahnuma edit→screen median, %d pages\t%s\t(target < %s)\n", pages,
		fmtDur(median(find("r", pages).edits)), fmtDur(serveTargetEdit))
	tw.Flush()
}

// smallRatio prints a/b like ratio, with two significant digits, so that a ratio far
// below 1 does not print as 0.00x.
func smallRatio(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "-"
	}
	return strconv.FormatFloat(a/b, 'g', 2, 64) + "x"
}

func serveNameWidth(results []*serveResult) int {
	n := 0
	for _, r := range results {
		n = max(n, len(r.tool.name))
	}
	return n
}

func serveMin(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return slices.Min(d)
}

func serveJoinInts(n []int, sep string) string {
	s := make([]string, len(n))
	for i, v := range n {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, sep)
}

func serveFirstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// serveFleet tracks the servers that are running, so that all of them can be stopped.
type serveFleet struct {
	mu   sync.Mutex
	live []*serveProc
}

// serveProc is a running server process, the leader of its own process group.
type serveProc struct {
	name    string
	cmd     *exec.Cmd
	out     *serveOutput
	exited  chan struct{} // closed when the process has exited and waitErr is set
	waitErr error
}

// start starts c in a new process group.
func (f *serveFleet) start(c command) (*serveProc, error) {
	cmd := exec.Command(c.name, c.args...)
	cmd.Dir = c.dir
	out := &serveOutput{}
	cmd.Stdout, cmd.Stderr = out, out
	newProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", c, err)
	}
	s := &serveProc{name: filepath.Base(c.name), cmd: cmd, out: out, exited: make(chan struct{})}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	f.mu.Lock()
	f.live = append(f.live, s)
	f.mu.Unlock()
	return s, nil
}

// stop stops s and everything in its process group: politely first, then by force.
func (f *serveFleet) stop(s *serveProc) error {
	f.mu.Lock()
	f.live = slices.DeleteFunc(f.live, func(x *serveProc) bool { return x == s })
	f.mu.Unlock()
	err := signalGroup(s.cmd, false)
	select {
	case <-s.exited:
	case <-time.After(serveStopGrace):
	}
	// Also after the leader has gone: whatever it started may still run.
	err = errors.Join(err, signalGroup(s.cmd, true))
	<-s.exited
	if err != nil {
		return fmt.Errorf("stopping %s: %w", s.name, err)
	}
	return nil
}

// stopAll stops every server still running.
func (f *serveFleet) stopAll() error {
	f.mu.Lock()
	live := slices.Clone(f.live)
	f.mu.Unlock()
	var errs []error
	for _, s := range live {
		errs = append(errs, f.stop(s))
	}
	return errors.Join(errs...)
}

// serveOutput is a bytes.Buffer that a process can write to while others read it.
type serveOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *serveOutput) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *serveOutput) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// line returns the last line that starts with prefix, trimmed; "" when there is none.
func (b *serveOutput) line(prefix string) string {
	all := b.lines(prefix)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1]
}

// lines returns the lines that start with prefix, trimmed.
func (b *serveOutput) lines(prefix string) []string {
	var found []string
	for l := range strings.Lines(b.String()) {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, prefix) {
			found = append(found, l)
		}
	}
	return found
}
