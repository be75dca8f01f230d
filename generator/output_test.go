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
	"testing"
	"time"

	"rahnuma/generator/internal/corpus"
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
		if !d.IsDir() && d.Name() != MarkerName {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

// writeSite writes files as a build's output into dir.
func writeSite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	o := &Output{Files: map[string][]byte{}}
	for p, s := range files {
		o.Files[p] = []byte(s)
	}
	if err := o.WriteDir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
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

// leftovers lists what a build left beside its output other than the output and its lock.
func leftovers(t *testing.T, parent string) []string {
	t.Helper()
	var l []string
	es, _ := os.ReadDir(parent)
	for _, e := range es {
		if strings.HasPrefix(e.Name(), tempPrefix) || strings.HasPrefix(e.Name(), keptPrefix) {
			l = append(l, e.Name())
		}
	}
	return l
}

func TestWriteDirReplacesWholeSite(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	writeSite(t, dir, map[string]string{"stale.html": "old", "keep/index.html": "old"})
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
	writeSite(t, dir, map[string]string{"index.html": "old"})
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
	writeSite(t, dir, old)
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
	writeSite(t, dir, old)
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
		if err != nil || d.IsDir() || p == filepath.Join(dir, MarkerName) {
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

// The output holds a marker listing exactly the files the build wrote, in order.
func TestWriteDirMarksItsOutput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	writeSite(t, dir, map[string]string{"b/index.html": "b", "a.html": "a", "index.html": "i"})
	b, err := os.ReadFile(filepath.Join(dir, MarkerName))
	if err != nil {
		t.Fatal(err)
	}
	if want := markerHeader + "a.html\nb/index.html\nindex.html\n"; string(b) != want {
		t.Errorf("marker = %q, want %q", b, want)
	}
	o := &Output{Files: map[string][]byte{MarkerName: []byte("x")}}
	if err := o.WriteDir(context.Background(), dir); err == nil {
		t.Error("a page overwrote the marker")
	}
}

// Builds into a new folder, then over it: nothing to report either time (no user's files met).
func TestWriteDirNoNotes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	for i := range 3 {
		note, err := writeAtomic(context.Background(), dir, func(put func(string, []byte) error) error {
			return put("index.html", []byte("v"))
		})
		if err != nil || note != "" {
			t.Fatalf("build %d: note %q, error %v", i+1, note, err)
		}
	}
}

// A folder that is not Rahnuma's is refused before anything is touched, however often the
// build runs: nothing in it changes, nothing is made beside it.
func TestWriteDirRefusesUsersFolder(t *testing.T) {
	users := map[string]string{"notes.txt": "mine", "photos/a.jpg": "jpeg"}
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{"user's files", func(t *testing.T, dir string) { writeTree(t, dir, users) }, "not a Rahnuma output"},
		{"a marker that is not Rahnuma's", func(t *testing.T, dir string) {
			writeTree(t, dir, users)
			os.WriteFile(filepath.Join(dir, MarkerName), []byte("something else\nnotes.txt\n"), 0o644)
		}, "not a Rahnuma output"},
		{"a file", func(t *testing.T, dir string) { os.WriteFile(dir, []byte("mine"), 0o644) }, "not a folder"},
		{"a link to a user's folder", func(t *testing.T, dir string) {
			writeTree(t, dir+"-target", users)
			os.Symlink(dir+"-target", dir)
		}, "not a Rahnuma output"},
		{"a dangling link", func(t *testing.T, dir string) { os.Symlink(dir+"-nowhere", dir) }, "does not exist"},
	} {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "Documents")
			c.setup(t, dir)
			before := readTree(t, parent)
			entries, _ := os.ReadDir(parent)
			for range 2 {
				err := (&Output{Files: map[string][]byte{"index.html": []byte("site")}}).WriteDir(context.Background(), dir)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("err = %v, want one saying %q", err, c.want)
				}
			}
			if got := readTree(t, parent); !sameTree(got, before) {
				t.Errorf("files changed: %v, want %v", got, before)
			}
			if after, _ := os.ReadDir(parent); len(after) != len(entries) {
				t.Errorf("%d entries beside the folder, were %d", len(after), len(entries))
			}
		})
	}
}

