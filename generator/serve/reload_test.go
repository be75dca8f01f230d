package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"rahnuma/generator"
)

func TestChangeKind(t *testing.T) {
	for _, tc := range []struct {
		changed []string
		want    string
	}{
		{[]string{"assets/css/site.css"}, kindCSS},
		{[]string{"assets/css/a.css", "assets/css/b.css"}, kindCSS},
		{[]string{"content/en/x.md"}, kindContent},
		{[]string{"content/en/x.md", "assets/css/site.css"}, kindContent},
		{[]string{"content/en/newfolder"}, kindContent},
		{[]string{"content/en/x.md", "layouts/page.html"}, kindReload},
		{[]string{"layouts/partials/menu.html"}, kindReload},
		{[]string{"assets/js/search.js"}, kindReload},
		{[]string{"content/en/bundle/photo.png"}, kindReload},
		{[]string{"site.toml"}, kindReload},
		{[]string{"i18n/ur.toml"}, kindReload},
	} {
		if got := changeKind(tc.changed); got != tc.want {
			t.Errorf("changeKind(%q) = %s, want %s", tc.changed, got, tc.want)
		}
	}
}

func TestSourceLines(t *testing.T) {
	src := []byte("one\ntwo\r\nthree\nfour\nfive\nsix\nseven\neight")
	for _, tc := range []struct {
		line, around int
		want         string
	}{
		{1, 2, "1:one 2:two 3:three"},
		{4, 1, "3:three 4:four 5:five"},
		{8, 2, "6:six 7:seven 8:eight"},
		{5, 3, "2:two 3:three 4:four 5:five 6:six 7:seven 8:eight"},
		{20, 2, ""},
	} {
		var got []string
		for _, l := range sourceLines(src, tc.line, tc.around) {
			got = append(got, fmt.Sprintf("%d:%s", l.N, l.Text))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("sourceLines(line %d ±%d) = %q, want %q", tc.line, tc.around, got, tc.want)
		}
	}
	if got := sourceLines(nil, 3, 2); got != nil {
		t.Errorf("no source: %v", got)
	}
	long := sourceLines([]byte(strings.Repeat("ب", 1000)), 1, 0)
	if n := len([]rune(long[0].Text)); n != 241 {
		t.Errorf("long line kept %d runes, want 240 and an ellipsis", n)
	}
}

func TestReloadEdits(t *testing.T) {
	t.Parallel()
	ts := startServer(t, writeSite(t, baseSite), serverOpts{watch: true, debounce: 10 * time.Millisecond})
	ts.waitText("/guide/alpha/", 200, "Alpha text here.")

	// Edit: the new text is served.
	saveByRename(t, ts.dir, "content/en/guide/alpha.md", "---\ntitle: Alpha\nweight: 1\n---\nAlpha text, edited.\n")
	ts.waitText("/guide/alpha/", 200, "Alpha text, edited.")

	// A title change reaches the section list too.
	writeFile(t, ts.dir, "content/en/guide/beta.md", "---\ntitle: Beta Renamed\nweight: 2\n---\nBeta text here.\n")
	ts.waitText("/guide/", 200, "Beta Renamed")

	// A new page in a new folder.
	// Saved in one step: a plain create-then-write leaves an empty file for a moment, which
	// is reported as an error by design (the half-written-save test covers that case).
	saveByRename(t, ts.dir, "content/en/more/gamma.md", "---\ntitle: Gamma\n---\nGamma text.\n")
	ts.waitText("/more/gamma/", 200, "Gamma text.")

	// Rename: the old URL is gone at once, the new one is there.
	if err := os.Rename(filepath.Join(ts.dir, "content/en/more/gamma.md"), filepath.Join(ts.dir, "content/en/more/delta.md")); err != nil {
		t.Fatal(err)
	}
	ts.waitText("/more/delta/", 200, "Gamma text.")
	if code, _, _ := ts.get("/more/gamma/"); code != 404 {
		t.Errorf("renamed page's old URL: %d, want 404", code)
	}

	// Delete.
	if err := os.Remove(filepath.Join(ts.dir, "content/en/more/delta.md")); err != nil {
		t.Fatal(err)
	}
	ts.waitText("/more/delta/", 404, scriptTag)

	// A deleted folder takes its pages along.
	writeFile(t, ts.dir, "content/en/more/eps.md", "---\ntitle: Eps\n---\nEps text.\n")
	ts.waitText("/more/eps/", 200, "Eps text.")
	if err := os.RemoveAll(filepath.Join(ts.dir, "content/en/more")); err != nil {
		t.Fatal(err)
	}
	ts.waitText("/more/eps/", 404, scriptTag)

	if s := ts.stderr.String(); s != "" {
		t.Errorf("stderr: %s", s)
	}
	if n := strings.Count(ts.stdout.String(), "rebuilt in"); n < 7 {
		t.Errorf("stdout shows %d rebuilds, want at least 7:\n%s", n, ts.stdout.String())
	}
}

