package generator

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func multilingual(t *testing.T) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile("testdata/sites/multilingual.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return parseArchive(data).files
}

// Drafts, future and expired pages appear nowhere: not as pages, in lists, feeds, sitemap,
// search index or redirects.
func TestUnpublishedAppearNowhere(t *testing.T) {
	files := multilingual(t)
	files["content/en/tax/future.md"] = []byte("---\ntitle: Future\ndate: 2099-01-01\n---\nquokkaword\n")
	files["content/en/tax/expired.md"] = []byte("---\ntitle: Expired\nexpiryDate: 2020-01-01\ntags: [wombatword]\n---\nwombatword\n")
	out, _, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range out.Files {
		for _, w := range []string{"zebraword", "Secret draft", "draft-alias", "quokkaword", "wombatword", "/tax/secret/", "/tax/future/"} {
			if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(w))) {
				t.Errorf("%s contains %q", p, w)
			}
		}
		if strings.Contains(p, "secret") || strings.Contains(p, "future") || strings.Contains(p, "expired") || strings.Contains(p, "draft-alias") {
			t.Errorf("unpublished page written: %s", p)
		}
	}
	// With --drafts they are all there.
	out, _, err = buildFS(t, mapFS(files), Options{Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"tax/secret/index.html", "tax/future/index.html", "tax/expired/index.html", "draft-alias/index.html"} {
		if out.Files[p] == nil {
			t.Errorf("--drafts: %s missing", p)
		}
	}
	if !bytes.Contains(out.Files["tax/secret/index.html"], []byte("badge-draft")) {
		t.Error("a draft in preview has no draft badge")
	}
}

// The same input builds byte-identical output.
func TestDeterministic(t *testing.T) {
	files := multilingual(t)
	a, _, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, _, err := buildFS(t, mapFS(files), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Files) != len(b.Files) {
			t.Fatalf("%d files, then %d", len(a.Files), len(b.Files))
		}
		for p := range a.Files {
			if !bytes.Equal(a.Files[p], b.Files[p]) {
				t.Fatalf("%s differs between two builds", p)
			}
		}
	}
}

var (
	htmlTag  = regexp.MustCompile(`<html lang="([a-z]+)" dir="(ltr|rtl)">`)
	hreflang = regexp.MustCompile(`<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">`)
)

// Every page declares its language and direction; translations point at each other both ways,
// with x-default; the switcher goes to the translation or the other language's home.
func TestLanguages(t *testing.T) {
	out, _, err := buildFS(t, mapFS(multilingual(t)), Options{BaseURL: "https://h.example/g/"})
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range out.Files {
		if !strings.HasSuffix(p, ".html") || strings.HasPrefix(p, "old-") {
			continue
		}
		m := htmlTag.FindSubmatch(b)
		if m == nil {
			t.Errorf("%s: no <html lang dir>", p)
			continue
		}
		wantLang, wantDir := "en", "ltr"
		if strings.HasPrefix(p, "ur/") {
			wantLang, wantDir = "ur", "rtl"
		}
		if string(m[1]) != wantLang || string(m[2]) != wantDir {
			t.Errorf("%s: lang=%s dir=%s, want %s %s", p, m[1], m[2], wantLang, wantDir)
		}
	}
	alts := func(p string) map[string]string {
		m := map[string]string{}
		for _, a := range hreflang.FindAllSubmatch(out.Files[p], -1) {
			m[string(a[1])] = string(a[2])
		}
		return m
	}
	en, ur := alts("tax/sales-tax/index.html"), alts("ur/tax/sales-tax/index.html")
	want := map[string]string{"en": "https://h.example/g/tax/sales-tax/", "ur": "https://h.example/g/ur/tax/sales-tax/", "x-default": "https://h.example/g/tax/sales-tax/"}
	for k, v := range want {
		if en[k] != v || ur[k] != v {
			t.Errorf("hreflang %s: en page %q, ur page %q, want %q", k, en[k], ur[k], v)
		}
	}
	if a := alts("tax/threshold/index.html"); len(a) != 0 {
		t.Errorf("untranslated page has alternates %v", a)
	}
	switcher := func(p, lang string) string {
		re := regexp.MustCompile(`<a href="([^"]+)" lang="` + lang + `"`)
		m := re.FindSubmatch(out.Files[p])
		if m == nil {
			return ""
		}
		return string(m[1])
	}
	for _, tt := range []struct{ page, lang, want string }{
		{"tax/sales-tax/index.html", "ur", "/g/ur/tax/sales-tax/"},
		{"ur/tax/sales-tax/index.html", "en", "/g/tax/sales-tax/"},
		// An untranslated page's switcher leads to its notice, which links to the Urdu home.
		{"tax/threshold/index.html", "ur", "#untranslated-ur"},
		{"ur/index.html", "en", "/g/"},
	} {
		if got := switcher(tt.page, tt.lang); got != tt.want {
			t.Errorf("%s: switcher to %s = %q, want %q", tt.page, tt.lang, got, tt.want)
		}
	}
	if !regexp.MustCompile(`<p class="untranslated" id="untranslated-ur">[^<]+<a href="/g/ur/" lang="ur"`).Match(out.Files["tax/threshold/index.html"]) {
		t.Error("tax/threshold/index.html: no notice that the page is not in Urdu, linking to the Urdu home")
	}
	// Urdu dates and UI strings; a key missing from ur falls back to English.
	urPage := string(out.Files["ur/tax/sales-tax/index.html"])
	for _, s := range []string{"نومبر", "آخری جائزہ", "ذرائع"} {
		if s == "ذرائع" {
			continue // this page has no sources
		}
		if !strings.Contains(urPage, s) {
			t.Errorf("ur page lacks %q", s)
		}
	}
}

