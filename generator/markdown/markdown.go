// Package markdown turns one Markdown document into HTML plus what the rest of the
// generator needs to know about it: headings (for the table of contents and anchor
// checks), link destinations with their lines (for link rewriting and checking), and
// plain text split at headings (for search).
//
// It wraps goldmark (CommonMark + GFM tables, strikethrough, autolinks and task lists,
// footnotes, definition lists, typographer, heading attributes) and chroma v2 (code
// highlighting with CSS classes). It adds GitHub alerts rendered as callouts, tables
// wrapped so they scroll sideways on narrow screens, Unicode-aware heading IDs, and
// limits that keep hostile input from taking unbounded time.
//
// The package never imports other rahnuma packages: everything site-specific (how a
// link destination maps to a URL, what a callout is called in Urdu) comes in through
// Context.
//
// Hostile input is bounded: nesting deeper than 100 levels on a line, and documents
// whose structure would send goldmark down one of its quadratic paths, fail with an
// error naming the line (see limits.go); everything else converts in time linear in
// its size.
package markdown

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"io"
	"runtime/debug"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// Options configure a Converter.
type Options struct {
	// Unsafe allows raw HTML in Markdown. Off by default: raw HTML is then omitted
	// (goldmark writes an HTML comment in its place) and reported in Document.Problems.
	Unsafe bool
}

// Converter converts Markdown documents. It is safe for concurrent use. It holds a
// cache of highlighted code keyed by (language, code), so converting a document again
// never highlights the same block twice.
type Converter struct {
	opts Options
	md   goldmark.Markdown
	hl   *highlighter
}

// guardKey finds the link-work guard in a parser context. goldmark hands out context keys from
// an unlocked global counter, so the key is made once, not per Converter: two sites loading at
// once (the dev server's tests, two servers in one process) would otherwise race on it.
var guardKey = parser.NewContextKey()

// New returns a Converter configured with opts.
func New(opts Options) *Converter {
	c := &Converter{
		opts: opts,
		hl:   newHighlighter(),
	}
	rendererOpts := []renderer.Option{}
	if opts.Unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	c.md = goldmark.New(
		goldmark.WithExtensions(
			extension.Linkify,
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.TaskList,
			extension.Footnote,
			extension.DefinitionList,
			extension.Typographer,
			&calloutExtension{},
			&tableWrapExtension{},
			&codeExtension{hl: c.hl},
			&linkGuardExtension{key: guardKey},
		),
		goldmark.WithParserOptions(parser.WithAttribute()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return c
}

// Context carries what a conversion needs to know about the page being converted.
type Context struct {
	// Resolve maps a link or image destination as written (e.g.
	// "../tax/sales-tax.md#rates", "photo.png", "#local") to the URL to emit; ok=false
	// leaves it unchanged. May be nil.
	Resolve func(dest string) (url string, ok bool)
	// Label returns the visible title of a callout kind ("note", "tip", "important",
	// "warning", "caution", "myth", "fact"), for translation. It is also asked for
	// "table", the accessible name of the scrolling region around each table. nil, or
	// an empty result, means the English default ("Note", "Myth", "Table", ...).
	Label func(kind string) string
}

// Document is the result of converting one Markdown document.
type Document struct {
	HTML     string
	Headings []Heading // every heading in order
	Links    []Link    // every link and image destination, as written, with its 1-based line in src
	Sections []Section // the plain text split at headings (text before the first heading: ID "")
	Summary  string    // plain text of the first paragraph
	Words    int       // word count of the plain text (Unicode-aware; works for Urdu)
	// Problems are things worth telling the author that did not stop the conversion:
	// duplicate explicit heading IDs, link destinations dropped as unsafe, raw HTML
	// omitted. In source order.
	Problems []Problem
}

// Heading is one heading of a document.
type Heading struct {
	Level int
	ID    string // explicit ({#id}) or generated; unique within the document
	Text  string // plain text
	Line  int    // 1-based line in src
}

// Link is one link or image destination.
type Link struct {
	// Dest is the destination as written, after Markdown unescaping. For autolinks it
	// is the URL goldmark links to ("www.x.pk" becomes "http://www.x.pk", an e-mail
	// address becomes "mailto:...").
	Dest  string
	Line  int // 1-based line in src where the destination is written
	Image bool
	Alt   string // plain text of an image's description; empty for links
	Text  string // plain text of a link's label; empty for images
}

// Section is the plain text between one heading and the next.
type Section struct {
	ID      string // heading ID; "" for text before the first heading
	Heading string // heading text; "" for text before the first heading
	Text    string
}

// Problem is a non-fatal finding, reported with its 1-based line in src.
type Problem struct {
	Line int
	Msg  string
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Msg) }

// highlightCacheVersion changes whenever stored highlights could differ from fresh ones: a new
// chroma, or a change in how this package writes code blocks.
func highlightCacheVersion() string {
	v := "rahnuma-highlight-1"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/alecthomas/chroma/v2" {
				v += " chroma " + d.Version
			}
		}
	}
	return v
}