// An empty folder, or a link to one, takes the site; the link stays a link, and the next
// build replaces the site in the folder it names.
func TestWriteDirEmptyFolderAndLink(t *testing.T) {
	parent := t.TempDir()
	empty := filepath.Join(parent, "empty")
	os.Mkdir(empty, 0o755)
	writeSite(t, empty, map[string]string{"index.html": "a"})
	if got := readTree(t, empty); !sameTree(got, map[string]string{"index.html": "a"}) {
		t.Errorf("empty folder: %v", got)
	}
	deploy := filepath.Join(parent, "deploy", "site")
	os.MkdirAll(deploy, 0o755)
	link := filepath.Join(parent, "public")
	if err := os.Symlink(deploy, link); err != nil {
		t.Skip(err)
	}
	for _, s := range []string{"one", "two"} {
		writeSite(t, link, map[string]string{"index.html": s})
		if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("the link was replaced: %v %v", st, err)
		}
		if got := readTree(t, deploy); !sameTree(got, map[string]string{"index.html": s}) {
			t.Errorf("link target = %v", got)
		}
	}
	if l := append(leftovers(t, parent), leftovers(t, filepath.Dir(deploy))...); len(l) > 0 {
		t.Errorf("left beside the output: %v", l)
	}
}

// Files a user put into the output are not deleted: the next build moves them aside (and
// says so), and only the files the last build wrote go.
func TestWriteDirKeepsUsersFiles(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	writeSite(t, dir, map[string]string{"index.html": "a", "x/index.html": "a"})
	writeTree(t, dir, map[string]string{"notes.txt": "mine", "x/draft.txt": "mine too"})
	os.Mkdir(filepath.Join(dir, "empty-of-mine"), 0o755)
	note, err := writeAtomic(context.Background(), dir, func(put func(string, []byte) error) error {
		return put("index.html", []byte("b"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, dir); !sameTree(got, map[string]string{"index.html": "b"}) {
		t.Errorf("output = %v", got)
	}
	kept := filepath.Join(parent, keptPrefix+"public-1")
	if got := readTree(t, kept); !sameTree(got, map[string]string{"notes.txt": "mine", "x/draft.txt": "mine too"}) {
		t.Errorf("kept = %v", got)
	}
	if _, err := os.Stat(filepath.Join(kept, "empty-of-mine")); err != nil {
		t.Errorf("a folder of the user's was removed: %v", err)
	}
	if isOutput(kept) {
		t.Error("the kept folder still has the marker: a build would write into it")
	}
	if !strings.Contains(note, kept) || !strings.Contains(note, "notes.txt") {
		t.Errorf("note = %q, want it to name %s and the files", note, kept)
	}
	if l := leftovers(t, parent); len(l) != 1 {
		t.Errorf("left beside the output: %v", l)
	}
}

// A file with more than one name (a snapshot made with cp -al or rsync --link-dest) is never
// written through: every build writes new files, and the snapshot keeps what it had.
func TestWriteDirLeavesHardLinkedSnapshots(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	a := map[string]string{"index.html": "a", "x/index.html": "a"}
	writeSite(t, dir, a)
	snap := filepath.Join(parent, "snap")
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(snap, rel), 0o755)
		}
		return os.Link(p, filepath.Join(snap, rel))
	})
	for _, s := range []string{"b", "c", "d"} {
		writeSite(t, dir, map[string]string{"index.html": s, "x/index.html": s})
	}
	if got := readTree(t, snap); !sameTree(got, a) {
		t.Errorf("snapshot = %v, want %v", got, a)
	}
}

