package generator

import (
	"fmt"
	"strings"
)

// bidiNames are the bidirectional controls that reorder the text around them: embeddings,
// overrides and isolates (the "Trojan Source" set). Invisible in a title, heading or link
// text, they can make what a reader sees differ from what the text says, such as a link label
// that reads as another address. The marks U+200E, U+200F and U+061C are not among them: they
// only set the direction of the neutral characters beside them, and Urdu text uses them.
var bidiNames = map[rune]string{
	'\u202A': "LEFT-TO-RIGHT EMBEDDING",
	'\u202B': "RIGHT-TO-LEFT EMBEDDING",
	'\u202C': "POP DIRECTIONAL FORMATTING",
	'\u202D': "LEFT-TO-RIGHT OVERRIDE",
	'\u202E': "RIGHT-TO-LEFT OVERRIDE",
	'\u2066': "LEFT-TO-RIGHT ISOLATE",
	'\u2067': "RIGHT-TO-LEFT ISOLATE",
	'\u2068': "FIRST STRONG ISOLATE",
	'\u2069': "POP DIRECTIONAL ISOLATE",
}

// bidiControl returns the first bidirectional control in s.
func bidiControl(s string) (rune, bool) {
	if !strings.Contains(s, "\xe2") { // every one of them is E2 80 xx or E2 81 xx in UTF-8
		return 0, false
	}
	for _, r := range s {
		if _, ok := bidiNames[r]; ok {
			return r, true
		}
	}
	return 0, false
}

// bidiProblems lists the bidirectional controls of every content page, for `check`.
func (s *Site) bidiProblems() ErrorList {
	var out ErrorList
	for _, p := range s.pages {
		out = append(out, pageBidi(p)...)
	}
	return out
}

// pageBidi lists the title, description, tags, headings and link texts of a content page
// that hold a bidirectional control, each at its line. `check` reports them as errors; a
// build warns.
func pageBidi(p *Page) ErrorList {
	var out ErrorList
	report := func(line int, what, text string) {
		if r, ok := bidiControl(text); ok {
			out = append(out, &Error{File: p.File, Line: line, Msg: fmt.Sprintf(
				"%s contains U+%04X %s, an invisible character that can make text display differently from what it says; remove it",
				what, r, bidiNames[r])})
		}
	}
	if p.File == "" {
		return nil
	}
	report(p.Lines["title"], "title", p.Title)
	report(p.Lines["description"], "description", p.Description)
	for _, t := range p.Tags {
		report(p.Lines["tags"], "tag", t)
	}
	if p.Doc == nil {
		return out
	}
	for _, h := range p.Doc.Headings {
		report(p.BodyLine+h.Line-1, "heading", h.Text)
	}
	for _, l := range p.Doc.Links {
		if !l.Image {
			report(p.BodyLine+l.Line-1, "link text", l.Text)
		}
	}
	return out
}

// warnBidi adds a page's bidirectional controls to the load's problems as warnings.
func (s *Site) warnBidi(p *Page) {
	for _, e := range pageBidi(p) {
		e.Warning = true
		s.problems = append(s.problems, e)
	}
}
