package markdown

import (
	"bytes"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// walker finishes a parsed tree for one conversion: it gives headings their IDs,
// resolves and checks links, fills in translated labels, and collects the Document's
// headings, links and plain text. It runs after goldmark's parser and before its
// renderer, so everything specific to this conversion lives in the tree.
type walker struct {
	src    []byte
	lines  lineIndex
	ctx    Context
	unsafe bool
	doc    *Document
}

func (w *walker) run(root ast.Node) *Document {
	w.doc = &Document{}
	var headings []*ast.Heading
	var links []ast.Node
	rawHTMLLine := 0
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			headings = append(headings, n)
		case *ast.Link, *ast.Image, *ast.AutoLink:
			links = append(links, n)
		case *callout:
			n.title = w.label(n.alert)
		case *tableWrap:
			n.label = w.label("table")
		case *ast.RawHTML, *ast.HTMLBlock:
			if line := w.line(n); !w.unsafe && line != rawHTMLLine {
				rawHTMLLine = line
				w.problem(line, "raw HTML omitted (it is only kept when unsafe HTML is allowed)")
			}
		}
		return ast.WalkContinue, nil
	})
	w.headingIDs(headings)
	for _, n := range links {
		w.link(n)
	}
	w.plainText(root)
	sort.SliceStable(w.doc.Problems, func(i, j int) bool { return w.doc.Problems[i].Line < w.doc.Problems[j].Line })
	return w.doc
}

func (w *walker) problem(line int, format string, args ...any) {
	w.doc.Problems = append(w.doc.Problems, Problem{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// label returns the translated label for kind, or its English default.
func (w *walker) label(kind string) string {
	if w.ctx.Label != nil {
		if s := w.ctx.Label(kind); s != "" {
			return s
		}
	}
	if kind == "table" {
		return "Table"
	}
	return calloutTitle(kind)
}

// pos returns the source offset of n, or of its nearest ancestor that has one.
func pos(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if p := n.Pos(); p >= 0 {
			return p
		}
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return 0
}

func (w *walker) line(n ast.Node) int { return w.lines.line(pos(n)) }

// Heading IDs.

// headingIDs gives every heading an id: its explicit one ({#id}) if it has one,
// otherwise a GitHub-style slug of its text made unique with -1, -2, ... Explicit IDs
// are reserved first, so a generated ID never takes one. In safe mode heading
// attributes are limited to id, class, lang and dir.
func (w *walker) headingIDs(hs []*ast.Heading) {
	used := map[string]bool{}
	explicit := make([]string, len(hs))
	for i, h := range hs {
		v, ok := h.AttributeString("id")
		if !ok {
			continue
		}
		id := attrString(v)
		if id == "" {
			continue
		}
		if used[id] {
			w.problem(w.line(h), "duplicate heading id %q", id)
		}
		used[id] = true
		explicit[i] = id
	}
	next := map[string]int{} // last suffix tried for each slug
	for i, h := range hs {
		text := w.inlineText(h)
		id := explicit[i]
		if id == "" {
			base := slug(text)
			id = base
			if used[id] {
				n := next[base]
				for {
					n++
					id = base + "-" + strconv.Itoa(n)
					if !used[id] {
						break
					}
				}
				next[base] = n
			}
			used[id] = true
		}
		w.cleanAttributes(h, id)
		w.doc.Headings = append(w.doc.Headings, Heading{Level: h.Level, ID: id, Text: text, Line: w.line(h)})
	}
}

// cleanAttributes sets a heading's id and, in safe mode, drops attributes other than
// class, lang and dir.
func (w *walker) cleanAttributes(h *ast.Heading, id string) {
	attrs := h.Attributes()
	if len(attrs) == 0 || len(attrs) == 1 && string(attrs[0].Name) == "id" {
		h.SetAttributeString("id", []byte(id))
		return
	}
	h.RemoveAttributes()
	h.SetAttributeString("id", []byte(id))
	for _, a := range attrs {
		switch name := string(a.Name); {
		case name == "id":
		case w.unsafe || name == "class" || name == "lang" || name == "dir":
			h.SetAttribute(a.Name, a.Value)
		}
	}
}

// attrString returns an attribute value as text.
func attrString(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// slug makes a GitHub-style anchor from heading text: lower case, letters, marks and
// numbers of any script kept, spaces to '-', other punctuation and symbols dropped.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r), unicode.IsMark(r), unicode.IsNumber(r), r == '_', r == '-':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "heading"
	}
	return b.String()
}

// Links.

// link records a link, image or autolink, resolves its destination through
// Context.Resolve, and drops it (keeping its text) if the result is not a safe URL.
func (w *walker) link(n ast.Node) {
	switch n := n.(type) {
	case *ast.Link:
		dest := unescape(n.Destination)
		line := w.destLine(n, n.Destination, n.Reference == nil)
		w.doc.Links = append(w.doc.Links, Link{Dest: dest, Line: line, Text: w.inlineText(n)})
		url, changed := w.resolve(dest)
		if !safeURL(url) {
			w.problem(line, "link to %q removed: only http, https, mailto, tel and relative URLs are allowed", url)
			unwrap(n)
			return
		}
		if changed {
			n.Destination = []byte(url)
		}

	case *ast.Image:
		dest := unescape(n.Destination)
		line := w.destLine(n, n.Destination, n.Reference == nil)
		w.doc.Links = append(w.doc.Links, Link{Dest: dest, Line: line, Image: true, Alt: w.inlineText(n)})
		url, changed := w.resolve(dest)
		if !safeURL(url) {
			w.problem(line, "image %q removed: only http, https and relative URLs are allowed", url)
			unwrap(n)
			return
		}
		if changed {
			n.Destination = []byte(url)
		}

	case *ast.AutoLink:
		label := n.Label(w.src)
		dest := string(n.URL(w.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
			dest = "mailto:" + dest
		}
		line := w.lines.line(pos(n)) // an autolink is its destination, on one line
		w.doc.Links = append(w.doc.Links, Link{Dest: dest, Line: line, Text: string(label)})
		url, changed := w.resolve(dest)
		text := ast.NewString(util.EscapeHTML(label))
		text.SetCode(true)
		switch {
		case !safeURL(url):
			w.problem(line, "link to %q removed: only http, https, mailto, tel and relative URLs are allowed", url)
			n.Parent().ReplaceChild(n.Parent(), n, text)
		case changed:
			link := ast.NewLink()
			link.Destination = []byte(url)
			link.AppendChild(link, text)
			n.Parent().ReplaceChild(n.Parent(), n, link)
		}
	}
}

// resolve returns the URL for dest and whether Context.Resolve changed it.
func (w *walker) resolve(dest string) (string, bool) {
	if w.ctx.Resolve != nil {
		if url, ok := w.ctx.Resolve(dest); ok {
			return url, true
		}
	}
	return dest, false
}

// unescape returns a link destination as it reads: backslash escapes and entity and
// character references resolved (goldmark keeps them until it renders).
func unescape(dest []byte) string {
	return string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest))))
}