func TestReloadErrorsAndRecovery(t *testing.T) {
	t.Parallel()
	ts := startServer(t, writeSite(t, baseSite), serverOpts{watch: true, debounce: 10 * time.Millisecond})
	events := ts.subscribe()
	hello := events.next()
	if hello.Type != "hello" || hello.Version == "" || len(hello.Errors) != 0 {
		t.Fatalf("hello = %+v", hello)
	}

	// Break the front matter on line 3: an unknown key.
	const broken = "---\ntitle: Alpha\ndtae: 2024-01-01\n---\nAlpha text, broken.\n"
	writeFile(t, ts.dir, "content/en/guide/alpha.md", broken)
	ev := events.next()
	if ev.Type != "errors" || ev.Version != hello.Version || len(ev.Errors) == 0 {
		t.Fatalf("after breaking: %+v", ev)
	}
	var p Problem
	ts.eventually("errors endpoint lists the problem", func() string {
		errs := ts.errorsNow().Errors
		if len(errs) == 0 {
			return "no errors"
		}
		p = errs[0]
		return ""
	})
	if p.File != "content/en/guide/alpha.md" || p.Line != 3 || !strings.HasPrefix(p.Text, "content/en/guide/alpha.md:3: ") {
		t.Fatalf("problem = %+v, want content/en/guide/alpha.md:3", p)
	}
	if !strings.Contains(p.Message, "dtae") {
		t.Errorf("message %q does not name the key", p.Message)
	}
	var lines []string
	for _, l := range p.Source {
		lines = append(lines, fmt.Sprintf("%d:%s", l.N, l.Text))
	}
	if want := []string{"1:---", "2:title: Alpha", "3:dtae: 2024-01-01", "4:---", "5:Alpha text, broken."}; !slices.Equal(lines, want) {
		t.Errorf("source lines %q, want %q", lines, want)
	}

	// The last good version is still served, complete, with the client that shows the overlay.
	body := ts.waitText("/guide/alpha/", 200, "Alpha text here.")
	if !strings.Contains(body, scriptTag) || strings.Contains(body, "broken") {
		t.Errorf("while broken, the page is not the last good one")
	}

	// While broken, an edit to another file is kept, and the error is printed only once.
	for range 5 {
		ts.get("/guide/alpha/")
	}
	writeFile(t, ts.dir, "content/en/guide/beta.md", "---\ntitle: Beta\nweight: 2\n---\nBeta edited while broken.\n")
	if ev := events.next(); ev.Type != "errors" || len(ev.Errors) != 1 {
		t.Fatalf("second failed reload: %+v", ev)
	}
	if n := strings.Count(ts.stderr.String(), "alpha.md:3:"); n != 1 {
		t.Errorf("error printed %d times, want once:\n%s", n, ts.stderr.String())
	}

	// Fix: the errors clear by themselves and both edits are served.
	writeFile(t, ts.dir, "content/en/guide/alpha.md", "---\ntitle: Alpha\nweight: 1\n---\nAlpha text, fixed.\n")
	ev = events.next()
	if ev.Type != kindContent || ev.Version == hello.Version || len(ev.Errors) != 0 {
		t.Fatalf("after the fix: %+v", ev)
	}
	if errs := ts.errorsNow().Errors; len(errs) != 0 {
		t.Errorf("errors after the fix: %+v", errs)
	}
	ts.waitText("/guide/alpha/", 200, "Alpha text, fixed.")
	ts.waitText("/guide/beta/", 200, "Beta edited while broken.")
	if !strings.Contains(ts.stdout.String(), "fixed; rebuilt in") {
		t.Errorf("stdout does not say it recovered:\n%s", ts.stdout.String())
	}
}

