package generator

import (
	"cmp"
	"fmt"
	htmlpkg "html"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
)

// assemble turns parsed content files into the page graph: URLs, sections, navigation order,
// translations, taxonomies and generated pages; then checks URLs and links across pages.
// It is cheap (no I/O, no Markdown), so a dev-server edit can redo it for the whole site.
func (s *Site) assemble(files []*contentFile) {
	s.byKey = map[string]map[string]*Page{}
	s.byURL = map[string]*Page{}
	for _, l := range s.cfg.LanguageList() {
		s.byKey[l.Code] = map[string]*Page{}
	}
	for _, cf := range files {
		s.problems = append(s.problems, cf.errs...)
		if cf.fm == nil || cf.doc == nil {
			continue
		}
		if !s.opts.Drafts && !s.published(cf.fm) {
			continue
		}
		p := &Page{
			FrontMatter: *cf.fm, Kind: cf.kind, File: cf.file, Lang: cf.lang, Key: cf.key,
			BundleDir: cf.bundle, Doc: cf.doc, BodyLine: cf.bodyLine, refs: cf.refs, links: cf.links,
			URL: cf.url, site: s,
		}
		if prev := s.byKey[p.Lang][p.Key]; prev != nil {
			s.problems.Add(p.File, 1, "same page as %s (both are %q in language %q)", prev.File, p.Key, p.Lang)
			continue
		}
		s.byKey[p.Lang][p.Key] = p
	}
	for _, l := range s.cfg.LanguageList() {
		s.assembleLanguage(l.Code)
	}
	s.linkTranslations()
	s.indexURLs()
}

// published reports whether a page belongs in a build without --drafts.
func (s *Site) published(fm *FrontMatter) bool {
	if fm.Draft {
		return false
	}
	if !fm.PublishDate.IsZero() && fm.PublishDate.After(s.now) {
		return false
	}
	if !fm.Date.IsZero() && fm.Date.After(s.now) {
		return false
	}
	if !fm.ExpiryDate.IsZero() && !fm.ExpiryDate.After(s.now) {
		return false
	}
	return true
}

func (s *Site) generated(lang, key, kind, title string) *Page {
	p := &Page{Kind: kind, Lang: lang, Key: key, site: s}
	p.Title = title
	s.byKey[lang][key] = p
	return p
}

func (s *Site) assembleLanguage(lang string) {
	pages := s.byKey[lang]
	// Every folder above a page is a section; make the missing ones. Nothing here depends on
	// map order: sortPages orders siblings totally, and output is sorted by URL.
	keys := make([]string, 0, len(pages))
	for k := range pages {
		keys = append(keys, k)
	}
	for _, key := range keys {
		for k := parentKey(key); ; k = parentKey(k) {
			if pages[k] == nil {
				kind := KindSection
				if k == "" {
					kind = KindHome
				}
				s.generated(lang, k, kind, "")
			}
			if k == "" {
				break
			}
		}
	}
	if pages[""] == nil {
		s.generated(lang, "", KindHome, "")
	}
	for _, p := range pages {
		p.LinkTitle = p.linkTitle()
	}
	s.addTaxonomy(lang) // sorts tagged pages, so after the titles
	for _, p := range pages {
		if p.LinkTitle == "" {
			p.LinkTitle = p.linkTitle()
		}
	}
	prefix := langPrefix(s.cfg, lang)
	for key, p := range pages {
		if key != "" {
			p.Section, _, _ = strings.Cut(key, "/")
			p.Parent = pages[parentKey(key)]
		}
		p.URL = s.pageURL(p, prefix)
	}
	// Special pages get fixed URLs and no parent in the navigation.
	nf := s.generated(lang, "\x00404", Kind404, s.T(lang, "notfound.title"))
	nf.URL = prefix + "/404.html"
	sp := s.generated(lang, "\x00search", KindSearch, s.T(lang, "search.title"))
	sp.URL = prefix + "/search/"
	for _, p := range pages {
		p.RelPermalink, p.Permalink = s.relURL(p.URL), s.absURL(p.URL)
		if p.LinkTitle == "" {
			p.LinkTitle = p.linkTitle()
		}
	}
	for _, p := range pages {
		if p.Parent != nil && p.Kind != KindTerm {
			p.Parent.Pages = append(p.Parent.Pages, p)
		}
	}
	for _, p := range pages {
		sortPages(p.Pages)
		var prev *Page
		for _, c := range p.Pages {
			if c.Kind != KindPage {
				continue
			}
			if prev != nil {
				prev.Next, c.Prev = c, prev
			}
			prev = c
		}
	}
}

