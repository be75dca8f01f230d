//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package generator

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// lockFile takes an flock on the file name, made if absent.
func lockFile(name string) (unlock func(), err error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err != unix.EINTR {
			break
		}
	}
	if err == unix.EWOULDBLOCK {
		f.Close()
		return nil, errLocked
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	writePID(f)
	return func() { f.Close() }, nil // closing the last descriptor releases the lock
}
