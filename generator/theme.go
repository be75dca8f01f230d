package generator

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"

	"rahnuma/generator/markdown"
)

// theme is the parsed layouts, processed assets and UI strings of a site: the site's own files
// over the embedded theme's, file by file.
type theme struct {
	layouts map[string]*template.Template // "page.html" → set with baseof and partials
	assets  map[string]*Asset             // logical name ("css/site.css") → processed asset
	i18n    map[string]map[string]string  // lang → key → text
	i18nSrc map[string]string             // lang → file the strings came from (for check)
	origin  map[string]string             // layout name → file it came from, for messages
	// partials is the set every layout was cloned from, for partialCached. Like the layouts it
	// is never executed itself: renders execute runners' copies (see templateguard.go).
	partials *template.Template
	pool     runners
}

// Asset is a processed theme file: minified, fingerprinted, with an SRI hash.
type Asset struct {
	Name      string // logical name as templates ask for it
	Path      string // output path, e.g. "css/site.3fa9c1d2e0.css"
	Integrity string // "sha384-…"
	Body      []byte
	serveOnly bool
}

// layered merges a folder from the theme and the site: the site's file wins by relative path.
func layered(src Source, dir string) (map[string][]byte, map[string]string, ErrorList) {
	files := map[string][]byte{}
	origin := map[string]string{}
	var errs ErrorList
	for _, layer := range []struct {
		fsys fs.FS
		name string
	}{{src.Theme, "theme"}, {src.Site, "site"}} {
		if layer.fsys == nil {
			continue
		}
		if e, isLink := isLinkError(CheckSitePath(layer.fsys, dir)); isLink {
			errs = append(errs, e) // WalkDir would follow a linked root
			continue
		}
		_ = fs.WalkDir(layer.fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || IgnoredName(d.Name()) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if layer.name == "site" {
					errs.Add(p, 0, "symbolic links are not followed")
				}
				return nil
			}
			data, err := fs.ReadFile(layer.fsys, p)
			if err != nil {
				errs.Add(p, 0, "%v", err)
				return nil
			}
			rel := strings.TrimPrefix(p, dir+"/")
			files[rel] = data
			origin[rel] = p
			return nil
		})
	}
	return files, origin, errs
}

// Layouts.

var templateErrRE = regexp.MustCompile(`template: ?([^:]+):(\d+)(?::\d+)?: (.*)`)

// templateError turns html/template's "template: layouts/x.html:12:3: msg" into file:line.
func templateError(err error) *Error {
	msg := err.Error()
	if m := templateErrRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		return &Error{File: m[1], Line: line, Msg: "template: " + m[3]}
	}
	return &Error{Msg: msg}
}

func (th *theme) loadLayouts(s *Site) ErrorList {
	files, origin, errs := layered(s.src, "layouts")
	th.origin = origin
	base := template.New("").Funcs(s.funcs())
	var names []string
	for _, rel := range sortedKeys(files) {
		if !strings.HasSuffix(rel, ".html") {
			continue
		}
		if strings.HasPrefix(rel, "partials/") || rel == "baseof.html" {
			if _, err := base.New(rel).Parse(string(files[rel])); err != nil {
				e := templateError(err)
				e.File = origin[rel]
				errs = append(errs, e)
			}
			continue
		}
		names = append(names, rel)
	}
	th.layouts = map[string]*template.Template{}
	th.partials = base
	for _, rel := range names {
		set, err := base.Clone()
		if err == nil {
			_, err = set.New(rel).Parse(string(files[rel]))
		}
		if err != nil {
			e := templateError(err)
			e.File = origin[rel]
			errs = append(errs, e)
			continue
		}
		guardSet(set) // its own copies of the partials too: Clone copies parse trees
		th.layouts[rel] = set
	}
	guardSet(base) // after the clones, so no tree is guarded twice
	// Fix the messages of errors raised while parsing to name the real file.
	for _, e := range errs {
		if o, ok := origin[strings.TrimPrefix(e.File, "layouts/")]; ok {
			e.File = o
		}
	}
	return errs
}

// layoutFor picks the layout of a page (its front matter `layout`, else its kind) and the
// template to execute in it.
func (th *theme) layoutFor(p *Page) (layout, entry string, err error) {
	var candidates []string
	if p.Layout != "" {
		candidates = append(candidates, p.Layout+".html")
	}
	candidates = append(candidates, p.Kind+".html")
	switch p.Kind {
	case KindTaxonomy, KindTerm, KindHome:
		candidates = append(candidates, "section.html")
	}
	candidates = append(candidates, "page.html")
	for _, c := range candidates {
		if t, ok := th.layouts[c]; ok {
			entry := c
			if t.Lookup("baseof.html") != nil {
				entry = "baseof.html"
			}
			return c, entry, nil
		}
	}
	return "", "", fmt.Errorf("no layout for a %s page (looked for %s)", p.Kind, strings.Join(candidates, ", "))
}

