package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Output is a built site in memory: output path ("tax/x/index.html") → file contents.
type Output struct {
	Files map[string][]byte
}

// Paths returns the output paths in order.
func (o *Output) Paths() []string {
	ps := make([]string, 0, len(o.Files))
	for p := range o.Files {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// MarkerName is the file every output folder Rahnuma writes holds: a short explanation,
// then the list of the files that build wrote. A folder with it is Rahnuma's to replace, and
// only the files it lists are ever deleted.
const MarkerName = ".rahnuma-output"

const markerHeader = `# This folder was written by Rahnuma ("rahnuma build"). The next build replaces it
# and deletes only the files listed below; anything else found here is moved aside
# (to a folder named .rahnuma-kept-*), not deleted. Without this file Rahnuma refuses
# to write into the folder.
`

// sparePrefix names the previous site, kept beside the output folder for the next build to
// write into where reuseSpare is set: on ext4, creating a file and deleting an old one costs
// far more than rewriting one (a 10,000-page rebuild took twice as long). It is reused only
// while it holds nothing but the files its marker lists.
const sparePrefix = ".rahnuma-spare-"

// tempPrefix names the folders a build writes into before they replace the output folder.
const tempPrefix = ".rahnuma-tmp-"

// keptPrefix names the folders that keep files found in a replaced output that its build
// did not write.
const keptPrefix = ".rahnuma-kept-"

// lockPrefix names the lock file beside the output folder (see lockOutput).
const lockPrefix = ".rahnuma-lock-"

// WriteDir writes the output to dir atomically: everything goes into a folder beside dir,
// which then replaces dir in one rename. A failed or interrupted write leaves dir as it was.
func (o *Output) WriteDir(ctx context.Context, dir string) error {
	_, err := writeAtomic(ctx, dir, func(put func(string, []byte) error) error {
		for _, p := range o.Paths() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := put(p, o.Files[p]); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// writeAtomic gives fill a function that writes one file (safe for concurrent use) into a
// folder beside dir (new, or the spare: see sparePrefix), and puts that folder in dir's place
// only when fill succeeds and its files are on disk. dir must not exist, be empty, or be an earlier output (it holds MarkerName); a
// symbolic link is followed and the folder it names is replaced. One build at a time writes
// a given folder (lockOutput). Of the replaced folder only the files its build listed are
// deleted; whatever else it held is moved to a .rahnuma-kept-* folder, named in the note.
func writeAtomic(ctx context.Context, dir string, fill func(put func(string, []byte) error) error) (note string, err error) {
	// Absolute paths: on Windows the os package lifts the 260-character limit only for them.
	dir, err = resolveOut(dir)
	if err != nil {
		return "", err
	}
	if err := checkOwned(dir); err != nil { // before anything is touched, even the lock file
		return "", err
	}
	parent, base := filepath.Split(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("output: %w", err)
	}
	unlock, err := lockOutput(dir)
	if err != nil {
		return "", err
	}
	defer unlock()
	if err := checkOwned(dir); err != nil { // again: it may have changed before the lock
		return "", err
	}
	notes := cleanStale(parent, base, dir)

	tmp, err := os.MkdirTemp(parent, tempPrefix+base+"-")
	if err != nil {
		return "", fmt.Errorf("output: %w", err)
	}
	fail := func(err error) (string, error) {
		os.RemoveAll(tmp) // nothing but what this build wrote
		return "", err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fail(fmt.Errorf("output: %w", err))
	}
	spare := filepath.Join(parent, sparePrefix+base)
	var old *inventory // the spare's files, when this build writes into them
	if reuseSpare {
		if old, err = takeSpare(spare, tmp, parent, base); err != nil {
			return fail(fmt.Errorf("output: %w", err))
		}
	}
	var dirs sync.Map
	var mu sync.Mutex
	var written []string
	var writtenFull map[string]bool
	if old != nil {
		writtenFull = make(map[string]bool, len(old.files))
	}
	put := func(p string, data []byte) error {
		if !filepath.IsLocal(filepath.FromSlash(p)) || strings.ContainsAny(p, "\\\n\r") {
			return fmt.Errorf("output: refusing to write %q outside the output folder", p)
		}
		if p == MarkerName {
			return fmt.Errorf("output: %s is Rahnuma's own file; a page cannot be written there", p)
		}
		full := filepath.Join(tmp, filepath.FromSlash(p))
		if err := mkdirCached(&dirs, old, tmp, filepath.Dir(full)); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		write := createFile
		if old != nil {
			if old.dirs[full] { // a folder of the old site in the way of a file
				if err := os.RemoveAll(full); err != nil {
					return fmt.Errorf("output: %w", err)
				}
			}
			write = rewriteFile
		}
		if err := write(full, data); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		mu.Lock()
		written = append(written, p)
		if old != nil {
			writtenFull[full] = true
		}
		mu.Unlock()
		return nil
	}
	if err := fill(put); err != nil {
		return fail(err)
	}
	if old != nil {
		if err := old.prune(writtenFull, &dirs); err != nil {
			return fail(fmt.Errorf("output: %w", err))
		}
	}
	if err := createFile(filepath.Join(tmp, MarkerName), manifest(written)); err != nil {
		return fail(fmt.Errorf("output: %w", err))
	}
	// The new site's data on disk before it goes live: a crash after the swap finds it whole.
	if err := syncTree(tmp); err != nil {
		return fail(fmt.Errorf("output: syncing %s: %w", tmp, err))
	}
	if err := swapDir(tmp, dir); err != nil {
		return fail(fmt.Errorf("output: replacing %s: %w", dir, err))
	}
	if err := syncDir(parent); err != nil { // the new site is in place: too late to fail
		notes = append(notes, fmt.Sprintf("the new output is in place, but %s could not be synced: %v", parent, err))
	}
	// tmp now holds the previous site, if there was one: kept as the next build's spare if
	// it holds only files it lists, else retired.
	if reuseSpare {
		if _, clean := inventoryOf(tmp); clean && os.Rename(tmp, spare) == nil {
			return strings.Join(notes, "; "), nil
		}
	}
	if n := retire(tmp, parent, base); n != "" {
		notes = append(notes, n)
	}
	return strings.Join(notes, "; "), nil
}

// manifest is the marker file's text: the header, then the written paths in order.
func manifest(paths []string) []byte {
	sort.Strings(paths)
	n := len(markerHeader)
	for _, p := range paths {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, markerHeader...)
	for _, p := range paths {
		b = append(b, p...)
		b = append(b, '\n')
	}
	return b
}

// readManifest returns the paths a folder's marker lists, and false when it has no marker.
func readManifest(dir string) (map[string]bool, bool) {
	f := filepath.Join(dir, MarkerName)
	if st, err := os.Lstat(f); err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	b, err := os.ReadFile(f)
	if err != nil || !bytes.HasPrefix(b, []byte(markerHeader)) {
		return nil, false
	}
	owned := map[string]bool{}
	for _, line := range strings.Split(string(b[len(markerHeader):]), "\n") {
		if line != "" && filepath.IsLocal(filepath.FromSlash(line)) {
			owned[line] = true
		}
	}
	return owned, true
}

// isOutput reports whether dir holds the marker of a Rahnuma output.
func isOutput(dir string) bool {
	f, err := os.Open(filepath.Join(dir, MarkerName))
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	head := make([]byte, len(markerHeader))
	n, _ := f.Read(head)
	return n == len(head) && string(head) == markerHeader
}

// resolveOut makes dir absolute and follows it when it is a symbolic link: the site lands in
// the folder the link names, and the link stays.
func resolveOut(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("output: %w", err)
	}
	st, err := os.Lstat(abs)
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		if err == nil && st.Mode()&fs.ModeIrregular != 0 {
			return "", fmt.Errorf("output: %s is not a plain folder (a mount point or junction?): refusing to replace it; choose another output folder", dir)
		}
		return abs, nil
	}
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("output: %s is a symbolic link to a folder that does not exist: create the folder or remove the link", dir)
	}
	return target, nil
}

// checkOwned refuses a dir that exists and is neither empty nor a Rahnuma output.
func checkOwned(dir string) error {
	st, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("output: %w", err)
	case !st.IsDir():
		return fmt.Errorf("output: %s exists and is not a folder: refusing to replace it; choose another output folder", dir)
	case isOutput(dir):
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer f.Close()
	if names, _ := f.Readdirnames(1); len(names) == 0 {
		return nil
	}
	return fmt.Errorf("output: %s holds files and is not a Rahnuma output (it has no %s file): Rahnuma writes only into a new or empty folder or one it wrote itself, and replaces it whole; choose another output folder, or empty this one first", dir, MarkerName)
}

// cleanStale removes what builds killed before they finished left beside dir. The caller holds
// dir's lock, so no live build owns any of it. A folder without a marker is a build cut short
// and holds only what that build wrote; one with a marker is a finished site (the old one,
// swapped out; or a new one never swapped in), retired like any replaced output. A site moved
// aside by swapDir's fallback, with dir missing, goes back into dir's place.
func cleanStale(parent, base, dir string) (notes []string) {
	es, err := os.ReadDir(parent)
	if err != nil {
		return nil
	}
	for _, e := range es {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, tempPrefix+base+"-")
		if !ok || !e.IsDir() {
			continue
		}
		aside := strings.HasSuffix(rest, asideSuffix)
		if _, err := strconv.ParseUint(strings.TrimSuffix(rest, asideSuffix), 10, 64); err != nil {
			continue // another output's temporary folder ("public-2"), or not Rahnuma's
		}
		p := filepath.Join(parent, name)
		if aside {
			if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) && os.Rename(p, dir) == nil {
				continue
			}
		}
		if _, ok := readManifest(p); ok || aside {
			if n := retire(p, parent, base); n != "" {
				notes = append(notes, n)
			}
		} else {
			os.RemoveAll(p)
		}
	}
	return notes
}

