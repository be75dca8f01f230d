//go:build windows

package generator

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockFile locks the file name, made if absent, with LockFileEx. The locked byte lies past
// the process id the file holds, so another build can still read it.
func lockFile(name string) (unlock func(), err error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	h := windows.Handle(f.Fd())
	ol := &windows.Overlapped{OffsetHigh: 1}
	err = windows.LockFileEx(h, windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		f.Close()
		return nil, errLocked
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	writePID(f)
	return func() { f.Close() }, nil // closing the handle releases the lock
}