// What killed builds left beside the output is cleared by the next one, under the lock: a
// build cut short (no marker) goes; a finished site swapped out goes, except a file it did
// not write; another output's temporary folder stays.
func TestWriteDirClearsStaleFolders(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	writeSite(t, dir, map[string]string{"index.html": "a"})
	partial := filepath.Join(parent, tempPrefix+"public-123")
	writeTree(t, partial, map[string]string{"half/index.html": "x"})
	swapped := filepath.Join(parent, tempPrefix+"public-456")
	writeSite(t, swapped, map[string]string{"index.html": "old"})
	writeTree(t, swapped, map[string]string{"mine.txt": "mine"})
	other := filepath.Join(parent, tempPrefix+"public-2-789")
	writeTree(t, other, map[string]string{"index.html": "live"})
	note, err := writeAtomic(context.Background(), dir, func(put func(string, []byte) error) error {
		return put("index.html", []byte("b"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "mine.txt") {
		t.Errorf("note = %q, want it to name the file moved aside", note)
	}
	for p, want := range map[string]bool{partial: false, swapped: false, other: true, filepath.Join(parent, keptPrefix+"public-1", "mine.txt"): true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists = %v, want %v", p, err == nil, want)
		}
	}
}

// The fallback swap moves the old site aside before it moves the new one in; a build killed
// between the two leaves no output folder, and the next build puts the old site back before
// anything else, so a failing build still leaves it.
func TestWriteDirRestoresSiteMovedAside(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	old := map[string]string{"index.html": "old"}
	writeSite(t, dir, old)
	if err := os.Rename(dir, filepath.Join(parent, tempPrefix+"public-42"+asideSuffix)); err != nil {
		t.Fatal(err)
	}
	_, err := writeAtomic(context.Background(), dir, func(put func(string, []byte) error) error {
		put("index.html", []byte("new"))
		return errors.New("render failed")
	})
	if err == nil {
		t.Fatal("want the fill's error")
	}
	if got := readTree(t, dir); !sameTree(got, old) {
		t.Errorf("output = %v, want the old site back", got)
	}
	if l := leftovers(t, parent); len(l) > 0 {
		t.Errorf("left beside the output: %v", l)
	}
}

// swapDir's fallback (rename aside, rename in) leaves the new site in place and the old in
// tmp's, as the one-step exchange does.
func TestSwapDirFallback(t *testing.T) {
	parent := t.TempDir()
	dir, tmp := filepath.Join(parent, "public"), filepath.Join(parent, "new")
	writeTree(t, dir, map[string]string{"index.html": "old"})
	writeTree(t, tmp, map[string]string{"index.html": "new"})
	if err := swapDir(tmp, dir); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, dir)["index.html"]; got != "new" {
		t.Errorf("output holds %q", got)
	}
	if got := readTree(t, tmp)["index.html"]; got != "old" {
		t.Errorf("old site holds %q", got)
	}
}

// One build at a time writes a folder: a second one fails at once, names the first's process,
// and touches nothing; the lock is free again afterwards.
func TestWriteDirLocked(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	old := map[string]string{"index.html": "old"}
	writeSite(t, dir, old)
	unlock, err := lockOutput(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = (&Output{Files: map[string][]byte{"index.html": []byte("new")}}).WriteDir(context.Background(), dir)
	want := "another build is writing " + dir + " (pid " + strconv.Itoa(os.Getpid()) + ")"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
	if got := readTree(t, dir); !sameTree(got, old) {
		t.Errorf("output changed under another build's lock: %v", got)
	}
	unlock()
	writeSite(t, dir, map[string]string{"index.html": "new"})
}

// The lock of systems without one that ends with the process: a file made only if absent.
func TestLockExclusive(t *testing.T) {
	name := filepath.Join(t.TempDir(), lockPrefix+"public")
	unlock, err := lockExclusive(name)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
		t.Errorf("lock file holds %q", b)
	}
	if _, err := lockExclusive(name); !errors.Is(err, errLocked) || !strings.Contains(err.Error(), "remove "+name) {
		t.Errorf("second lock: err = %v", err)
	}
	unlock()
	unlock, err = lockExclusive(name)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	unlock()
}

// createFile makes a new file; it never writes through a symbolic link or into a file that
// exists (one with another name, from a snapshot, above all).
func TestCreateFile(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(dir, "outside")
	os.WriteFile(outside, []byte("untouched"), 0o644)
	link := filepath.Join(dir, "link.html")
	os.Symlink(outside, link)
	hard := filepath.Join(dir, "hard.html")
	os.Link(outside, hard)
	for _, p := range []string{link, hard} {
		if err := createFile(p, []byte("x")); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("writing %s: err = %v, want an error naming it", p, err)
		}
	}
	if b, _ := os.ReadFile(outside); string(b) != "untouched" {
		t.Errorf("written through a link: %q", b)
	}
	f := filepath.Join(dir, "f.html")
	if err := createFile(f, []byte("text")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(f); string(b) != "text" {
		t.Errorf("file holds %q", b)
	}
}

// CheckOutDir refuses output folders a build must not replace, before anything is built.
func TestCheckOutDir(t *testing.T) {
	root := t.TempDir()
	home := filepath.Join(root, "home")
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	src := filepath.Join(home, "site")
	writeTree(t, src, map[string]string{"content/a.md": "x", "layouts/b.html": "x", "static/c.txt": "x", "public/.keep": ""})
	os.Remove(filepath.Join(src, "public", ".keep"))
	writeTree(t, filepath.Join(root, "other"), map[string]string{"f.txt": "x"})
	os.Symlink(filepath.Join(src, "content"), filepath.Join(root, "link-to-content"))
	for _, c := range []struct {
		out, want string // want "" for allowed
	}{
		{filepath.Join(src, "public"), ""},
		{filepath.Join(src, "docs"), ""},
		{filepath.Join(root, "new", "out"), ""},
		{src, "is the site's source folder"},
		{filepath.Join(src, "content"), "is the site's content/ folder"},
		{filepath.Join(src, "content", "en"), "lies inside the site's content/ folder"},
		{filepath.Join(src, "layouts", "x"), "lies inside the site's layouts/ folder"},
		{filepath.Join(src, "static"), "is the site's static/ folder"},
		{filepath.Join(src, "assets"), "is the site's assets/ folder"},
		{filepath.Join(src, "i18n", "x"), "lies inside the site's i18n/ folder"},
		{filepath.Join(root, "link-to-content"), "is the site's content/ folder"},
		{home, "is your home folder"},
		{root, "holds your home folder"},
		{filepath.Dir(root), "holds your home folder"},
		{string(filepath.Separator), "is the root"},
		{filepath.Join(root, "other"), "not a Rahnuma output"},
		{filepath.Join(root, "other", "f.txt"), "not a folder"},
	} {
		err := CheckOutDir(src, c.out)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.out, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err = %v, want %q", c.out, err, c.want)
		}
	}
}

