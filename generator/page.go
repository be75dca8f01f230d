package generator

import (
	"fmt"
	"html/template"
	"path"
	"strings"
	"time"
	"unicode"

	"rahnuma/generator/markdown"
)

// Page kinds. Every output page has exactly one.
const (
	KindHome     = "home"
	KindSection  = "section"
	KindPage     = "page"
	KindTaxonomy = "taxonomy"
	KindTerm     = "term"
	Kind404      = "404"
	KindSearch   = "search"
)

// Page is one page of the site: loaded from a content file or generated (sections without
// _index.md, taxonomies, 404, the search page).
type Page struct {
	FrontMatter

	Kind string
	// File is the source path relative to the site root ("content/en/tax/sales-tax.md");
	// empty for generated pages.
	File string
	Lang string
	// Key names the page within its language by content path: "" home, "tax" section,
	// "tax/sales-tax" page. Links and translations resolve through it.
	Key string
	// Section is the top-level section key ("tax"); empty for the home page and top-level pages.
	Section string
	// URL is the site-relative URL path including the language prefix, without the base path:
	// "/ur/tax/sales-tax/". It always starts with "/".
	URL string
	// BundleDir is the content folder of a leaf bundle (its files are copied beside the page).
	BundleDir string

	Doc      *markdown.Document
	BodyLine int        // file line where the Markdown body starts
	refs     []ref      // link targets found while converting, resolved at render time
	links    []linkInfo // every link of the page, classified, for checkLinks

	// Filled in by assemble.
	Parent       *Page
	Pages        []*Page // a section's direct children, ordered by weight then title
	Prev, Next   *Page   // neighbours in the parent section
	Translations []*Page // the same page in other languages, by language order
	TermPages    []*Page // for taxonomy pages: the terms; for term pages: the tagged pages
	site         *Site

	// Computed once by assemble, because templates ask for them on every link they print.
	LinkTitle    string // the title, or the humanised file name
	RelPermalink string // URL with the base path, as links in pages use it
	Permalink    string // absolute URL when the base URL has a host, else RelPermalink
}

// ref is a link destination rewritten to a placeholder during conversion.
type ref struct {
	kind     refKind
	target   string // page key (refPage), or the URL path as written, decoded (refURL)
	fragment string
	query    string // raw query of a refURL, kept in the href
	dest     string // as written
}

// linkInfo is one link of a page as checkLinks needs it, worked out when the file is read.
type linkInfo struct {
	dest  string
	line  int  // file line
	self  bool // "#anchor" on the same page
	local bool // points into the site (ref is set)
	ref   ref
}

type refKind int

const (
	refPage refKind = iota // a Markdown file: "x.md", "../tax/x.md", "/tax/x.md"
	refURL                 // any other path: a URL, resolved as a browser does (see linkURL)
)

// IsPage etc. help templates branch on kind.
func (p *Page) IsHome() bool    { return p.Kind == KindHome }
func (p *Page) IsSection() bool { return p.Kind == KindSection || p.Kind == KindHome }
func (p *Page) IsPage() bool    { return p.Kind == KindPage }

// Date-sorted helpers for templates and feeds.

// Updated is the most recent of date, lastmod and reviewed.
func (p *Page) Updated() time.Time {
	t := p.Date
	for _, x := range []time.Time{p.Lastmod, p.Reviewed} {
		if x.After(t) {
			t = x
		}
	}
	return t
}

