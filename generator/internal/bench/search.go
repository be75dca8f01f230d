package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"rahnuma/generator"
	"rahnuma/generator/browsertest"
	"rahnuma/generator/internal/corpus"
	"rahnuma/generator/search"
)

// The search benchmark (-what search) compares Rahnuma's search with Pagefind
// on the corpus:
//
//   - build: the corpus is built with the rahnuma binary, then Pagefind
//     (installed with npm into the temporary folder) indexes the same output
//     folder, alternately, -runs times. search.Build over Site.SearchDocs for
//     every language is also timed alone, in-process; what the index adds to
//     a build (it is made alongside the pages, so its own time overlaps
//     theirs) is measured by -what build, with and without it.
//   - queries: one local server (gzip for compressible types) serves the
//     output folder and a harness page for Pagefind. For each query, a fresh
//     browser context (empty cache) loads a page and searches, ours and
//     Pagefind's in turn, one warm-up each and then -runs times. It records
//     the bytes received for requests made after typing starts
//     (encodedDataLength of Network.loadingFinished, headers included), and
//     the time from the input event (ours) or the call (Pagefind's) to the
//     first result in the DOM, measured with performance.now() in the page.
const (
	pagefindVersion = "1.6.0"
	ourPage         = "/s01/"                 // the page whose search box we type into
	harnessPath     = "/_bench/pagefind.html" // served from memory, never in the output folder
	targetRatio     = 0.25                    // ours over Pagefind's, bytes and time, at most
	resultsTimeout  = 30 * time.Second        // per query, from typing to results
	quietNetwork    = 300 * time.Millisecond  // no request in flight for this long: done
	pagefindTop     = 5                       // results whose data() Pagefind's UI loads first
	baseURL         = "https://example.org/"  // as the build benchmark builds
	pagefindPattern = "{%s}/**/*.html"        // glob of the pages our index holds
)

// harnessHTML is a minimal page that does what Pagefind's UI does before it
// shows results: load pagefind.js as a module, search, and load the data of
// the first results.
const harnessHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind harness</title></head>
<body>
<ul id="search-results"></ul>
<script>
window.__go = async q => {
  try {
    window.__t0 = performance.now()
    const pf = await import('/pagefind/pagefind.js')
    const r = await pf.search(q)
    const data = await Promise.all(r.results.slice(0, TOP).map(x => x.data()))
    window.__n = r.results.length
    document.getElementById('search-results').replaceChildren(...data.map(d => {
      const li = document.createElement('li'), a = document.createElement('a'), p = document.createElement('p')
      a.href = d.url
      a.textContent = d.meta.title
      p.innerHTML = d.excerpt
      li.append(a, p)
      return li
    }))
    if (!data.length) window.__err = 'no results'
  } catch (e) {
    window.__err = String(e && e.stack || e)
  }
}
</script>
</body></html>
`

// harnessPage is the harness with the number of results to load filled in.
func harnessPage() []byte {
	return []byte(strings.ReplaceAll(harnessHTML, "TOP", strconv.Itoa(pagefindTop)))
}

// observeJS records when the first result appears in #search-results
// (window.__t1) and, for our search box, when the first input event fires
// (window.__t0), and when the box says it found nothing (window.__err).
const observeJS = `(() => {
  const ul = document.getElementById('search-results')
  if (!ul) return 'no #search-results on the page'
  window.__t1 = 0
  window.__err = ''
  if (!window.__go) {
    window.__t0 = 0
    addEventListener('input', () => { if (!window.__t0) window.__t0 = performance.now() }, true)
  }
  new MutationObserver(() => { if (!window.__t1 && ul.querySelector('li')) window.__t1 = performance.now() })
    .observe(ul, {childList: true, subtree: true})
  const form = ul.closest('form[role=search]'), st = form && form.querySelector('[role=status]')
  if (st) new MutationObserver(() => { if (st.textContent == form.dataset.msgNone) window.__err = 'no results' })
    .observe(st, {childList: true, characterData: true, subtree: true})
  return ''
})()`

// searchQuery is one query of the benchmark.
type searchQuery struct {
	kind, text string
	want       string // rare words: the URL path of the only page that has the word
}

// pickQueries chooses the queries from the corpus files: three words that
// occur on one page only (pages a tenth, half and nine tenths of the way
// through), the most common words of titles and headings (content words,
// never stop words) alone and in pairs, and a prefix of one.
func pickQueries(files map[string][]byte) ([]searchQuery, error) {
	var pages []string
	for name := range files {
		if isCorpusPage(name) {
			pages = append(pages, name)
		}
	}
	if len(pages) == 0 {
		return nil, errors.New("corpus: no pages")
	}
	sort.Strings(pages)

	rare := regexp.MustCompile(`\b(?:[bdfgklmnprstvz][aeiou]){4}x\b`)
	word := regexp.MustCompile(`[A-Za-z]+`)
	inFiles := map[string]int{} // rare-looking word -> files that hold it
	vocab := map[string]bool{}  // words of titles and headings
	df := map[string]int{}      // pages that hold the word
	for _, name := range pages {
		src := files[name]
		seen := map[string]bool{}
		for _, m := range rare.FindAll(src, -1) {
			if !seen[string(m)] {
				seen[string(m)] = true
				inFiles[string(m)]++
			}
		}
		for _, w := range headingWords(src) {
			vocab[w] = true
		}
		seen = map[string]bool{}
		for _, m := range word.FindAll(pageText(src), -1) {
			w := strings.ToLower(string(m))
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}

	var qs []searchQuery
	used := map[string]bool{}
	for _, tenth := range []int{1, 5, 9} {
		name := pages[min(len(pages)-1, len(pages)*tenth/10)]
		if used[name] {
			continue
		}
		used[name] = true
		for _, m := range rare.FindAll(files[name], -1) {
			if inFiles[string(m)] == 1 {
				qs = append(qs, searchQuery{kind: "rare", text: string(m), want: pageURL(name)})
				break
			}
		}
	}
	if len(qs) == 0 {
		return nil, errors.New("corpus: found no word that occurs on one page only")
	}

	var common []string
	for w := range vocab {
		if len(w) >= 4 && w != corpus.Anchor {
			common = append(common, w)
		}
	}
	sort.Slice(common, func(i, j int) bool {
		a, b := common[i], common[j]
		if df[a] != df[b] {
			return df[a] > df[b]
		}
		return a < b
	})
	if len(common) < 8 {
		return nil, fmt.Errorf("corpus: only %d distinct title and heading words", len(common))
	}
	qs = append(qs,
		searchQuery{kind: "common", text: common[0]},
		searchQuery{kind: "common", text: common[2]},
		searchQuery{kind: "two words", text: common[1] + " " + common[3]},
		searchQuery{kind: "two words", text: common[4] + " " + common[6]},
	)
	for _, w := range common[5:] {
		if len(w) >= 7 {
			qs = append(qs, searchQuery{kind: "prefix", text: w[:4]})
			break
		}
	}
	return qs, nil
}

// isCorpusPage reports whether a corpus file name is a page (not a section
// or the home page).
func isCorpusPage(name string) bool {
	return strings.HasPrefix(name, "content/") && strings.HasSuffix(name, ".md") && path.Base(name) != "_index.md"
}

// pageURL is the URL path of a corpus page: content/s01/p0001.md -> /s01/p0001/.
func pageURL(name string) string {
	return "/" + strings.TrimSuffix(strings.TrimPrefix(name, "content/"), ".md") + "/"
}

// pageText returns the prose of a page: the title and description of its
// front matter, without the keys, and its body outside code blocks.
func pageText(src []byte) []byte {
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return src
	}
	fm, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		return src
	}
	var b bytes.Buffer
	for _, line := range bytes.Split(fm, []byte("\n")) {
		if k, v, _ := bytes.Cut(line, []byte(":")); string(k) == "title" || string(k) == "description" {
			b.Write(v)
			b.WriteByte('\n')
		}
	}
	inCode := false
	for _, line := range bytes.SplitAfter(body, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("```")) {
			inCode = !inCode
		} else if !inCode {
			b.Write(line)
		}
	}
	return b.Bytes()
}