func TestMissingUIStringsFallBack(t *testing.T) {
	files := multilingual(t)
	files["i18n/ur.toml"] = []byte("toc = \"اس صفحے پر\"\n")
	files["i18n/en.toml"] = []byte("onlyenglish = \"Only English\"\n")
	files["layouts/page.html"] = []byte(`{{define "main"}}<p id="x">{{.T "onlyenglish"}}</p>{{end}}`)
	out, site, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Files["ur/tax/sales-tax/index.html"], []byte(`<p id="x">Only English</p>`)) {
		t.Error("a UI string missing in ur did not fall back to en")
	}
	var found bool
	for _, w := range site.Check(CheckOptions{}) {
		if w.File == "i18n/ur.toml" && strings.Contains(w.Msg, `"onlyenglish"`) {
			found = true
		}
	}
	if !found {
		t.Error("check does not list the missing UI string")
	}
}

// countingFS counts file reads, to prove a reload reads only what changed.
type countingFS struct {
	fstest.MapFS
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingFS) ReadFile(name string) ([]byte, error) {
	c.mu.Lock()
	c.reads[name]++
	c.mu.Unlock()
	return c.MapFS.ReadFile(name)
}

func (c *countingFS) Open(name string) (fs.File, error) {
	if !strings.HasSuffix(name, "/") && strings.HasSuffix(name, ".md") {
		c.mu.Lock()
		c.reads[name]++
		c.mu.Unlock()
	}
	return c.MapFS.Open(name)
}

func TestReload(t *testing.T) {
	files := multilingual(t)
	cfs := &countingFS{MapFS: mapFS(files), reads: map[string]int{}}
	ctx := context.Background()
	s, err := Load(ctx, Source{Site: cfs, Theme: themeFS()}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	page := func(s *Site, out string) string {
		b, ok, err := s.Lookup(out)
		if err != nil || !ok {
			return ""
		}
		return string(b)
	}
	// Edit one file: only it is read again; the change shows on its page and in navigation.
	cfs.reads = map[string]int{}
	cfs.MapFS["content/en/tax/threshold.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Renamed threshold\nweight: 2\n---\nNew text.\n")}
	s2, err := s.Reload(ctx, []string{"content/en/tax/threshold.md"})
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range cfs.reads {
		if strings.HasSuffix(name, ".md") && name != "content/en/tax/threshold.md" {
			t.Errorf("reload read unchanged %s (%d times)", name, n)
		}
	}
	if got := page(s2, "tax/threshold/index.html"); !strings.Contains(got, "New text.") {
		t.Error("edited page not updated")
	}
	if got := page(s2, "tax/sales-tax/index.html"); !strings.Contains(got, "Renamed threshold") {
		t.Error("navigation of another page does not show the new title")
	}
	if got := page(s, "tax/threshold/index.html"); !strings.Contains(got, "Rs500") {
		t.Error("the old site changed: a Site must stay as it was")
	}
	// Delete a page: its URL is gone at once, and links to it are reported.
	delete(cfs.MapFS, "content/en/tax/threshold.md")
	_, err = s2.Reload(ctx, []string{"content/en/tax/threshold.md"})
	if err == nil || !strings.Contains(err.Error(), "link threshold.md: no such page") {
		t.Errorf("deleting a linked page: err = %v", err)
	}
	cfs.MapFS["content/en/tax/sales-tax.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Sales tax\n---\nNo links.\n")}
	cfs.MapFS["content/en/_index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Home\n---\nHi.\n")}
	s3, err := s2.Reload(ctx, []string{"content/en/tax/threshold.md", "content/en/tax/sales-tax.md", "content/en/_index.md"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s3.Lookup("tax/threshold/index.html"); ok {
		t.Error("deleted page still served")
	}
	// A new file in a new folder is found even when only the folder was reported.
	cfs.MapFS["content/en/new/fresh.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Fresh\n---\nfresh text\n")}
	s4, err := s3.Reload(ctx, []string{"content/en/new"})
	if err != nil {
		t.Fatal(err)
	}
	if got := page(s4, "new/fresh/index.html"); !strings.Contains(got, "fresh text") {
		t.Error("page in a new folder not found")
	}
}

