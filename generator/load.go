package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"rahnuma/generator/markdown"
)

// contentFile is one content Markdown file after parsing and conversion. It depends only on the
// file's own bytes and path, so it is reused as-is across rebuilds while the file is unchanged.
type contentFile struct {
	file     string // site-relative, e.g. "content/en/tax/x.md"
	lang     string
	root     string // content root of its language: "content/en" or "content"
	key      string
	kind     string
	bundle   string
	fm       *FrontMatter
	doc      *markdown.Document
	refs     []ref
	links    []linkInfo
	url      string // the page's URL, when its own file decides it (not for sections)
	bodyLine int
	errs     ErrorList
}

// staticFile is a non-Markdown file under content/, copied to the output beside its pages.
type staticFile struct {
	file string // site-relative source path
	url  string // site-relative URL path
}

// scan walks content/ and returns the Markdown files and the static files, in stable order.
func scan(fsys fs.FS, cfg *Config) (md []string, static []staticFile, errs ErrorList) {
	if _, isLink := isLinkError(CheckSitePath(fsys, "content")); isLink {
		errs.Add("content", 0, "%s", msgSymlink) // WalkDir would follow a linked root
		return nil, nil, errs
	}
	clashes := nameClashes{}
	err := fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "content" {
				return fs.SkipAll
			}
			errs.Add(p, 0, "%v", err)
			return nil
		}
		name := d.Name()
		if p != "content" && IgnoredName(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			errs.Add(p, 0, "%s", msgSymlink)
			return nil
		}
		if p != "content" {
			line := 1 // a file's name is reported as its first line, a folder's without one
			if d.IsDir() {
				line = 0
			}
			if msg := unportableSource(p, d.IsDir()); msg != "" {
				errs.Add(p, line, "%s", msg)
			} else if msg := clashes.check(p); msg != "" {
				errs.Add(p, line, "%s", msg)
			}
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		if strings.HasSuffix(name, ".md") {
			md = append(md, p)
			return nil
		}
		lang, root := languageOf(p, cfg)
		rel := nfc(strings.TrimPrefix(p, root+"/"))
		static = append(static, staticFile{file: p, url: langPrefix(cfg, lang) + "/" + rel})
		return nil
	})
	if err != nil {
		errs.Add("content", 0, "%v", err)
	}
	return md, static, errs
}

// unportableSource checks a path under content/ as it is checked out, and, for folders and
// pages, the URL segment its name becomes. Folders come before their contents and are checked
// themselves, so only the last name is checked, and a length only where it first goes over.
func unportableSource(p string, dir bool) string {
	name := path.Base(p)
	if msg := unportableName(name); msg != "" {
		return msg
	}
	if len(p) > maxPathChars && pathChars(p) > maxPathChars && pathChars(path.Dir(p)) <= maxPathChars {
		return unportablePath(p)
	}
	if !dir {
		if !strings.HasSuffix(name, ".md") {
			return ""
		}
		name = strings.TrimSuffix(name, ".md")
		if name == "index" || name == "_index" {
			return ""
		}
	}
	if !mayNameDevice(name) {
		return "" // urlize only drops and lowers characters: its name is as portable as this one
	}
	if msg := unportableName(urlize(name)); msg != "" {
		return fmt.Sprintf("its URL segment %q cannot be a file name: %s", urlize(name), msg)
	}
	return ""
}

// IgnoredName reports whether a file or folder name is an editor dropping or hidden file,
// which editors save constantly: loading skips them and the dev server does not rebuild for them.
func IgnoredName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".tmp")
}

// languageOf maps a content path to its language and content root.
func languageOf(p string, cfg *Config) (lang, root string) {
	rest := strings.TrimPrefix(p, "content/")
	first, _, found := strings.Cut(rest, "/")
	if found {
		if _, ok := cfg.Languages[first]; ok {
			return first, "content/" + first
		}
	}
	return cfg.DefaultLanguage, "content"
}

func langPrefix(cfg *Config, lang string) string {
	if lang == cfg.DefaultLanguage {
		return ""
	}
	return "/" + lang
}

// readContent reads and converts one Markdown file. Problems are kept on the result.
func (s *Site) readContent(p string) *contentFile {
	fsys, cfg := s.src.Site, s.cfg
	cf := &contentFile{file: p}
	cf.lang, cf.root = languageOf(p, cfg)
	// Keys are composed (NFC): a name saved decomposed on macOS is the same page, with the
	// same URL, and links typed either way reach it.
	rel := nfc(strings.TrimSuffix(strings.TrimPrefix(p, cf.root+"/"), ".md"))
	dir, base := path.Split(rel)
	dir = strings.TrimSuffix(dir, "/")
	switch base {
	case "_index":
		cf.key, cf.kind = dir, KindSection
		if dir == "" {
			cf.kind = KindHome
		}
	case "index":
		cf.key, cf.kind, cf.bundle = dir, KindPage, path.Join(cf.root, dir)
		if dir == "" {
			cf.kind = KindHome
			cf.bundle = ""
		}
	default:
		cf.key, cf.kind = rel, KindPage
	}
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		cf.errs.Add(p, 0, "%v", err)
		return cf
	}
	label := func(kind string) string { return s.T(cf.lang, "callout."+kind) }
	cf.parse(data, cfg, s.md, label)
	for _, e := range cf.errs {
		e.File = p
	}
	return cf
}

