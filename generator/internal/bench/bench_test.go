package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"rahnuma/generator/internal/corpus"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{5}, 5},
		{[]time.Duration{9, 1, 5}, 5},
		{[]time.Duration{4, 1, 3, 2}, 2}, // (2+3)/2 in integer nanoseconds
		{[]time.Duration{10, 30, 20, 40}, 25},
	} {
		in := append([]time.Duration(nil), tc.in...)
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Errorf("median reordered its input: %v", tc.in)
			}
		}
	}
}

func TestResult(t *testing.T) {
	r := result{samples: []sample{
		{wall: 3 * time.Second, cpu: 5 * time.Second, rss: 100},
		{wall: 1 * time.Second, cpu: 2 * time.Second, rss: 300},
		{wall: 2 * time.Second, cpu: 4 * time.Second, rss: 200},
	}}
	if r.median() != 2*time.Second || r.min() != time.Second || r.medianCPU() != 4*time.Second || r.peakRSS() != 300 {
		t.Errorf("median %v min %v cpu %v rss %d; want 2s 1s 4s 300", r.median(), r.min(), r.medianCPU(), r.peakRSS())
	}
	var empty result
	if empty.median() != 0 || empty.min() != 0 || empty.peakRSS() != 0 {
		t.Errorf("empty result: median %v min %v rss %d, want zeros", empty.median(), empty.min(), empty.peakRSS())
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{fmtDur(0), "-"},
		{fmtDur(1234 * time.Microsecond), "1ms"},
		{fmtDur(456 * time.Millisecond), "456ms"},
		{fmtDur(2346 * time.Millisecond), "2.35s"},
		{fmtDur(83 * time.Second), "83.0s"},
		{fmtBytes(0), "-"},
		{fmtBytes(2048), "2 KB"},
		{fmtBytes(300 << 20), "300 MB"},
		{ratio(6, 2), "3.00x"},
		{ratio(1, 0), "-"},
		{ratio(0, 1), "-"},
		{pagesPerSec(1000, 2*time.Second), "500"},
		{pagesPerSec(1000, 0), "-"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestStripFrontMatter(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"---\ntitle: x\n---\nbody\n", "body\n"},
		{"---\n---\nbody", "body"},
		{"no front matter\n", "no front matter\n"},
		{"---\ntitle: x\nnever closed\n", "---\ntitle: x\nnever closed\n"},
		{"---\na: 1\nb: 2\n---\n## H\n---\nafter rule\n", "## H\n---\nafter rule\n"},
	} {
		if got := string(stripFrontMatter([]byte(tc.in))); got != tc.want {
			t.Errorf("stripFrontMatter(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestGoldmark(t *testing.T) {
	files := corpus.Files(corpus.Options{Pages: 24, Sections: 4})
	bodies := markdownBodies(files)
	if len(bodies) != len(files) {
		t.Fatalf("%d bodies from %d files", len(bodies), len(files))
	}
	page := stripFrontMatter(files["content/s02/p0006.md"])
	for _, highlight := range []bool{false, true} {
		var buf bytes.Buffer
		if err := newGoldmark(highlight).Convert(page, &buf); err != nil {
			t.Fatal(err)
		}
		html := buf.String()
		for _, want := range []string{`<h2 id="overview">Overview</h2>`, "<table>", `<th style="text-align:right">`, "<ol>", "<ul>", `href="p00`} {
			if !strings.Contains(html, want) {
				t.Errorf("highlight=%v: output has no %q", highlight, want)
			}
		}
		if got := strings.Contains(html, `class="chroma"`); got != highlight {
			t.Errorf("highlight=%v: chroma classes present = %v", highlight, got)
		}
		if strings.Contains(html, "style=\"color") {
			t.Errorf("highlight=%v: inline colour styles in output", highlight)
		}
	}

	// The total is the same however many goroutines share the work.
	var sizes []int64
	for _, workers := range []int{1, 3} {
		_, n, err := convertAll(bodies, workers, false)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, n)
	}
	if sizes[0] == 0 || sizes[0] != sizes[1] {
		t.Errorf("HTML bytes with 1 and 3 goroutines: %v; want equal and non-zero", sizes)
	}
}

func TestCountFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"index.html", "a/index.html", "a/b/index.html", "sitemap.xml", "a/x.css"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := countFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c != (fileCount{files: 5, html: 3}) {
		t.Errorf("countFiles = %+v, want 5 files, 3 html", c)
	}
}

func TestRunFlags(t *testing.T) {
	var names []string
	for _, b := range benchmarks() {
		names = append(names, b.name)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-what", "nope"}, `unknown benchmark -what "nope" (have: ` + strings.Join(names, ", ") + ")"},
		{[]string{"-runs", "0"}, "at least 1"},
		{[]string{"extra"}, "unexpected arguments: extra"},
		{[]string{"-pages", "x"}, "invalid value"},
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), tc.args, &bytes.Buffer{}, &stderr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}

// TestMain lets the test binary stand in for a tool to time: with
// BENCH_HELPER_MB set it touches that many megabytes and exits.
func TestMain(m *testing.M) {
	if mb := os.Getenv("BENCH_HELPER_MB"); mb != "" {
		var n int
		fmt.Sscan(mb, &n)
		b := make([]byte, n<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		fmt.Println("touched", n, "MB", b[len(b)/2])
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestRunTimed(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	t.Setenv("BENCH_HELPER_MB", "64")
	s, out, err := runTimed(context.Background(), command{dir: t.TempDir(), name: self})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "touched 64 MB") {
		t.Errorf("stdout %q", out)
	}
	if s.wall <= 0 {
		t.Errorf("wall time %v", s.wall)
	}
	if runtime.GOOS == "linux" && (s.rss < 64<<20 || s.rss > 1<<30) {
		t.Errorf("peak RSS %d bytes for a process that touched 64 MB", s.rss)
	}

	t.Setenv("BENCH_HELPER_MB", "")
	_, _, err = runTimed(context.Background(), command{dir: t.TempDir(), name: self, args: []string{"-test.run=^$", "-no-such-flag"}})
	if err == nil || !strings.Contains(err.Error(), "no-such-flag") {
		t.Errorf("failing command: error %v, want one quoting its stderr", err)
	}
}

func hugoOrSkip(t *testing.T) string {
	t.Helper()
	bin := findHugo("hugo")
	if bin == "" {
		bin = findHugo("/usr/bin/hugo")
	}
	if bin == "" {
		t.Skip("hugo is not installed (Debian package hugo); skipping the Hugo layout test")
	}
	return bin
}

// TestHugoSite builds a small corpus with the embedded Hugo site and checks
// that the layouts produce what Rahnuma's theme does: every page, links to
// .md files rewritten to page URLs, nav, breadcrumbs, TOC, prev/next, tags,
// highlighted code with classes, section summaries, taxonomy pages.
func TestHugoSite(t *testing.T) {
	bin := hugoOrSkip(t)
	dir := t.TempDir()
	src, site, out := filepath.Join(dir, "corpus"), filepath.Join(dir, "site"), filepath.Join(dir, "out")
	opts := corpus.Options{Pages: 60, Sections: 3, Seed: 2}
	if err := corpus.Write(src, opts); err != nil {
		t.Fatal(err)
	}
	if err := writeHugoSite(site); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runTimed(context.Background(), hugoCommand(bin, site, filepath.Join(src, "content"), out, false)); err != nil {
		t.Fatal(err)
	}

	read := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, p := range []string{"index.html", "404.html", "sitemap.xml", "index.xml", "robots.txt", "tags/index.html", "tags/tax/index.html"} {
		read(p)
	}

	files := corpus.Files(opts)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	mdHref := regexp.MustCompile(`href="[^"]*\.md[#"]`)
	for _, name := range names {
		if strings.HasSuffix(name, "/_index.md") {
			continue
		}
		url := strings.TrimSuffix(strings.TrimPrefix(name, "content/"), ".md") + "/"
		html := read(url + "index.html")
		if m := mdHref.FindString(html); m != "" {
			t.Errorf("%s: link not rewritten: %s", url, m)
		}
		for _, dest := range corpus.Links(files[name]) {
			p, frag, _ := strings.Cut(dest, "#")
			want := "/" + strings.TrimSuffix(corpus.Resolve(strings.TrimPrefix(name, "content/"), p), ".md") + "/"
			if frag != "" {
				want += "#" + frag
			}
			if !strings.Contains(html, `href="`+want+`"`) {
				t.Errorf("%s: no link to %s (from %s)", url, want, dest)
			}
		}
		for _, want := range []string{
			`<nav class="site"`, `href="/` + url + `" aria-current="page"`, // nav with the current page marked
			`<nav class="breadcrumbs"`, `<nav id="TableOfContents">`, `<h2 id="overview">`,
			`class="chroma"`, `<ul class="tags">`, `<table>`, `<form role="search"`, `<input type="search"`,
		} {
			if !strings.Contains(html, want) {
				t.Errorf("%s: no %q", url, want)
			}
		}
		if !strings.Contains(html, `rel="prev"`) && !strings.Contains(html, `rel="next"`) {
			t.Errorf("%s: neither prev nor next link", url)
		}
		if strings.Contains(html, `style="color`) {
			t.Errorf("%s: inline highlight styles", url)
		}
	}
	sec := read("s02/index.html")
	if n := strings.Count(sec, "<li><a href=\"/s02/p"); n < 2*20 { // once in the nav, once in the list
		t.Errorf("s02/index.html lists %d page links, want 40", n)
	}
	if !strings.Contains(sec, "<p>") {
		t.Error("s02/index.html has no summaries")
	}
}

func TestHugoBrokenLink(t *testing.T) {
	bin := hugoOrSkip(t)
	dir := t.TempDir()
	src, site := filepath.Join(dir, "corpus"), filepath.Join(dir, "site")
	if err := corpus.Write(src, corpus.Options{Pages: 4, Sections: 1}); err != nil {
		t.Fatal(err)
	}
	if err := writeHugoSite(site); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(src, "content", "s01", "p0001.md")
	f, err := os.OpenFile(page, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "\nSee [gone](../s09/p0999.md).")
	f.Close()
	_, _, err = runTimed(context.Background(), hugoCommand(bin, site, filepath.Join(src, "content"), filepath.Join(dir, "out"), false))
	if err == nil {
		t.Fatal("hugo built a site with a broken link")
	}
	if !strings.Contains(err.Error(), `link to "../s09/p0999.md"`) {
		t.Errorf("error does not name the broken link: %v", err)
	}
}

func TestModuleRoot(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	root, err := moduleRoot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "generator", "internal", "bench", "main.go")); err != nil {
		t.Errorf("module root %s does not hold generator/internal/bench: %v", root, err)
	}
}

func TestPairedIncrease(t *testing.T) {
	s := func(wall, cpu float64) sample {
		return sample{wall: time.Duration(wall * float64(time.Second)), cpu: time.Duration(cpu * float64(time.Second))}
	}
	for _, tc := range []struct {
		name              string
		with, without     []sample
		wantWall, wantCPU float64 // NaN: none
	}{
		{"pairs in order", []sample{s(12, 20), s(11, 22), s(30, 21)}, []sample{s(10, 20), s(10, 20), s(10, 20)}, 0.2, 0.05},
		{"unpaired run ignored", []sample{s(11, 11)}, []sample{s(10, 10), s(1, 1)}, 0.1, 0.1},
		{"cpu unknown", []sample{s(12, 0)}, []sample{s(10, 0)}, 0.2, math.NaN()},
		{"no pairs", nil, []sample{s(10, 10)}, math.NaN(), math.NaN()},
	} {
		wall, cpu := pairedIncrease(tc.with, tc.without)
		same := func(got, want float64) bool {
			return math.IsNaN(got) && math.IsNaN(want) || math.Abs(got-want) < 1e-9
		}
		if !same(wall, tc.wantWall) || !same(cpu, tc.wantCPU) {
			t.Errorf("%s: got %v, %v; want %v, %v", tc.name, wall, cpu, tc.wantWall, tc.wantCPU)
		}
	}
}

// TestNoIndexBuild checks the build the build benchmark compares against: with
// --no-search-index the binary writes the same site without the search index
// (search/<lang>/), and only that.
func TestNoIndexBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	ctx := context.Background()
	root, err := moduleRoot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "corpus")
	if err := corpus.Write(src, corpus.Options{Pages: 30, Sections: 2, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "rahnuma")
	if err := goBuild(ctx, root, bin); err != nil {
		t.Fatal(err)
	}
	trees := map[string]map[string]bool{}
	for _, flags := range [][]string{nil, {"--no-search-index"}} {
		name := "rahnuma" + strings.Join(flags, "")
		out := filepath.Join(dir, "out-"+name)
		if _, _, err := runTimed(ctx, command{dir: dir, name: bin, args: append([]string{"build", "--src", src, "--out", out}, flags...)}); err != nil {
			t.Fatal(err)
		}
		files := map[string]bool{}
		err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(out, p)
				files[filepath.ToSlash(rel)] = true
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		trees[name] = files
	}
	with, without := trees["rahnuma"], trees["rahnuma--no-search-index"]
	index := regexp.MustCompile(`^search/[a-z]+/`)
	for f := range with {
		if !without[f] && !index.MatchString(f) {
			t.Errorf("the no-index build lacks %s", f)
		}
	}
	var searchFiles int
	for f := range without {
		if !with[f] {
			t.Errorf("the no-index build has %s, which the normal build has not", f)
		}
		if index.MatchString(f) {
			t.Errorf("the no-index build wrote %s", f)
		}
	}
	for f := range with {
		if index.MatchString(f) {
			searchFiles++
		}
	}
	if searchFiles == 0 {
		t.Error("the normal build wrote no search index: the comparison is void")
	}
}

// TestFuzzTargetsComplete keeps fuzzTargets in step with the fuzz targets in the source.
func TestFuzzTargetsComplete(t *testing.T) {
	root, err := moduleRoot(context.Background())
	if err != nil {
		t.Skip(err)
	}
	listed := map[string]bool{}
	for _, ft := range fuzzTargets {
		listed[ft.pkg+" "+ft.name] = true
	}
	decl := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`)
	found := 0
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		for _, m := range decl.FindAllStringSubmatch(string(src), -1) {
			found++
			if key := "./" + filepath.ToSlash(rel) + " " + m[1]; !listed[key] {
				t.Errorf("%s is not in fuzzTargets", key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found != len(fuzzTargets) {
		t.Errorf("found %d fuzz targets in the source, fuzzTargets lists %d", found, len(fuzzTargets))
	}
}