// check lists a translation reviewed before its original, overdue pages and drafts.
func TestCheckTranslationsAndReviews(t *testing.T) {
	files := multilingual(t)
	files["content/ur/tax/sales-tax.md"] = []byte("---\ntitle: سیلز ٹیکس\nreviewed: 2026-10-01\n---\nاٹھارہ فیصد۔\n")
	_, site, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := site.Check(CheckOptions{}).Error()
	for _, want := range []string{
		"content/ur/tax/sales-tax.md:3: warning: translation is older than content/en/tax/sales-tax.md (reviewed 2026-10-01, original 2026-11-01)",
		"content/en/tax/threshold.md:4: warning: overdue for review: last reviewed 2025-01-01",
		"content/en/tax/secret.md: warning: not published",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("check lacks %q in:\n%s", want, got)
		}
	}
	strict := site.Check(CheckOptions{Strict: true})
	if len(strict.Errors()) == 0 {
		t.Error("--strict does not turn an overdue review into an error")
	}
}

// An edit to a page's text alone takes the fast path: the new site shares every other page with
// the old one, serves the new text, and still checks the page's links.
func TestReloadBodyOnly(t *testing.T) {
	files := multilingual(t)
	fsys := mapFS(files)
	ctx := context.Background()
	s, err := Load(ctx, Source{Site: fsys, Theme: themeFS()}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	const file = "content/en/tax/threshold.md"
	fsys[file] = &fstest.MapFile{Data: append(append([]byte{}, files[file]...), []byte("\nEdited body.\n")...)}
	n, err := s.Reload(ctx, []string{file})
	if err != nil {
		t.Fatal(err)
	}
	if n.PageByURL("/tax/sales-tax/") != s.PageByURL("/tax/sales-tax/") {
		t.Error("a body-only edit rebuilt other pages")
	}
	b, ok, err := n.Lookup("tax/threshold/index.html")
	if !ok || err != nil || !bytes.Contains(b, []byte("Edited body.")) {
		t.Fatalf("edited page not served: %v %v", ok, err)
	}
	if b, _, _ := s.Lookup("tax/threshold/index.html"); bytes.Contains(b, []byte("Edited body.")) {
		t.Error("the old site changed")
	}
	if b, _, _ := n.Lookup("tax/index.html"); !bytes.Contains(b, []byte("Duty-free threshold")) {
		t.Error("section page lost the edited page")
	}
	// A broken link in the new text is still reported.
	fsys[file] = &fstest.MapFile{Data: append(append([]byte{}, files[file]...), []byte("\n[gone](nowhere.md)\n")...)}
	if _, err := n.Reload(ctx, []string{file}); err == nil || !strings.Contains(err.Error(), "link nowhere.md: no such page") {
		t.Errorf("broken link after a body edit: %v", err)
	}
	// A new title is not a body-only edit: navigation elsewhere shows it.
	fsys[file] = &fstest.MapFile{Data: bytes.Replace(files[file], []byte("title: Duty-free threshold"), []byte("title: New threshold title"), 1)}
	m, err := n.Reload(ctx, []string{file})
	if err != nil {
		t.Fatal(err)
	}
	if b, _, _ := m.Lookup("tax/sales-tax/index.html"); !bytes.Contains(b, []byte("New threshold title")) {
		t.Error("title change not in another page's navigation")
	}
}

// Urdu pages keep Western digits unless the site asks for Urdu ones.
func TestUrduDigits(t *testing.T) {
	files := multilingual(t)
	out, _, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Files["ur/tax/sales-tax/index.html"], []byte("1 نومبر 2026")) {
		t.Error("Urdu date not in Western digits by default")
	}
	files["site.toml"] = bytes.Replace(files["site.toml"], []byte(`direction = "rtl"`), []byte("direction = \"rtl\"\ndigits = \"urdu\""), 1)
	out, _, err = buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Files["ur/tax/sales-tax/index.html"], []byte("۱ نومبر ۲۰۲۶")) {
		t.Error("digits = \"urdu\" not applied to the date")
	}
	if bytes.Contains(out.Files["tax/sales-tax/index.html"], []byte("۲۰۲۶")) {
		t.Error("Urdu digits leaked into English pages")
	}
}
