package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"rahnuma/generator"
)

// Problem is one build error as the browser overlay shows it.
type Problem struct {
	File    string       `json:"file,omitempty"`
	Line    int          `json:"line,omitempty"`
	Message string       `json:"message"`
	Text    string       `json:"text"`             // "file:line: message", as the terminal shows it
	Source  []SourceLine `json:"source,omitempty"` // the lines around Line, read from disk
}

// SourceLine is one numbered line of a file.
type SourceLine struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// Change kinds, which tell the browser how much to refresh.
const (
	kindCSS     = "css"     // only stylesheets changed: swap them
	kindContent = "content" // only Markdown changed: update the page in place
	kindReload  = "reload"  // layouts, settings or anything else: reload the page
)

// changeKind classifies the paths changed since the version the browser shows.
func changeKind(changed []string) string {
	kind := kindCSS
	for _, c := range changed {
		ext := path.Ext(c)
		switch {
		case strings.HasPrefix(c, "assets/") && ext == ".css":
		case strings.HasPrefix(c, "content/") && (ext == ".md" || ext == ""):
			kind = kindContent
		default:
			return kindReload
		}
	}
	return kind
}

// Reload applies a batch of changed site-relative paths (nil: load everything). On success the
// new version is served and open pages are told to refresh; on failure the last good version
// stays and the errors go to the overlay and, once, to the terminal.
func (s *Server) Reload(ctx context.Context, changed []string) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	start := time.Now()
	all := union(s.pending, changed)
	var next *generator.Site
	var err error
	if s.good == nil {
		next, err = generator.Load(ctx, s.src, s.opts)
		if err == nil {
			next.SaveCache() // best effort: the next start highlights less
		}
	} else {
		next, err = s.good.Reload(ctx, all)
		if err != nil && onlyEmptyFiles(err, all) {
			// An editor that saves by truncating and then writing leaves the file empty for a
			// moment; a batch caught in between is read once more before its error shows.
			select {
			case <-time.After(emptyFileGrace):
			case <-ctx.Done():
				return
			}
			next, err = s.good.Reload(ctx, all)
		}
	}
	first := s.cur.Load() == nil
	if err != nil {
		if ctx.Err() != nil {
			return // shutting down
		}
		s.pending = all
		if first {
			s.cur.Store(&snapshot{})
			close(s.loaded)
		}
		s.setLoadErrors(s.problemsOf(err))
		return
	}
	s.good, s.pending = next, nil
	s.count++
	snap := &snapshot{site: next, version: s.instance + "-" + strconv.Itoa(s.count)}
	s.publish(snap)
	if first {
		close(s.loaded)
	}
	wasBroken := s.clearErrors()
	if next != nil {
		s.printWarnings(next.Problems().Warnings())
	}
	kind := changeKind(all)
	if changed == nil || s.count == 1 {
		kind = kindReload
	}
	if !first {
		msg := "rebuilt"
		if wasBroken {
			msg = "fixed; rebuilt"
		}
		fmt.Fprintf(s.stdout, "%s in %s: %s\n", msg, time.Since(start).Round(100*time.Microsecond), summary(all))
	}
	s.hub.broadcast(Event{Type: kind, Version: snap.version, Errors: []Problem{}})
}

// emptyFileGrace is how long a reload that found only changed files empty waits to read again.
const emptyFileGrace = 100 * time.Millisecond

// onlyEmptyFiles reports whether every problem of err is a changed file found empty.
func onlyEmptyFiles(err error, changed []string) bool {
	var list generator.ErrorList
	if !errors.As(err, &list) || len(list.Errors()) == 0 {
		return false
	}
	for _, e := range list.Errors() {
		if e.Msg != generator.MsgEmptyFile || !slices.Contains(changed, e.File) {
			return false
		}
	}
	return true
}

// summary names the changed files briefly for the terminal.
func summary(changed []string) string {
	switch len(changed) {
	case 0:
		return "everything"
	case 1, 2, 3:
		return strings.Join(changed, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(changed[:2], ", "), len(changed)-2)
}

func union(a, b []string) []string {
	seen := make(map[string]bool, len(a)+len(b))
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		seen[x] = true
	}
	return sortedKeys(seen)
}

// problemsOf lists the errors of a failed load, with their source lines.
func (s *Server) problemsOf(err error) []Problem {
	var list generator.ErrorList
	var one *generator.Error
	switch {
	case errors.As(err, &list):
		list = list.Errors()
	case errors.As(err, &one):
		list = generator.ErrorList{one}
	default:
		list = generator.ErrorList{{Msg: err.Error()}}
	}
	out := make([]Problem, 0, len(list))
	for _, e := range list {
		c := *e
		src := s.readSource(c.File)
		if src == nil && c.File != "" {
			// html/template names a layout by its name inside layouts/ when executing.
			if b := s.readSource("layouts/" + c.File); b != nil {
				c.File, src = "layouts/"+c.File, b
			}
		}
		p := Problem{File: c.File, Line: c.Line, Message: c.Msg, Text: c.Error()}
		if c.Line > 0 {
			p.Source = sourceLines(src, c.Line, overlayLines)
		}
		out = append(out, p)
	}
	return out
}