// retire removes a replaced output folder: the files its marker lists, then the folders they
// were in, if left empty. Anything else (a file a user put there) is kept: the folder is renamed
// .rahnuma-kept-BASE-N, and the note says so.
func retire(old, parent, base string) string {
	if _, err := os.Lstat(old); errors.Is(err, fs.ErrNotExist) {
		return "" // nothing was replaced: the output folder was new
	}
	owned, _ := readManifest(old)
	ownedDirs := map[string]bool{}
	for p := range owned {
		for d := path.Dir(p); d != "." && !ownedDirs[d]; d = path.Dir(d) {
			ownedDirs[d] = true
		}
	}
	var folders, kept []string
	err := filepath.WalkDir(old, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(old, p)
		rel = filepath.ToSlash(rel)
		switch {
		case p == old || rel == MarkerName:
		case d.IsDir():
			if ownedDirs[rel] {
				folders = append(folders, p)
			}
		case d.Type().IsRegular() && owned[rel]:
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				kept = append(kept, rel)
			}
		default:
			kept = append(kept, rel)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Left as it is, marker and all: the next build tries again.
		return fmt.Sprintf("the previous output in %s could not be removed: %v", old, err)
	}
	for i := len(folders) - 1; i >= 0; i-- { // inner folders first
		os.Remove(folders[i]) // fails, as it should, for a folder with kept files
	}
	if len(kept) == 0 {
		os.Remove(filepath.Join(old, MarkerName))
		if os.Remove(old) == nil {
			return ""
		}
		kept = append(kept, "empty folders") // made by a user, or left by a failed remove
	}
	// The marker goes only once the folder has its new name: under its temporary name without
	// one, the next build would take it for a build cut short and remove it whole.
	for n := 1; ; n++ {
		keep := filepath.Join(parent, keptPrefix+base+"-"+strconv.Itoa(n))
		if _, err := os.Lstat(keep); err == nil {
			continue
		}
		if err := os.Rename(old, keep); err != nil {
			return fmt.Sprintf("files Rahnuma did not write were in the previous output; they are in %s: %s", old, strings.Join(firstFew(kept, 5), ", "))
		}
		os.Remove(filepath.Join(keep, MarkerName))
		return fmt.Sprintf("files Rahnuma did not write were in the previous output; moved to %s: %s", keep, strings.Join(firstFew(kept, 5), ", "))
	}
}

