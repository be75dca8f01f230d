package generator

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/unicode/norm"
)

func TestUnportableName(t *testing.T) {
	for _, tt := range []struct {
		name string
		bad  string // part of the message; "" when the name works everywhere
	}{
		{"sales-tax.md", ""},
		{"ٹیکس کی شرح.md", ""},
		{"conference.md", ""},
		{"console", ""},
		{"com10.md", ""},
		{"lpt", ""},
		{"aux-rules.md", ""},
		{"a.b.c", ""},
		{".hidden", ""},
		{strings.Repeat("x", 255), ""},
		{strings.Repeat("ب", 127) + "x", ""}, // 255 bytes
		{strings.Repeat("x", 256), "256 bytes long"},
		{strings.Repeat("ب", 128), "256 bytes long"},
		{"CON", "device name"},
		{"con", "device name"},
		{"Con.md", "device name"},
		{"aux.md", "device name"},
		{"nul.txt", "device name"},
		{"nul.tar.gz", "device name"},
		{"PRN", "device name"},
		{"COM1", "device name"},
		{"com9.md", "device name"},
		{"COM¹", "device name"},
		{"LPT9", "device name"},
		{"lpt³.txt", "device name"},
		{"CONIN$", "device name"},
		{"con .txt", "device name"},
		{"a:b.md", `contains ':'`},
		{"a*b", `contains '*'`},
		{"?", `contains '?'`},
		{`"`, `contains '"'`},
		{"<", `contains '<'`},
		{">", `contains '>'`},
		{"|", `contains '|'`},
		{`a\b`, `contains '\\'`},
		{"tab\there", "control character U+0009"},
		{"bell\a", "control character U+0007"},
		{"del\x7f", "control character U+007F"},
		{"x.", "ends in a dot or space"},
		{"x ", "ends in a dot or space"},
		{"notes.txt.", "ends in a dot or space"},
	} {
		got := unportableName(tt.name)
		if tt.bad == "" && got != "" || tt.bad != "" && !strings.Contains(got, tt.bad) {
			t.Errorf("unportableName(%q) = %q, want %q", tt.name, got, tt.bad)
		}
	}
}

func TestUnportablePath(t *testing.T) {
	ok := "content/" + strings.Repeat("a/", 94) + "b.md" // 200 characters
	if msg := unportablePath(ok); msg != "" {
		t.Errorf("%d characters: %s", len(ok), msg)
	}
	long := "content/" + strings.Repeat("a/", 94) + "bb.md"
	if msg := unportablePath(long); !strings.Contains(msg, "201 characters") {
		t.Errorf("201 characters: %q", msg)
	}
	// Windows counts UTF-16 units: a letter outside the BMP is two.
	emoji := "content/" + strings.Repeat("a/", 94) + "abc\U0001F600" // 200 runes
	if msg := unportablePath(emoji); !strings.Contains(msg, "201 characters") {
		t.Errorf("emoji path: %q", msg)
	}
	if msg := unportablePath("content/ok/aux/x.md"); !strings.Contains(msg, "device name") {
		t.Errorf("device folder: %q", msg)
	}
}

func TestNameClashes(t *testing.T) {
	c := nameClashes{}
	for _, tt := range []struct {
		path string
		bad  bool
	}{
		{"content/Tax", false},
		{"content/Tax/a.md", false},
		{"content/tax", true},       // one folder on Windows and macOS
		{"content/tax/a.md", false}, // reported once, at the folders
		{"content/tax/A.md", false},
		{"content/Tax/b.md", false},
		{"content/Tax/B.md", true},
		{"content/" + norm.NFC.String("café.md"), false},
		{"content/" + norm.NFD.String("café.md"), true},
		{"content/ΣΊΣΥΦΟΣ.md", false},
		{"content/σίσυφοσ.md", true},
		{"content/Tax/a.md", false}, // the same path again is no clash
	} {
		if got := c.check(tt.path); (got != "") != tt.bad {
			t.Errorf("check(%q) = %q, want a clash: %v", tt.path, got, tt.bad)
		}
	}
}

