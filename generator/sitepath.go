package generator

import (
	"io/fs"
	"strings"
)

// msgSymlink is the problem of a symbolic link in the site: it is never followed, by a full
// load, a reload or the dev server.
const msgSymlink = "symbolic links are not followed (a link could reach outside the site)"

// CheckSitePath reports whether a site-relative slash path may be read: it must be a valid
// path, and neither it nor any folder on the way to it may be a symbolic link. A full load
// applies the same rule entry by entry as it walks content/; this is that rule for reads that
// do not walk (a reload of changed files, the dev server's error overlay). The error for a
// link is an *Error naming the link.
func CheckSitePath(fsys fs.FS, name string) error {
	if !fs.ValidPath(name) || name == "." {
		return &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	for end := 0; end < len(name); {
		next := strings.IndexByte(name[end+1:], '/')
		if next < 0 {
			end = len(name)
		} else {
			end += 1 + next
		}
		info, err := fs.Lstat(fsys, name[:end])
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return &Error{File: name[:end], Msg: msgSymlink}
		}
	}
	return nil
}

// isLinkError reports whether err is CheckSitePath's refusal of a symbolic link.
func isLinkError(err error) (*Error, bool) {
	e, ok := err.(*Error)
	return e, ok && e.Msg == msgSymlink
}
