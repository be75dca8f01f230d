package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSiteCacheDir: each site has its own cache folder, the same on every build; caches of
// sites not built for CacheDays go, newer ones stay, and the shared cache of earlier versions
// is removed.
func TestSiteCacheDir(t *testing.T) {
	base := t.TempDir()
	t.Setenv("RAHNUMA_CACHE", base)
	mkdir := func(name string, age time.Duration) string {
		d := filepath.Join(base, "sites", name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		os.Chtimes(d, when, when)
		return d
	}
	forgotten := mkdir("0123456789abcdef", (CacheDays+1)*24*time.Hour)
	recent := mkdir("fedcba9876543210", (CacheDays-1)*24*time.Hour)
	legacy := filepath.Join(base, highlightCache)
	if err := os.WriteFile(legacy, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}

	a, b := SiteCacheDir(filepath.Join(base, "a")), SiteCacheDir(filepath.Join(base, "b"))
	if a == b || !strings.HasPrefix(a, filepath.Join(base, "sites")+string(filepath.Separator)) {
		t.Errorf("site caches %q and %q: want two folders under %s", a, b, filepath.Join(base, "sites"))
	}
	if again := SiteCacheDir(filepath.Join(base, "a", ".")); again != a {
		t.Errorf("the same site got %q, then %q", a, again)
	}
	for path, want := range map[string]bool{forgotten: false, recent: true, legacy: false} {
		if _, err := os.Stat(path); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", path, err == nil, want)
		}
	}
}

// TestSaveAndReleaseCache: a one-shot build's cache is saved with the code its pages used,
// and a rebuild from it gives the same output.
func TestSaveAndReleaseCache(t *testing.T) {
	dir := t.TempDir()
	site := mapFS(map[string][]byte{"content/code.md": []byte("---\ntitle: Code\n---\n```go\nfunc main() {}\n```\n")})
	var outs []*Output
	for range 2 {
		_, s, err := buildFS(t, site, Options{CacheDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveAndReleaseCache(); err != nil {
			t.Fatal(err)
		}
		saved, err := os.ReadFile(filepath.Join(dir, highlightCache))
		if err != nil || !strings.Contains(string(saved), `class="kd"`) {
			t.Fatalf("saved cache lacks the page's highlighted code (%v)", err)
		}
		out, err := s.Render(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out)
	}
	if a, b := outs[0].Files["code/index.html"], outs[1].Files["code/index.html"]; len(a) == 0 || string(a) != string(b) {
		t.Error("the page rendered after the cache was released differs from the first build's")
	}
}

// TestNoSearchIndex: Options.NoSearchIndex leaves out search/<lang>/ and nothing else.
func TestNoSearchIndex(t *testing.T) {
	site := mapFS(map[string][]byte{"content/a.md": []byte("---\ntitle: A\n---\nSome words.\n")})
	with, _, err := buildFS(t, site, Options{})
	if err != nil {
		t.Fatal(err)
	}
	without, _, err := buildFS(t, site, Options{NoSearchIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	index := 0
	for p, data := range with.Files {
		isIndex := strings.HasPrefix(p, "search/en/")
		if isIndex {
			index++
		}
		if got, ok := without.Files[p]; ok == isIndex || ok && string(got) != string(data) {
			t.Errorf("%s: in the build without the index %v, same %v", p, ok, string(got) == string(data))
		}
	}
	if index == 0 || len(without.Files) != len(with.Files)-index {
		t.Errorf("%d index files; %d files with the index, %d without", index, len(with.Files), len(without.Files))
	}
}
