package generator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"rahnuma/generator/markdown"
)

// funcs are the template functions a theme needs. Per-page helpers (T, FormatDate) are methods
// on Page, because they depend on the page's language. The functions use only what a Reload
// shares between sites (configuration, theme, converter), so parsed layouts can be reused.
func (s *Site) funcs() template.FuncMap {
	return template.FuncMap{
		"relURL": s.relURL,
		"absURL": s.absURL,
		"asset": func(name string) (*Asset, error) {
			a := s.theme.assets[name]
			if a == nil {
				return nil, fmt.Errorf("asset %q not found in assets/", name)
			}
			return a, nil
		},
		"assetURL": func(a *Asset) string { return s.relURL("/" + a.Path) },
		"markdownify": func(text string) (template.HTML, error) {
			doc, err := s.md.Convert([]byte(text), markdown.Context{})
			if err != nil {
				return "", err
			}
			h := strings.TrimSpace(doc.HTML)
			if strings.HasPrefix(h, "<p>") && strings.HasSuffix(h, "</p>") && strings.Count(h, "<p>") == 1 {
				h = h[3 : len(h)-4]
			}
			return template.HTML(h), nil
		},
		"truncate": truncate,
		"jsonify": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict wants key, value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict keys must be text")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"partialCached":    new(runner).partialCached, // for parsing; each runner binds its own
		"markCurrent":      markCurrent,
		"markCurrentParts": markCurrentParts,
		"isoDate":          func(t time.Time) string { return t.Format("2006-01-02") },
		"linksTo":          linksTo,
		"add":              func(a, b int) int { return a + b },
		"first":            first,
		"navLimits":        func() navLimits { return theNavLimits },
		"lower":            strings.ToLower,
		"join":             strings.Join,
	}
}

// navLimits bound the lists a page prints, so that a page's size depends neither on how many
// pages its section holds nor on how many sections the site has.
type navLimits struct {
	Whole   int // a section of up to Whole pages is listed whole in its pages' navigation
	Menu    int // top-level entries in the menu; the rest are behind a link to the home page
	List    int // entries on a section, home or tag page
	Tags    int // tags printed on a page
	TagList int // tags on the page that lists all tags
}

var theNavLimits = navLimits{Whole: 50, Menu: 12, List: 100, Tags: 10, TagList: 500}

// navRadius is how many neighbours on each side of the current page a windowed section
// navigation shows.
const navRadius = 7

// first is the first n pages of a list (all of it if it is shorter).
func first(n int, pages []*Page) []*Page {
	if n < 0 {
		n = 0
	}
	if len(pages) > n {
		return pages[:n]
	}
	return pages
}

// SectionWindow is the part of its section's list a page shows when the section is too long
// to list whole: the first page, the pages around this one and the last page, a nil where
// pages are left out. It is nil when the section is short enough to list whole.
func (p *Page) SectionWindow() []*Page {
	if p.Parent == nil {
		return nil
	}
	return window(p.Parent.Pages, p, navRadius, theNavLimits.Whole)
}

// window cuts list around cur as SectionWindow describes; nil if len(list) <= whole.
func window(list []*Page, cur *Page, radius, whole int) []*Page {
	if len(list) <= whole {
		return nil
	}
	at := 0
	for i, q := range list {
		if q == cur {
			at = i
			break
		}
	}
	lo, hi := max(0, at-radius), min(len(list)-1, at+radius)
	// Keep the window the same length near either end.
	if lo == 0 {
		hi = min(len(list)-1, 2*radius)
	}
	if hi == len(list)-1 {
		lo = max(0, len(list)-1-2*radius)
	}
	var out []*Page
	if lo > 0 {
		out = append(out, list[0])
		if lo > 1 {
			out = append(out, nil)
		}
	}
	out = append(out, list[lo:hi+1]...)
	if hi < len(list)-1 {
		if hi < len(list)-2 {
			out = append(out, nil)
		}
		out = append(out, list[len(list)-1])
	}
	return out
}

// markCurrent marks the link to p inside a cached fragment with aria-current=value ("page" for
// the page itself, "true" for the section it is in). A nil p leaves the fragment as it is.
func markCurrent(h template.HTML, p *Page, value string) template.HTML {
	m := markCurrentParts(h, p, value)
	return m.Before + m.Mark + m.After
}