// UI strings.

func (th *theme) loadI18n(src Source) ErrorList {
	th.i18n = map[string]map[string]string{}
	th.i18nSrc = map[string]string{}
	var errs ErrorList
	for _, layer := range []struct {
		fsys fs.FS
		dir  string
	}{{src.Theme, "layouts/i18n"}, {src.Site, "layouts/i18n"}, {src.Site, "i18n"}} {
		if layer.fsys == nil {
			continue
		}
		entries, _ := fs.ReadDir(layer.fsys, layer.dir)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".toml") {
				continue
			}
			p := layer.dir + "/" + e.Name()
			if e, isLink := isLinkError(CheckSitePath(layer.fsys, p)); isLink {
				errs = append(errs, e)
				continue
			}
			data, err := fs.ReadFile(layer.fsys, p)
			if err != nil {
				errs.Add(p, 0, "%v", err)
				continue
			}
			var m map[string]any
			if err := toml.Unmarshal(data, &m); err != nil {
				e := configError(err)
				for _, x := range asList(e).(ErrorList) {
					x.File = p
					errs = append(errs, x)
				}
				continue
			}
			lang := strings.TrimSuffix(e.Name(), ".toml")
			if th.i18n[lang] == nil {
				th.i18n[lang] = map[string]string{}
			}
			flatten("", m, th.i18n[lang])
			th.i18nSrc[lang] = p
		}
	}
	return errs
}

func flatten(prefix string, m map[string]any, out map[string]string) {
	for k, v := range m {
		switch x := v.(type) {
		case map[string]any:
			flatten(prefix+k+".", x, out)
		default:
			out[prefix+k] = fmt.Sprint(x)
		}
	}
}

// Assets.

func (th *theme) loadAssets(src Source, cfg *Config) ErrorList {
	files, origin, errs := layered(src, "assets")
	th.assets = map[string]*Asset{}
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)

	// One stylesheet: every assets/css/*.css in name order, then the code highlighting styles.
	var bundle bytes.Buffer
	for _, rel := range sortedKeys(files) {
		if path.Dir(rel) == "css" && strings.HasSuffix(rel, ".css") {
			bundle.Write(files[rel])
			bundle.WriteByte('\n')
		}
	}
	if light, err := markdown.CSS("github"); err == nil {
		bundle.WriteString(light)
	}
	if dark, err := markdown.CSS("github-dark"); err == nil {
		bundle.WriteString("\n@media (prefers-color-scheme: dark){" + dark + "}")
	}
	if bundle.Len() > 0 {
		th.addAsset(m, "css/site.css", "text/css", bundle.Bytes(), "assets/css", &errs)
	}
	for _, rel := range sortedKeys(files) {
		switch {
		case path.Dir(rel) == "css" && strings.HasSuffix(rel, ".css"):
		case strings.HasSuffix(rel, ".js"):
			th.addAsset(m, rel, "application/javascript", files[rel], origin[rel], &errs)
		default:
			th.assets[rel] = &Asset{Name: rel, Path: rel, Body: files[rel], Integrity: sri(files[rel])}
		}
	}
	if a := th.assets["js/livereload.js"]; a != nil {
		a.serveOnly = true
	}
	return errs
}

func (th *theme) addAsset(m *minify.M, name, mediatype string, data []byte, origin string, errs *ErrorList) {
	min, err := m.Bytes(mediatype, data)
	if err != nil {
		errs.Add(origin, 0, "minify: %v", err)
		min = data
	}
	sum := sha256.Sum256(min)
	ext := path.Ext(name)
	out := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
	th.assets[name] = &Asset{Name: name, Path: out, Body: min, Integrity: sri(min)}
}

func sri(data []byte) string {
	sum := sha512.Sum384(data)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// T looks up a UI string for lang, falling back to the default language, then to the key.
func (s *Site) T(lang, key string) string {
	if v, ok := s.theme.i18n[lang][key]; ok {
		return v
	}
	if v, ok := s.theme.i18n[s.cfg.DefaultLanguage][key]; ok {
		return v
	}
	return key
}

// MissingStrings lists, per non-default language, UI keys that fall back to the default language.
func (s *Site) MissingStrings() ErrorList {
	var out ErrorList
	def := s.theme.i18n[s.cfg.DefaultLanguage]
	for _, l := range s.cfg.LanguageList() {
		if l.Code == s.cfg.DefaultLanguage {
			continue
		}
		have := s.theme.i18n[l.Code]
		file := s.theme.i18nSrc[l.Code]
		if file == "" {
			file = "i18n/" + l.Code + ".toml"
		}
		var missing []string
		for k := range def {
			if _, ok := have[k]; !ok {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		for _, k := range missing {
			out.Warn(file, 0, "missing UI string %q (falls back to %s)", k, s.cfg.DefaultLanguage)
		}
	}
	return out
}
