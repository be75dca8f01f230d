//go:build !linux || rahnuma_portable

package generator

import (
	"errors"
	"io/fs"
	"os"
)

// reuseSpare: off. Its gain (see sparePrefix) was measured on ext4 only; every build writes
// new files.
const reuseSpare = false

// rewriteFile replaces a file: the old name removed (never written through), a new file made.
func rewriteFile(name string, data []byte) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return createFile(name, data)
}

// createFile writes data to a new file and flushes it to disk (syncFile). O_EXCL: an existing
// name, a symbolic link above all, is an error, never written through.
func createFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = syncFile(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncTree finishes putting the files under dir on disk (each was synced as it was written).
func syncTree(dir string) error { return flushDevice(dir) }

// exchangeDirs: no portable way to swap two names in one step.
func exchangeDirs(a, b string) error { return errNoExchange }
