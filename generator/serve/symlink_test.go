package serve

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// secretFile writes a file outside the site that no response may ever show.
func secretFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func symlinkOrSkip(t *testing.T, target, link string) {
	t.Helper()
	os.Remove(link)
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
}

// A symbolic link made in content/ while the server runs is refused as a full load refuses
// it, on every reload path: a new page (the Markdown-only path), an existing page replaced by
// a link (the one-page fast path), a linked folder. The target is never served.
func TestServeRefusesSymlinksMadeWhileRunning(t *testing.T) {
	t.Parallel()
	secret := secretFile(t, "---\ntitle: Secret\n---\nsecretword\n")
	secretDir := filepath.Dir(secret)
	os.WriteFile(filepath.Join(secretDir, "inner.md"), []byte("---\ntitle: Inner\n---\nsecretword\n"), 0o644)
	for _, tc := range []struct {
		name, link, target, url string
	}{
		{"new page", "content/en/leak.md", secret, "/leak/"},
		{"existing page", "content/en/guide/beta.md", secret, "/guide/beta/"},
		{"folder", "content/en/leakdir", secretDir, "/leakdir/inner/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServer(t, writeSite(t, baseSite), serverOpts{watch: true, debounce: 10 * time.Millisecond})
			ts.waitText("/guide/alpha/", 200, "Alpha text here.")
			symlinkOrSkip(t, tc.target, filepath.Join(ts.dir, filepath.FromSlash(tc.link)))
			ts.eventually("the link reported", func() string {
				for _, p := range ts.errorsNow().Errors {
					if p.File == tc.link && strings.Contains(p.Message, "symbolic links are not followed") {
						return ""
					}
				}
				return "no symlink error yet"
			})
			code, _, body := ts.get(tc.url)
			if strings.Contains(body, "secretword") {
				t.Fatalf("GET %s served the link's target (%d)", tc.url, code)
			}
			if tc.name == "existing page" {
				// The last good version, from before the link, stays.
				if code != 200 || !strings.Contains(body, "Beta text here.") {
					t.Errorf("GET %s = %d, want the last good page", tc.url, code)
				}
			} else if code != 404 {
				t.Errorf("GET %s = %d, want 404", tc.url, code)
			}
		})
	}
}

// The error overlay shows source lines only of files inside the site: a site.toml that is a
// link to another file is refused, at start and when made while running, and no line of its
// target reaches a page, the overlay or the terminal.
func TestServeOverlayNeverShowsLinkedFiles(t *testing.T) {
	t.Parallel()
	secret := secretFile(t, "secretline1 = \nsecretline2\nsecretline3\n")
	check := func(ts *testServer) {
		t.Helper()
		ts.eventually("site.toml link reported", func() string {
			for _, p := range ts.errorsNow().Errors {
				if p.File == "site.toml" && strings.Contains(p.Message, "symbolic links are not followed") {
					return ""
				}
			}
			return "no symlink error yet"
		})
		ev := ts.errorsNow()
		data, _ := json.Marshal(ev)
		_, _, page := ts.get("/")
		for what, text := range map[string]string{"overlay": string(data), "page": page, "terminal": ts.stderr.String()} {
			if strings.Contains(text, "secretline") {
				t.Errorf("%s shows the linked file:\n%s", what, text)
			}
		}
	}
	t.Run("at start", func(t *testing.T) {
		dir := writeSite(t, baseSite)
		symlinkOrSkip(t, secret, filepath.Join(dir, "site.toml"))
		check(startServer(t, dir, serverOpts{}))
	})
	t.Run("while running", func(t *testing.T) {
		ts := startServer(t, writeSite(t, baseSite), serverOpts{watch: true, debounce: 10 * time.Millisecond})
		ts.waitText("/guide/alpha/", 200, "Alpha text here.")
		symlinkOrSkip(t, secret, filepath.Join(ts.dir, "site.toml"))
		check(ts)
	})
	// A file of the site that links elsewhere is not read for the overlay either.
	t.Run("readSource", func(t *testing.T) {
		dir := writeSite(t, withBase(map[string]string{"layouts/README": "x"}))
		symlinkOrSkip(t, secret, filepath.Join(dir, "layouts", "x.html"))
		ts := startServer(t, dir, serverOpts{})
		if b := ts.s.readSource("layouts/x.html"); b != nil {
			t.Errorf("readSource followed a link: %q", b)
		}
	})
}
