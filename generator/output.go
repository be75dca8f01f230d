package generator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
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

// tempPrefix names the folders a build writes into before they replace the output folder.
const tempPrefix = ".rahnuma-tmp-"

// sparePrefix names the previous site, kept beside the output folder after a build for the
// next build to write into. Creating a file costs far more than rewriting one on some file
// systems (ext4 without a journal skips every recently deleted inode when it allocates one:
// measured a quarter of a 10,000-page build's CPU), so a build overwrites the files of the
// site before last rather than deleting one site and creating another.
const sparePrefix = ".rahnuma-old-"

// WriteDir writes the output to dir atomically: everything goes into a folder beside dir,
// which then replaces dir in one rename. A failed or interrupted write leaves dir as it was.
// Temporary folders left by a killed earlier build are removed first.
func (o *Output) WriteDir(ctx context.Context, dir string) error {
	return writeAtomic(ctx, dir, func(put func(string, []byte) error) error {
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
}

// writeAtomic gives fill a function that writes one file (safe for concurrent use) into a
// folder beside dir, and swaps that folder in for dir only when fill succeeds. The folder is
// the spare (see sparePrefix) when there is one, with what this build does not write removed
// before the swap; else a new one. Afterwards the previous site becomes the spare.
func writeAtomic(ctx context.Context, dir string, fill func(put func(string, []byte) error) error) error {
	dir = filepath.Clean(dir)
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	stale, _ := filepath.Glob(filepath.Join(parent, tempPrefix+base+"-*"))
	for _, s := range stale {
		os.RemoveAll(s)
	}
	tmp, err := os.MkdirTemp(parent, tempPrefix+base+"-")
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	spare := filepath.Join(parent, sparePrefix+base)
	var old *inventory
	// Renamed onto the empty temporary folder: of two builds at once, one gets the spare.
	// (unix.Rename: os.Rename refuses to replace a folder, even an empty one.)
	if unix.Rename(spare, tmp) == nil {
		if old, err = takeInventory(tmp); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("output: %w", err)
		}
	}
	var dirs sync.Map
	var mu sync.Mutex
	written := map[string]bool{}
	put := func(p string, data []byte) error {
		if !filepath.IsLocal(filepath.FromSlash(p)) || strings.Contains(p, "\\") {
			return fmt.Errorf("output: refusing to write %q outside the output folder", p)
		}
		full := filepath.Join(tmp, filepath.FromSlash(p))
		if err := mkdirCached(&dirs, old, tmp, filepath.Dir(full)); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		if old != nil {
			if old.dirs[full] { // a folder in the way of a file
				if err := os.RemoveAll(full); err != nil {
					return fmt.Errorf("output: %w", err)
				}
			}
			mu.Lock()
			written[full] = true
			mu.Unlock()
		}
		if err := writeFile(full, data); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		return nil
	}
	if err := fill(put); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if old != nil {
		if err := old.prune(written, &dirs); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("output: %w", err)
		}
	}
	if err := swapDir(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("output: replacing %s: %w", dir, err)
	}
	// After the swap, tmp holds the previous site, if there was one.
	if err := os.Rename(tmp, spare); err != nil && !errors.Is(err, fs.ErrNotExist) {
		os.RemoveAll(tmp)
	}
	return nil
}

// writeFile writes data to a new or existing file, never through a symbolic link. An
// existing file is overwritten in place and then cut to length, not truncated first: ext4
// starts writing a file truncated to zero back to disk as soon as it is closed (its
// auto_da_alloc guard), one write-back per page of the site. It works on the file descriptor
// itself: an *os.File would also try to register each file with the poller (a system call
// that fails for regular files) and set a finalizer, for each of a build's thousands of files.
func writeFile(name string, data []byte) error {
	const flags = unix.O_WRONLY | unix.O_CREAT | unix.O_NOFOLLOW | unix.O_CLOEXEC
	fd, err := openFD(name, flags)
	if errors.Is(err, fs.ErrPermission) { // an old file made read-only: replaced
		if os.Remove(name) == nil {
			fd, err = openFD(name, flags)
		}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	err = writeFD(fd, data)
	if err == nil {
		var st unix.Stat_t
		if err = unix.Fstat(fd, &st); err == nil && st.Size > int64(len(data)) {
			err = unix.Ftruncate(fd, int64(len(data)))
		}
	}
	if cerr := unix.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		return &fs.PathError{Op: "write", Path: name, Err: err}
	}
	return nil
}

func openFD(name string, flags int) (int, error) {
	for {
		fd, err := unix.Open(name, flags, 0o644)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// writeFD writes all of data, as os.File.Write does: again after a short write or a signal.
func writeFD(fd int, data []byte) error {
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return io.ErrShortWrite
		}
		data = data[n:]
	}
	return nil
}

// inventory is what a reused folder held: its folders and files (full paths).
type inventory struct {
	dirs  map[string]bool
	files []string
}

// takeInventory lists the folders and regular files under root, and removes anything else
// (symbolic links above all: nothing may be written through one).
func takeInventory(root string) (*inventory, error) {
	inv := &inventory{dirs: map[string]bool{}}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == root:
		case d.IsDir():
			inv.dirs[p] = true
		case d.Type().IsRegular():
			inv.files = append(inv.files, p)
		default:
			return os.Remove(p)
		}
		return nil
	})
	return inv, err
}

// prune removes the files this build did not write and the folders it did not use.
func (inv *inventory) prune(written map[string]bool, used *sync.Map) error {
	for _, f := range inv.files {
		if _, isDir := used.Load(f); !written[f] && !isDir {
			// (Gone already when a file took its folder's place.)
			if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, unix.ENOTDIR) {
				return err
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

// mkdirCached makes folder d inside root, remembering in dirs the folders made: most pages
// have a folder of their own, whose parent was made for an earlier page, so one mkdir call
// usually does where MkdirAll makes three. Folders a reused root already has are not made
// again; a file in the way of one is removed.
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
	if old == nil || !old.dirs[d] {
		err := os.Mkdir(d, 0o755)
		if errors.Is(err, fs.ErrExist) && old != nil {
			if st, serr := os.Lstat(d); serr == nil && !st.IsDir() { // a file of the old site
				os.Remove(d)
				err = os.Mkdir(d, 0o755)
			}
		}
		if err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	dirs.Store(d, true)
	return nil
}

// swapDir puts tmp in dir's place. On Linux both names are exchanged in one atomic step, so a
// reader (or a crash) sees the old site or the new one, never neither.
func swapDir(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dir, unix.RENAME_EXCHANGE)
	if err == nil {
		return nil
	}
	// Fallback where the exchange is unsupported: move the old site aside, then the new one in.
	old := tmp + "-old"
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(old, dir)
		return err
	}
	return os.Rename(old, tmp)
}
