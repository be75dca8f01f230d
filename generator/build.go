package generator

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"rahnuma/generator/markdown"
)

// Source is everything a site is built from.
type Source struct {
	// Site is the site folder: content/, and optionally layouts/, assets/, i18n/ and site.toml.
	Site fs.FS
	// Theme supplies layouts/ and assets/ the site does not override, file by file. May be nil.
	Theme fs.FS
}

// Options are the per-run settings that do not belong in site.toml.
type Options struct {
	BaseURL string    // overrides site.toml's baseURL when set
	Drafts  bool      // include drafts, future-dated and expired pages
	Now     time.Time // the build's clock (zero: time.Now()); fixed in tests for byte-identical output
	// Progress, when set, is called as pages render (from several goroutines).
	Progress func(done, total int)
	// CacheDir, when set, keeps highlighted code between runs (SaveCache writes it), so a
	// rebuild highlights only code blocks that changed. Output is the same with or without it.
	CacheDir string
	// RenderTimeout, when set, overrides site.toml's renderTimeout: one page's render time limit.
	RenderTimeout time.Duration
	// NoSearchIndex leaves out the search index (search/<lang>/), so the pages' search finds
	// nothing: only for measuring what the index adds to a build.
	NoSearchIndex bool
}

// Site is the loaded, assembled model of a site: every page with its links resolved, ready to
// render. It is immutable once loaded; Reload returns a new Site and leaves the old one serving.
type Site struct {
	src  Source
	cfg  *Config
	opts Options
	now  time.Time
	md   *markdown.Converter

	files  map[string]*contentFile // by site-relative path; reused by Reload
	static []staticFile

	pages   []*Page // every output page, by URL
	byKey   map[string]map[string]*Page
	byURL   map[string]*Page
	aliases map[string]*Page
	hidden  map[string]bool // lang\x00key and \x00URL of drafts/future/expired pages, for better messages
	outputs *outputs        // every file the build writes, by output path

	theme        *theme
	themeErrs    ErrorList // problems found loading the theme, kept for sites that reuse it
	scanProblems ErrorList // problems found walking content/, kept for reloads that skip the walk
	problems     ErrorList
	lazy
}

// Load reads, converts and assembles a whole site. A non-nil error is an ErrorList holding every
// problem found; warnings are available from Problems even when the load succeeds.
func Load(ctx context.Context, src Source, opts Options) (*Site, error) {
	s, err := newSite(src, opts)
	if err != nil {
		return nil, err
	}
	mdFiles, static, errs := scan(src.Site, s.cfg)
	s.scanProblems = errs
	s.problems = append(s.problems, errs...)
	s.static = static
	read, err := s.readAll(ctx, mdFiles)
	if err != nil {
		return nil, err
	}
	s.files = make(map[string]*contentFile, len(read))
	for _, cf := range read {
		s.files[cf.file] = cf
	}
	return s, s.finish(ctx)
}

