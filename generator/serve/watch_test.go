package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// watchFixture is a site folder with a running watcher.
type watchFixture struct {
	t   *testing.T
	dir string
	w   *Watcher
}

func newWatchFixture(t *testing.T, debounce time.Duration) *watchFixture {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"content/en/a.md", "content/en/guide/b.md", "layouts/page.html", "assets/css/site.css", "site.toml", "README.md"} {
		writeFile(t, dir, f, "x\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	w, err := NewWatcher(ctx, dir, debounce, func(err error) { t.Errorf("watch error: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		w.Close()
	})
	return &watchFixture{t: t, dir: dir, w: w}
}

func (f *watchFixture) path(rel string) string {
	return filepath.Join(f.dir, filepath.FromSlash(rel))
}

// next waits for the next batch.
func (f *watchFixture) next() []string {
	f.t.Helper()
	select {
	case b := <-f.w.Batches():
		return b
	case <-time.After(5 * time.Second):
		f.t.Fatal("no batch within 5s")
		return nil
	}
}

// quiet checks that no batch comes for a while.
func (f *watchFixture) quiet(d time.Duration) {
	f.t.Helper()
	select {
	case b := <-f.w.Batches():
		f.t.Fatalf("unexpected batch %q", b)
	case <-time.After(d):
	}
}

func writeFile(t testing.TB, dir, rel, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// saveByRename saves like most editors: a temporary file beside the target, renamed over it.
func saveByRename(t testing.TB, dir, rel, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".swp")
	if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

func TestWatcherBatches(t *testing.T) {
	f := newWatchFixture(t, 30*time.Millisecond)
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"edit", func() { writeFile(t, f.dir, "content/en/a.md", "edited\n") },
			[]string{"content/en/a.md"}},
		{"save by rename", func() { saveByRename(t, f.dir, "content/en/guide/b.md", "saved\n") },
			[]string{"content/en/guide/b.md"}},
		{"create in a new folder", func() {
			writeFile(t, f.dir, "content/en/new/deep/c.md", "new\n")
		}, []string{"content/en/new", "content/en/new/deep", "content/en/new/deep/c.md"}},
		{"edit in the new folder", func() { writeFile(t, f.dir, "content/en/new/deep/c.md", "again\n") },
			[]string{"content/en/new/deep/c.md"}},
		{"rename a file", func() {
			if err := os.Rename(f.path("content/en/a.md"), f.path("content/en/a2.md")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/en/a.md", "content/en/a2.md"}},
		{"delete a file", func() {
			if err := os.Remove(f.path("content/en/a2.md")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/en/a2.md"}},
		{"rename a folder", func() {
			if err := os.Rename(f.path("content/en/new"), f.path("content/en/moved")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/en/moved", "content/en/moved/deep", "content/en/moved/deep/c.md", "content/en/new"}},
		{"edit in the renamed folder", func() { writeFile(t, f.dir, "content/en/moved/deep/c.md", "moved\n") },
			[]string{"content/en/moved/deep/c.md"}},
		{"delete a folder", func() {
			if err := os.RemoveAll(f.path("content/en/moved")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/en/moved", "content/en/moved/deep", "content/en/moved/deep/c.md"}},
		{"layout, css and settings", func() {
			writeFile(t, f.dir, "layouts/page.html", "y\n")
			writeFile(t, f.dir, "assets/css/site.css", "y\n")
			writeFile(t, f.dir, "site.toml", "y\n")
		}, []string{"assets/css/site.css", "layouts/page.html", "site.toml"}},
		{"i18n folder created at the top", func() { writeFile(t, f.dir, "i18n/en.toml", "k = 'v'\n") },
			[]string{"i18n", "i18n/en.toml"}},
	}
	for _, st := range steps {
		st.do()
		got := f.next()
		if !slices.Equal(got, st.want) {
			t.Fatalf("%s: batch %q, want %q", st.name, got, st.want)
		}
	}
	// Files outside the watched folders, and editor droppings, make no batch.
	writeFile(t, f.dir, "README.md", "changed\n")
	writeFile(t, f.dir, "public/index.html", "out\n")
	writeFile(t, f.dir, "content/en/.hidden.md", "h\n")
	writeFile(t, f.dir, "content/en/guide/b.md~", "backup\n")
	writeFile(t, f.dir, "content/en/#b.md#", "autosave\n")
	f.quiet(200 * time.Millisecond)
}

func TestWatcherBurstIsOneBatch(t *testing.T) {
	// A git checkout writes many files at once: one batch, however many events.
	f := newWatchFixture(t, 100*time.Millisecond)
	var want []string
	for i := range 300 {
		rel := fmt.Sprintf("content/en/s%d/p%03d.md", i%3, i)
		writeFile(t, f.dir, rel, strings.Repeat("text ", i))
		want = append(want, rel)
	}
	want = append(want, "content/en/s0", "content/en/s1", "content/en/s2")
	slices.Sort(want)
	got := f.next()
	if !slices.Equal(got, want) {
		t.Fatalf("got %d paths, want %d:\n%q", len(got), len(want), got)
	}
	f.quiet(250 * time.Millisecond)
}

func TestWatcherJoinsBatchWhileBusy(t *testing.T) {
	// While the receiver is busy, later events join the batch that waits to be delivered.
	f := newWatchFixture(t, 20*time.Millisecond)
	writeFile(t, f.dir, "content/en/a.md", "1\n")
	time.Sleep(150 * time.Millisecond) // debounce over; nobody receiving
	writeFile(t, f.dir, "layouts/page.html", "2\n")
	time.Sleep(150 * time.Millisecond)
	got := f.next()
	if want := []string{"content/en/a.md", "layouts/page.html"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestWatcherStops(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	w, err := NewWatcher(ctx, dir, time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case _, ok := <-w.Batches():
		if ok {
			t.Fatal("batch after cancel")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Batches not closed after cancel")
	}
	w.Close()
}

func TestRelevant(t *testing.T) {
	for _, tc := range []struct {
		rel  string
		want bool
	}{
		{"site.toml", true},
		{"content", true},
		{"content/en/x.md", true},
		{"layouts/partials/menu.html", true},
		{"assets/css/site.css", true},
		{"i18n/ur.toml", true},
		{"README.md", false},
		{"public/index.html", false},
		{"content/.git/HEAD", false},
		{"content/en/.x.md.swp", false},
		{"content/en/x.md~", false},
		{"content/en/x.md.tmp", false},
		{"layouts/#page.html#", false},
		{"site.toml.bak", false},
	} {
		if got := relevant(tc.rel); got != tc.want {
			t.Errorf("relevant(%q) = %v, want %v", tc.rel, got, tc.want)
		}
	}
}
