package generator

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"rahnuma/generator/corpus"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, s := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

func sameTree(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func leftovers(t *testing.T, parent string) []string {
	m, _ := filepath.Glob(filepath.Join(parent, tempPrefix+"*"))
	return m
}

func TestWriteDirReplacesWholeSite(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	writeTree(t, dir, map[string]string{"stale.html": "old", "keep/index.html": "old"})
	o := &Output{Files: map[string][]byte{"index.html": []byte("new"), "keep/index.html": []byte("new")}}
	if err := o.WriteDir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, dir)
	if !sameTree(got, map[string]string{"index.html": "new", "keep/index.html": "new"}) {
		t.Errorf("output = %v", got)
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("temporary folders left: %v", l)
	}
}

func TestWriteDirRefusesEscapes(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	writeTree(t, dir, map[string]string{"index.html": "old"})
	for _, bad := range []string{"../escape.html", "/abs.html", "a/../../x", `a\..\..\x`} {
		o := &Output{Files: map[string][]byte{"index.html": []byte("new"), bad: []byte("x")}}
		if err := o.WriteDir(context.Background(), dir); err == nil {
			t.Errorf("%q: written", bad)
		}
	}
	if got := readTree(t, dir); !sameTree(got, map[string]string{"index.html": "old"}) {
		t.Errorf("old site changed: %v", got)
	}
	if _, err := os.Stat(filepath.Join(parent, "escape.html")); err == nil {
		t.Error("a file was written outside the output folder")
	}
}

// A write interrupted by cancellation leaves the old site; the next write removes the leftovers.
func TestWriteDirCancelledKeepsOldSite(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	old := map[string]string{"index.html": "old"}
	writeTree(t, dir, old)
	files := map[string][]byte{}
	for i := range 3000 {
		files[filepath.ToSlash(filepath.Join("p", string(rune('a'+i%26)), strings.Repeat("x", i%7+1)+"-"+strconv.Itoa(i)+".html"))] = bytes.Repeat([]byte("y"), 512)
	}
	ctx, cancel := context.WithCancel(context.Background())
	o := &Output{Files: files}
	done := make(chan error)
	go func() { done <- o.WriteDir(ctx, dir) }()
	cancel()
	if err := <-done; err == nil {
		t.Skip("write finished before the cancel landed")
	} else if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if got := readTree(t, dir); !sameTree(got, old) {
		t.Fatalf("old site changed after a cancelled write")
	}
	if err := (&Output{Files: map[string][]byte{"index.html": []byte("new")}}).WriteDir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("temporary folders left: %v", l)
	}
}

// A full disk gives a clear error and leaves the old site. Needs root to mount a tiny tmpfs.
func TestWriteDirFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount tmpfs here: %v %s", err, out)
	}
	defer exec.Command("umount", mnt).Run()
	dir := filepath.Join(mnt, "public")
	old := map[string]string{"index.html": "old"}
	writeTree(t, dir, old)
	o := &Output{Files: map[string][]byte{"index.html": []byte("new"), "big.bin": bytes.Repeat([]byte("z"), 1<<20)}}
	err := o.WriteDir(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("err = %v, want a no-space error", err)
	}
	if got := readTree(t, dir); !sameTree(got, old) {
		t.Errorf("old site changed: %v", got)
	}
	if l := leftovers(t, mnt); len(l) > 0 {
		t.Errorf("temporary folders left: %v", l)
	}
}