// headingWords returns the lower-cased words of a page's title and headings,
// outside code blocks.
func headingWords(src []byte) []string {
	var out []string
	inCode := false
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		var text string
		switch {
		case inCode:
			continue
		case strings.HasPrefix(line, "title: "):
			text = line[len("title: "):]
		case strings.HasPrefix(line, "#"):
			text, _, _ = strings.Cut(strings.TrimLeft(line, "#"), "{")
		default:
			continue
		}
		for _, f := range strings.FieldsFunc(text, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') }) {
			out = append(out, strings.ToLower(f))
		}
	}
	return out
}

// topFolders returns the top folders of the corpus pages, sorted.
func topFolders(files map[string][]byte) []string {
	set := map[string]bool{}
	for name := range files {
		if rest, ok := strings.CutPrefix(name, "content/"); ok {
			if dir, _, ok := strings.Cut(rest, "/"); ok {
				set[dir] = true
			}
		}
	}
	var out []string
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// runSearch is the search benchmark.
func runSearch(ctx context.Context, cfg config) (err error) {
	logf := func(format string, args ...any) { fmt.Fprintf(cfg.stderr, format+"\n", args...) }

	chromium := browsertest.Path()
	if chromium == "" {
		return errors.New("chromium not found: install Debian's chromium (or set CHROMIUM)")
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "rahnuma-bench-search-")
	if err != nil {
		return err
	}
	if cfg.keep {
		defer fmt.Fprintf(cfg.stdout, "\nkept %s (corpus/, out/ with out/pagefind/, npm/)\n", work)
	} else {
		defer func() { err = errors.Join(err, os.RemoveAll(work)) }()
	}
	var (
		bin = filepath.Join(work, "rahnuma")
		src = filepath.Join(work, "corpus")
		out = filepath.Join(work, "out")
		npm = filepath.Join(work, "npm")
	)

	logf("building rahnuma in %s", root)
	if err := goBuild(ctx, root, bin); err != nil {
		return err
	}
	opts := corpus.Options{Pages: cfg.pages, Sections: cfg.sections, Seed: cfg.seed}
	logf("writing corpus: %d pages in %d sections", cfg.pages, cfg.sections)
	files := corpus.Files(opts)
	if err := corpus.Write(src, opts); err != nil {
		return err
	}
	queries, err := pickQueries(files)
	if err != nil {
		return err
	}
	secs := topFolders(files)
	titles := pageTitles(files)
	files = nil

	var problems []error
	logf("installing pagefind@%s with npm", pagefindVersion)
	pf, pfErr := installPagefind(ctx, npm)
	if pfErr != nil {
		problems = append(problems, pfErr)
		logf("%v\nreporting Rahnuma alone", pfErr)
	}

	// Builds: rahnuma, then Pagefind over its output, -runs times.
	ourBuild := &result{name: "rahnuma build"}
	pfIndex := &result{name: "pagefind " + pagefindVersion}
	rahnumaCmd := command{dir: work, name: bin, args: []string{"build", "--src", src, "--out", out, "--base-url", baseURL}}
	pagefindCmd := command{dir: work, name: pf, args: []string{"--site", out, "--output-subdir", "pagefind",
		"--glob", fmt.Sprintf(pagefindPattern, strings.Join(secs, ","))}}
	loadBefore := loadAverage()
	var pfSaid string
	for k := 1; k <= cfg.runs; k++ {
		if err := removeAll(out); err != nil {
			return err
		}
		logf("build %d/%d: %s", k, cfg.runs, rahnumaCmd)
		s, _, err := runTimed(ctx, rahnumaCmd)
		if err != nil {
			return err
		}
		ourBuild.samples = append(ourBuild.samples, s)
		if pfErr != nil {
			continue
		}
		logf("index %d/%d: %s", k, cfg.runs, pagefindCmd)
		s, said, err := runTimed(ctx, pagefindCmd)
		if err != nil {
			return err
		}
		pfIndex.samples = append(pfIndex.samples, s)
		pfSaid = pagefindPages(string(said))
	}

	logf("timing search.Build in-process")
	ib, err := timeIndexBuild(ctx, src, root, cfg.runs)
	if err != nil {
		return err
	}

	// Queries.
	srv, err := startServer(out, map[string][]byte{harnessPath: harnessPage()})
	if err != nil {
		return err
	}
	defer srv.close()
	bctx, stopBrowser, err := browsertest.Start(ctx, chromium, 1024, 768)
	if err != nil {
		return err
	}
	defer stopBrowser()

	sides := []searchSide{{name: "ours", run: measureOurs}}
	if pfErr == nil {
		sides = append(sides, searchSide{name: "pagefind", run: measurePagefind})
	}
	stats := make([][]probeSet, len(queries))
	for qi, q := range queries {
		stats[qi] = make([]probeSet, len(sides))
		for k := 0; k <= cfg.runs; k++ {
			for si, sd := range sides {
				if k == 0 {
					logf("query %q (%s): warm-up, %s", q.text, q.kind, sd.name)
				} else {
					logf("query %q (%s): run %d/%d, %s", q.text, q.kind, k, cfg.runs, sd.name)
				}
				p, err := sd.run(bctx, srv, q.text)
				if err != nil {
					return fmt.Errorf("%s, query %q: %w", sd.name, q.text, err)
				}
				if k > 0 {
					stats[qi][si] = append(stats[qi][si], p)
				}
			}
		}
	}

	ours, err := dirStats(filepath.Join(out, "search"), true)
	if err != nil {
		return err
	}
	var theirs indexStats
	if pfErr == nil {
		if theirs, err = dirStats(filepath.Join(out, "pagefind"), false); err != nil {
			return err
		}
	}
	printSearch(cfg, searchReport{
		queries: queries, stats: stats, pagefind: pfErr == nil,
		ourBuild: ourBuild, pfIndex: pfIndex, pfSaid: pfSaid, indexBuild: ib,
		ours: ours, theirs: theirs, loadBefore: loadBefore, loadAfter: loadAverage(), titles: titles,
	})
	return errors.Join(problems...)
}

// installPagefind installs the pagefind npm package into dir and returns the
// path of its command.
func installPagefind(ctx context.Context, dir string) (string, error) {
	npmBin, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("pagefind: npm not found: %v", err)
	}
	if _, _, err := runTimed(ctx, command{dir: os.TempDir(), name: npmBin,
		args: []string{"install", "--prefix", dir, "--no-audit", "--no-fund", "pagefind@" + pagefindVersion}}); err != nil {
		return "", fmt.Errorf("pagefind: %v", err)
	}
	bin := filepath.Join(dir, "node_modules", ".bin", "pagefind")
	outb, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("pagefind --version: %v", err)
	}
	if v := strings.TrimSpace(string(outb)); v != "pagefind "+pagefindVersion {
		return "", fmt.Errorf("pagefind --version says %q, want pagefind %s", v, pagefindVersion)
	}
	return bin, nil
}