func newSite(src Source, opts Options) (*Site, error) {
	if src.Site == nil {
		return nil, errors.New("no site folder")
	}
	if e, isLink := isLinkError(CheckSitePath(src.Site, configFile)); isLink {
		return nil, ErrorList{e}
	}
	data, err := fs.ReadFile(src.Site, configFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, &Error{File: configFile, Msg: err.Error()}
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return nil, asList(err)
	}
	if opts.BaseURL != "" {
		if err := cfg.SetBaseURL(opts.BaseURL); err != nil {
			return nil, ErrorList{{Msg: "--base-url: " + err.Error()}}
		}
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	s := &Site{
		src: src, cfg: cfg, opts: opts, now: now.UTC(),
		md:    markdown.New(markdown.Options{Unsafe: cfg.UnsafeHTML}),
		theme: &theme{},
	}
	s.loadCache()
	// UI strings come first: converted pages carry translated callout titles.
	if errs := s.theme.loadI18n(src); len(errs) > 0 {
		return nil, errs
	}
	return s, nil
}

// finish runs everything after reading content: assembly, theme, checks.
func (s *Site) finish(ctx context.Context) error {
	s.hidden = map[string]bool{}
	var files []*contentFile
	for _, k := range sortedKeys(s.files) {
		cf := s.files[k]
		files = append(files, cf)
		if cf.fm != nil && !s.opts.Drafts && !s.published(cf.fm) {
			s.hidden[cf.lang+"\x00"+cf.key] = true
			if cf.url != "" {
				s.hidden["\x00"+cf.url] = true
			}
		}
	}
	s.assemble(files)
	if s.theme.layouts == nil {
		s.themeErrs = append(s.theme.loadAssets(s.src, s.cfg), s.theme.loadLayouts(s)...)
		s.problems = append(s.problems, s.themeErrs...)
	}
	s.registerOutputs() // needs the assets' hashed names
	s.checkLinks()      // needs every output path
	for _, p := range s.pages {
		s.warnBidi(p)
	}
	s.problems.Sort()
	return s.problems.Err()
}

// Reload returns a new Site for the same source after the files named in changed (site-relative
// slash paths) were created, edited or removed. Only those files are read again; everything else
// is taken from s. A change to site.toml reloads everything.
func (s *Site) Reload(ctx context.Context, changed []string) (*Site, error) {
	for _, c := range changed {
		// Settings and UI strings shape every converted page: start over.
		if c == configFile || strings.HasPrefix(c, "i18n/") || strings.HasPrefix(c, "layouts/i18n/") {
			return Load(ctx, s.src, s.opts)
		}
	}
	if len(changed) == 1 {
		if n := s.reloadBody(changed[0]); n != nil {
			return n, nil
		}
	}
	n := &Site{src: s.src, cfg: s.cfg, opts: s.opts, now: time.Now().UTC(), md: s.md,
		theme: &theme{i18n: s.theme.i18n, i18nSrc: s.theme.i18nSrc}}
	themeChanged, onlyMarkdown := false, true
	for _, c := range changed {
		themeChanged = themeChanged || strings.HasPrefix(c, "layouts/") || strings.HasPrefix(c, "assets/")
		// A new file is found by a scan, which checks its name (see unportableSource).
		onlyMarkdown = onlyMarkdown && strings.HasPrefix(c, "content/") && strings.HasSuffix(c, ".md") && s.files[c] != nil
	}
	if !themeChanged && s.theme.layouts != nil {
		n.theme = s.theme // immutable once loaded; only a theme file change parses it again
		n.themeErrs = s.themeErrs
		n.problems = append(n.problems, s.themeErrs...)
	}
	if !s.opts.Now.IsZero() {
		n.now = s.opts.Now.UTC()
	}
	n.files = make(map[string]*contentFile, len(s.files))
	for k, v := range s.files {
		n.files[k] = v
	}
	var reread []string
	var links ErrorList // changed files that are, or lie under, symbolic links: as scan reports them
	for _, c := range changed {
		if !strings.HasPrefix(c, "content/") || !strings.HasSuffix(c, ".md") {
			continue
		}
		delete(n.files, c)
		err := CheckSitePath(s.src.Site, c)
		if e, isLink := isLinkError(err); isLink {
			links = append(links, e)
		} else if err == nil {
			reread = append(reread, c)
		}
	}
	if onlyMarkdown {
		n.static = s.static
		n.scanProblems = s.scanProblems
	} else {
		// A changed folder (created, removed, renamed) may hold many files: rescan the tree,
		// which only lists folders; unchanged files are still not read again.
		mdFiles, static, errs := scan(s.src.Site, s.cfg)
		n.scanProblems = errs
		n.static = static
		present := make(map[string]bool, len(mdFiles))
		for _, f := range mdFiles {
			present[f] = true
			if _, ok := n.files[f]; !ok && !slices.Contains(reread, f) {
				reread = append(reread, f)
			}
		}
		for k := range n.files {
			if !present[k] {
				delete(n.files, k)
			}
		}
	}
	n.problems = append(n.problems, n.scanProblems...)
	if onlyMarkdown {
		n.problems = append(n.problems, links...) // a rescan has found them itself
	}
	sort.Strings(reread)
	read, err := n.readAll(ctx, reread)
	if err != nil {
		return nil, err
	}
	for _, cf := range read {
		n.files[cf.file] = cf
	}
	return n, n.finish(ctx)
}

// reloadBody is the fast path for the most common edit: one page's text changed, and nothing
// that other pages show of it (title, dates, weight, tags, URL, summary, heading ids, draft
// state). The new Site shares everything with s except that page, so the edit costs one file's
// conversion and a few map copies whatever the size of the site. It returns nil when the edit
// is not of that kind, and Reload takes the general path.
func (s *Site) reloadBody(file string) *Site {
	old := s.files[file]
	if old == nil || old.fm == nil || old.doc == nil || len(old.errs) > 0 || !strings.HasPrefix(file, "content/") || !strings.HasSuffix(file, ".md") {
		return nil
	}
	oldPage := s.byKey[old.lang][old.key]
	if oldPage == nil || oldPage.File != file {
		return nil
	}
	if CheckSitePath(s.src.Site, file) != nil {
		return nil // gone, or now a symbolic link: the general path says which
	}
	n := &Site{src: s.src, cfg: s.cfg, opts: s.opts, now: s.now, md: s.md, theme: s.theme,
		themeErrs: s.themeErrs, scanProblems: s.scanProblems, static: s.static, aliases: s.aliases, hidden: s.hidden,
		outputs: s.outputs}
	cf := n.readContent(file)
	if len(cf.errs) > 0 || cf.fm == nil || cf.doc == nil || !sameShape(old, cf) {
		return nil
	}
	p := *oldPage
	p.FrontMatter, p.Doc, p.refs, p.links, p.BodyLine, p.site = *cf.fm, cf.doc, cf.refs, cf.links, cf.bodyLine, n
	n.files = maps.Clone(s.files)
	n.files[file] = cf
	n.byKey = maps.Clone(s.byKey)
	n.byKey[cf.lang] = maps.Clone(s.byKey[cf.lang])
	n.byKey[cf.lang][cf.key] = &p
	n.byURL = maps.Clone(s.byURL)
	n.byURL[p.URL] = &p
	n.pages = slices.Clone(s.pages)
	n.pages[slices.Index(n.pages, oldPage)] = &p
	for _, e := range s.problems {
		if e.File != file {
			n.problems = append(n.problems, e)
		}
	}
	n.checkPageLinks(&p)
	n.warnBidi(&p)
	if n.problems.Sort(); n.problems.Err() != nil {
		return nil // let the general path report it with everything else
	}
	return n
}

// sameShape reports whether a new version of a file changes nothing that other pages use.
func sameShape(a, b *contentFile) bool {
	if a.kind != b.kind || a.key != b.key || a.lang != b.lang || a.url != b.url || a.doc.Summary != b.doc.Summary {
		return false
	}
	if len(a.doc.Headings) != len(b.doc.Headings) {
		return false
	}
	for i, h := range a.doc.Headings {
		if b.doc.Headings[i].ID != h.ID {
			return false
		}
	}
	// Keys that only the page itself shows may change; the rest must be equal.
	strip := func(fm FrontMatter) FrontMatter {
		fm.Sources, fm.Params, fm.Effective, fm.Reviewed, fm.Lastmod, fm.Lines = nil, nil, time.Time{}, time.Time{}, time.Time{}, nil
		fm.Withdrawn, fm.Status, fm.Changes = time.Time{}, "", nil
		return fm
	}
	return reflect.DeepEqual(strip(*a.fm), strip(*b.fm))
}

func asList(err error) error {
	var l ErrorList
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return ErrorList{e}
	}
	return err
}