// An output folder that cannot be created gives an error and writes nothing.
func TestWriteDirUnwritable(t *testing.T) {
	parent := t.TempDir()
	blocker := filepath.Join(parent, "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	err := (&Output{Files: map[string][]byte{"index.html": nil}}).WriteDir(context.Background(), filepath.Join(blocker, "public"))
	if err == nil {
		t.Fatal("want an error")
	}
}

// A build with a highlight cache gives the same output as one without, and the second build
// highlights nothing again.
func TestHighlightCacheAcrossBuilds(t *testing.T) {
	files := map[string][]byte{
		"content/a.md": []byte("---\ntitle: A\n---\n```go\nfunc A() {}\n```\n"),
		"content/b.md": []byte("---\ntitle: B\n---\n```yaml\nb: 1\n```\n"),
	}
	plain, _, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for run := range 2 {
		out, site, err := buildFS(t, mapFS(files), Options{CacheDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if err := site.SaveCache(); err != nil {
			t.Fatal(err)
		}
		for p := range plain.Files {
			if !bytes.Equal(plain.Files[p], out.Files[p]) {
				t.Fatalf("run %d: %s differs from a build without cache", run, p)
			}
		}
		if _, misses := site.md.HighlightStats(); run == 1 && misses != 0 {
			t.Errorf("second build highlighted %d blocks again", misses)
		}
	}
}

// A rebuild that uses exactly the cached highlights leaves the cache file as it is and marks
// its folder as used; new code, or code no longer used, writes the file again (what it holds:
// TestHighlightsChanged in the markdown package).
func TestHighlightCacheRewrittenOnlyOnChange(t *testing.T) {
	files := map[string][]byte{
		"content/a.md": []byte("---\ntitle: A\n---\n```go\nfunc A() {}\n```\n"),
		"content/b.md": []byte("---\ntitle: B\n---\n```yaml\nb: 1\n```\n"),
	}
	dir := t.TempDir()
	file := filepath.Join(dir, highlightCache)
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	build := func() {
		t.Helper()
		_, site, err := buildFS(t, mapFS(files), Options{CacheDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if err := site.SaveCache(); err != nil {
			t.Fatal(err)
		}
	}
	age := func() {
		t.Helper()
		for _, p := range []string{file, dir} {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	modified := func(p string) bool {
		t.Helper()
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return !info.ModTime().Equal(old)
	}

	build()
	age()
	build() // the same code: nothing to write
	if modified(file) {
		t.Error("an unchanged cache was written again")
	}
	if !modified(dir) {
		t.Error("the cache folder was not marked as used")
	}
	files["content/c.md"] = []byte("---\ntitle: C\n---\n```go\nfunc C() {}\n```\n")
	age()
	build() // new code
	if !modified(file) {
		t.Error("a cache with a new block was not written")
	}
	delete(files, "content/a.md")
	age()
	build() // a block no longer used
	if !modified(file) {
		t.Error("a cache with a block no longer used was not written")
	}
}

// TestSiteWriteDirMatchesRender: the streaming build (one reused buffer per worker, folders
// made one level at a time) writes exactly the files the in-memory render produces.
func TestSiteWriteDirMatchesRender(t *testing.T) {
	src := Source{Site: mapFS(corpus.Files(corpus.Options{Pages: 300, Sections: 6})), Theme: os.DirFS("..")}
	s, err := Load(context.Background(), src, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.Render(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "public")
	n, err := s.WriteDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(want.Files) {
		t.Errorf("WriteDir wrote %d files, Render made %d", n, len(want.Files))
	}
	got := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		got++
		if w, ok := want.Files[filepath.ToSlash(rel)]; !ok {
			t.Errorf("%s: written, not rendered", rel)
		} else if !bytes.Equal(b, w) {
			t.Errorf("%s: written bytes differ from the rendered ones", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != len(want.Files) {
		t.Errorf("%d files on disk, %d rendered", got, len(want.Files))
	}
}

// Each build writes into the files of the site before last (kept beside the output) rather
// than creating new ones, and still leaves exactly its own files: what it does not write is
// removed, files and folders that changed places are swapped, and a symbolic link planted in
// the kept folder is removed, not written through.
func TestWriteDirReusesSiteBeforeLast(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	spare := filepath.Join(parent, sparePrefix+"public")
	outside := filepath.Join(parent, "outside.html")
	os.WriteFile(outside, []byte("untouched"), 0o644)
	write := func(files map[string]string) {
		t.Helper()
		o := &Output{Files: map[string][]byte{}}
		for p, s := range files {
			o.Files[p] = []byte(s)
		}
		if err := o.WriteDir(context.Background(), dir); err != nil {
			t.Fatal(err)
		}
		if got := readTree(t, dir); !sameTree(got, files) {
			t.Fatalf("output = %v, want %v", got, files)
		}
		if l := leftovers(t, parent); len(l) > 0 {
			t.Fatalf("temporary folders left: %v", l)
		}
	}
	inode := func(p string) uint64 {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st.Sys().(*syscall.Stat_t).Ino
	}
	a := map[string]string{"index.html": "a", "x/index.html": "a longer text, cut when rewritten", "gone/deep/index.html": "a", "f": "a file", "d/index.html": "a"}
	b := map[string]string{"index.html": "b"}
	write(a)
	if _, err := os.Stat(spare); err == nil {
		t.Fatal("a spare after the first build, with no site before it")
	}
	write(b)
	if got := readTree(t, spare); !sameTree(got, a) {
		t.Fatalf("kept site = %v, want the one before", got)
	}
	reused := inode(filepath.Join(spare, "x", "index.html"))
	os.Symlink(outside, filepath.Join(spare, "index.html.tmp"))
	os.Remove(filepath.Join(spare, "index.html"))
	os.Symlink(outside, filepath.Join(spare, "index.html"))
	os.Chmod(filepath.Join(spare, "d", "index.html"), 0o444)
	c := map[string]string{"index.html": "c", "x/index.html": "c", "f/index.html": "now a folder", "d": "now a file", "d2/index.html": "c"}
	write(c)
	if got := inode(filepath.Join(dir, "x", "index.html")); got != reused {
		t.Errorf("x/index.html was created anew (inode %d), not rewritten (%d)", got, reused)
	}
	if b, _ := os.ReadFile(outside); string(b) != "untouched" {
		t.Errorf("written through a symbolic link: %q", b)
	}
	if got := readTree(t, spare); !sameTree(got, b) {
		t.Errorf("kept site = %v, want %v", got, b)
	}
	write(a) // from c's spare (b) back
	write(b)
	write(a)
}

// writeFile never writes through a symbolic link, and cuts a longer old file to the new length.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(dir, "outside")
	os.WriteFile(outside, []byte("untouched"), 0o644)
	link := filepath.Join(dir, "link.html")
	os.Symlink(outside, link)
	if err := writeFile(link, []byte("x")); err == nil || !strings.Contains(err.Error(), link) {
		t.Errorf("writing through a link: err = %v, want an error naming it", err)
	}
	if b, _ := os.ReadFile(outside); string(b) != "untouched" {
		t.Errorf("written through a symbolic link: %q", b)
	}
	f := filepath.Join(dir, "f.html")
	for _, s := range []string{"a longer text", "short", ""} {
		if err := writeFile(f, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(f); string(b) != s {
			t.Errorf("after writing %q the file holds %q", s, b)
		}
	}
}