func (cf *contentFile) parse(data []byte, cfg *Config, conv *markdown.Converter, label func(string) string) {
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\uFEFF")))) == 0 {
		// Most often a save caught half-way; a page needs at least a title.
		cf.errs.Add("", 1, "%s", MsgEmptyFile)
		return
	}
	if len(data) > maxContentBytes {
		cf.errs.Add("", 1, "file is %d MB; content files are limited to %d MB", len(data)>>20, maxContentBytes>>20)
		return
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		cf.errs.Add("", lineAt(data, i), "binary file (NUL byte): content files must be UTF-8 text")
		return
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		cf.errs.Add("", lineAt(data, i), "invalid UTF-8 (save the file as UTF-8)")
		return
	}
	if bytes.IndexByte(data, '\r') >= 0 { // ReplaceAll copies even when nothing changes
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	format, fmData, body, bodyLine, err := splitFrontMatter(data)
	if err != nil {
		cf.errs = append(cf.errs, err.(*Error))
		return
	}
	cf.bodyLine = bodyLine
	fm, errs := parseFrontMatter(format, fmData, 2)
	cf.fm = fm
	cf.errs = append(cf.errs, errs...)
	if fm.Slug != "" {
		if err := checkSlug(fm.Slug); err != nil {
			cf.errs.Add("", fm.Lines["slug"], "front matter: %v", err)
			fm.Slug = ""
		}
	}
	for _, t := range fm.Tags {
		if msg := unportableOutput(langPrefix(cfg, cf.lang) + "/tags/" + urlize(t) + "/"); msg != "" {
			cf.errs.Add("", fm.Lines["tags"], "front matter: tag %q: %s", t, msg)
		}
	}
	doc, err := conv.Convert(body, markdown.Context{Resolve: cf.resolver(cfg), Label: label})
	if err != nil {
		cf.errs.Add("", bodyLine, "markdown: %v", err)
		return
	}
	cf.doc = doc
	for _, l := range doc.Links {
		li := linkInfo{dest: l.Dest, line: bodyLine + l.Line - 1, self: strings.HasPrefix(l.Dest, "#")}
		if !li.self {
			li.ref, li.local = cf.classify(l.Dest, cfg)
		}
		cf.links = append(cf.links, li)
	}
	if cf.kind == KindPage {
		u, err := contentURL(cf.key, fm.Slug, fm.URL, langPrefix(cfg, cf.lang))
		if err != nil {
			cf.errs.Add("", fm.Lines["url"], "front matter: url: %v", err)
		} else if fm.Slug != "" && fm.URL == "" {
			if msg := unportableOutput(u); msg != "" { // the slug's name is checked; here the length
				cf.errs.Add("", fm.Lines["slug"], "front matter: slug: %s", msg)
			}
		}
		cf.url = u
	}
}

func lineAt(data []byte, off int) int { return bytes.Count(data[:off], []byte("\n")) + 1 }

// maxContentBytes bounds one Markdown file. goldmark's tree costs 100–250 bytes of memory per
// byte of input, so this keeps a runaway file well inside a small machine's memory.
const maxContentBytes = 16 << 20

// refPrefix marks a rewritten link in converted HTML until the page is rendered. It is a plain
// relative path so every Markdown renderer passes it through untouched.
const refPrefix = "/__rnref__/"

// resolver rewrites local link destinations to placeholders. Where a link points is a function of
// the file's own path, so conversion results stay valid while other files change.
func (cf *contentFile) resolver(cfg *Config) func(string) (string, bool) {
	return func(dest string) (string, bool) {
		r, ok := cf.classify(dest, cfg)
		if !ok {
			return "", false
		}
		cf.refs = append(cf.refs, r)
		return fmt.Sprintf("%s%d", refPrefix, len(cf.refs)-1), true
	}
}

// classify decides what a link destination in this file points at. ok is false for links left
// as written (external, in-page anchors, unparsable).
func (cf *contentFile) classify(dest string, cfg *Config) (ref, bool) {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "//") {
		return ref{}, false
	}
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return ref{}, false
	}
	r := ref{dest: dest, fragment: u.Fragment}
	p := u.Path
	if p == "" {
		return ref{}, false
	}
	if !strings.HasSuffix(p, ".md") {
		// A URL: where it leads depends on the page's URL, known after assembly. Composed
		// (NFC) like every key and URL (see readContent), so a link typed either way arrives.
		r.kind, r.target, r.query = refURL, nfc(p), u.RawQuery
		return r, true
	}
	full := nfc(path.Join(path.Dir(cf.file), p)) // keys and URLs are composed (see readContent)
	if strings.HasPrefix(p, "/") {               // a Markdown file from the language's content root
		full = nfc(path.Join(cf.root, p))
	}
	if !strings.HasPrefix(full+"/", cf.root+"/") {
		r.kind, r.target = refPage, "\x00outside"
		return r, true
	}
	rel := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(full, cf.root), "/"), ".md")
	if b := path.Base(rel); b == "_index" || b == "index" {
		rel = strings.TrimSuffix(strings.TrimSuffix(path.Dir(rel), "."), "/")
	}
	r.kind, r.target = refPage, rel
	return r, true
}

// readAll reads and converts files in parallel.
func (s *Site) readAll(ctx context.Context, files []string) ([]*contentFile, error) {
	out := make([]*contentFile, len(files))
	work := make(chan int)
	var wg sync.WaitGroup
	// Twice as many workers as processors, as for rendering: with one per processor, a quarter
	// of the processors' time went idle (measured on the 10k corpus: 1.5 of 2 busy; with two
	// per processor, 2 of 2 and reading 15% quicker).
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				out[i] = s.readContent(files[i])
			}
		}()
	}
	var err error
feed:
	for i := range files {
		select {
		case work <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(work)
	wg.Wait()
	return out, err
}

// sortedKeys returns a map's keys in order; used wherever output order must not depend on maps.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
