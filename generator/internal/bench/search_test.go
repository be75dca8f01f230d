package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"rahnuma/generator"
	"rahnuma/generator/browsertest"
	"rahnuma/generator/internal/corpus"
)

func TestPageText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"---\ntitle: \"Tax Rate\"\ndescription: \"Rates.\"\ndate: 2021-01-01\nweight: 3\n---\n\nBody text.\n",
			" \"Tax Rate\"\n \"Rates.\"\n\nBody text.\n"},
		{"---\ntitle: T\n---\nA\n```go\nreturn true\n```\nB\n", " T\nA\nB\n"},
		{"no front matter\n", "no front matter\n"},
		{"---\ntitle: unclosed\n", "---\ntitle: unclosed\n"},
	} {
		if got := string(pageText([]byte(tc.in))); got != tc.want {
			t.Errorf("pageText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHeadingWords(t *testing.T) {
	src := "---\ntitle: \"Cash Flow\"\ndescription: \"Not this.\"\n---\n\nBody words.\n\n" +
		"## Overview {#overview}\n\n### Bank-Fees 2024\n\n```bash\n# Comment the code\n```\n\n#### Last\n"
	want := []string{"cash", "flow", "overview", "bank", "fees", "last"}
	if got := headingWords([]byte(src)); !reflect.DeepEqual(got, want) {
		t.Errorf("headingWords = %q, want %q", got, want)
	}
}

func TestPickQueries(t *testing.T) {
	files := corpus.Files(corpus.Options{Pages: 60, Sections: 3, Seed: 1})
	qs, err := pickQueries(files)
	if err != nil {
		t.Fatal(err)
	}
	again, err := pickQueries(files)
	if err != nil || !reflect.DeepEqual(qs, again) {
		t.Fatalf("pickQueries is not deterministic: %v then %v (%v)", qs, again, err)
	}
	kinds := map[string]int{}
	for _, q := range qs {
		kinds[q.kind]++
		switch q.kind {
		case "rare":
			var holders []string
			for name, b := range files {
				if bytes.Contains(b, []byte(q.text)) {
					holders = append(holders, pageURL(name))
				}
			}
			if len(holders) != 1 || holders[0] != q.want {
				t.Errorf("rare word %q is in %v, want only in %s", q.text, holders, q.want)
			}
		case "common", "two words", "prefix":
			if q.want != "" {
				t.Errorf("%s query %q expects page %s", q.kind, q.text, q.want)
			}
			for _, w := range strings.Fields(q.text) {
				if slices.Contains([]string{"title", "description", "date", "weight", "tags", "reviewed"}, w) {
					t.Errorf("%s query %q uses the front matter key %q", q.kind, q.text, w)
				}
			}
		default:
			t.Errorf("query %q has unknown kind %q", q.text, q.kind)
		}
	}
	if kinds["rare"] != 3 || kinds["common"] != 2 || kinds["two words"] != 2 || kinds["prefix"] != 1 {
		t.Errorf("query kinds %v, want 3 rare, 2 common, 2 two words, 1 prefix", kinds)
	}
	if _, err := pickQueries(map[string][]byte{"content/_index.md": []byte("x")}); err == nil {
		t.Error("pickQueries of a corpus without pages: no error")
	}
}

func TestPageURL(t *testing.T) {
	if got := pageURL("content/s03/p0042.md"); got != "/s03/p0042/" {
		t.Errorf("pageURL = %q", got)
	}
	files := map[string][]byte{"content/_index.md": nil, "content/s02/_index.md": nil, "content/s01/p1.md": nil, "content/s02/p2.md": nil}
	if got := topFolders(files); !reflect.DeepEqual(got, []string{"s01", "s02"}) {
		t.Errorf("topFolders = %q", got)
	}
	if isCorpusPage("content/s01/_index.md") || !isCorpusPage("content/s01/p0001.md") {
		t.Error("isCorpusPage mistakes a section for a page or the other way")
	}
}

func TestServer(t *testing.T) {
	dir := t.TempDir()
	html := strings.Repeat("<p>text that compresses well</p>\n", 50)
	bin := bytes.Repeat([]byte{1, 2, 3, 4}, 500)
	pre := gzipBytes([]byte(strings.Repeat("already compressed ", 50)))
	for name, body := range map[string][]byte{
		"index.html":     []byte(html),
		"sub/index.html": []byte(html),
		"s/x.bin":        bin,
		"p/a.pf_index":   pre,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := startServer(dir, map[string][]byte{"/mem.html": []byte("<p>from memory</p>")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()

	get := func(method, p, accept string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, s.url+p, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", accept) // set by hand: the client then does not decompress
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}
	gunzip := func(b []byte) string {
		t.Helper()
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}

	for _, tc := range []struct {
		path, accept, want string // want: the body after any decompression
		gzipped            bool
		ctype              string
	}{
		{"/", "gzip", html, true, "text/html; charset=utf-8"},
		{"/sub", "gzip, br", html, true, "text/html; charset=utf-8"},
		{"/sub/", "identity", html, false, "text/html; charset=utf-8"},
		{"/s/x.bin", "gzip", string(bin), true, "application/octet-stream"},
		{"/p/a.pf_index", "gzip", string(pre), false, "application/x-gzip"},
		{"/mem.html", "gzip", "<p>from memory</p>", true, "text/html; charset=utf-8"},
	} {
		mark := s.mark()
		res, b := get(http.MethodGet, tc.path, tc.accept)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d", tc.path, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		gz := res.Header.Get("Content-Encoding") == "gzip"
		body := string(b)
		if gz {
			body = gunzip(b)
		}
		if gz != tc.gzipped || body != tc.want {
			t.Errorf("GET %s (Accept-Encoding %q): gzip %v, body %d bytes; want gzip %v, %d bytes", tc.path, tc.accept, gz, len(body), tc.gzipped, len(tc.want))
		}
		log := s.since(mark)
		if len(log) != 1 || log[0].path != tc.path || log[0].raw != len(tc.want) || log[0].sent != len(b) {
			t.Errorf("GET %s: log %+v, want one entry with raw %d, sent %d", tc.path, log, len(tc.want), len(b))
		}
	}
	if res, _ := get(http.MethodGet, "/missing.html", "gzip"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /missing.html: status %d, want 404", res.StatusCode)
	}
	if res, _ := get(http.MethodPost, "/", "gzip"); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d, want 405", res.StatusCode)
	}
}

func TestProbeCount(t *testing.T) {
	const base = "http://127.0.0.1:1"
	reqs := []netReq{
		{url: base + "/pagefind/pagefind.js", phase: 0, bytes: 999},                        // before typing: not counted
		{url: base + "/pagefind/pagefind.js", phase: 1, bytes: 13600},                      // code
		{url: base + "/pagefind/pagefind-worker.js", phase: 1, bytes: 197},                 // headers only
		{url: base + "/pagefind/pagefind-entry.json?ts=1", phase: 1, bytes: 350},           // query string dropped
		{url: base + "/pagefind/wasm.en.pagefind", phase: 1, bytes: 59900},                 // code
		{url: base + "/search/en/manifest.json", phase: 1, bytes: 4000},                    // another prefix
		{url: "http://elsewhere/pagefind/pagefind.js", phase: 1, bytes: 5},                 // another host
		{url: base + "/pagefind/fragment/en_1.pf_fragment", phase: 1, bytes: 2000},         // index
		{url: base + "/pagefind/fragment/en_2.pf_fragment", phase: 1, bytes: 1900},         // index
		{url: base + "/pagefind/index/en_1.pf_index", phase: 1, bytes: 26000, fails: true}, // counted as reported
	}
	sent := []served{
		{path: "/pagefind/pagefind.js", raw: 47000, sent: 13400},
		{path: "/pagefind/pagefind-worker.js", raw: 43000, sent: 12400},
		{path: "/pagefind/pagefind-entry.json", raw: 174, sent: 166},
		{path: "/pagefind/wasm.en.pagefind", raw: 59758, sent: 59758},
		{path: "/pagefind/pf_meta_only_server", raw: 7000, sent: 7000}, // the browser missed it
		{path: "/search/en/s-1.bin", raw: 16000, sent: 8000},
	}
	var p probe
	p.count(reqs, sent, base, "/pagefind/", isPagefindCode)
	if want := int64(13600 + 197 + 12400 + 59900); p.code != want {
		t.Errorf("code = %d, want %d", p.code, want)
	}
	if want := int64(350 + 2000 + 1900 + 26000 + 7000); p.index != want {
		t.Errorf("index = %d, want %d", p.index, want)
	}
	if p.reqs != 8 {
		t.Errorf("reqs = %d, want 8", p.reqs)
	}
	if want := []string{"pagefind-worker.js", "pf_meta_only_server"}; !reflect.DeepEqual(p.fromServer, want) {
		t.Errorf("fromServer = %q, want %q", p.fromServer, want)
	}
	if p.server != 13400+12400+166+59758+7000 || p.unzippedBin != 0 {
		t.Errorf("server = %d, unzippedBin = %d", p.server, p.unzippedBin)
	}

	var q probe
	q.count(reqs, sent, base, "/search/", nil)
	if q.index != 4000+8000 || q.code != 0 || q.reqs != 2 || q.unzippedBin != 8000 {
		t.Errorf("ours: index %d code %d reqs %d unzippedBin %d; want 12000 0 2 8000", q.index, q.code, q.reqs, q.unzippedBin)
	}
}

func TestTopCheck(t *testing.T) {
	rare := searchQuery{kind: "rare", text: "w", want: "/a/"}
	common := searchQuery{kind: "common", text: "w"}
	for _, tc := range []struct {
		q            searchQuery
		ours, theirs []string
		want         string
	}{
		{rare, []string{"/a/"}, []string{"/a/", "/b/"}, "both ✓"},
		{rare, []string{"/b/", "/a/"}, []string{"/a/"}, "ours ✗"},
		{rare, []string{"/a/"}, []string{"/b/"}, "PF ✗"},
		{rare, nil, []string{}, "both ✗"},
		{rare, []string{"/a/"}, nil, "ours ✓"},
		{common, []string{"/a/"}, []string{"/a/"}, "same"},
		{common, []string{"/a/"}, []string{"/b/"}, "differ"},
		{common, []string{}, []string{}, "differ"},
		{common, []string{"/a/"}, nil, "-"},
	} {
		if got := topCheck(tc.q, tc.ours, tc.theirs); got != tc.want {
			t.Errorf("topCheck(%s, %q, %q) = %q, want %q", tc.q.kind, tc.ours, tc.theirs, got, tc.want)
		}
	}
	if got := overlap([]string{"/a/", "/b/", "/c/"}, []string{"/c/", "/a/", "/d/"}, 2); got != 1 {
		t.Errorf("overlap of the first 2 = %d, want 1", got)
	}
}

func TestResultPath(t *testing.T) {
	for in, want := range map[string]string{
		"/s01/p0001/#overview":                "/s01/p0001/",
		"/s01/p0001/index.html":               "/s01/p0001/",
		"http://127.0.0.1:5/s01/p0001/?q=1":   "/s01/p0001/",
		"/s01/":                               "/s01/",
		"http://127.0.0.1:5/s01/index.html#x": "/s01/",
	} {
		if got := resultPath(in); got != want {
			t.Errorf("resultPath(%q) = %q, want %q", in, got, want)
		}
	}
	if got := urlPath("http://h:1/a/b.js?x=1#y", "http://h:1"); got != "/a/b.js" {
		t.Errorf("urlPath = %q", got)
	}
	if got := urlPath("http://other/a", "http://h:1"); got != "" {
		t.Errorf("urlPath of another host = %q, want \"\"", got)
	}
}

// TestSearchBrowser builds a small corpus and runs the benchmark's
// measurement of our search box in Chromium, and of Pagefind when the
// environment names its binary (PAGEFIND=.../node_modules/.bin/pagefind).
func TestSearchBrowser(t *testing.T) {
	chromium := browsertest.Path()
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is required under CI=true (apt-get install chromium)")
		}
		t.Skip("Chromium not found: install Debian's chromium to run browser tests")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	root, err := moduleRoot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opts := corpus.Options{Pages: 40, Sections: 2, Seed: 3}
	files := corpus.Files(opts)
	queries, err := pickQueries(files)
	if err != nil {
		t.Fatal(err)
	}
	src, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	if err := corpus.Write(src, opts); err != nil {
		t.Fatal(err)
	}
	o, _, err := generator.Build(ctx, generator.Source{Site: os.DirFS(src), Theme: os.DirFS(root)}, generator.Options{BaseURL: baseURL})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.WriteDir(ctx, out); err != nil {
		t.Fatal(err)
	}
	pagefind := os.Getenv("PAGEFIND")
	if pagefind != "" {
		c := command{dir: out, name: pagefind, args: []string{"--site", out, "--output-subdir", "pagefind", "--glob", "{s01,s02}/**/*.html"}}
		if _, said, err := runTimed(ctx, c); err != nil {
			t.Fatal(err)
		} else if got := pagefindPages(string(said)); got != "Indexed 42 pages" {
			t.Errorf("pagefind said %q, want Indexed 42 pages", got)
		}
	}

	srv, err := startServer(out, map[string][]byte{harnessPath: harnessPage()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.close()
	bctx, stop, err := browsertest.Start(ctx, chromium, 1024, 768)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	q := queries[0]
	p, err := measureOurs(bctx, srv, q.text)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.top) == 0 || p.top[0] != q.want {
		t.Errorf("ours: %q gave %q, want %s first", q.text, p.top, q.want)
	}
	// The manifest, one term shard and one result chunk, none of them empty.
	if p.reqs != 3 || p.index < 3*200 || p.script <= 0 || p.ms <= 0 || p.code != 0 {
		t.Errorf("ours: %d requests, %d index bytes, script %d bytes, %v ms, code %d", p.reqs, p.index, p.script, p.ms, p.code)
	}
	if len(p.fromServer) > 0 {
		t.Errorf("ours: the browser missed %q", p.fromServer)
	}
	if _, err := measureOurs(bctx, srv, "zzzzzzzzqqqq"); err == nil || !strings.Contains(err.Error(), "no results") {
		t.Errorf("ours: a query without results gave error %v, want one saying no results", err)
	}

	if pagefind == "" {
		t.Log("PAGEFIND not set: Pagefind's side not tested (npm install --prefix DIR pagefind@" + pagefindVersion + ")")
		return
	}
	p, err = measurePagefind(bctx, srv, q.text)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.top) == 0 || p.top[0] != q.want {
		t.Errorf("pagefind: %q gave %q, want %s first", q.text, p.top, q.want)
	}
	// pagefind.js, its worker and the wasm are code; entry, meta, a chunk and a fragment are index.
	if p.code < 3*1000 || p.index <= 0 || p.reqs < 7 || p.ms <= 0 {
		t.Errorf("pagefind: code %d bytes, index %d bytes, %d requests, %v ms", p.code, p.index, p.reqs, p.ms)
	}
}

func TestTitles(t *testing.T) {
	files := map[string][]byte{
		"content/_index.md":     []byte("---\ntitle: \"Home\"\n---\n"),
		"content/s01/_index.md": []byte("---\ntitle: \"Section 1: Tax Rates\"\n---\n"),
		"content/s01/p0001.md":  []byte("---\ntitle: \"Consulting Limits\"\ndescription: \"x\"\n---\n\ntitle: not this\n"),
		"content/s01/p0002.md":  []byte("---\ntitle: Quarterly Rate\n---\n"),
		"content/s01/notes.txt": []byte("title: ignored"),
	}
	titles := pageTitles(files)
	want := map[string]string{"/": "Home", "/s01/": "Section 1: Tax Rates", "/s01/p0001/": "Consulting Limits", "/s01/p0002/": "Quarterly Rate"}
	if !reflect.DeepEqual(titles, want) {
		t.Errorf("pageTitles = %q, want %q", titles, want)
	}
	top := []string{"/s01/", "/s01/p0001/", "/s01/p0002/", "/missing/"}
	for _, tc := range []struct {
		q    searchQuery
		want int
	}{
		{searchQuery{kind: "common", text: "limit"}, 1},       // same stem as "Limits"
		{searchQuery{kind: "common", text: "rates"}, 2},       // "Rates" and "Rate"
		{searchQuery{kind: "two words", text: "rate tax"}, 1}, // both words: the section only
		{searchQuery{kind: "prefix", text: "quar"}, 1},
		{searchQuery{kind: "common", text: "quar"}, 0}, // not a prefix query: whole words only
		{searchQuery{kind: "common", text: "   "}, 0},
	} {
		if got := titleHits(tc.q, top, titles); got != tc.want {
			t.Errorf("titleHits(%s %q) = %d, want %d", tc.q.kind, tc.q.text, got, tc.want)
		}
	}
}
