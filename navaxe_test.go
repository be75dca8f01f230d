package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rahnuma/generator/browsertest"
)

// TestThemeAxeLongLists: the cut lists of a long section and a site with many sections (the
// section navigation's window with its gaps and link to all pages, the menu's link to all
// sections, the note under a cut list) have no axe-core violation.
func TestThemeAxeLongLists(t *testing.T) {
	src := axeSource(t)
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, "content", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("_index.md", "---\ntitle: Home\n---\n")
	write("big/_index.md", "---\ntitle: Big\nweight: 1\n---\n")
	for i := range 120 {
		write(fmt.Sprintf("big/p%03d.md", i), fmt.Sprintf("---\ntitle: Page %03d\nweight: %d\ntags: [common]\n---\nText %d.\n", i, i+1, i))
	}
	for s := range 15 {
		write(fmt.Sprintf("s%02d/_index.md", s), fmt.Sprintf("---\ntitle: Section %02d\nweight: %d\n---\n", s, s+2))
		write(fmt.Sprintf("s%02d/a.md", s), "---\ntitle: Only page\n---\nText.\n")
	}
	out := filepath.Join(dir, "public")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--src", dir, "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("build failed:\n%s", stderr.String())
	}
	files := http.FileServer(http.Dir(out))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(browsertest.Tab(t, 1280, 800), 2*time.Minute)
	defer cancel()
	for _, page := range []string{"/big/p060/", "/big/", "/tags/common/"} {
		navigate(t, ctx, srv.URL+page)
		html := evalIn[string](t, ctx, "page", "document.documentElement.outerHTML")
		if !strings.Contains(html, `class="gap"`) && !strings.Contains(html, `class="list-more"`) {
			t.Errorf("%s shows no cut list: the test would not check one", page)
		}
		for _, v := range runAxe(t, ctx, src) {
			t.Errorf("%s: %s (%s): %s at %q", page, v.ID, v.Impact, v.Help, v.Targets)
		}
	}
}