type storedHighlights struct {
	Version string
	Entries map[[sha256.Size]byte]string
}

// LoadHighlights reads highlighted code saved by SaveHighlights in an earlier run, so a rebuild
// highlights only the code blocks that changed. A cache from another version is ignored.
func (c *Converter) LoadHighlights(r io.Reader) error {
	var st storedHighlights
	if err := gob.NewDecoder(r).Decode(&st); err != nil {
		return err
	}
	c.hl.mu.Lock()
	defer c.hl.mu.Unlock()
	if c.hl.used == nil {
		c.hl.used = map[[sha256.Size]byte]string{}
	}
	if st.Version == highlightCacheVersion() {
		c.hl.stored = st.Entries
	}
	return nil
}

// SaveHighlights writes the highlighted code this converter produced or reused since
// LoadHighlights (or since it was made, if TrackHighlights was called).
func (c *Converter) SaveHighlights(w io.Writer) error {
	c.hl.mu.Lock()
	defer c.hl.mu.Unlock()
	return gob.NewEncoder(w).Encode(storedHighlights{Version: highlightCacheVersion(), Entries: c.hl.used})
}

// HighlightsChanged reports whether SaveHighlights would write other highlights than
// LoadHighlights read: a block was highlighted afresh, a stored one went unused, or nothing
// was loaded. A rebuild of unchanged code need not write its cache again.
func (c *Converter) HighlightsChanged() bool {
	c.hl.mu.Lock()
	defer c.hl.mu.Unlock()
	// With no miss, every block used came from the stored ones, so equal counts mean the
	// same blocks.
	return c.hl.stored == nil || c.hl.misses.Load() > 0 || len(c.hl.used) != len(c.hl.stored)
}

// ReleaseHighlights lets go of the highlighted code held in memory: the loaded cache, what
// this run used, and the recent generations. For a one-shot build, once its pages are
// converted and SaveHighlights has written the cache; later conversions highlight again.
func (c *Converter) ReleaseHighlights() {
	c.hl.mu.Lock()
	c.hl.stored, c.hl.used, c.hl.old = nil, nil, nil
	c.hl.cur = map[[sha256.Size]byte]string{}
	c.hl.mu.Unlock()
}

// TrackHighlights starts collecting the highlights this run uses, for SaveHighlights, when
// there was no earlier cache to load.
func (c *Converter) TrackHighlights() {
	c.hl.mu.Lock()
	if c.hl.used == nil {
		c.hl.used = map[[sha256.Size]byte]string{}
	}
	c.hl.mu.Unlock()
}

// HighlightStats reports how many code blocks were served from the highlight cache
// (hits) and how many had to be highlighted (misses) since the Converter was made.
func (c *Converter) HighlightStats() (hits, misses int64) {
	return c.hl.hits.Load(), c.hl.misses.Load()
}

// Convert converts one Markdown document. Errors carry a 1-based line, like
// "line 12: nesting deeper than 100 levels"; the caller adds the file name.
func (c *Converter) Convert(src []byte, ctx Context) (doc *Document, err error) {
	// Last line of defence: a bug in goldmark, chroma or here must not take the
	// whole build down. The hostile-input tests pass without reaching this.
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("markdown: internal error: %v", r)
		}
	}()

	src = normalize(src)
	lines := newLineIndex(src)
	if err := checkBlocks(src); err != nil {
		return nil, err
	}

	pc := parser.NewContext()
	guard := &linkGuardState{budget: linkBudgetBase + linkBudgetPerByte*len(src), at: -1}
	pc.Set(guardKey, guard)
	root := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	if guard.at >= 0 {
		return nil, fmt.Errorf("line %d: too many links or brackets in one paragraph to parse in reasonable time", lines.line(guard.at))
	}

	w := &walker{src: src, lines: lines, ctx: ctx, unsafe: c.opts.Unsafe}
	doc = w.run(root)

	out := renderBuffers.Get().(*renderBuffer)
	defer renderBuffers.Put(out)
	out.buf.Reset()
	out.w.Reset(&out.buf)
	if err := c.md.Renderer().Render(out.w, src, root); err != nil {
		return nil, err
	}
	if err := out.w.Flush(); err != nil {
		return nil, err
	}
	doc.HTML = out.buf.String()
	return doc, nil
}

// renderBuffer is where a document's HTML is rendered. Reused: goldmark would otherwise wrap
// each output in a new bufio.Writer, and a new buffer grows for each document (together 9%
// of what a build of the 10k corpus allocated).
type renderBuffer struct {
	buf bytes.Buffer
	w   *bufio.Writer // into buf; a util.BufWriter, which goldmark writes to as it is
}

var renderBuffers = sync.Pool{New: func() any {
	b := &renderBuffer{}
	b.w = bufio.NewWriter(&b.buf)
	return b
}}
