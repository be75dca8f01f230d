package generator

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// outputs is the registry of every file a build writes: output path → what writes it. It is
// filled once per load, before anything renders, in a fixed order (generated files, then pages
// by URL, content files by path, aliases by URL), so two producers of one path are reported
// the same way every run, naming both; the build writes exactly these files, and the dev
// server answers exactly these paths.
type outputs struct {
	files map[string]*producer
	// owned are folders one producer fills with names only it knows in advance: the search
	// index's content-hashed files, under search/<lang>/.
	owned []ownedFolder
}

type ownedFolder struct {
	prefix string
	by     *producer
}

// producer is what writes one output file.
type producer struct {
	kind outKind
	// key finds the thing to render: the page URL (outPage), the alias URL (outAlias), the
	// source file (outStatic), the asset name (outAsset), the language (outFeed, outSearch).
	key  string
	file string // source file for messages; "" for files the build makes itself
	line int
	what string // "the sitemap", "alias /old/", "url /x/", …
}

type outKind uint8

const (
	outPage outKind = iota
	outAlias
	outStatic
	outAsset
	outSitemap
	outFeed
	outRobots
	outSearch
)

// String names a producer in messages: "content/en/a.md:4 (alias /old/)" or "the sitemap".
func (p *producer) String() string {
	switch {
	case p.file == "":
		return p.describe()
	case p.kind == outStatic:
		return p.file
	case p.line > 0:
		return fmt.Sprintf("%s:%d (%s)", p.file, p.line, p.describe())
	}
	return fmt.Sprintf("%s (%s)", p.file, p.describe())
}

// describe says what the producer is; a content page's is made only for a message.
func (p *producer) describe() string {
	if p.what == "" && p.kind == outPage {
		return "the page " + p.key
	}
	return p.what
}

// overridable reports whether a content file may take a generated file's place: a site's own
// robots.txt replaces the generated one, which only allows everything and names the sitemap.
func (p *producer) overridable() bool { return p.kind == outRobots }

// lookup finds the producer of an output path.
func (o *outputs) lookup(path string) *producer {
	if p := o.files[path]; p != nil {
		return p
	}
	for _, f := range o.owned {
		if strings.HasPrefix(path, f.prefix) {
			return f.by
		}
	}
	return nil
}

// registerOutputs fills s.outputs and reports every output path claimed twice. It runs after
// the theme's assets are processed (their names carry content hashes) and before links are
// checked, since a link may point at any output file.
func (s *Site) registerOutputs() {
	o := &outputs{files: make(map[string]*producer, len(s.pages)+len(s.static)+len(s.aliases)+len(s.theme.assets)+8)}
	s.outputs = o
	add := func(path string, p *producer) {
		prev := o.lookup(path)
		switch {
		case prev == nil:
			o.files[path] = p
		case prev.overridable() && p.kind == outStatic:
			o.files[path] = p // documented: the site's own file wins
		case p.file == "" && prev.file != "":
			s.problems.Add(prev.file, prev.line, "%s would overwrite %s, written by %s", prev.describe(), path, p)
		default:
			s.problems.Add(p.file, p.line, "%s would overwrite %s, written by %s", p.describe(), path, prev)
		}
	}
	for _, name := range sortedKeys(s.theme.assets) {
		a := s.theme.assets[name]
		if a.serveOnly {
			continue
		}
		pr := &producer{kind: outAsset, key: name, file: "assets/" + name, what: "a theme asset"}
		if name == "css/site.css" {
			pr.file, pr.what = "", "the stylesheet made from assets/css/*.css"
		}
		add(a.Path, pr)
	}
	add("sitemap.xml", &producer{kind: outSitemap, what: "the generated sitemap"})
	add("robots.txt", &producer{kind: outRobots, what: "the generated robots.txt"})
	for _, l := range s.cfg.LanguageList() {
		add(feedPath(s.cfg, l.Code), &producer{kind: outFeed, key: l.Code, what: "the generated feed of language " + l.Code})
		if !s.opts.NoSearchIndex {
			idx := &producer{kind: outSearch, key: l.Code, what: "the search index of language " + l.Code}
			add(searchManifest(l.Code), idx)
			o.owned = append(o.owned, ownedFolder{"search/" + l.Code + "/", idx})
		}
	}
	for _, p := range s.pages {
		if s.byURL[p.URL] != p {
			continue // reported by indexURLs
		}
		add(outputPath(p.URL), p.producer())
	}
	static := append([]staticFile(nil), s.static...)
	sort.Slice(static, func(i, j int) bool { return static[i].file < static[j].file })
	for _, f := range static {
		add(strings.TrimPrefix(f.url, "/"), &producer{kind: outStatic, key: f.file, file: f.file, what: "this file"})
	}
	for _, u := range sortedKeys(s.aliases) {
		p := s.aliases[u]
		add(outputPath(u), &producer{kind: outAlias, key: u, file: p.File, line: p.Lines["aliases"], what: "alias " + u})
	}
}

// producer describes a page as the writer of its output file.
func (p *Page) producer() *producer {
	pr := &producer{kind: outPage, key: p.URL, file: p.File}
	switch {
	case p.File == "":
		pr.what = p.describe()
	case p.Lines["url"] > 0:
		pr.line, pr.what = p.Lines["url"], "url "+p.URL
	}
	return pr
}

// describe names a page the build made, which has no file to name.
func (p *Page) describe() string {
	if p.File != "" {
		return p.File
	}
	switch p.Kind {
	case Kind404:
		return "the generated 404 page " + p.URL
	case KindSearch:
		return "the generated search page " + p.URL
	case KindTaxonomy, KindTerm:
		return "the generated tag page " + p.URL
	}
	return "the generated section page " + p.URL + " (a folder without _index.md)"
}

func feedPath(cfg *Config, lang string) string {
	return strings.TrimPrefix(langPrefix(cfg, lang)+"/feed.xml", "/")
}

// produce makes the bytes of one output file that is not a page, search index or other
// whole-site file (those come from extraFiles).
func (s *Site) produce(p *producer) ([]byte, error) {
	switch p.kind {
	case outAsset:
		return s.theme.assets[p.key].Body, nil
	case outStatic:
		if err := CheckSitePath(s.src.Site, p.key); err != nil {
			return nil, asError(p.key, err) // replaced by a link since the scan
		}
		b, err := fs.ReadFile(s.src.Site, p.key)
		if err != nil {
			return nil, asError(p.key, err)
		}
		return b, nil
	case outAlias:
		return aliasPage(s.aliases[p.key].Permalink), nil
	case outSitemap:
		return s.sitemap(), nil
	case outFeed:
		return s.feed(p.key), nil
	case outRobots:
		return []byte("User-agent: *\nAllow: /\nSitemap: " + s.absURL("/sitemap.xml") + "\n"), nil
	}
	return nil, fmt.Errorf("no producer for %s", p.describe())
}

func asError(file string, err error) *Error {
	if e, ok := err.(*Error); ok {
		return e
	}
	return &Error{File: file, Msg: err.Error()}
}