func firstFew(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("and %d more", len(s)-n))
	}
	return s
}

// mkdirCached makes folder d inside root, remembering in dirs the folders made: most pages
// have a folder of their own, whose parent was made for an earlier page, so one mkdir call
// usually does where MkdirAll makes three.
func mkdirCached(dirs *sync.Map, old *inventory, root, d string) error {
	if len(d) <= len(root) { // root itself, which exists
		return nil
	}
	if _, ok := dirs.Load(d); ok {
		return nil
	}
	if err := mkdirCached(dirs, old, root, filepath.Dir(d)); err != nil {
		return err
	}
	if old != nil && old.dirs[d] {
		dirs.Store(d, true)
		return nil
	}
	err := os.Mkdir(d, 0o755)
	if errors.Is(err, fs.ErrExist) && old != nil && old.file(d) { // a file of the old site in the way
		os.Remove(d)
		err = os.Mkdir(d, 0o755)
	}
	if errors.Is(err, fs.ErrExist) {
		// Made by another writer just now, or a file of the site in the way.
		if st, err := os.Lstat(d); err != nil || !st.IsDir() {
			return fmt.Errorf("mkdir %s: a file of the site is in the way", d)
		}
	} else if err != nil {
		return err
	}
	dirs.Store(d, true)
	return nil
}