func parentKey(key string) string {
	if key == "" {
		return ""
	}
	d := path.Dir(key)
	if d == "." {
		return ""
	}
	return d
}

// pageURL gives generated pages and sections their URL; content pages bring theirs from the file.
func (s *Site) pageURL(p *Page, prefix string) string {
	if p.URL != "" {
		return p.URL
	}
	u, err := contentURL(p.Key, p.Slug, p.FrontMatter.URL, prefix)
	if err != nil {
		s.problems.Add(p.File, p.Lines["url"], "front matter: url: %v", err)
	}
	return u
}

// contentURL applies the URL rules: `url` wins, then folders + slug or file name, pretty URLs.
// On a bad `url` it reports the error and falls back to the folder rule.
func contentURL(key, slug, fmURL, prefix string) (string, error) {
	var bad error
	if fmURL != "" {
		u, err := cleanURLPath(fmURL)
		if err == nil {
			return u, nil
		}
		bad = err
	}
	if key == "" {
		return prefix + "/", bad
	}
	segs := strings.Split(key, "/")
	for i, seg := range segs {
		segs[i] = urlize(seg)
	}
	if slug != "" {
		segs[len(segs)-1] = urlize(slug)
	}
	return prefix + "/" + strings.Join(segs, "/") + "/", bad
}