// pagefindPages returns Pagefind's "Indexed N pages" line, or "".
func pagefindPages(said string) string {
	for _, line := range strings.Split(said, "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "Indexed ") && strings.HasSuffix(l, " pages") {
			return l
		}
	}
	return ""
}

// indexBuild is what the in-process timing of search.Build found.
type indexBuild struct {
	docs      int // documents over all languages
	langs     int
	wall, cpu []time.Duration
}

// timeIndexBuild loads the corpus site in this process and times search.Build
// over SearchDocs of every language, as the build does alongside rendering.
func timeIndexBuild(ctx context.Context, src, root string, runs int) (indexBuild, error) {
	site, err := generator.Load(ctx, generator.Source{Site: os.DirFS(src), Theme: os.DirFS(root)},
		generator.Options{BaseURL: baseURL})
	if err != nil {
		return indexBuild{}, fmt.Errorf("loading the corpus in-process: %w", err)
	}
	ib := indexBuild{langs: len(site.Config().LanguageList())}
	for k := 0; k < runs; k++ {
		runtime.GC()
		start, cpu := time.Now(), processCPU()
		docs := 0
		for _, l := range site.Config().LanguageList() {
			d := site.SearchDocs(l.Code)
			docs += len(d)
			if _, err := search.Build(d, search.Options{Lang: l.Code}); err != nil {
				return ib, fmt.Errorf("search.Build %s: %w", l.Code, err)
			}
		}
		ib.wall = append(ib.wall, time.Since(start))
		ib.cpu = append(ib.cpu, processCPU()-cpu)
		ib.docs = docs
	}
	return ib, nil
}