// destLine returns the line on which the destination of link n is written. Inline
// nodes know only where they start; the destination follows the link text, possibly
// on a later line, so look for it (as written just after '(' or '<') a short way on.
// Reference links, and destinations written with escapes, get the line of the link.
func (w *walker) destLine(n ast.Node, dest []byte, search bool) int {
	start := pos(n)
	if search && len(dest) > 0 && start < len(w.src) {
		// A link label has at most 999 characters; allow for markup around it.
		end := min(len(w.src), start+2048+len(dest))
		window := w.src[start:end]
		first := -1
		for off := 0; ; {
			i := bytes.Index(window[off:], dest)
			if i < 0 {
				break
			}
			at := off + i
			if first < 0 {
				first = at
			}
			before := bytes.TrimRight(window[:at], " \t\n")
			if len(before) > 0 && (before[len(before)-1] == '(' || before[len(before)-1] == '<') {
				return w.lines.line(start + at)
			}
			off = at + 1
		}
		if first >= 0 {
			return w.lines.line(start + first)
		}
	}
	return w.lines.line(start)
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	parent := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// safeURL reports whether u is relative or uses http, https, mailto or tel. It looks at
// u as a browser would: leading control characters and spaces are ignored, and tabs
// and newlines anywhere.
func safeURL(u string) bool {
	u = strings.TrimLeft(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	i := 0
	for ; i < len(u); i++ {
		c := u[i]
		if c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if i == 0 && !letter {
			return true // a scheme starts with a letter: this is a path
		}
		if !letter && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			break
		}
	}
	if i == len(u) || u[i] != ':' {
		return true // no scheme: relative
	}
	scheme := strings.ToLower(strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u[:i]))
	switch scheme {
	case "http", "https", "mailto", "tel":
		return true
	}
	return false
}

// Plain text.

