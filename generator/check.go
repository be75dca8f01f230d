package generator

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"
	"unicode"
)

// CheckOptions tune `check`.
type CheckOptions struct {
	// Strict turns overdue reviews into errors.
	Strict bool
}

// Check reports problems an editor should fix beyond what stops a build: policy pages without
// sources or a review date, overdue reviews, images without alt text, duplicate titles, drafts,
// translations older than their original, and UI strings missing from a language.
// Build errors (broken links, bad front matter) come from Load and are not repeated here.
func (s *Site) Check(opts CheckOptions) ErrorList {
	var out ErrorList
	titles := map[string][]*Page{}
	for _, p := range s.pages {
		if p.File == "" {
			continue
		}
		if p.IsPolicy() {
			if len(p.Sources) == 0 {
				out.Add(p.File, 1, "policy page without sources: add `sources:` to the front matter")
			}
			if p.Reviewed.IsZero() {
				out.Add(p.File, 1, "policy page without a `reviewed` date")
			}
			s.checkPolicyCurrency(p, &out)
		}
		if p.Stale() {
			msg := fmt.Sprintf("overdue for review: last reviewed %s, more than %d days ago", p.Reviewed.Format("2006-01-02"), s.cfg.ReviewDays)
			if opts.Strict {
				out.Add(p.File, p.Lines["reviewed"], "%s", msg)
			} else {
				out.Warn(p.File, p.Lines["reviewed"], "%s", msg)
			}
		}
		if p.Doc != nil {
			for _, l := range p.Doc.Links {
				if l.Image && strings.TrimSpace(l.Alt) == "" {
					out.Add(p.File, p.BodyLine+l.Line-1, "image %s has no alt text", l.Dest)
				}
			}
		}
		if p.Draft {
			out.Warn(p.File, p.Lines["draft"], "draft: not published")
		}
		if p.Title != "" {
			k := p.Lang + "\x00" + strings.ToLower(strings.TrimSpace(p.Title))
			titles[k] = append(titles[k], p)
		}
		for _, t := range p.Translations {
			if t.Lang == s.cfg.DefaultLanguage && p.Lang != s.cfg.DefaultLanguage && t.File != "" &&
				!p.Reviewed.IsZero() && t.Reviewed.After(p.Reviewed) {
				out.Warn(p.File, p.Lines["reviewed"], "translation is older than %s (reviewed %s, original %s)",
					t.File, p.Reviewed.Format("2006-01-02"), t.Reviewed.Format("2006-01-02"))
			}
		}
	}
	s.checkMissingTranslations(&out)
	for _, k := range sortedKeys(titles) {
		ps := titles[k]
		if len(ps) < 2 {
			continue
		}
		sort.Slice(ps, func(i, j int) bool { return ps[i].File < ps[j].File })
		for _, p := range ps[1:] {
			out.Add(p.File, p.Lines["title"], "title %q is also the title of %s", p.Title, ps[0].File)
		}
	}
	for _, h := range s.hiddenFiles() {
		out.Warn(h, 0, "not published (draft, scheduled or expired)")
	}
	out = append(out, s.MissingStrings()...)
	out = append(out, s.bidiProblems()...)
	out.Sort()
	return out
}

// checkPolicyCurrency warns about a policy page a reader cannot trust at a glance: no summary
// to answer the question up front, or sources so old that the rules they describe may have moved
// on even though the page was reviewed recently.
func (s *Site) checkPolicyCurrency(p *Page, out *ErrorList) {
	if strings.TrimSpace(p.Summary) == "" {
		out.Warn(p.File, 1, "policy page without a `summary`: answer the reader's question in 2–3 sentences")
	}
	newest := p.NewestSource()
	if newest.IsZero() {
		if len(p.Sources) > 0 {
			out.Warn(p.File, p.Lines["sources"], "no source has a `date`: cannot tell how current the facts are")
		}
		return
	}
	if s.now.Sub(newest) > time.Duration(s.cfg.ReviewDays)*24*time.Hour {
		out.Warn(p.File, p.Lines["sources"], "newest source is from %s, more than %d days ago: facts may have moved; look for newer sources",
			newest.Format("2006-01-02"), s.cfg.ReviewDays)
	}
}

// checkMissingTranslations warns about each default-language page that lacks a translation in
// another language, naming the language, so an edition does not silently fall behind.
func (s *Site) checkMissingTranslations(out *ErrorList) {
	langs := s.cfg.LanguageList()
	for _, p := range s.pages {
		if p.File == "" || p.Lang != s.cfg.DefaultLanguage {
			continue
		}
		have := map[string]bool{}
		for _, t := range p.Translations {
			have[t.Lang] = true
		}
		for _, l := range langs {
			if l.Code == s.cfg.DefaultLanguage || have[l.Code] {
				continue
			}
			out.Warn(p.File, 0, "no %s (%s) translation", l.Name, l.Code)
		}
	}
}

func (s *Site) hiddenFiles() []string {
	var out []string
	for _, k := range sortedKeys(s.files) {
		cf := s.files[k]
		if cf.fm != nil && !s.opts.Drafts && !s.published(cf.fm) {
			out = append(out, cf.file)
		}
	}
	return out
}

// NewPage returns the front matter of a new page at a content path: title from the file name,
// today's review date, and an empty sources list to fill in.
func NewPage(rel string, now time.Time) []byte {
	name := strings.TrimSuffix(path.Base(rel), ".md")
	if name == "index" || name == "_index" {
		name = path.Base(path.Dir(rel))
	}
	words := strings.Fields(strings.NewReplacer("-", " ", "_", " ").Replace(name))
	for i, w := range words {
		if i == 0 {
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			words[i] = string(r)
		}
	}
	title := strings.Join(words, " ")
	return []byte(fmt.Sprintf("---\ntitle: %q\ndescription: \"\"\nreviewed: %s\ndraft: true\nsources: []\n# sources:\n#   - title: \"Headline of the report\"\n#     publisher: \"Publication\"\n#     date: YYYY-MM-DD\n#     url: \"https://…\"\n---\n\nWrite the guidance here.\n", title, now.Format("2006-01-02")))
}