// indexStats sizes an index folder.
type indexStats struct {
	files      int
	bytes, gz  int64 // on disk, and gzip-compressed (files already gzip-compressed count as they are)
	compressed bool  // gz was computed
}

func dirStats(dir string, compress bool) (indexStats, error) {
	var st indexStats
	st.compressed = compress
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		st.files++
		st.bytes += int64(len(b))
		if compress {
			st.gz += int64(len(gzipBytes(b)))
		}
		return nil
	})
	return st, err
}

// ---- the server ----

// benchServer serves the output folder, and a few pages from memory, on a
// local port, gzip-compressing compressible responses as a host would. It
// logs what it sent, so the benchmark can check the browser's byte counts.
type benchServer struct {
	dir   string
	pages map[string][]byte
	url   string
	srv   *http.Server

	mu    sync.Mutex
	cache map[string]*servedFile
	log   []served
}

type servedFile struct {
	body, gz []byte // gz is nil when the file is not compressed
	ctype    string
}

// served is one response: its path, the size of the file, and the body bytes sent.
type served struct {
	path      string
	raw, sent int
}

func startServer(dir string, pages map[string][]byte) (*benchServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &benchServer{dir: dir, pages: pages, cache: map[string]*servedFile{}, url: "http://" + ln.Addr().String()}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

func (s *benchServer) close() { s.srv.Close() }

// mark returns the position in the log, for since.
func (s *benchServer) mark() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.log)
}

// since returns the responses logged after mark.
func (s *benchServer) since(mark int) []served {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log[mark:])
}

func (s *benchServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f, err := s.file(r.URL.Path)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	body := f.body
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", "no-cache")
	if f.gz != nil {
		h.Set("Vary", "Accept-Encoding")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.Set("Content-Encoding", "gzip")
			body = f.gz
		}
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	s.mu.Lock()
	s.log = append(s.log, served{path: r.URL.Path, raw: len(f.body), sent: len(body)})
	s.mu.Unlock()
	if r.Method == http.MethodGet {
		w.Write(body)
	}
}

// file reads (once) the file for a URL path.
func (s *benchServer) file(urlPath string) (*servedFile, error) {
	s.mu.Lock()
	f := s.cache[urlPath]
	s.mu.Unlock()
	if f != nil {
		return f, nil
	}
	name := path.Clean("/" + urlPath)
	if strings.HasSuffix(urlPath, "/") {
		name = path.Join(name, "index.html")
	}
	body, ok := s.pages[name]
	if !ok {
		p := filepath.Join(s.dir, filepath.FromSlash(name))
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			p = filepath.Join(p, "index.html")
			name = path.Join(name, "index.html")
		}
		var err error
		if body, err = os.ReadFile(p); err != nil {
			return nil, err
		}
	}
	f = &servedFile{body: body, ctype: contentTypeOf(name, body)}
	if compressible(f.ctype, body) {
		f.gz = gzipBytes(body)
	}
	s.mu.Lock()
	s.cache[urlPath] = f
	s.mu.Unlock()
	return f, nil
}

func contentTypeOf(name string, body []byte) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".json":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".xml":
		return "application/xml; charset=utf-8"
	case ".wasm":
		return "application/wasm"
	case ".bin":
		return "application/octet-stream"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return http.DetectContentType(body)
}

// compressible says whether a response is sent gzip-compressed: text, JSON,
// JavaScript, SVG, XML, wasm and octet streams (our .bin shards), unless the
// body is gzip data already (all of Pagefind's .pagefind and .pf_* files).
func compressible(ctype string, body []byte) bool {
	if len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		return false
	}
	t, _, _ := strings.Cut(ctype, ";")
	switch t {
	case "application/json", "application/javascript", "text/javascript", "image/svg+xml",
		"application/xml", "application/wasm", "application/octet-stream":
		return true
	}
	return strings.HasPrefix(t, "text/")
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// ---- the browser ----

// netLog collects the requests of one tab from its Network events.
type netLog struct {
	mu       sync.Mutex
	reqs     map[network.RequestID]*netReq
	order    []*netReq
	phase    int
	last     time.Time
	problems []string
}

type netReq struct {
	url         string
	phase       int // 0 while the page loads, 1 after typing starts
	bytes       int64
	done, fails bool
}

func newNetLog() *netLog {
	return &netLog{reqs: map[network.RequestID]*netReq{}, last: time.Now()}
}

// event is the chromedp listener; it must return fast.
func (l *netLog) event(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if r := l.reqs[e.RequestID]; r != nil && e.RedirectResponse != nil {
			r.url = e.Request.URL
			return
		}
		r := &netReq{url: e.Request.URL, phase: l.phase}
		l.reqs[e.RequestID] = r
		l.order = append(l.order, r)
		l.last = time.Now()
	case *network.EventLoadingFinished:
		if r := l.reqs[e.RequestID]; r != nil {
			r.bytes, r.done = int64(e.EncodedDataLength), true
			l.last = time.Now()
		}
	case *network.EventLoadingFailed:
		if r := l.reqs[e.RequestID]; r != nil {
			r.done, r.fails = true, true
			l.last = time.Now()
			l.problems = append(l.problems, fmt.Sprintf("request failed: %s: %s", r.url, e.ErrorText))
		}
	case *cdpruntime.EventExceptionThrown:
		msg := e.ExceptionDetails.Text
		if ex := e.ExceptionDetails.Exception; ex != nil {
			msg += " " + ex.Description
		}
		l.problems = append(l.problems, "exception: "+msg)
	}
}

