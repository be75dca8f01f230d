package generator

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem found in the site, located like a compiler diagnostic.
type Error struct {
	File    string // path as the user knows it, e.g. "content/en/tax/sales-tax.md"
	Line    int    // 1-based; 0 when the problem has no line
	Msg     string
	Warning bool // reported, but does not fail the build
}

func (e *Error) Error() string {
	prefix := ""
	if e.Warning {
		prefix = "warning: "
	}
	switch {
	case e.File == "":
		return prefix + e.Msg
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s%s", e.File, e.Line, prefix, e.Msg)
	default:
		return fmt.Sprintf("%s: %s%s", e.File, prefix, e.Msg)
	}
}

// MsgEmptyFile is the problem of an empty content file: most often a save caught half-way,
// which the dev server reads again before it reports it.
const MsgEmptyFile = "empty file: a page needs front matter with at least a title"

// ErrorList collects every problem of a run so they can be reported together.
type ErrorList []*Error

func (l *ErrorList) Add(file string, line int, format string, args ...any) {
	*l = append(*l, &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (l *ErrorList) Warn(file string, line int, format string, args ...any) {
	*l = append(*l, &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...), Warning: true})
}

// Sort orders problems by file, then line, then message, so output is stable.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Msg < b.Msg
	})
}

// Unique drops repeats (a template error hits every page that uses the template). The list must
// be sorted.
func (l ErrorList) Unique() ErrorList {
	var out ErrorList
	for i, e := range l {
		if i > 0 && e.Error() == l[i-1].Error() {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Errors returns only the problems that fail a build.
func (l ErrorList) Errors() ErrorList {
	var out ErrorList
	for _, e := range l {
		if !e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (l ErrorList) Warnings() ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Warning {
			out = append(out, e)
		}
	}
	return out
}

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns the list as an error when it holds at least one real error.
func (l ErrorList) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}