// asideSuffix marks the old site moved aside by swapDir's fallback.
const asideSuffix = ".old"

// swapDir puts tmp in dir's place, and the old dir, if any, in tmp's. Where the system can
// exchange two names in one step (exchangeDirs), a reader or a crash sees the old site or the
// new one, never neither. Elsewhere the old site moves aside, the new one in, and on failure
// the old one back; a crash between the two renames is repaired by the next build
// (cleanStale).
func swapDir(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	if err := exchangeDirs(tmp, dir); err == nil || !errors.Is(err, errNoExchange) {
		return err
	}
	aside := tmp + asideSuffix
	if err := os.Rename(dir, aside); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(aside, dir); rerr != nil {
			return fmt.Errorf("%w; and the previous output could not be put back: it is in %s", err, aside)
		}
		return err
	}
	return os.Rename(aside, tmp)
}

var errNoExchange = errors.New("exchanging two names is not supported here")

// syncDir makes a rename in folder p durable. Windows cannot flush a folder (and journals
// renames on NTFS), so there it does nothing.
func syncDir(p string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// inventory is what a reused spare held: its folders and files (full paths).
type inventory struct {
	dirs  map[string]bool
	files map[string]bool
}

func (inv *inventory) file(p string) bool { return inv.files[p] }

// inventoryOf lists the folders and files under root, and reports whether root is a clean
// Rahnuma output: a marker, and nothing but the regular files it lists and their folders.
func inventoryOf(root string) (inv *inventory, clean bool) {
	owned, ok := readManifest(root)
	if !ok {
		return nil, false
	}
	ownedDirs := map[string]bool{}
	for p := range owned {
		for d := path.Dir(p); d != "." && !ownedDirs[d]; d = path.Dir(d) {
			ownedDirs[d] = true
		}
	}
	inv = &inventory{dirs: map[string]bool{}, files: make(map[string]bool, len(owned))}
	clean = true
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		switch {
		case p == root || rel == MarkerName:
		case d.IsDir() && ownedDirs[rel]:
			inv.dirs[p] = true
		case d.Type().IsRegular() && owned[rel]:
			inv.files[p] = true
		default:
			clean = false
			return filepath.SkipAll
		}
		return nil
	})
	return inv, clean && err == nil
}

// takeSpare moves a clean spare into the empty folder tmp and returns what it holds; a spare
// with anything else in it is retired instead (its unknown files kept), and tmp stays empty.
// The spare's marker goes: should this build be cut short, the next one removes tmp whole,
// which holds only Rahnuma's files.
func takeSpare(spare, tmp, parent, base string) (*inventory, error) {
	if st, err := os.Lstat(spare); err != nil || !st.IsDir() {
		return nil, nil
	}
	inv, clean := inventoryOf(spare)
	if !clean {
		retire(spare, parent, base)
		return nil, nil
	}
	if err := os.Remove(tmp); err != nil { // os.Rename will not replace a folder
		return nil, err
	}
	if err := os.Rename(spare, tmp); err != nil {
		return nil, os.Mkdir(tmp, 0o755)
	}
	if err := os.Remove(filepath.Join(tmp, MarkerName)); err != nil {
		return nil, err
	}
	// Paths were listed under the spare's name.
	moved := &inventory{dirs: make(map[string]bool, len(inv.dirs)), files: make(map[string]bool, len(inv.files))}
	for p := range inv.dirs {
		moved.dirs[filepath.Join(tmp, strings.TrimPrefix(p, spare))] = true
	}
	for p := range inv.files {
		moved.files[filepath.Join(tmp, strings.TrimPrefix(p, spare))] = true
	}
	return moved, nil
}

// prune removes the spare's files this build did not write and its folders it did not use:
// all of them Rahnuma's (takeSpare).
func (inv *inventory) prune(written map[string]bool, used *sync.Map) error {
	for f := range inv.files {
		if _, isDir := used.Load(f); !written[f] && !isDir {
			// (Gone already when a file took its folder's place, or a folder its.)
			if err := os.Remove(f); err != nil {
				if _, lerr := os.Lstat(f); lerr == nil { // not gone already
					return err
				}
			}
		}
	}
	var unused []string
	for d := range inv.dirs {
		if _, ok := used.Load(d); !ok && !written[d] {
			unused = append(unused, d)
		}
	}
	sort.Strings(unused) // a folder before what is inside it
	removed := ""
	for _, d := range unused {
		if removed != "" && strings.HasPrefix(d, removed+string(filepath.Separator)) {
			continue
		}
		if err := os.RemoveAll(d); err != nil {
			return err
		}
		removed = d
	}
	return nil
}