func (l *netLog) problem(msg string) {
	l.mu.Lock()
	l.problems = append(l.problems, msg)
	l.mu.Unlock()
}

func (l *netLog) setPhase(p int) {
	l.mu.Lock()
	l.phase = p
	l.mu.Unlock()
}

// requests returns a copy of the requests so far.
func (l *netLog) requests() []netReq {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]netReq, len(l.order))
	for i, r := range l.order {
		out[i] = *r
	}
	return out
}

func (l *netLog) problemList() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.problems)
}

// waitQuiet waits until no request is in flight and none started or ended
// for quiet.
func (l *netLog) waitQuiet(ctx context.Context, quiet, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		l.mu.Lock()
		var pending []string
		for _, r := range l.order {
			if !r.done && strings.HasPrefix(r.url, "http") {
				pending = append(pending, r.url)
			}
		}
		idle := time.Since(l.last)
		l.mu.Unlock()
		if len(pending) == 0 && idle >= quiet {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("network still busy after %v: %s", limit, strings.Join(pending, " "))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// probe is one measured query from a fresh page.
type probe struct {
	ms          float64       // from typing (ours) or the call (Pagefind) to the first result in the DOM
	index, code int64         // bytes received after typing starts: index files, and script/wasm
	reqs        int           // requests after typing starts
	script      int64         // ours: search.js, loaded with the page (not in code)
	server      int64         // body bytes the server sent after typing starts, for a check
	unzippedBin int64         // ours: extra bytes if the host sent .bin files without gzip
	pause       time.Duration // Pagefind: time its worker was paused for the benchmark to attach
	fromServer  []string      // files whose body bytes came from the server's log (see count)
	top         []string
}

func (p probe) total() int64 { return p.index + p.code + p.script }

type probeSet []probe

func (ps probeSet) median(f func(probe) float64) float64 {
	if len(ps) == 0 {
		return 0
	}
	v := make([]float64, len(ps))
	for i, p := range ps {
		v[i] = f(p)
	}
	sort.Float64s(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}

type searchSide struct {
	name string
	run  func(ctx context.Context, s *benchServer, q string) (probe, error)
}

// searchTab opens a fresh browser context with one tab and a netLog listening to it.
func searchTab(bctx context.Context) (context.Context, *netLog, func(), error) {
	tctx, cancelTab := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	tctx, cancelTime := context.WithTimeout(tctx, 2*resultsTimeout)
	cancel := func() { cancelTime(); cancelTab() }
	nl := newNetLog()
	if err := chromedp.Listen(tctx, nl.event); err != nil {
		cancel()
		return nil, nil, nil, err
	}
	return tctx, nl, cancel, nil
}

// searchLoad navigates to a page of the server, waits for its requests to end and
// installs the result observer.
func searchLoad(ctx context.Context, nl *netLog, s *benchServer, p string) error {
	if err := chromedp.Do(ctx, chromedp.Navigate(s.url+p)); err != nil {
		return err
	}
	if err := nl.waitQuiet(ctx, quietNetwork, resultsTimeout); err != nil {
		return err
	}
	msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](observeJS))
	if err == nil && msg != "" {
		err = errors.New(msg)
	}
	return err
}

// pageTiming is what the page recorded.
type pageTiming struct {
	T0  float64  `json:"t0"`
	T1  float64  `json:"t1"`
	Err string   `json:"err"`
	Top []string `json:"top"`
}

// searchResults waits for the first result and returns the timing and the result
// URLs (paths without fragments).
func searchResults(ctx context.Context, nl *netLog) (pageTiming, error) {
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__t1 > 0 || !!window.__err`,
		chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(resultsTimeout)))
	if err != nil {
		return pageTiming{}, fmt.Errorf("waiting for results: %w (page: %s)", err, strings.Join(nl.problemList(), "; "))
	}
	if err := nl.waitQuiet(ctx, quietNetwork, resultsTimeout); err != nil {
		return pageTiming{}, err
	}
	t, err := chromedp.Run(ctx, chromedp.Evaluate[pageTiming](`({t0: window.__t0, t1: window.__t1, err: window.__err || '',
	  top: [...document.querySelectorAll('#search-results li a')].map(a => a.getAttribute('href'))})`))
	if err != nil {
		return t, err
	}
	if t.Err != "" {
		return t, fmt.Errorf("page: %s", t.Err)
	}
	for i, u := range t.Top {
		t.Top[i] = resultPath(u)
	}
	return t, nil
}

// measureOurs loads a corpus page, focuses the search box (which fetches the
// manifest), types the query and waits for the first result.
func measureOurs(bctx context.Context, s *benchServer, q string) (probe, error) {
	ctx, nl, cancel, err := searchTab(bctx)
	if err != nil {
		return probe{}, err
	}
	defer cancel()
	if err := searchLoad(ctx, nl, s, ourPage); err != nil {
		return probe{}, err
	}
	var p probe
	for _, r := range nl.requests() {
		if strings.Contains(r.url, "/js/search.") {
			p.script += r.bytes
		}
	}
	if p.script == 0 {
		return p, fmt.Errorf("%s loaded no /js/search.*.js", ourPage)
	}
	mark := s.mark()
	nl.setPhase(1)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("search-input"))); err != nil {
		return p, err
	}
	if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: q}); err != nil {
		return p, err
	}
	t, err := searchResults(ctx, nl)
	if err != nil {
		return p, err
	}
	p.ms, p.top = t.T1-t.T0, t.Top
	p.count(nl.requests(), s.since(mark), s.url, "/search/", nil)
	return p, nil
}

// measurePagefind loads the harness page and times a search with Pagefind's
// API, from the call to the first result in the DOM.
//
// Pagefind fetches its index from a web worker, whose requests the page's
// Network domain does not report. So the tab pauses new workers at start
// (Target.setAutoAttach with waitForDebuggerOnStart), and a goroutine attaches
// to each with the same listener, then lets it run. The pause is timed and
// taken off Pagefind's time.
func measurePagefind(bctx context.Context, s *benchServer, q string) (probe, error) {
	ctx, nl, cancel, err := searchTab(bctx)
	if err != nil {
		return probe{}, err
	}
	defer cancel()
	type attached struct {
		id target.ID
		at time.Time
	}
	waiting := make(chan attached, 16)
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*target.EventAttachedToTarget); ok && e.WaitingForDebugger {
			select {
			case waiting <- attached{e.TargetInfo.TargetID, time.Now()}:
			default:
			}
		}
	}); err != nil {
		return probe{}, err
	}
	if err := searchLoad(ctx, nl, s, harnessPath); err != nil {
		return probe{}, err
	}
	flat := true
	if _, err := chromedp.Call(ctx, target.SetAutoAttach, target.SetAutoAttachParams{
		AutoAttach: true, WaitForDebuggerOnStart: true, Flatten: &flat}); err != nil {
		return probe{}, err
	}
	var (
		mu     sync.Mutex
		paused time.Duration
		done   = make(chan struct{})
	)
	defer close(done)
	go func() {
		for {
			select {
			case <-done:
				return
			case a := <-waiting:
				wctx, wcancel := chromedp.NewContext(ctx, chromedp.WithTargetID(a.id), chromedp.WithListener(nl.event))
				err := chromedp.Do(wctx) // attaches and enables the Network domain
				if err == nil {
					_, err = chromedp.Call(wctx, cdpruntime.RunIfWaitingForDebugger, cdp.Empty{})
				}
				mu.Lock()
				paused += time.Since(a.at)
				mu.Unlock()
				if err != nil {
					nl.problem(fmt.Sprintf("attaching to worker %s: %v", a.id, err))
				}
				defer wcancel()
			}
		}
	}()

	var p probe
	mark := s.mark()
	nl.setPhase(1)
	qj, _ := json.Marshal(q)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`void window.__go(`+string(qj)+`)`)); err != nil {
		return p, err
	}
	t, err := searchResults(ctx, nl)
	if err != nil {
		return p, err
	}
	mu.Lock()
	p.pause = paused
	mu.Unlock()
	p.ms, p.top = t.T1-t.T0-float64(p.pause)/float64(time.Millisecond), t.Top
	p.count(nl.requests(), s.since(mark), s.url, "/pagefind/", isPagefindCode)
	return p, nil
}

// count sums the bytes of the requests made after typing starts whose path
// starts with prefix: the encodedDataLength of each, headers included. The
// server's log fills a gap: a request the browser did not report, or whose
// loadingFinished counted fewer bytes than the server sent as body (the
// script of a worker, whose body arrives before the benchmark attaches to
// the worker: only its headers are counted), counts the body the server sent
// on top.
func (p *probe) count(reqs []netReq, sent []served, base, prefix string, isCode func(string) bool) {
	browser, server := map[string]int64{}, map[string]int64{}
	var paths []string
	for _, r := range reqs {
		up := urlPath(r.url, base)
		if r.phase != 1 || !strings.HasPrefix(up, prefix) {
			continue
		}
		if _, ok := browser[up]; !ok {
			paths = append(paths, up)
		}
		browser[up] += r.bytes
		p.reqs++
	}
	for _, r := range sent {
		if !strings.HasPrefix(r.path, prefix) {
			continue
		}
		if _, ok := browser[r.path]; !ok {
			if _, ok := server[r.path]; !ok {
				paths = append(paths, r.path)
				p.reqs++
			}
		}
		server[r.path] += int64(r.sent)
		p.server += int64(r.sent)
		if strings.HasSuffix(r.path, ".bin") {
			p.unzippedBin += int64(r.raw - r.sent)
		}
	}
	for _, up := range paths {
		b := browser[up]
		if b < server[up] {
			b += server[up]
			p.fromServer = append(p.fromServer, path.Base(up))
		}
		if isCode != nil && isCode(up) {
			p.code += b
		} else {
			p.index += b
		}
	}
}

// resultPath reduces a result link to its path, without fragment or a
// trailing index.html, so both sides' links compare.
func resultPath(href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return href
	}
	return strings.TrimSuffix(u.Path, "index.html")
}

// isPagefindCode tells Pagefind's script and wasm files from its index files.
func isPagefindCode(p string) bool {
	b := path.Base(p)
	return strings.HasSuffix(b, ".js") || strings.HasPrefix(b, "wasm.")
}

// urlPath returns the path of a URL of the server, or "" for other URLs.
func urlPath(u, base string) string {
	rest, ok := strings.CutPrefix(u, base)
	if !ok {
		return ""
	}
	rest, _, _ = strings.Cut(rest, "?")
	rest, _, _ = strings.Cut(rest, "#")
	return rest
}

// ---- the report ----

type searchReport struct {
	queries               []searchQuery
	stats                 [][]probeSet // [query][side]: ours, then Pagefind's
	pagefind              bool
	ourBuild, pfIndex     *result
	pfSaid                string
	indexBuild            indexBuild
	ours, theirs          indexStats
	loadBefore, loadAfter string
	titles                map[string]string // page URL path -> title
}

func kib(n float64) string { return fmt.Sprintf("%.1f", n/1024) }

// ratioOf prints a/b with two decimals, or "-".
func ratioOf(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func printSearch(cfg config, r searchReport) {
	w := cfg.stdout
	fmt.Fprintf(w, "search benchmark: corpus of %d pages in %d sections, seed %d; %d timed runs per query and side after one warm-up\n",
		cfg.pages, cfg.sections, cfg.seed, cfg.runs)
	fmt.Fprintf(w, "machine: %s/%s, %d CPUs, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	if r.loadBefore != "" {
		fmt.Fprintf(w, "; load average %s before, %s after", r.loadBefore, r.loadAfter)
	}
	fmt.Fprintln(w)

	// Builds.
	fmt.Fprintf(w, "\nbuild (medians of %d)\n", cfg.runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	bw, bc := r.ourBuild.median(), r.ourBuild.medianCPU()
	fmt.Fprintf(tw, "  rahnuma build, whole site\t%s wall\t%s CPU\t\n", fmtDur(bw), fmtDur(bc))
	iw, ic := median(r.indexBuild.wall), median(r.indexBuild.cpu)
	// Made alongside the pages, the index's own time overlaps theirs: what it adds to a build
	// (against the target) is measured by -what build, with and without it.
	fmt.Fprintf(tw, "  search.Build alone (in-process, %d docs, %d language(s))\t%s wall\t%s CPU\t= %s of the build's wall time, %s of its CPU (what it adds: -what build)\n",
		r.indexBuild.docs, r.indexBuild.langs, fmtDur(iw), fmtDur(ic), share(iw, bw), share(ic, bc))
	if r.pagefind {
		pw, pc := r.pfIndex.median(), r.pfIndex.medianCPU()
		fmt.Fprintf(tw, "  pagefind %s over the output\t%s wall\t%s CPU\t= +%s on top of the build (%s)\n",
			pagefindVersion, fmtDur(pw), fmtDur(pc), share(pw, bw), r.pfSaid)
	}
	tw.Flush()
	fmt.Fprintf(w, "  index on disk: ours %d files, %s (%s gzipped)", r.ours.files, fmtBytes(r.ours.bytes), fmtBytes(r.ours.gz))
	if r.pagefind {
		fmt.Fprintf(w, "; pagefind %d files, %s (its files are gzip data already)", r.theirs.files, fmtBytes(r.theirs.bytes))
	}
	fmt.Fprintln(w)

	// Queries.
	fmt.Fprintf(w, "\nqueries from a fresh browser context (empty cache); medians; KB received after typing starts\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "query\tkind\tours idx KB\tours+js KB\tPF idx KB\tPF all KB\tbytes o/PF\tidx o/PF\treqs o/PF\tours ms\tPF ms\ttime o/PF\ttop-1\ttop-5 shared\ttitle o/PF\t\n")
	var worstBytes, worstTime float64
	var misses []string
	for qi, q := range r.queries {
		o := r.stats[qi][0]
		oi := o.median(func(p probe) float64 { return float64(p.index) })
		ot := o.median(func(p probe) float64 { return float64(p.total()) })
		oms := o.median(func(p probe) float64 { return p.ms })
		oreq := o.median(func(p probe) float64 { return float64(p.reqs) })
		row := []string{q.text, q.kind, kib(oi), kib(ot)}
		if !r.pagefind {
			row = append(row, "-", "-", "-", "-", fmt.Sprintf("%.0f/-", oreq), fmt.Sprintf("%.0f", oms), "-", "-", topCheck(q, o[0].top, nil), "-",
				fmt.Sprintf("%d/-", titleHits(q, o[0].top, r.titles)))
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
			continue
		}
		t := r.stats[qi][1]
		ti := t.median(func(p probe) float64 { return float64(p.index) })
		tt := t.median(func(p probe) float64 { return float64(p.total()) })
		tms := t.median(func(p probe) float64 { return p.ms })
		treq := t.median(func(p probe) float64 { return float64(p.reqs) })
		worstBytes = max(worstBytes, ot/tt)
		worstTime = max(worstTime, oms/tms)
		top := topCheck(q, o[0].top, t[0].top)
		if q.want != "" && top != "both ✓" {
			misses = append(misses, q.text)
		}
		row = append(row, kib(ti), kib(tt), ratioOf(ot, tt), ratioOf(oi, ti), fmt.Sprintf("%.0f/%.0f", oreq, treq),
			fmt.Sprintf("%.0f", oms), fmt.Sprintf("%.0f", tms), ratioOf(oms, tms),
			top, fmt.Sprintf("%d/%d", overlap(o[0].top, t[0].top, pagefindTop), min(pagefindTop, len(t[0].top))),
			fmt.Sprintf("%d/%d", titleHits(q, o[0].top, r.titles), titleHits(q, t[0].top, r.titles)))
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()

	fmt.Fprintf(w, "\n  first results (title in the corpus); * marks a title that holds every word of the query\n")
	for qi, q := range r.queries {
		if q.want != "" {
			continue
		}
		for si, name := range []string{"ours", "PF"} {
			if si >= len(r.stats[qi]) {
				continue
			}
			var list []string
			for _, u := range r.stats[qi][si][0].top[:min(3, len(r.stats[qi][si][0].top))] {
				mark := ""
				if titleHits(q, []string{u}, r.titles) == 1 {
					mark = "*"
				}
				list = append(list, fmt.Sprintf("%s%s %q", mark, u, r.titles[u]))
			}
			fmt.Fprintf(w, "  %-18s %-4s %s\n", q.text, name, strings.Join(list, ", "))
		}
	}

	var script int64
	var binExtra []string
	for qi := range r.queries {
		o := r.stats[qi][0]
		script = o[0].script
		binExtra = append(binExtra, kib(float64(o[0].unzippedBin)))
	}
	fmt.Fprintf(w, "\n  ours idx: manifest (fetched on focus) + term shards + result chunks. ours+js adds search.js (%s KB), loaded with\n", kib(float64(script)))
	fmt.Fprintf(w, "  every page before typing starts. PF all: everything Pagefind fetched after the call: pagefind.js, its worker,\n")
	fmt.Fprintf(w, "  the wasm, entry, meta, index chunks and the fragments of the top %d results; PF idx leaves out the JS and wasm.\n", pagefindTop)
	fmt.Fprintf(w, "  Bytes are encodedDataLength from Network.loadingFinished (headers included); gzip for text, JSON, JS and .bin.\n")
	fmt.Fprintf(w, "  If a host sent .bin uncompressed, ours would move more per query (KB): %s.\n", strings.Join(binExtra, " "))
	fmt.Fprintf(w, "  ours ms runs from the input event to the first result in the DOM. The query arrives in one input event, as a paste\n")
	fmt.Fprintf(w, "  or the first keystroke after a pause does, which the box runs at once; keystrokes in quick succession wait 100 ms.\n")
	fmt.Fprintf(w, "  PF ms runs from calling import(pagefind.js) (no debounce; Pagefind's own UI waits 300 ms) to the results in the DOM.\n")
	fmt.Fprintf(w, "  Pagefind indexes the same pages (--glob over the section folders); absolute times on a busy 2-core machine are noise.\n")
	if r.pagefind {
		fmt.Fprintf(w, "\n  worst ratio ours/Pagefind: bytes %.2f, time %.2f; target <= %.2f\n",
			worstBytes, worstTime, targetRatio)
		if len(misses) > 0 {
			fmt.Fprintf(w, "  rare words whose page did not come first on both sides: %s\n", strings.Join(misses, ", "))
		}
	}
	if r.pagefind {
		var pauses []time.Duration
		for qi := range r.queries {
			for _, p := range r.stats[qi][1] {
				pauses = append(pauses, p.pause)
			}
		}
		fmt.Fprintf(w, "  Pagefind's worker was paused at start for the benchmark to attach to it (median %s); PF ms leaves the pause out.\n",
			fmtDur(median(pauses)))
	}
	for si, name := range []string{"ours", "Pagefind"} {
		var files []string
		for qi := range r.queries {
			if si >= len(r.stats[qi]) {
				continue
			}
			for _, p := range r.stats[qi][si] {
				for _, f := range p.fromServer {
					if !slices.Contains(files, f) {
						files = append(files, f)
					}
				}
			}
		}
		if len(files) > 0 {
			fmt.Fprintf(w, "  %s: body bytes from the server's log, which the browser did not count: %s\n", name, strings.Join(files, " "))
		}
	}
}

func share(part, whole time.Duration) string {
	if part <= 0 || whole <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*part.Seconds()/whole.Seconds())
}

// pageTitles maps the URL path of every corpus page and section to its title.
func pageTitles(files map[string][]byte) map[string]string {
	out := map[string]string{}
	for name, src := range files {
		if !strings.HasPrefix(name, "content/") || !strings.HasSuffix(name, ".md") {
			continue
		}
		u := pageURL(name)
		if path.Base(name) == "_index.md" {
			u = path.Dir(strings.TrimPrefix(name, "content")) + "/"
			u = strings.Replace(u, "//", "/", 1)
		}
		for _, line := range strings.Split(string(src), "\n") {
			if v, ok := strings.CutPrefix(line, "title: "); ok {
				if uq, err := strconv.Unquote(v); err == nil {
					v = uq
				}
				out[u] = v
				break
			}
		}
	}
	return out
}

// titleHits counts the first results whose title holds every word of the
// query (the same stem; for a prefix query, a word that starts with it).
func titleHits(q searchQuery, top []string, titles map[string]string) int {
	n := 0
	want := search.Terms(q.text, "en")
	for _, u := range top[:min(pagefindTop, len(top))] {
		have := search.Terms(titles[u], "en")
		all := len(want) > 0
		for _, w := range want {
			if !slices.ContainsFunc(have, func(h string) bool { return h == w || q.kind == "prefix" && strings.HasPrefix(h, w) }) {
				all = false
			}
		}
		if all {
			n++
		}
	}
	return n
}

// topCheck describes the first results: for a rare word whether each side put
// its page first, otherwise whether both sides agree.
func topCheck(q searchQuery, ours, theirs []string) string {
	first := func(l []string) string {
		if len(l) == 0 {
			return ""
		}
		return l[0]
	}
	if q.want != "" {
		o, t := first(ours) == q.want, first(theirs) == q.want
		switch {
		case theirs == nil && o:
			return "ours ✓"
		case theirs == nil:
			return "ours ✗"
		case o && t:
			return "both ✓"
		case o:
			return "PF ✗"
		case t:
			return "ours ✗"
		}
		return "both ✗"
	}
	if theirs == nil {
		return "-"
	}
	if first(ours) != "" && first(ours) == first(theirs) {
		return "same"
	}
	return "differ"
}

// overlap counts the URLs among the first n of a that are among the first n of b.
func overlap(a, b []string, n int) int {
	a, b = a[:min(n, len(a))], b[:min(n, len(b))]
	c := 0
	for _, u := range a {
		if slices.Contains(b, u) {
			c++
		}
	}
	return c
}
