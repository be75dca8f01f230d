package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// errLocked means another process holds a lock.
var errLocked = errors.New("locked")

// lockOutput makes sure one build at a time writes dir: it takes the lock of the file
// .rahnuma-lock-BASE beside dir (kept there: removing a lock file others may hold open would
// let two builds lock two different files), or fails at once naming the build that holds it.
// The system releases the lock when the process ends, however it ends.
func lockOutput(dir string) (unlock func(), err error) {
	parent, base := filepath.Split(dir)
	name := filepath.Join(parent, lockPrefix+base)
	unlock, err = lockFile(name)
	if errors.Is(err, errLocked) {
		pid := "pid unknown"
		if b, rerr := os.ReadFile(name); rerr == nil && len(strings.TrimSpace(string(b))) > 0 {
			pid = "pid " + strings.TrimSpace(string(b))
		}
		hint := strings.TrimPrefix(err.Error(), errLocked.Error()) // lockExclusive's advice
		return nil, fmt.Errorf("output: another build is writing %s (%s)%s; wait for it to finish, or use another output folder", dir, pid, hint)
	}
	if err != nil {
		return nil, fmt.Errorf("output: locking %s: %w", name, err)
	}
	return unlock, nil
}

// lockExclusive is the lock where the system offers none that ends with the process: the
// lock file itself, created only if absent and holding the owner's process id. A build that
// was killed leaves it behind; the error names the file to remove.
func lockExclusive(name string) (unlock func(), err error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%w (if no build is running, remove %s)", errLocked, name)
	}
	if err != nil {
		return nil, err
	}
	_, err = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return nil, err
	}
	return func() { os.Remove(name) }, nil
}

// writePID records the lock holder in its lock file, for the message another build gives.
func writePID(f *os.File) {
	if f.Truncate(0) == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
}
