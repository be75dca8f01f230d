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
	fd, err := openFD(name, flags)
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

// reuseSpare: builds write into the files of the site before last (see sparePrefix).
const reuseSpare = true

// rewriteFile writes data over an old file of the spare, in place: not truncated first (ext4
// starts writing a file truncated to zero back to disk as soon as it is closed, its
// auto_da_alloc guard), then cut to length. A file with another name (a snapshot made with
// cp -al or rsync --link-dest), or not a regular file, is never written through: its name is
// removed and a new file made.
func rewriteFile(name string, data []byte) error {
	const flags = unix.O_WRONLY | unix.O_CREAT | unix.O_NOFOLLOW | unix.O_CLOEXEC
	fd, err := openFD(name, flags)
	if err == unix.EACCES { // an old file made read-only: replaced
		return replaceFile(name, data)
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var st unix.Stat_t
	if err = unix.Fstat(fd, &st); err == nil && (st.Nlink > 1 || st.Mode&unix.S_IFMT != unix.S_IFREG) {
		unix.Close(fd)
		return replaceFile(name, data)
	}
	if err == nil {
		err = writeFD(fd, data)
	}
	if err == nil && st.Size > int64(len(data)) {
		err = unix.Ftruncate(fd, int64(len(data)))
	}
	if cerr := unix.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		return &fs.PathError{Op: "write", Path: name, Err: err}
	}
	return nil
}

func replaceFile(name string, data []byte) error {
	if err := unix.Unlink(name); err != nil && err != unix.ENOENT {
		return &fs.PathError{Op: "remove", Path: name, Err: err}
	}
	return createFile(name, data)
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