// Where reuseSpare is set, each build writes into the files of the site before last (kept
// beside the output while it holds only the files its marker lists) rather than creating new
// ones, and still leaves exactly its own files: what it does not write is removed, files and
// folders that changed places are swapped. A spare holding anything else (a user's file, a
// link) is not written into: its unknown files are moved aside.
func TestWriteDirReusesSpare(t *testing.T) {
	if !reuseSpare {
		t.Skip("this writer does not reuse the site before last")
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	spare := filepath.Join(parent, sparePrefix+"public")
	outside := filepath.Join(parent, "outside.html")
	os.WriteFile(outside, []byte("untouched"), 0o644)
	write := func(files map[string]string) {
		t.Helper()
		writeSite(t, dir, files)
		if got := readTree(t, dir); !sameTree(got, files) {
			t.Fatalf("output = %v, want %v", got, files)
		}
	}
	a := map[string]string{"index.html": "a", "x/index.html": "a longer text, cut when rewritten", "gone/deep/index.html": "a", "f": "a file", "d/index.html": "a"}
	b := map[string]string{"index.html": "b"}
	write(a)
	if _, err := os.Stat(spare); err == nil {
		t.Fatal("a spare after the first build, with no site before it")
	}
	write(b)
	if got := readTree(t, spare); !sameTree(got, a) {
		t.Fatalf("spare = %v, want the site before", got)
	}
	before, _ := os.Stat(filepath.Join(spare, "x", "index.html"))
	os.Chmod(filepath.Join(spare, "d", "index.html"), 0o444)
	c := map[string]string{"index.html": "c", "x/index.html": "c", "f/index.html": "now a folder", "d": "now a file", "d2/index.html": "c"}
	write(c)
	if after, _ := os.Stat(filepath.Join(dir, "x", "index.html")); !os.SameFile(before, after) {
		t.Error("x/index.html was created anew, not rewritten")
	}
	if got := readTree(t, spare); !sameTree(got, b) {
		t.Errorf("spare = %v, want %v", got, b)
	}
	write(a)
	write(b)
	// The spare now holds c. A user's file and a link in it: not written into, nothing lost.
	os.WriteFile(filepath.Join(spare, "mine.txt"), []byte("mine"), 0o644)
	os.Remove(filepath.Join(spare, "index.html"))
	os.Symlink(outside, filepath.Join(spare, "index.html"))
	write(a)
	if got, _ := os.ReadFile(outside); string(got) != "untouched" {
		t.Errorf("written through a link: %q", got)
	}
	kept := filepath.Join(parent, keptPrefix+"public-1")
	if got := readTree(t, kept); got["mine.txt"] != "mine" {
		t.Errorf("the user's file was not kept: %v", got)
	}
	write(c)
	write(b)
}
