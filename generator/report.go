package generator

import (
	"context"
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

// CheckSite loads the site for `rahnuma check` and prints to w the problems that keep it from
// loading, or else every problem Check finds and a summary line. failed is true when errors
// were printed; err is any other error (left to the caller to print).
func CheckSite(ctx context.Context, src Source, siteDir string, opts CheckOptions, w io.Writer) (failed bool, err error) {
	s, err := Load(ctx, src, Options{})
	if err != nil {
		return ReportErr(w, siteDir, err), err
	}
	problems := s.Check(opts)
	Report(w, siteDir, problems)
	errs := len(problems.Errors())
	fmt.Fprintf(w, "checked %d pages: %d error(s), %d warning(s)\n", len(s.Pages()), errs, len(problems.Warnings()))
	return errs > 0, nil
}
