package generator

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// An alias onto the fingerprinted stylesheet (its name known only after the theme is
// processed) is refused like any other generated file, and the message names the stylesheet.
func TestAliasOntoStylesheet(t *testing.T) {
	files := map[string][]byte{"content/a.md": []byte("---\ntitle: A\n---\n")}
	out, _, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var css string
	for _, p := range out.Paths() {
		if strings.HasPrefix(p, "css/site.") {
			css = p
		}
	}
	if css == "" {
		t.Fatal("no stylesheet written")
	}
	files["content/b.md"] = []byte("---\ntitle: B\n\naliases: [/" + css + "]\n---\n")
	_, _, err = buildFS(t, mapFS(files), Options{})
	want := "content/b.md:4: alias /" + css + " would overwrite " + css + ", written by the stylesheet made from assets/css/*.css"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
}

// A site's own robots.txt is written instead of the generated one, by build and by the dev
// server's Lookup; a robots.txt of another language's folder is just a file.
func TestSiteRobotsWins(t *testing.T) {
	own := "User-agent: *\nDisallow: /\n"
	files := map[string][]byte{
		"site.toml":             []byte("[languages.en]\nweight = 1\n[languages.ur]\nweight = 2\n"),
		"content/en/a.md":       []byte("---\ntitle: A\n---\n"),
		"content/en/robots.txt": []byte(own),
		"content/ur/robots.txt": []byte("ur\n"),
	}
	out, s, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out.Files["robots.txt"]); got != own {
		t.Errorf("build wrote robots.txt %q, want the site's %q", got, own)
	}
	if got := string(out.Files["ur/robots.txt"]); got != "ur\n" {
		t.Errorf("ur/robots.txt = %q", got)
	}
	if b, ok, err := s.Lookup("robots.txt"); err != nil || !ok || string(b) != own {
		t.Errorf("Lookup(robots.txt) = %q, %v, %v; want the site's", b, ok, err)
	}
	delete(files, "content/en/robots.txt")
	out, _, err = buildFS(t, mapFS(files), Options{})
	if err != nil || !strings.Contains(string(out.Files["robots.txt"]), "Allow: /") {
		t.Errorf("without a site robots.txt: %q, %v", out.Files["robots.txt"], err)
	}
}

// Lookup answers exactly the files Render writes, with the same bytes, and nothing else: the
// dev server shows what a build publishes.
func TestLookupMatchesRender(t *testing.T) {
	files := map[string][]byte{
		"site.toml":                  []byte("[languages.en]\nweight = 1\n[languages.ur]\nweight = 2\n"),
		"content/en/_index.md":       []byte("---\ntitle: Home\n---\n"),
		"content/en/tax/a.md":        []byte("---\ntitle: A\naliases: [/old/]\ntags: [x]\n---\n![p](p.png)\n"),
		"content/en/tax/a/p.png":     []byte("png"),
		"content/en/files/f.pdf":     []byte("%PDF"),
		"content/ur/_index.md":       []byte("---\ntitle: گھر\n---\n"),
		"content/ur/tax/a.md":        []byte("---\ntitle: اے\n---\n"),
		"content/en/robots.txt":      []byte("mine\n"),
		"content/en/tax/_index.md":   []byte("---\ntitle: Tax\n---\n"),
		"content/en/tax/b/index.md":  []byte("---\ntitle: B\n---\n"),
		"content/en/tax/b/notes.txt": []byte("notes"),
	}
	out, s, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out.Paths() {
		b, ok, err := s.Lookup(p)
		if err != nil || !ok {
			t.Errorf("Lookup(%s): %v %v", p, ok, err)
			continue
		}
		if !bytes.Equal(b, out.Files[p]) {
			t.Errorf("Lookup(%s) differs from the build", p)
		}
	}
	for _, p := range []string{"js/livereload.js", "content/en/files/f.pdf", "files/nope.pdf", "search/en/nope.json", "x/index.html"} {
		if _, ok, _ := s.Lookup(p); ok {
			t.Errorf("Lookup(%s) answered a file the build does not write", p)
		}
	}
	if n := len(s.outputs.files); n == 0 {
		t.Fatal("empty registry")
	}
}

// The registry and its messages do not depend on map order: the same site gives the same
// problems, in the same words, every time.
func TestOutputClashesDeterministic(t *testing.T) {
	files := map[string][]byte{}
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		files["content/"+name+".md"] = []byte("---\ntitle: " + name + "\naliases: [/same/, /sitemap.xml]\n---\n")
	}
	files["content/same.md"] = []byte("---\ntitle: Same\n---\n")
	var first string
	for i := 0; i < 10; i++ {
		_, err := Load(context.Background(), Source{Site: mapFS(files), Theme: themeFS()}, Options{Now: testNow})
		if err == nil {
			t.Fatal("clashes accepted")
		}
		if i == 0 {
			first = err.Error()
		} else if err.Error() != first {
			t.Fatalf("run %d differs:\n%s\nfirst:\n%s", i, err, first)
		}
	}
	for _, want := range []string{
		"content/a.md:3: alias /same/ is the URL of content/same.md",
		"content/b.md:3: alias /sitemap.xml is also an alias of content/a.md",
		"content/a.md:3: alias /sitemap.xml would overwrite sitemap.xml, written by the generated sitemap",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("missing %q in:\n%s", want, first)
		}
	}
}