// linkTitle is the title, or the humanised key when a page has none.
func (p *Page) linkTitle() string {
	if p.Title != "" {
		return p.Title
	}
	name := path.Base(p.Key)
	if p.Key == "" {
		return p.site.cfg.Languages[p.Lang].Title
	}
	name = strings.ReplaceAll(name, "-", " ")
	r := []rune(name)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// Content is the page's HTML with internal links resolved.
func (p *Page) Content() template.HTML {
	if p.Doc == nil {
		return ""
	}
	return template.HTML(p.site.resolveRefs(p, p.Doc.HTML))
}

// WordCount and ReadingTime (minutes, at 200 words a minute, at least 1).
func (p *Page) WordCount() int {
	if p.Doc == nil {
		return 0
	}
	return p.Doc.Words
}

func (p *Page) ReadingTime() int { return max(1, (p.WordCount()+199)/200) }

// PlainSummary is the front matter summary, else the description, else the first paragraph.
func (p *Page) PlainSummary() string {
	switch {
	case p.Summary != "":
		return p.Summary
	case p.Description != "":
		return p.Description
	case p.Doc != nil:
		return p.Doc.Summary
	}
	return ""
}

// TOC lists the page's h2 and h3 headings.
func (p *Page) TOC() []markdown.Heading {
	if p.Doc == nil {
		return nil
	}
	var out []markdown.Heading
	for _, h := range p.Doc.Headings {
		if h.Level == 2 || h.Level == 3 {
			out = append(out, h)
		}
	}
	return out
}

// Breadcrumbs are the ancestors from the home page down, excluding the page itself.
func (p *Page) Breadcrumbs() []*Page {
	var out []*Page
	for a := p.Parent; a != nil; a = a.Parent {
		out = append(out, a)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// RuleStatus says where the rule a page describes stands: the front matter's `status`, else
// "withdrawn" when it has a `withdrawn` date, "in-force" when it has an `effective` date in the
// past, "proposed" when that date is still to come; "" for pages that describe no rule.
func (p *Page) RuleStatus() string {
	switch {
	case p.Status != "":
		return p.Status
	case !p.Withdrawn.IsZero():
		return "withdrawn"
	case p.Effective.IsZero():
		return ""
	case p.Effective.After(p.site.now):
		return "proposed"
	}
	return "in-force"
}

// NewestSource is the date of the page's most recent dated source: how current its facts can be.
func (p *Page) NewestSource() time.Time {
	var t time.Time
	for _, s := range p.Sources {
		if s.Date.After(t) {
			t = s.Date
		}
	}
	return t
}

// Stale reports whether the page was reviewed longer ago than the site's review period.
func (p *Page) Stale() bool {
	if p.Reviewed.IsZero() {
		return false
	}
	return p.site.now.Sub(p.Reviewed) > time.Duration(p.site.cfg.ReviewDays)*24*time.Hour
}

// IsPolicy reports whether the page belongs to a section that must cite sources.
func (p *Page) IsPolicy() bool {
	if p.Kind != KindPage {
		return false
	}
	for _, s := range p.site.cfg.PolicySections {
		if s == p.Section {
			return true
		}
	}
	return false
}

// SectionPage is the top-level section the page belongs to, or nil.
func (p *Page) SectionPage() *Page {
	if p.Section == "" {
		return nil
	}
	return p.site.byKey[p.Lang][p.Section]
}

// Language returns the page's language settings.
func (p *Page) Language() Language { return p.site.cfg.Languages[p.Lang] }

// Site returns the site for templates.
func (p *Page) Site() *Site { return p.site }

// Home is the home page of the page's language.
func (p *Page) Home() *Page { return p.site.byKey[p.Lang][""] }

// Menu is the list of top-level sections and pages of the page's language.
func (p *Page) Menu() []*Page {
	var out []*Page
	for _, c := range p.Home().Pages {
		if c.Kind == KindSection || c.Kind == KindPage {
			out = append(out, c)
		}
	}
	return out
}

// TagPages turns the page's tags into their term pages.
func (p *Page) TagPages() []*Page {
	var out []*Page
	for _, t := range p.Tags {
		if tp := p.site.byKey[p.Lang]["tags/"+urlize(t)]; tp != nil {
			out = append(out, tp)
		}
	}
	return out
}

// Ancestor reports whether p is q or one of q's ancestors (for marking the current nav entry).
func (p *Page) Ancestor(q *Page) bool {
	for a := q; a != nil; a = a.Parent {
		if a == p {
			return true
		}
	}
	return false
}

// outputPath is the file a URL is written to: "/tax/x/" → "tax/x/index.html".
func outputPath(u string) string {
	p := strings.TrimPrefix(u, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// urlize turns a file or tag name into a URL segment: lower case, spaces to '-', letters and
// digits of any script kept, everything a URL would need escaping for dropped.
func urlize(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(nfc(s))) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || r == '_' || r == '.':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	out := strings.Trim(b.String(), ".")
	if out == "" {
		return "-"
	}
	return out
}

// cleanURLPath validates a `url` or alias from front matter and returns it as a site-relative
// path starting with "/". Anything that could leave the output folder or the site is refused.
func cleanURLPath(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("empty")
	}
	if strings.HasPrefix(s, "//") || strings.Contains(s, ":") {
		return "", fmt.Errorf("%q must be a path on this site, not an address", raw)
	}
	for _, r := range s {
		if r == '\\' || r == '?' || r == '#' || r == '%' || unicode.IsControl(r) || unicode.IsSpace(r) {
			return "", fmt.Errorf("%q contains %q", raw, r)
		}
	}
	trailing := strings.HasSuffix(s, "/")
	segs := strings.Split(strings.Trim(s, "/"), "/")
	for _, seg := range segs {
		if seg == ".." || seg == "." {
			return "", fmt.Errorf("%q must not contain %q", raw, seg)
		}
	}
	p := "/" + nfc(strings.Join(segs, "/"))
	p = path.Clean(p)
	if p != "/" && (trailing || path.Ext(p) == "") {
		p += "/"
	}
	if msg := unportableOutput(p); msg != "" {
		return "", fmt.Errorf("%q: %s", raw, msg)
	}
	return p, nil
}

// checkSlug validates a `slug`: one path segment.
func checkSlug(s string) error {
	if strings.ContainsAny(s, "/\\") || s == "." || s == ".." || strings.TrimSpace(s) == "" {
		return fmt.Errorf("slug %q must be a single name without slashes or dots", s)
	}
	if msg := unportableName(urlize(s)); msg != "" {
		return fmt.Errorf("slug %q: %s", s, msg)
	}
	return nil
}
