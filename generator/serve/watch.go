package serve

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"rahnuma/generator"
)

// watchedRoots are the folders of a site that shape its output. They are watched recursively,
// and the site folder itself is watched (not recursively) for site.toml and for these folders
// being created, removed or renamed.
var watchedRoots = [...]string{"content", "layouts", "assets", "i18n"}

const configFile = "site.toml"

// DefaultDebounce is how long the watcher waits for a burst of events to end.
const DefaultDebounce = 30 * time.Millisecond

// Watcher turns file-system events under a site folder into batches of changed site-relative
// slash paths ("content/en/tax/x.md", "layouts/page.html", "site.toml"). Events that arrive
// within Debounce of each other go into one batch, so an editor's save-by-rename or a git
// checkout of many files causes one reload. Folders created after start are watched too; a
// folder event names the folder itself (the generator rescans it) and the files found in it.
type Watcher struct {
	root     string // absolute site folder
	debounce time.Duration
	maxDelay time.Duration

	fsw     *fsnotify.Watcher
	batches chan []string
	errs    func(error)
	done    chan struct{}

	mu    sync.Mutex
	watch map[string]bool // absolute folders being watched
}

// NewWatcher starts watching the site folder dir. Watches are in place when it returns. A zero
// debounce means DefaultDebounce. Errors the watcher meets later go to onError (may be nil).
// Close it, or cancel ctx, to stop.
func NewWatcher(ctx context.Context, dir string, debounce time.Duration, onError func(error)) (*Watcher, error) {
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if onError == nil {
		onError = func(error) {}
	}
	w := &Watcher{
		root: root, debounce: debounce, maxDelay: max(10*debounce, 250*time.Millisecond),
		fsw: fsw, batches: make(chan []string), errs: onError, done: make(chan struct{}),
		watch: map[string]bool{},
	}
	if err := w.add(root); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, r := range watchedRoots {
		w.addTree(filepath.Join(root, r), nil)
	}
	go w.loop(ctx)
	return w, nil
}

// Batches delivers the batches of changed paths, sorted and without duplicates. While the
// receiver is busy (reloading), new events join the batch that is waiting to be delivered.
// The channel is closed when the watcher stops.
func (w *Watcher) Batches() <-chan []string { return w.batches }

// Close stops the watcher and waits for it to finish.
func (w *Watcher) Close() error {
	err := w.fsw.Close()
	<-w.done
	return err
}

func (w *Watcher) add(dir string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.watch[dir] {
		return nil
	}
	if err := w.fsw.Add(dir); err != nil {
		return err
	}
	w.watch[dir] = true
	return nil
}

// addTree watches dir and every folder under it. When found is not nil, every path found
// under dir (files and folders, site-relative) is passed to it: files created in a new folder
// before its watch was in place are not missed.
func (w *Watcher) addTree(dir string, found func(rel string)) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone already, or unreadable: the generator reports what matters
		}
		if p != dir && generator.IgnoredName(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if err := w.add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				w.errs(err)
			}
		}
		if found != nil && p != dir {
			if rel, ok := w.rel(p); ok {
				found(rel)
			}
		}
		return nil
	})
}

// forget drops the watches of dir and every watched folder under it, after dir was removed or
// renamed (inotify keeps a moved folder's watch, under its old name).
func (w *Watcher) forget(dir string) {
	w.mu.Lock()
	var gone []string
	for d := range w.watch {
		if d == dir || strings.HasPrefix(d, dir+string(filepath.Separator)) {
			gone = append(gone, d)
			delete(w.watch, d)
		}
	}
	w.mu.Unlock()
	for _, d := range gone {
		_ = w.fsw.Remove(d) // may already be gone with the folder
	}
}

// rel maps an absolute path to a site-relative slash path, if it lies in the site.
func (w *Watcher) rel(p string) (string, bool) {
	r, err := filepath.Rel(w.root, p)
	if err != nil || !filepath.IsLocal(r) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// relevant reports whether a site-relative path can change the site.
func relevant(rel string) bool {
	if rel == configFile {
		return true
	}
	first, rest, _ := strings.Cut(rel, "/")
	known := false
	for _, r := range watchedRoots {
		known = known || first == r
	}
	if !known {
		return false
	}
	for _, part := range strings.Split(rest, "/") {
		if part != "" && generator.IgnoredName(part) {
			return false
		}
	}
	return true
}

func (w *Watcher) loop(ctx context.Context) {
	defer close(w.done)
	defer close(w.batches)
	pending := map[string]bool{}
	var first time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	ready := false // the debounce has elapsed; deliver as soon as the receiver takes it
	note := func(rel string) {
		now := time.Now()
		if len(pending) == 0 {
			first = now
		}
		pending[rel] = true
		if ready {
			return // already waiting for the receiver: join that batch
		}
		wait := min(w.debounce, first.Add(w.maxDelay).Sub(now))
		timer.Reset(max(wait, 0))
	}
	for {
		var out chan<- []string
		var batch []string
		if ready && len(pending) > 0 {
			out = w.batches
			batch = sortedKeys(pending)
		}
		select {
		case <-ctx.Done():
			w.fsw.Close()
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ev, note)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: say everything changed, which reloads the whole site.
				note(configFile)
				for _, r := range watchedRoots {
					note(r)
				}
				continue
			}
			w.errs(err)
		case <-timer.C:
			ready = true
		case out <- batch:
			clear(pending)
			ready = false
		}
	}
}

func (w *Watcher) handle(ev fsnotify.Event, note func(string)) {
	if ev.Op == fsnotify.Chmod {
		return // attribute changes (indexers, touch -a) change no output
	}
	rel, ok := w.rel(ev.Name)
	if !ok || !relevant(rel) {
		return
	}
	note(rel)
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.forget(ev.Name)
	}
	if ev.Has(fsnotify.Create) {
		if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() {
			w.addTree(ev.Name, note)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
