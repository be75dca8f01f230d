package generator

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testNow is the clock of every test build, so output is byte-identical across runs.
var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// archive is a txtar-style file: a comment, then "-- name --" lines each followed by the file.
type archive struct {
	comment string
	files   map[string][]byte
}

func parseArchive(data []byte) archive {
	a := archive{files: map[string][]byte{}}
	var name string
	var buf []byte
	flush := func() {
		if name != "" {
			a.files[name] = buf
		} else {
			a.comment = string(buf)
		}
	}
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		if bytes.HasPrefix(line, []byte("-- ")) && bytes.HasSuffix(line, []byte(" --")) && len(line) > 6 {
			flush()
			name, buf = string(line[3:len(line)-3]), nil
			continue
		}
		buf = append(buf, line...)
		buf = append(buf, '\n')
	}
	flush()
	return a
}

func formatArchive(files map[string][]byte) []byte {
	var b bytes.Buffer
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "-- %s --\n", n)
		b.Write(files[n])
		if len(files[n]) > 0 && files[n][len(files[n])-1] != '\n' {
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

// themeFS is the repository's built-in theme (layouts/ and assets/ at the module root).
func themeFS() fs.FS { return os.DirFS("..") }

func mapFS(files map[string][]byte) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return m
}

func buildFS(t testing.TB, site fs.FS, opts Options) (*Output, *Site, error) {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	return Build(context.Background(), Source{Site: site, Theme: themeFS()}, opts)
}

// Theme assets change with the theme; golden files name them by role, not by hash.
var (
	assetNames = regexp.MustCompile(`\.[0-9a-f]{10}\.(css|js)\b`)
	integrity  = regexp.MustCompile(`integrity="sha384-[^"]*"`)
)

// TestGoldenSites builds every testdata/sites/*.txtar and compares the output with its .golden.
func TestGoldenSites(t *testing.T) {
	cases, _ := filepath.Glob("testdata/sites/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no golden sites")
	}
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c), ".txtar")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(c)
			if err != nil {
				t.Fatal(err)
			}
			a := parseArchive(data)
			opts := Options{}
			if strings.Contains(a.comment, "base-url:") {
				opts.BaseURL = strings.TrimSpace(strings.SplitN(strings.SplitN(a.comment, "base-url:", 2)[1], "\n", 2)[0])
			}
			out, _, err := buildFS(t, mapFS(a.files), opts)
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			// Theme assets and the search index are covered by their own tests; the golden
			// files hold what this site's content decides.
			files := map[string][]byte{}
			for p, b := range out.Files {
				if strings.HasPrefix(p, "css/") || strings.HasPrefix(p, "js/") || strings.HasPrefix(p, "search/") && strings.Count(p, "/") > 1 {
					continue
				}
				files[p] = assetNames.ReplaceAll(integrity.ReplaceAll(b, []byte(`integrity="SRI"`)), []byte(".HASH.$1"))
			}
			got := formatArchive(files)
			golden := strings.TrimSuffix(c, ".txtar") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test ./generator -run TestGoldenSites -update and review the diff)\n%s", golden, firstDiff(string(want), string(got)))
			}
		})
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant: %s\ngot:  %s", i+1, w, g)
		}
	}
	return ""
}

// TestBadSites builds each hostile site in testdata/bad and expects exactly the listed problems:
// each as path:line: message, no panic, and nothing written.
func TestBadSites(t *testing.T) {
	cases, _ := filepath.Glob("testdata/bad/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no bad sites")
	}
	for _, c := range cases {
		name := strings.TrimSuffix(filepath.Base(c), ".txtar")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(c)
			if err != nil {
				t.Fatal(err)
			}
			a := parseArchive(data)
			want := a.files["want"]
			delete(a.files, "want")
			done := make(chan error, 1)
			go func() {
				_, _, err := buildFS(t, mapFS(a.files), Options{})
				done <- err
			}()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("build did not finish in 20s")
			}
			if err == nil {
				t.Fatal("build succeeded, want errors")
			}
			got := err.Error()
			for _, w := range strings.Split(strings.TrimSpace(string(want)), "\n") {
				if w = strings.TrimSpace(w); w != "" && !strings.Contains(got, w) {
					t.Errorf("missing problem %q in:\n%s", w, got)
				}
			}
		})
	}
}