// sortPages orders siblings: weighted first by weight, then newest first, then by title, then
// by key. The order is total, so it does not depend on the order pages arrive in.
func sortPages(ps []*Page) {
	slices.SortFunc(ps, func(a, b *Page) int {
		if (a.Weight == 0) != (b.Weight == 0) {
			if a.Weight != 0 {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.Weight, b.Weight); c != 0 {
			return c
		}
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		if c := strings.Compare(a.LinkTitle, b.LinkTitle); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
}

// addTaxonomy makes /tags/ and one page per tag. Term pages list their pages newest first.
func (s *Site) addTaxonomy(lang string) {
	pages := s.byKey[lang]
	terms := map[string]*Page{}
	for _, p := range pages {
		for _, t := range p.Tags {
			slug := urlize(t)
			tp := terms[slug]
			if tp == nil {
				tp = &Page{Kind: KindTerm, Lang: lang, Key: "tags/" + slug, site: s}
				tp.Title = t
				terms[slug] = tp
			}
			if t < tp.Title { // spellings of one tag ("Tax", "tax"): the same one every build
				tp.Title = t
			}
			tp.TermPages = append(tp.TermPages, p)
		}
	}
	if len(terms) == 0 {
		return
	}
	if pages["tags"] != nil {
		s.problems.Add(pages["tags"].File, 1, "the folder name \"tags\" is reserved for the tags taxonomy")
		return
	}
	tax := s.generated(lang, "tags", KindTaxonomy, s.T(lang, "tags"))
	for _, slug := range sortedKeys(terms) {
		tp := terms[slug]
		if pages[tp.Key] != nil {
			continue
		}
		sortPages(tp.TermPages)
		pages[tp.Key] = tp
		tax.TermPages = append(tax.TermPages, tp)
	}
}

// linkTranslations joins pages with the same key (or translationKey) across languages.
func (s *Site) linkTranslations() {
	groups := map[string][]*Page{}
	for _, l := range s.cfg.LanguageList() {
		for key, p := range s.byKey[l.Code] {
			id := "k:" + key
			if p.TranslationKey != "" {
				id = "t:" + p.TranslationKey
			}
			groups[id] = append(groups[id], p)
		}
	}
	for _, g := range groups {
		for _, p := range g {
			for _, q := range g {
				if q != p && q.Lang != p.Lang {
					p.Translations = append(p.Translations, q)
				}
			}
		}
	}
}

// indexURLs lists every page by URL and reports two pages (or an alias) claiming one URL.
func (s *Site) indexURLs() {
	s.pages = s.pages[:0]
	for _, l := range s.cfg.LanguageList() {
		for _, p := range s.byKey[l.Code] {
			s.pages = append(s.pages, p)
		}
	}
	sort.Slice(s.pages, func(i, j int) bool {
		a, b := s.pages[i], s.pages[j]
		if a.URL != b.URL {
			return a.URL < b.URL
		}
		if a.Lang != b.Lang {
			return a.Lang < b.Lang
		}
		return a.Key < b.Key
	})
	folded := map[string]*Page{} // URLs that Windows and macOS write to one file
	for _, p := range s.pages {
		if prev := s.byURL[p.URL]; prev != nil {
			at, other := p, prev
			if at.File == "" { // report where it can be fixed
				at, other = prev, p
			}
			s.problems.Add(at.File, at.Lines["url"], "URL %s is also the URL of %s", p.URL, other.describe())
			continue
		}
		s.byURL[p.URL] = p
		if prev := folded[foldName(p.URL)]; prev != nil {
			s.problems.Add(orGenerated(p.File), p.Lines["url"], "URL %s differs from %s of %s only in case; Windows and macOS write them to one file", p.URL, prev.URL, orGenerated(prev.File))
		}
		folded[foldName(p.URL)] = p
	}
	s.aliases = map[string]*Page{}
	for _, p := range s.pages {
		for _, a := range p.Aliases {
			u, err := cleanURLPath(a)
			if err != nil {
				s.problems.Add(p.File, p.Lines["aliases"], "front matter: aliases: %v", err)
				continue
			}
			if other := s.byURL[u]; other != nil {
				s.problems.Add(p.File, p.Lines["aliases"], "alias %s is the URL of %s", u, other.describe())
				continue
			}
			if other := s.aliases[u]; other != nil {
				s.problems.Add(p.File, p.Lines["aliases"], "alias %s is also an alias of %s", u, other.File)
				continue
			}
			s.aliases[u] = p
		}
	}
}

func orGenerated(file string) string {
	if file == "" {
		return "a generated page"
	}
	return file
}

// checkLinks reports links to pages, files or headings that do not exist. Each link was
// classified when its file was read, so this is map lookups only.
func (s *Site) checkLinks() {
	for _, p := range s.pages {
		s.checkPageLinks(p)
	}
}

// checkPageLinks reports the broken links of one page.
func (s *Site) checkPageLinks(p *Page) {
	for _, l := range p.links {
		switch {
		case l.self:
			if !hasAnchor(p, l.dest[1:]) {
				s.problems.Add(p.File, l.line, "link %s: no heading with that id on this page", l.dest)
			}
		case !l.local:
		case l.ref.kind == refURL:
			u, ok := s.linkURL(p, l.ref.target)
			if !ok {
				s.problems.Add(p.File, l.line, "link %s: leads out of the site (to %s, outside the base URL %s)", l.dest, u, s.cfg.BasePath())
				continue
			}
			t, out := s.linkTarget(u)
			switch {
			case t != nil:
				if l.ref.fragment != "" && !hasAnchor(t, l.ref.fragment) {
					s.problems.Add(p.File, l.line, "link %s: %s has no heading with id %q", l.dest, t.describe(), l.ref.fragment)
				}
			case out == nil:
				what := "file"
				if strings.HasSuffix(u, "/") || path.Ext(u) == "" {
					what = "page"
				}
				at := ""
				if u != l.ref.target {
					at = " at " + u
				}
				s.problems.Add(p.File, l.line, "link %s: no such %s%s%s", l.dest, what, at, s.draftHint("", u))
			}
		default:
			t := s.byKey[p.Lang][l.ref.target]
			if t == nil {
				s.problems.Add(p.File, l.line, "link %s: no such page%s", l.dest, s.draftHint(p.Lang, l.ref.target))
				continue
			}
			if l.ref.fragment != "" && !hasAnchor(t, l.ref.fragment) {
				s.problems.Add(p.File, l.line, "link %s: %s has no heading with id %q", l.dest, t.describe(), l.ref.fragment)
			}
		}
	}
}

// linkURL resolves a URL link of page p as a browser resolves it on the published site: a
// relative path against the page's own URL under the base path, and a site-absolute path
// ("/tax/x/") against the base URL, the site's root (as Hugo does for links in Markdown): with
// base URL https://user.github.io/guide/, "/tax/x/" is https://user.github.io/guide/tax/x/.
// It returns the site URL path (without the base path); ok is false when the link leads
// above the base path, out of the site, and then the path is the browser's, base included.
func (s *Site) linkURL(p *Page, target string) (u string, ok bool) {
	base := s.cfg.BasePath()
	from := &url.URL{Path: base + strings.TrimPrefix(p.URL, "/")}
	if strings.HasPrefix(target, "/") {
		from, target = &url.URL{Path: base}, "."+target
	}
	abs := from.ResolveReference(&url.URL{Path: target}).Path
	for strings.Contains(abs, "//") {
		// Empty segments ("a//b") name the same file on a static host, and an href starting
		// with "//" would be an address on another host.
		abs = strings.ReplaceAll(abs, "//", "/")
	}
	if !strings.HasPrefix(abs, base) {
		return abs, false
	}
	return "/" + abs[len(base):], true
}

// linkTarget finds what a site URL path names: a page (also when written without its
// trailing slash, or as its index.html, as web servers answer), else any other output file.
func (s *Site) linkTarget(u string) (*Page, *producer) {
	if t := s.byURL[u]; t != nil {
		return t, nil
	}
	if !strings.HasSuffix(u, "/") {
		if t := s.byURL[u+"/"]; t != nil {
			return t, nil
		}
	}
	out := s.outputs.lookup(outputPath(u))
	if out != nil && out.kind == outPage {
		return s.byURL[out.key], out
	}
	return nil, out
}

// draftHint explains a missing page that exists but is not published. lang is "" for a URL.
func (s *Site) draftHint(lang, key string) string {
	if s.hidden[lang+"\x00"+key] {
		return " (it is a draft, scheduled or expired page)"
	}
	return ""
}

func hasAnchor(p *Page, id string) bool {
	if p.Doc == nil {
		return false
	}
	for _, h := range p.Doc.Headings {
		if h.ID == id {
			return true
		}
	}
	return strings.HasPrefix(id, "fn:") || strings.HasPrefix(id, "fnref:")
}

// resolveRefs swaps link placeholders in converted HTML for final URLs.
func (s *Site) resolveRefs(p *Page, html string) string {
	if !strings.Contains(html, refPrefix) {
		return html
	}
	var b strings.Builder
	b.Grow(len(html) + 64)
	for {
		i := strings.Index(html, refPrefix)
		if i < 0 {
			b.WriteString(html)
			return b.String()
		}
		b.WriteString(html[:i])
		html = html[i+len(refPrefix):]
		n := 0
		j := 0
		for j < len(html) && html[j] >= '0' && html[j] <= '9' {
			n = n*10 + int(html[j]-'0')
			j++
		}
		html = html[j:]
		if n < len(p.refs) {
			b.WriteString(htmlpkg.EscapeString(s.refURL(p, p.refs[n])))
		}
	}
}

func (s *Site) refURL(p *Page, r ref) string {
	frag := ""
	if r.fragment != "" {
		frag = "#" + r.fragment
	}
	switch r.kind {
	case refPage:
		if t := s.byKey[p.Lang][r.target]; t != nil {
			return t.RelPermalink + frag
		}
	case refURL:
		u, ok := s.linkURL(p, r.target)
		if !ok {
			break
		}
		if r.query != "" {
			frag = "?" + r.query + frag
		}
		if t, _ := s.linkTarget(u); t != nil {
			return t.RelPermalink + frag
		}
		return s.relURL(u) + frag
	}
	return "#broken-link"
}

// String names a page in messages.
func (p *Page) String() string { return fmt.Sprintf("%s page %q (%s)", p.Kind, p.Key, p.Lang) }