const highlightCache = "highlights.gob"

// loadCache reads the highlight cache of an earlier run. A missing or unreadable cache only
// costs time, so it is not an error.
func (s *Site) loadCache() {
	if s.opts.CacheDir == "" {
		return
	}
	f, err := os.Open(filepath.Join(s.opts.CacheDir, highlightCache))
	if err == nil {
		err = s.md.LoadHighlights(f)
		f.Close()
	}
	if err != nil {
		s.md.TrackHighlights()
	}
}

// SaveCache writes the highlight cache for the next run (atomically: a concurrent build reads
// the old cache or the new one). It does nothing without Options.CacheDir. When the run used
// exactly the highlights it loaded, the file is left as it is (writing it took a rebuild of the
// 10k corpus 70-200 ms) and only the folder's time is set, which marks the cache as in use.
func (s *Site) SaveCache() error {
	if s.opts.CacheDir == "" {
		return nil
	}
	if now := time.Now(); !s.md.HighlightsChanged() && os.Chtimes(s.opts.CacheDir, now, now) == nil {
		return nil
	}
	if err := os.MkdirAll(s.opts.CacheDir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(s.opts.CacheDir, highlightCache+".tmp-*")
	if err != nil {
		return err
	}
	err = s.md.SaveHighlights(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(s.opts.CacheDir, highlightCache))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// ReleaseCache frees the highlight cache's memory. A one-shot build calls it after SaveCache,
// once its pages are converted: rendering them does not need it.
func (s *Site) ReleaseCache() { s.md.ReleaseHighlights() }

// Problems returns every error and warning found while loading, sorted.
func (s *Site) Problems() ErrorList { return s.problems }

// Config returns the site's configuration.
func (s *Site) Config() *Config { return s.cfg }

// Pages returns every output page in URL order.
func (s *Site) Pages() []*Page { return s.pages }

// PageByURL finds a page by its site-relative URL path ("/tax/sales-tax/").
func (s *Site) PageByURL(u string) *Page { return s.byURL[u] }

// Build loads a site and renders every file. It is Load followed by Render.
func Build(ctx context.Context, src Source, opts Options) (*Output, *Site, error) {
	s, err := Load(ctx, src, opts)
	if err != nil {
		return nil, s, err
	}
	out, err := s.Render(ctx)
	return out, s, err
}
