//go:build linux && !rahnuma_portable

package generator

import (
	"io"
	"io/fs"

	"golang.org/x/sys/unix"
)

// createFile writes data to a new file. It works on the file descriptor itself: an *os.File
// would also try to register each file with the poller (a system call that fails for regular
// files) and set a finalizer, for each of a build's thousands of files. O_EXCL: an existing
// name, a symbolic link above all, is an error, never written through.
func createFile(name string, data []byte) error {
	const flags = unix.O_WRONLY | unix.O_CREAT | unix.O_EXCL | unix.O_NOFOLLOW | unix.O_CLOEXEC
	var fd int
	var err error
	for {
		if fd, err = unix.Open(name, flags, 0o644); err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	err = writeFD(fd, data)
	if cerr := unix.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		return &fs.PathError{Op: "write", Path: name, Err: err}
	}
	return nil
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

// syncTree puts the files written under dir on disk: one syncfs for the whole file system,
// where a build's thousands of fsync calls would each wait for the journal.
func syncTree(dir string) error {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return unix.Syncfs(fd)
}

// exchangeDirs swaps the names a and b in one atomic step.
func exchangeDirs(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if err == unix.EINVAL || err == unix.ENOSYS { // a file system or kernel without it
		return errNoExchange
	}
	if err != nil {
		return &fs.PathError{Op: "rename", Path: b, Err: err}
	}
	return nil
}