func TestHalfWrittenSave(t *testing.T) {
	t.Parallel()
	// An editor that writes in place can be caught mid-save: the overlay shows, the server
	// keeps serving, and the complete save clears it.
	ts := startServer(t, writeSite(t, baseSite), serverOpts{watch: true, debounce: 5 * time.Millisecond})
	events := ts.subscribe()
	events.next() // hello
	full := "---\ntitle: Alpha\nweight: 1\n---\nAlpha text, saved whole.\n"
	for _, cut := range []int{9, 16, 22} {
		writeFile(t, ts.dir, "content/en/guide/alpha.md", full[:cut])
		if ev := events.next(); ev.Type != "errors" || len(ev.Errors) == 0 {
			t.Fatalf("half-written (%q): %+v", full[:cut], ev)
		}
		ts.waitText("/guide/alpha/", 200, "Alpha text here.")
	}
	writeFile(t, ts.dir, "content/en/guide/alpha.md", full)
	if ev := events.next(); ev.Type != kindContent || len(ev.Errors) != 0 {
		t.Fatalf("whole save: %+v", ev)
	}
	ts.waitText("/guide/alpha/", 200, "Alpha text, saved whole.")
}

func TestEmptySaveReadAgain(t *testing.T) {
	t.Parallel()
	// Saving in place truncates the file, then writes it: a reload that reads the empty file
	// reads it again after a moment instead of flashing an error at the editor.
	ts := startServer(t, writeSite(t, baseSite), serverOpts{})
	const page = "content/en/guide/alpha.md"
	writeFile(t, ts.dir, page, "")
	written := make(chan struct{})
	go func() {
		defer close(written)
		time.Sleep(10 * time.Millisecond) // well inside the grace, well after the first read
		os.WriteFile(filepath.Join(ts.dir, filepath.FromSlash(page)), []byte("---\ntitle: Alpha\nweight: 1\n---\nAlpha, saved in place.\n"), 0o644)
	}()
	ts.s.Reload(ts.ctx, []string{page})
	<-written
	if errs := ts.errorsNow().Errors; len(errs) != 0 {
		t.Errorf("errors after a save caught while empty: %+v", errs)
	}
	if strings.Contains(ts.stderr.String(), "empty file") {
		t.Errorf("the empty moment was printed:\n%s", ts.stderr.String())
	}
	ts.waitText("/guide/alpha/", 200, "Alpha, saved in place.")

	// A file that stays empty is an error, shown once the grace is over.
	writeFile(t, ts.dir, page, "")
	start := time.Now()
	ts.s.Reload(ts.ctx, []string{page})
	if d := time.Since(start); d < emptyFileGrace {
		t.Errorf("an empty file was reported after %v, before the %v grace", d, emptyFileGrace)
	}
	errs := ts.errorsNow().Errors
	if len(errs) != 1 || errs[0].File != page || errs[0].Message != generator.MsgEmptyFile {
		t.Errorf("errors for a file left empty: %+v", errs)
	}
}

func TestEventKinds(t *testing.T) {
	t.Parallel()
	site := withBase(map[string]string{"assets/css/zz-test.css": "body { --probe: 1; }\n"})
	ts := startServer(t, writeSite(t, site), serverOpts{watch: true, debounce: 10 * time.Millisecond})
	events := ts.subscribe()
	last := events.next().Version
	for _, tc := range []struct {
		name string
		edit func()
		want string
	}{
		{"markdown", func() {
			writeFile(t, ts.dir, "content/en/guide/alpha.md", "---\ntitle: Alpha\n---\nKinds.\n")
		}, kindContent},
		{"stylesheet", func() { writeFile(t, ts.dir, "assets/css/zz-test.css", "body { --probe: 2; }\n") }, kindCSS},
		{"layout", func() {
			writeFile(t, ts.dir, "layouts/partials/zz-unused.html", "<!-- unused -->\n")
		}, kindReload},
		{"settings", func() {
			writeFile(t, ts.dir, "site.toml", "reviewDays = 90\n"+baseSite["site.toml"])
		}, kindReload},
	} {
		tc.edit()
		ev := events.next()
		if ev.Type != tc.want || ev.Version == last || len(ev.Errors) != 0 {
			t.Errorf("%s: event %+v, want type %s and a new version", tc.name, ev, tc.want)
		}
		last = ev.Version
	}
	// The stylesheet change is served under a new fingerprint.
	ts.eventually("new stylesheet", func() string {
		_, _, home := ts.get("/")
		i := strings.Index(home, `href="/css/site.`)
		if i < 0 {
			return "no stylesheet link"
		}
		href := home[i+6 : i+6+strings.Index(home[i+6:], `"`)]
		_, _, css := ts.get(href)
		if !strings.Contains(css, "--probe:2") && !strings.Contains(css, "--probe: 2") {
			return "old stylesheet served at " + href
		}
		return ""
	})
}

