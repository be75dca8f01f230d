package generator

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Report prints problems one a line, naming site files from where the user ran the command
// (siteDir is the site folder as the user gave it); embedded theme files keep their name.
func Report(w io.Writer, siteDir string, list ErrorList) {
	for _, e := range list {
		c := *e
		if c.File != "" && siteDir != "." {
			if _, err := os.Stat(filepath.Join(siteDir, c.File)); err == nil {
				c.File = filepath.ToSlash(filepath.Join(siteDir, c.File))
			}
		}
		fmt.Fprintln(w, c.Error())
	}
}

// ReportErr prints err's problems and their count when err holds an ErrorList (see Report),
// and reports whether it did; other errors are left to the caller.
func ReportErr(w io.Writer, siteDir string, err error) bool {
	var list ErrorList
	if !errors.As(err, &list) {
		return false
	}
	Report(w, siteDir, list)
	fmt.Fprintf(w, "%d problem(s)\n", len(list.Errors()))
	return true
}

// ReportCheck prints the problems Check found and a summary line; it returns the number of
// errors among them.
func (s *Site) ReportCheck(w io.Writer, siteDir string, opts CheckOptions) (errs int) {
	problems := s.Check(opts)
	Report(w, siteDir, problems)
	errs = len(problems.Errors())
	fmt.Fprintf(w, "checked %d pages: %d error(s), %d warning(s)\n", len(s.Pages()), errs, len(problems.Warnings()))
	return errs
}
