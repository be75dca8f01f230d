package generator

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"time"

	"rahnuma/generator/search"
)

// sitemap lists every listed page with its translations as alternates.
func (s *Site) sitemap() []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	for _, p := range s.pages {
		if !p.Listed() {
			continue
		}
		b.WriteString("<url><loc>")
		xml.EscapeText(&b, []byte(p.Permalink))
		b.WriteString("</loc>")
		if u := p.Updated(); !u.IsZero() {
			b.WriteString("<lastmod>" + u.Format("2006-01-02") + "</lastmod>")
		}
		if len(p.Translations) > 0 {
			for _, q := range append([]*Page{p}, p.Translations...) {
				fmt.Fprintf(&b, `<xhtml:link rel="alternate" hreflang="%s" href="`, q.Lang)
				xml.EscapeText(&b, []byte(q.Permalink))
				b.WriteString(`"/>`)
			}
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// feed is an Atom feed of a language's most recently changed pages.
func (s *Site) feed(lang string) []byte {
	var entries []*Page
	for _, p := range s.pages {
		if p.Lang == lang && p.Kind == KindPage && !p.Updated().IsZero() {
			entries = append(entries, p)
		}
	}
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i].Updated(), entries[j].Updated()
		if !a.Equal(b) {
			return a.After(b)
		}
		return entries[i].URL < entries[j].URL
	})
	if len(entries) > s.cfg.FeedLimit {
		entries = entries[:s.cfg.FeedLimit]
	}
	home := s.LanguageHome(lang)
	updated := time.Time{}
	if len(entries) > 0 {
		updated = entries[0].Updated()
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="%s">`+"\n", lang)
	el := func(name, text string) {
		b.WriteString("<" + name + ">")
		xml.EscapeText(&b, []byte(text))
		b.WriteString("</" + name + ">")
	}
	el("title", s.Title(lang))
	el("id", home.Permalink)
	b.WriteString(`<link href="`)
	xml.EscapeText(&b, []byte(home.Permalink))
	b.WriteString(`"/><link rel="self" href="`)
	xml.EscapeText(&b, []byte(s.absURL(langPrefix(s.cfg, lang)+"/feed.xml")))
	b.WriteString(`"/>`)
	el("updated", updated.Format(time.RFC3339))
	b.WriteString("\n")
	for _, p := range entries {
		b.WriteString("<entry>")
		el("title", p.LinkTitle)
		el("id", p.Permalink)
		b.WriteString(`<link href="`)
		xml.EscapeText(&b, []byte(p.Permalink))
		b.WriteString(`"/>`)
		el("updated", p.Updated().Format(time.RFC3339))
		if !p.Date.IsZero() {
			el("published", p.Date.Format(time.RFC3339))
		}
		if sum := p.PlainSummary(); sum != "" {
			el("summary", sum)
		}
		b.WriteString("</entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.Bytes()
}

// searchManifest is the stable path of a language's search manifest. Everything it points at is
// content-hashed; the manifest itself keeps one name so pages need not change when it does.
func searchManifest(lang string) string { return "search/" + lang + "/manifest.json" }

// SearchDocs lists the searchable pages of a language: content pages and sections with text.
func (s *Site) SearchDocs(lang string) []search.Doc {
	var docs []search.Doc
	for _, p := range s.pages {
		if p.Lang != lang || p.Doc == nil || p.Kind == KindHome {
			continue
		}
		d := search.Doc{URL: p.RelPermalink, Title: p.LinkTitle, SectionKey: p.Section, Boost: s.searchWeight(p)}
		if sp := p.SectionPage(); sp != nil {
			d.Section = sp.LinkTitle
		}
		for _, sec := range p.Doc.Sections {
			d.Parts = append(d.Parts, search.Part{Anchor: sec.ID, Heading: sec.Heading, Text: sec.Text})
		}
		docs = append(docs, d)
	}
	return docs
}

// searchWeight is how much search favours p: its front matter's searchWeight, else its
// section's from site.toml, else 1; halved for a section overview that has pages of its own
// in its language (it lists what they explain; without them it is the only text on its topic).
func (s *Site) searchWeight(p *Page) float64 {
	w := p.SearchWeight
	if w == 0 {
		w = s.cfg.SearchWeights[p.Section]
	}
	if w == 0 {
		w = 1
	}
	if p.Kind != KindPage && len(p.Pages) > 0 {
		w /= 2
	}
	return w
}

// searchFiles builds the search index of every language.
func (s *Site) searchFiles() (map[string][]byte, error) {
	files := map[string][]byte{}
	if s.opts.NoSearchIndex {
		return files, nil
	}
	for _, l := range s.cfg.LanguageList() {
		idx, err := search.Build(s.SearchDocs(l.Code), search.Options{Lang: l.Code})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", l.Code, err)
		}
		for name, data := range idx.Files {
			if name == idx.Manifest {
				files[searchManifest(l.Code)] = data
				continue
			}
			files["search/"+l.Code+"/"+strings.TrimPrefix(name, "/")] = data
		}
	}
	return files, nil
}
