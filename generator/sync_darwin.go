//go:build darwin

package generator

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFile hands f's data to the drive with a plain fsync: os.File.Sync asks the drive to
// flush its whole cache (F_FULLFSYNC) each time, far too slow for thousands of files.
func syncFile(f *os.File) error { return unix.Fsync(int(f.Fd())) }

// flushDevice makes the drive write its cache, once for all the files fsynced before.
func flushDevice(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = unix.FcntlInt(f.Fd(), unix.F_FULLFSYNC, 0)
	return err
}