// markedParts is a fragment cut where markCurrent inserts the attribute: a theme prints
// {{.Before}}{{.Mark}}{{.After}} and the fragment is not copied into a new one per page (a
// section's list of up to 50 pages, printed on each of its pages).
type markedParts struct{ Before, Mark, After template.HTML }

func markCurrentParts(h template.HTML, p *Page, value string) markedParts {
	if p == nil {
		return markedParts{Before: h}
	}
	at := func(href string) int {
		for from := 0; ; {
			i := strings.Index(string(h[from:]), href)
			if i < 0 {
				return -1
			}
			i += from
			if end := i + len(href); i >= 6 && h[i-6:i] == `href="` && end < len(h) && h[end] == '"' {
				return end + 1
			}
			from = i + 1
		}
	}
	j := at(p.RelPermalink)
	if j < 0 {
		j = at(escapeURLAttr(p.RelPermalink))
	}
	if j < 0 {
		return markedParts{Before: h}
	}
	return markedParts{h[:j], template.HTML(` aria-current="` + template.HTMLEscapeString(value) + `"`), h[j:]}
}

// escapeURLAttr is html/template's escaping of a URL in an href attribute: percent-encode what
// is not allowed in a URL, then HTML-escape.
func escapeURLAttr(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c == '%' && !(i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2])):
			b.WriteString("%25")
		case c >= 0x80 || c <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}' || c == 0x7f:
			fmt.Fprintf(&b, "%%%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	return template.HTMLEscapeString(b.String())
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func truncate(n int, text string) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)[:n]
	cut := string(r)
	if i := strings.LastIndexAny(cut, " \u00a0"); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:،۔") + "…"
}

func (s *Site) relURL(u string) string {
	if strings.Contains(u, "://") || strings.HasPrefix(u, "//") {
		return u
	}
	return s.cfg.BasePath() + strings.TrimPrefix(u, "/")
}

func (s *Site) absURL(u string) string {
	rel := s.relURL(u)
	if !s.cfg.Absolute() || strings.Contains(rel, "://") {
		return rel
	}
	b := *s.cfg.base
	b.Path, b.RawPath = "", ""
	return strings.TrimSuffix(b.String(), "/") + rel
}

// T returns a UI string in the page's language.
func (p *Page) T(key string) string { return p.site.T(p.Lang, key) }

// FormatDate writes a date in the page language's format and month names.
func (p *Page) FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	out := t.Format(p.Language().DateFormat)
	month := t.Month()
	if name := p.T(fmt.Sprintf("month.%d", int(month))); name != fmt.Sprintf("month.%d", int(month)) {
		out = strings.Replace(out, month.String(), name, 1)
	}
	return p.digits(out)
}

// Number writes a number in the page language's digits.
func (p *Page) Number(n int) string { return p.digits(fmt.Sprint(n)) }

// digits rewrites ASCII digits for languages configured with digits = "urdu".
func (p *Page) digits(s string) string {
	if p.Language().Digits != "urdu" {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '۰' + (r - '0')
		}
		return r
	}, s)
}

// Languages lists the site's languages in order, for switchers.
func (s *Site) Languages() []Language { return s.cfg.LanguageList() }

// Title is the site title in a language.
func (s *Site) Title(lang string) string { return s.cfg.Languages[lang].Title }

// BaseURL is the configured base URL.
func (s *Site) BaseURL() string { return s.cfg.BaseURL }

// Params are site.toml's [params].
func (s *Site) Params() map[string]any { return s.cfg.Params }

// Drafts reports whether drafts are shown (preview).
func (s *Site) Drafts() bool { return s.opts.Drafts }

// Sections lists the top-level sections of a language, for the search filter.
func (s *Site) Sections(lang string) []*Page {
	var out []*Page
	for _, p := range s.byKey[lang][""].Pages {
		if p.Kind == KindSection {
			out = append(out, p)
		}
	}
	return out
}

// SearchIndexURL is the URL of a language's search manifest.
func (s *Site) SearchIndexURL(lang string) string { return s.relURL("/" + searchManifest(lang)) }

// LanguageHome is a language's home page.
func (s *Site) LanguageHome(lang string) *Page { return s.byKey[lang][""] }