func TestTwoServersHaveTheirOwnClients(t *testing.T) {
	t.Parallel()
	a := startServer(t, writeSite(t, baseSite), serverOpts{watch: true, debounce: 10 * time.Millisecond})
	b := startServer(t, writeSite(t, baseSite), serverOpts{watch: true, debounce: 10 * time.Millisecond})
	ea, eb := a.subscribe(), b.subscribe()
	ea.next()
	eb.next()
	writeFile(t, a.dir, "content/en/guide/alpha.md", "---\ntitle: Alpha\n---\nOnly in A.\n")
	if ev := ea.next(); ev.Type != kindContent {
		t.Fatalf("A: %+v", ev)
	}
	eb.none(200 * time.Millisecond)
	if a.s.hub.count() != 1 || b.s.hub.count() != 1 {
		t.Errorf("clients: A %d, B %d", a.s.hub.count(), b.s.hub.count())
	}
	b.waitText("/guide/alpha/", 200, "Alpha text here.")
	a.waitText("/guide/alpha/", 200, "Only in A.")
}

func TestInitialLoadBroken(t *testing.T) {
	t.Parallel()
	site := withBase(map[string]string{"content/en/guide/alpha.md": "---\ntitle: [unclosed\n---\nAlpha.\n"})
	ts := startServer(t, writeSite(t, site), serverOpts{watch: true, debounce: 10 * time.Millisecond})
	code, _, body := ts.get("/guide/alpha/")
	if code != 500 || !strings.Contains(body, "content/en/guide/alpha.md:") || !strings.Contains(body, scriptTag) {
		t.Fatalf("broken from the start: %d\n%s", code, body)
	}
	if code, _, js := ts.get(clientPath); code != 200 || !strings.Contains(js, "EventSource") {
		t.Errorf("client while broken: %d", code)
	}
	if errs := ts.errorsNow().Errors; len(errs) == 0 || errs[0].File != "content/en/guide/alpha.md" || len(errs[0].Source) == 0 {
		t.Errorf("errors: %+v", errs)
	}
	events := ts.subscribe()
	if ev := events.next(); ev.Type != "hello" || len(ev.Errors) == 0 {
		t.Errorf("hello while broken: %+v", ev)
	}
	writeFile(t, ts.dir, "content/en/guide/alpha.md", "---\ntitle: Alpha\n---\nLoaded at last.\n")
	if ev := events.next(); ev.Type != kindReload || ev.Version == "" || len(ev.Errors) != 0 {
		t.Errorf("after the fix: %+v", ev)
	}
	ts.waitText("/guide/alpha/", 200, "Loaded at last.")
}

func TestRenderError(t *testing.T) {
	t.Parallel()
	// A layout that parses but fails when executed: the page answers 500 with the error, the
	// overlay data has it, and the terminal shows it once however many requests meet it.
	site := withBase(map[string]string{
		"layouts/page.html": "{{define \"main\"}}\n<p>{{.NoSuchField}}</p>\n{{end}}\n",
	})
	ts := startServer(t, writeSite(t, site), serverOpts{watch: true, debounce: 10 * time.Millisecond})
	for range 3 {
		code, _, body := ts.get("/guide/alpha/")
		if code != 500 || !strings.Contains(body, "layouts/page.html:2:") || !strings.Contains(body, scriptTag) {
			t.Fatalf("render error: %d\n%s", code, body)
		}
	}
	errs := ts.errorsNow().Errors
	if len(errs) != 1 || errs[0].File != "layouts/page.html" || errs[0].Line != 2 || len(errs[0].Source) == 0 {
		t.Fatalf("errors: %+v", errs)
	}
	if n := strings.Count(ts.stderr.String(), "layouts/page.html:2:"); n != 1 {
		t.Errorf("printed %d times, want once:\n%s", n, ts.stderr.String())
	}
	if code, _, _ := ts.get("/guide/"); code != 200 {
		t.Errorf("a section, which does not use page.html: %d", code)
	}
	writeFile(t, ts.dir, "layouts/page.html", "{{define \"main\"}}\n<p>{{.Title}} fine</p>\n{{end}}\n")
	ts.waitText("/guide/alpha/", 200, "Alpha fine")
	if errs := ts.errorsNow().Errors; len(errs) != 0 {
		t.Errorf("errors after the fix: %+v", errs)
	}
}