// inlineText returns the plain text of n's inline content, as a reader sees it:
// escapes and entities resolved, typographic quotes as characters, markup, raw HTML
// and footnote markers left out, line breaks as spaces.
func (w *walker) inlineText(n ast.Node) string { return string(w.appendInline(nil, n)) }

// appendInline appends what inlineText returns to b, without making the string: the plain
// text of every block of every page goes through it.
func (w *walker) appendInline(b []byte, n ast.Node) []byte {
	start := len(b)
	b = w.writeInline(b, n)
	text := b[start:]
	for i, c := range text {
		if c == '\n' {
			text[i] = ' '
		}
	}
	return b[:start+copy(text, bytes.TrimSpace(text))]
}

func (w *walker) writeInline(b []byte, n ast.Node) []byte {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Value(w.src)
			if !c.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b = append(b, v...)
			if c.SoftLineBreak() || c.HardLineBreak() {
				b = append(b, ' ')
			}
		case *ast.String:
			if c.IsCode() {
				b = append(b, html.UnescapeString(string(c.Value))...)
			} else {
				b = append(b, c.Value...)
			}
		case *ast.AutoLink:
			b = append(b, c.Label(w.src)...)
		case *ast.RawHTML, *east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
		default:
			b = w.writeInline(b, c)
		}
	}
	return b
}

// textCollector accumulates the plain text of a document, section by section.
type textCollector struct {
	sections []Section
	cur      Section
	body     []byte // the current section's text so far; reused for the next
	heading  int    // index of the next heading in Document.Headings
}

func (t *textCollector) flush() {
	t.cur.Text = string(bytes.TrimSpace(t.body))
	if t.cur.ID != "" || t.cur.Text != "" {
		t.sections = append(t.sections, t.cur)
	}
	t.body = t.body[:0]
}

// plainText fills in Sections, Summary and Words.
func (w *walker) plainText(root ast.Node) {
	t := &textCollector{}
	w.blockText(t, root)
	t.flush()
	w.doc.Sections = t.sections
	for _, s := range t.sections {
		w.doc.Words += countWords(s.Heading) + countWords(s.Text)
	}
	var first, firstTop ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		if p, ok := n.(*ast.Paragraph); ok && p.FirstChild() != nil {
			if first == nil {
				first = p
			}
			if p.Parent() == root {
				firstTop = p
				return ast.WalkStop, nil
			}
		}
		return ast.WalkContinue, nil
	})
	if firstTop != nil {
		first = firstTop
	}
	if first != nil {
		w.doc.Summary = strings.Join(strings.Fields(w.inlineText(first)), " ")
	}
}

func (w *walker) blockText(t *textCollector, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Heading:
			t.flush()
			t.cur = Section{}
			if t.heading < len(w.doc.Headings) {
				h := w.doc.Headings[t.heading]
				t.cur = Section{ID: h.ID, Heading: h.Text}
			}
			t.heading++
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			t.body = append(appendCode(t.body, c, w.src), '\n')
		case *ast.HTMLBlock, *ast.ThematicBreak, *ast.LinkReferenceDefinition:
		case *east.TableRow, *east.TableHeader:
			for cell := c.FirstChild(); cell != nil; cell = cell.NextSibling() {
				if cell != c.FirstChild() {
					t.body = append(t.body, ' ')
				}
				t.body = w.appendInline(t.body, cell)
			}
			t.body = append(t.body, '\n')
		default:
			if first := c.FirstChild(); first != nil && first.Type() == ast.TypeInline {
				n := len(t.body)
				if t.body = w.appendInline(t.body, c); len(t.body) > n {
					t.body = append(t.body, '\n')
				}
				continue
			}
			w.blockText(t, c)
		}
	}
}

// countWords counts runs of non-space characters that contain a letter or a digit, in
// any script: Urdu words are separated by spaces like English ones, and punctuation
// standing alone ("—", "۔") is not a word.
func countWords(s string) int {
	n := 0
	counted := false // the current run has been counted
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf { // most text: a table, not the Unicode tables
			i++
			switch asciiKind[c] {
			case kindSpace:
				counted = false
			case kindWord:
				if !counted {
					n++
					counted = true
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsSpace(r):
			counted = false
		case !counted && (unicode.IsLetter(r) || unicode.IsNumber(r)):
			n++
			counted = true
		}
	}
	return n
}

const (
	kindOther = iota
	kindSpace
	kindWord // a letter or digit
)

// asciiKind is what countWords makes of each ASCII character.
var asciiKind = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		switch r := rune(c); {
		case unicode.IsSpace(r):
			t[c] = kindSpace
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			t[c] = kindWord
		}
	}
	return t
}()