// sourceLines returns the lines of src from line-around to line+around.
func sourceLines(src []byte, line, around int) []SourceLine {
	if src == nil {
		return nil
	}
	var out []SourceLine
	for n := 1; len(src) > 0 && n <= line+around; n++ {
		text := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			text, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if n < line-around {
			continue
		}
		t := strings.TrimRight(string(text), "\r")
		if !utf8.ValidString(t) {
			t = strings.ToValidUTF8(t, "\uFFFD")
		}
		if utf8.RuneCountInString(t) > 240 {
			t = string([]rune(t)[:240]) + "…"
		}
		out = append(out, SourceLine{N: n, Text: t})
	}
	return out
}

// readLimited reads a file of a source, refusing paths that leave it and huge files.
func readLimited(fsys fs.FS, name string) ([]byte, error) {
	// The generator's rule: no symbolic link on the way, so the overlay never shows a line of
	// a file outside the site (a linked site.toml, say).
	if err := generator.CheckSitePath(fsys, name); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 4<<20))
}

// setLoadErrors records why a reload failed, tells the pages and prints the new problems.
func (s *Server) setLoadErrors(probs []Problem) {
	s.errMu.Lock()
	s.loadErrs = probs
	all := s.problemsLocked()
	version := ""
	if snap := s.cur.Load(); snap != nil {
		version = snap.version
	}
	s.printNewLocked(all)
	s.errMu.Unlock()
	s.hub.broadcast(Event{Type: "errors", Version: version, Errors: all})
}

// clearErrors forgets the errors of the previous version, reporting whether there were any.
func (s *Server) clearErrors() bool {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	had := len(s.loadErrs)+len(s.renderErr) > 0
	s.loadErrs, s.renderErr = nil, nil
	clear(s.printed)
	return had
}

// noteRenderError records an error met while rendering a page of snap, returning its problems.
// The overlay shows it on every page until the next version.
func (s *Server) noteRenderError(snap *snapshot, err error) []Problem {
	probs := s.problemsOf(err)
	s.errMu.Lock()
	if cur := s.cur.Load(); cur != snap {
		s.errMu.Unlock()
		return probs // a newer version is already being served
	}
	added := false
	for _, p := range probs {
		if !containsProblem(s.renderErr, p) {
			s.renderErr = append(s.renderErr, p)
			added = true
		}
	}
	all := s.problemsLocked()
	if added {
		s.printNewLocked(all)
	}
	s.errMu.Unlock()
	if added {
		s.hub.broadcast(Event{Type: "errors", Version: snap.version, Errors: all})
	}
	return probs
}

func containsProblem(list []Problem, p Problem) bool {
	for _, q := range list {
		if q.Text == p.Text {
			return true
		}
	}
	return false
}

// problems returns the current errors: those of the failed reload, then render errors.
func (s *Server) problems() []Problem {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.problemsLocked()
}

func (s *Server) problemsLocked() []Problem {
	out := make([]Problem, 0, len(s.loadErrs)+len(s.renderErr))
	out = append(out, s.loadErrs...)
	for _, p := range s.renderErr {
		if !containsProblem(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// printNewLocked prints the problems not already on the terminal, so an error that stays
// across several reloads, or that many requests meet, is printed once.
func (s *Server) printNewLocked(all []Problem) {
	now := map[string]bool{}
	n := 0
	for _, p := range all {
		now[p.Text] = true
		if !s.printed[p.Text] {
			fmt.Fprintln(s.stderr, s.terminalText(p))
			n++
		}
	}
	if n > 0 {
		fmt.Fprintf(s.stderr, "%d problem(s); serving the last good version until they are fixed\n", len(all))
	}
	s.printed = now
}

// printWarnings prints warnings once per server run.
func (s *Server) printWarnings(list generator.ErrorList) {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	for _, e := range list {
		key := e.Error()
		if s.warned[key] {
			continue
		}
		s.warned[key] = true
		fmt.Fprintln(s.stderr, s.terminalText(Problem{File: e.File, Text: e.Error()}))
	}
}

// terminalText names a site file from where the user started the server, like `build` does.
func (s *Server) terminalText(p Problem) string {
	if p.File == "" || s.dir == "." || !exists(filepath.Join(s.dir, filepath.FromSlash(p.File))) {
		return p.Text
	}
	return filepath.ToSlash(filepath.Join(s.dir, filepath.FromSlash(p.File))) + strings.TrimPrefix(p.Text, p.File)
}
