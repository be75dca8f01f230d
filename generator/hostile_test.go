package generator

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Files saved with a byte-order mark or Windows line ends build like any other.
func TestBOMAndCRLFBuild(t *testing.T) {
	files := map[string][]byte{
		"content/bom.md":  []byte("\uFEFF---\ntitle: With BOM\n---\n## Part {#part}\n\n[crlf](crlf.md#rates)\n"),
		"content/crlf.md": []byte("---\r\ntitle: With CRLF\r\nweight: 2\r\n---\r\n## Rates {#rates}\r\n\r\n- a\r\n- b\r\n"),
	}
	out, _, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Files["bom/index.html"], []byte("<h1>With BOM</h1>")) || !bytes.Contains(out.Files["crlf/index.html"], []byte("<h1>With CRLF</h1>")) {
		t.Error("BOM or CRLF page rendered wrongly")
	}
	if bytes.Contains(out.Files["crlf/index.html"], []byte("\r")) {
		t.Error("carriage returns leaked into the output")
	}
}

// File names with spaces, Unicode and URL metacharacters get URLs that need no escaping tricks.
func TestOddFileNames(t *testing.T) {
	files := map[string][]byte{
		"content/with space.md": []byte("---\ntitle: Space\n---\n[q](what%3B.md)\n"),
		"content/ٹیکس شرح.md":   []byte("---\ntitle: Urdu name\n---\nx\n"),
		"content/100%.md":       []byte("---\ntitle: Percent\n---\nx\n"),
		"content/a#b.md":        []byte("---\ntitle: Hash\n---\nx\n"),
		"content/what;.md":      []byte("---\ntitle: Question\n---\nx\n"),
	}
	out, _, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"with-space/index.html", "ٹیکس-شرح/index.html", "100/index.html", "a-b/index.html", "what/index.html"} {
		if out.Files[p] == nil {
			t.Errorf("%s not written; have %v", p, out.Paths())
		}
	}
}

// Symbolic links are never followed: one could reach outside the site, or loop.
func TestSymlinksRefused(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "ok.md"), []byte("---\ntitle: OK\n---\n"), 0o644)
	secret := filepath.Join(t.TempDir(), "secret.md")
	os.WriteFile(secret, []byte("---\ntitle: Secret\n---\nsecretword\n"), 0o644)
	if err := os.Symlink(secret, filepath.Join(dir, "content", "leak.md")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	os.Symlink("/etc", filepath.Join(dir, "content", "etc"))
	os.Symlink(".", filepath.Join(dir, "content", "loop"))
	_, _, err := buildFS(t, os.DirFS(dir), Options{})
	if err == nil {
		t.Fatal("build followed or ignored symlinks silently")
	}
	for _, want := range []string{"content/leak.md: symbolic links are not followed", "content/etc: symbolic links", "content/loop: symbolic links"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

// Huge and deeply nested pages finish in bounded time, with an error naming the file and line
// when they go past what the converter accepts.
func TestHugePagesBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	nested := "---\ntitle: Nested\n---\n" + strings.Repeat("- ", 100000) + "x\n"
	quotes := "---\ntitle: Quotes\n---\n" + strings.Repeat(">", 100000) + " x\n"
	big := "---\ntitle: Big\n---\n" + strings.Repeat("A line of ordinary text with a [link](https://example.org).\n\n", 10<<20/60)
	files := map[string][]byte{"content/nested.md": []byte(nested), "content/quotes.md": []byte(quotes), "content/big.md": []byte(big)}
	start := time.Now()
	_, _, err := buildFS(t, mapFS(files), Options{})
	if took := time.Since(start); took > 60*time.Second {
		t.Fatalf("took %v", took)
	}
	if err == nil {
		t.Fatal("deep nesting accepted")
	}
	for _, want := range []string{"content/nested.md:4: markdown:", "content/quotes.md:4: markdown:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "content/big.md") {
		t.Errorf("a 10 MB ordinary page failed: %v", err)
	}
}

// Every file a load reads is checked for links, not only the entries under content/: the
// content folder itself, site.toml, UI strings, layouts and assets folders. And a reload of a
// page that became a link refuses it as a full load does.
func TestSymlinkedRootsRefused(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("---\ntitle: Secret\n---\nsecretword\n"), 0o644)
	secretDir := filepath.Dir(secret)
	for _, tc := range []struct{ link, target, want string }{
		{"site.toml", secret, "site.toml: symbolic links are not followed"},
		{"content", secretDir, "content: symbolic links are not followed"},
		{"i18n/en.toml", secret, "i18n/en.toml: symbolic links are not followed"},
		{"layouts", secretDir, "layouts: symbolic links are not followed"},
		{"assets", secretDir, "assets: symbolic links are not followed"},
	} {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "content"), 0o755)
		os.MkdirAll(filepath.Join(dir, "i18n"), 0o755)
		os.WriteFile(filepath.Join(dir, "content", "ok.md"), []byte("---\ntitle: OK\n---\n"), 0o644)
		os.RemoveAll(filepath.Join(dir, tc.link))
		if err := os.Symlink(tc.target, filepath.Join(dir, tc.link)); err != nil {
			t.Skip("no symlinks here:", err)
		}
		_, _, err := buildFS(t, os.DirFS(dir), Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s linked: got %v, want %q", tc.link, err, tc.want)
		}
	}

	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "ok.md"), []byte("---\ntitle: OK\n---\nplain\n"), 0o644)
	_, s, err := buildFS(t, os.DirFS(dir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ok.md", "new.md"} {
		os.Remove(filepath.Join(dir, "content", name))
		if err := os.Symlink(secret, filepath.Join(dir, "content", name)); err != nil {
			t.Skip("no symlinks here:", err)
		}
		n, err := s.Reload(context.Background(), []string{"content/" + name})
		if err == nil || !strings.Contains(err.Error(), "content/"+name+": symbolic links are not followed") {
			t.Errorf("reload of linked %s: %v", name, err)
		}
		if n != nil && n.PageByURL("/secret/") != nil || n != nil && n.PageByURL("/new/") != nil {
			t.Errorf("reload of linked %s read its target", name)
		}
		os.Remove(filepath.Join(dir, "content", name))
		os.WriteFile(filepath.Join(dir, "content", "ok.md"), []byte("---\ntitle: OK\n---\nplain\n"), 0o644)
	}
}