// SwitchTarget is where the language switcher goes for lang from p: the translation, or home.
func (p *Page) SwitchTarget(lang string) *Page {
	if lang == p.Lang {
		return p
	}
	for _, t := range p.Translations {
		if t.Lang == lang {
			return t
		}
	}
	return p.site.LanguageHome(lang)
}

// RenderPage executes a page's layout.
func (s *Site) RenderPage(p *Page) ([]byte, error) {
	return s.renderPage(context.Background(), p)
}

// renderPage is RenderPage that stops when ctx is done.
func (s *Site) renderPage(ctx context.Context, p *Page) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := s.renderPageInto(ctx, &buf, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// renderPageInto is RenderPage appending to buf, which a caller can reuse from page to page.
// The render stops at the site's time limit, or when ctx is done: then the error is ctx's
// cause, not an *Error.
func (s *Site) renderPageInto(ctx context.Context, buf *bytes.Buffer, p *Page) error {
	layout, entry, err := s.theme.layoutFor(p)
	if err != nil {
		return &Error{File: orGenerated(p.File), Msg: err.Error()}
	}
	r, err := s.theme.runner()
	if err != nil {
		return &Error{File: orGenerated(p.File), Msg: err.Error()}
	}
	defer s.theme.release(r)
	limit := s.renderTimeout()
	if err := r.execute(ctx, time.Now().Add(limit), buf, layout, entry, p); err != nil {
		return s.execFailure(err, p, layout, limit)
	}
	return nil
}

// Render produces every output file of the site in memory.
func (s *Site) Render(ctx context.Context) (*Output, error) {
	out := &Output{Files: map[string][]byte{}}
	var mu sync.Mutex
	err := s.renderEach(ctx, true, func(path string, data []byte) error {
		mu.Lock()
		out.Files[path] = data
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// WriteDir renders the site straight into a new folder beside dir and swaps it in atomically,
// as Output.WriteDir does, without holding every page in memory at once. It returns the number
// of files written.
func (s *Site) WriteDir(ctx context.Context, dir string) (int, error) {
	var n atomic.Int64
	note, err := writeAtomic(ctx, dir, func(put func(string, []byte) error) error {
		return s.renderEach(ctx, false, func(p string, b []byte) error {
			n.Add(1)
			return put(p, b)
		})
	})
	if note != "" {
		s.problems.Warn("", 0, "output: %s", note)
	}
	return int(n.Load()), err
}

// renderEach renders every output file and hands it to emit, from several goroutines. Template
// problems are collected and returned together; an emit error (a full disk) stops the run.
// Unless keep is set, a page's bytes are valid only during emit: each worker reuses one buffer.
func (s *Site) renderEach(ctx context.Context, keep bool, emit func(path string, data []byte) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var errs ErrorList
	var emitErr error
	seen := make(map[string]bool, len(s.pages))
	put := func(path string, data []byte) {
		mu.Lock()
		dup := seen[path]
		seen[path] = true
		mu.Unlock()
		if dup {
			mu.Lock()
			errs.Add("", 0, "output file %s is written twice (internal error: the output registry let it through)", path)
			mu.Unlock()
			return
		}
		if err := emit(path, data); err != nil {
			mu.Lock()
			if emitErr == nil {
				emitErr = err
			}
			mu.Unlock()
			cancel()
		}
	}
	// The generated files (the search index above all) need nothing from the rendered pages:
	// they are made alongside them, started first as the longest single job, and written as
	// soon as they are made, by this one goroutine: the index is thousands of files in one
	// folder, and writers contending for a folder spin in the kernel (measured: 3× the CPU
	// with four writers, and slower).
	var extraErr error
	extraDone := make(chan struct{})
	var writing sync.Mutex // held while the generated files are written; see abandoned
	abandoned := false     // set when a cancelled run returns without waiting for them
	go func() {
		defer close(extraDone)
		extra, err := s.extraFiles()
		writing.Lock()
		defer writing.Unlock()
		extraErr = err
		for _, k := range sortedKeys(extra) {
			if abandoned || ctx.Err() != nil {
				return
			}
			put(k, extra[k])
		}
	}()
	var done atomic.Int64
	var timedOut atomic.Bool
	work := make(chan *Page)
	var wg sync.WaitGroup
	// Twice as many workers as processors: a worker blocked writing a file leaves its processor
	// to another.
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for p := range work {
				buf.Reset()
				if err := s.renderPageInto(ctx, &buf, p); err != nil {
					// A render cancelled with the run is no problem of its own: ctx.Err()
					// reports it below.
					var e *Error
					if errors.As(err, &e) {
						mu.Lock()
						errs = append(errs, e)
						mu.Unlock()
					}
					// A page past the time limit fails the build: do not make every other
					// page that loops wait out its own limit too.
					if errors.Is(err, errRenderTimeout) {
						timedOut.Store(true)
						cancel()
					}
				} else if keep {
					put(outputPath(p.URL), bytes.Clone(buf.Bytes()))
				} else {
					put(outputPath(p.URL), buf.Bytes())
				}
				n := done.Add(1)
				if s.opts.Progress != nil {
					s.opts.Progress(int(n), len(s.pages))
				}
			}
		}()
	}
feed:
	for _, p := range s.pages {
		select {
		case work <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil && !timedOut.Load() {
		// Return without waiting for the generated files (nothing will read them), once no
		// more of them can be written.
		writing.Lock()
		abandoned = true
		writing.Unlock()
		if emitErr != nil {
			return emitErr
		}
		return err
	}
	<-extraDone
	if extraErr != nil {
		errs = append(errs, asList(extraErr).(ErrorList)...)
	}
	if emitErr != nil {
		return emitErr
	}
	if len(errs) > 0 {
		errs.Sort()
		return errs.Unique()
	}
	return nil
}

// extraFiles are the outputs that are not pages, as the output registry lists them: assets,
// content files, redirects, sitemap, feeds, robots.txt, and the search index.
func (s *Site) extraFiles() (map[string][]byte, error) {
	files := map[string][]byte{}
	var errs ErrorList
	for path, pr := range s.outputs.files { // a map out, so in any order
		switch pr.kind {
		case outPage, outSearch:
		default:
			b, err := s.produce(pr)
			if err != nil {
				errs = append(errs, asError(pr.file, err))
				continue
			}
			files[path] = b
		}
	}
	idx, err := s.searchFiles()
	if err != nil {
		errs.Add("", 0, "search index: %v", err)
	}
	for k, v := range idx {
		files[k] = v
	}
	if len(errs) > 0 {
		errs.Sort()
		return files, errs
	}
	return files, nil
}

// aliasPage redirects an old URL to a page, without script (works under a strict CSP).
func aliasPage(target string) []byte {
	t := template.HTMLEscapeString(target)
	return []byte(`<!doctype html><html><head><meta charset="utf-8"><title>` + t +
		`</title><link rel="canonical" href="` + t + `"><meta name="robots" content="noindex">` +
		`<meta http-equiv="refresh" content="0; url=` + t + `"></head><body><p><a href="` + t + `">` + t +
		`</a></p></body></html>` + "\n")
}

// Listed reports whether a page belongs in sitemaps and feeds.
func (p *Page) Listed() bool {
	return p.Kind != Kind404 && p.Kind != KindSearch
}

// LangURL is a site path within the page's language: "feed.xml" → "/ur/feed.xml" with base path.
func (p *Page) LangURL(rel string) string {
	return p.site.relURL(langPrefix(p.site.cfg, p.Lang) + "/" + strings.TrimPrefix(rel, "/"))
}

// TagsPage is the language's tag index, or nil when no page has tags.
func (p *Page) TagsPage() *Page { return p.site.byKey[p.Lang]["tags"] }

// DefaultLanguage is the code of the default language.
func (s *Site) DefaultLanguage() string { return s.cfg.DefaultLanguage }

// ReviewDays is the review period in days.
func (s *Site) ReviewDays() int { return s.cfg.ReviewDays }

// TopPages are the content pages directly under a language's home, outside any section.
func (s *Site) TopPages(lang string) []*Page {
	var out []*Page
	for _, p := range s.byKey[lang][""].Pages {
		if p.Kind == KindPage {
			out = append(out, p)
		}
	}
	return out
}

// linksTo reports whether p's own text links to q, so that a list after the text can leave q out
// instead of offering the same destination twice.
func linksTo(p, q *Page) bool {
	if p == nil || q == nil || p.Lang != q.Lang {
		return false
	}
	for _, r := range p.refs {
		if r.kind == refPage && r.target == q.Key {
			return true
		}
	}
	return false
}