// A file saved decomposed (NFD, as macOS keeps names typed on some keyboards) is the same page
// as when saved composed: same URL, and links typed either way reach it.
func TestDecomposedNamesBuildComposedURLs(t *testing.T) {
	for _, name := range []string{"café", "آمدنی", "ۂجرت"} { // é, alef with madda, heh with hamza
		nfd, nfcName := norm.NFD.String(name), norm.NFC.String(name)
		if nfd == nfcName {
			t.Fatalf("%q has no decomposed form", name)
		}
		files := map[string][]byte{
			"content/guide/" + nfd + ".md":        []byte("---\ntitle: Decomposed\n---\nText.\n"),
			"content/guide/" + nfd + "/photo.png": []byte("png"),
			"content/guide/_index.md": []byte("---\ntitle: Guide\n---\n" +
				"[composed](" + nfcName + ".md) [decomposed](" + nfd + ".md) [photo](" + nfcName + "/photo.png)\n"),
		}
		out, _, err := buildFS(t, mapFS(files), Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		page := "guide/" + nfcName + "/index.html"
		if out.Files[page] == nil {
			t.Errorf("%s: no %s; files: %v", name, page, keys(out.Files))
		}
		if out.Files["guide/"+nfcName+"/photo.png"] == nil {
			t.Errorf("%s: the bundle's photo is not under the composed name", name)
		}
		for p := range out.Files {
			if !norm.NFC.IsNormalString(p) {
				t.Errorf("%s: output path %q is not composed", name, p)
			}
		}
		if n := bytes.Count(out.Files["guide/index.html"], []byte(`href="/guide/`+nfcName+`/"`)); n != 2 {
			t.Errorf("%s: %d links to the composed URL, want 2", name, n)
		}
	}
}

func keys(m map[string][]byte) []string { return sortedKeys(m) }

// A site saved with Windows line ends (CRLF) builds to the same bytes as with LF, and its
// problems are on the same lines.
func TestCRLFSameAsLF(t *testing.T) {
	lf := multilingual(t)
	crlf := map[string][]byte{}
	for name, data := range lf {
		switch path.Ext(name) {
		case ".md", ".toml", ".yaml", ".yml":
			data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
		}
		crlf[name] = data
	}
	a, _, err := buildFS(t, mapFS(lf), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := buildFS(t, mapFS(crlf), Options{})
	if err != nil {
		t.Fatalf("CRLF: %v", err)
	}
	if len(a.Files) != len(b.Files) {
		t.Fatalf("LF: %d files, CRLF: %d", len(a.Files), len(b.Files))
	}
	for p := range a.Files {
		if !bytes.Equal(a.Files[p], b.Files[p]) {
			t.Errorf("%s differs between the LF and the CRLF site", p)
		}
	}

	bad := "---\r\ntitle: x\r\ndate: yesterday\r\n---\r\nText [gone](nowhere.md).\r\n"
	_, _, err = buildFS(t, mapFS(map[string][]byte{"content/x.md": []byte(bad)}), Options{})
	for _, want := range []string{"content/x.md:3: ", "content/x.md:5: link nowhere.md"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
}

// The repository itself checks out on Windows and macOS: every name in it passes the rules
// sites are held to (generated build output and editor files aside).
func TestRepositoryNamesPortable(t *testing.T) {
	clashes := nameClashes{}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a file another test removed while this one walked
		}
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(strings.TrimPrefix(p, ".."), string(filepath.Separator)))
		if rel == "" {
			return nil
		}
		if d.Name() == ".git" || d.Name() == "public" || d.Name() == "dist" || IgnoredName(d.Name()) && d.Name() != ".github" && d.Name() != ".ci" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if msg := unportableName(d.Name()); msg != "" {
			t.Errorf("%s: %s", rel, msg)
		} else if msg := clashes.check(rel); msg != "" {
			t.Errorf("%s: %s", rel, msg)
		} else if n := pathChars(rel); n > maxPathChars {
			t.Errorf("%s: %d characters", rel, n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The dev server reports a new file's name as a build does: a file created while it serves is
// checked like one found at startup.
func TestReloadChecksNewNames(t *testing.T) {
	files := fstest.MapFS{
		"content/a.md": {Data: []byte("---\ntitle: A\n---\nText.\n")},
	}
	ctx := context.Background()
	s, err := Load(ctx, Source{Site: files, Theme: themeFS()}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ file, want string }{
		{"content/aux.md", `content/aux.md:1: name "aux.md" is a device name`},
		{"content/A.md", `content/a.md:1: A.md and a.md differ only in upper/lower case`},
	} {
		files[tt.file] = &fstest.MapFile{Data: []byte("---\ntitle: New\n---\nText.\n")}
		_, err := s.Reload(ctx, []string{tt.file})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("creating %s: err = %v, want %q", tt.file, err, tt.want)
		}
		delete(files, tt.file)
	}
}
