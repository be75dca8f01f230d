package generator

import (
	"context"
	"errors"
	"fmt"
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

// WriteDir writes the output to dir atomically: everything goes into a new folder beside dir,
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
// fresh folder beside dir, and swaps that folder in for dir only when fill succeeds.
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
	var dirs sync.Map
	put := func(p string, data []byte) error {
		if !filepath.IsLocal(filepath.FromSlash(p)) || strings.Contains(p, "\\") {
			return fmt.Errorf("output: refusing to write %q outside the output folder", p)
		}
		full := filepath.Join(tmp, filepath.FromSlash(p))
		if err := mkdirCached(&dirs, tmp, filepath.Dir(full)); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		return nil
	}
	if err := fill(put); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := swapDir(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("output: replacing %s: %w", dir, err)
	}
	os.RemoveAll(tmp) // after the swap, tmp holds the previous site
	return nil
}

// mkdirCached makes folder d inside root, remembering in dirs the folders made: most pages
// have a folder of their own, whose parent was made for an earlier page, so one mkdir call
// usually does where MkdirAll makes three.
func mkdirCached(dirs *sync.Map, root, d string) error {
	if len(d) <= len(root) { // root itself, which exists
		return nil
	}
	if _, ok := dirs.Load(d); ok {
		return nil
	}
	if err := mkdirCached(dirs, root, filepath.Dir(d)); err != nil {
		return err
	}
	if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
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
