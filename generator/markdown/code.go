package markdown

import (
	"crypto/sha256"
	"fmt"
	"html"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Code blocks render as
//
//	<pre class="chroma"><code class="language-go">…chroma's <span class="…"> tokens…</code></pre>
//
// highlighted with CSS classes (never inline styles, so a Content-Security-Policy can
// forbid them). Indented blocks and fenced blocks with no or an unknown language get
// the same wrapper around escaped text.

const (
	// maxHighlight is the largest code block that is highlighted; larger ones are
	// shown as plain text. chroma's regular expressions are not all linear.
	maxHighlight = 64 << 10

	// cacheGeneration is how many highlighted blocks a cache generation holds. The
	// cache keeps two generations, so it holds between one and two of these; blocks
	// used in a rebuild are carried into the new generation.
	cacheGeneration = 4096
)

// highlighter highlights code and caches the HTML by hash of (language, code).
type highlighter struct {
	formatter *chromahtml.Formatter
	style     *chroma.Style // required by the formatter; with classes it does not affect the output

	mu       sync.Mutex
	cur, old map[[sha256.Size]byte]string
	// stored holds highlights loaded from an earlier run (LoadHighlights); used collects what
	// this run needed, so SaveHighlights writes back exactly the site's current code blocks.
	stored, used map[[sha256.Size]byte]string

	hits, misses atomic.Int64
}

func newHighlighter() *highlighter {
	return &highlighter{
		formatter: chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true)),
		style:     styles.Fallback,
		cur:       map[[sha256.Size]byte]string{},
	}
}

// highlight returns the inner HTML (tokens) of a code block in lexer's language.
// ok is false when the code could not be highlighted.
func (h *highlighter) highlight(lang string, lexer chroma.Lexer, code string) (string, bool) {
	hash := sha256.New()
	hash.Write([]byte(lang))
	hash.Write([]byte{0})
	hash.Write([]byte(code))
	var key [sha256.Size]byte
	hash.Sum(key[:0])

	h.mu.Lock()
	out, ok := h.cur[key]
	if !ok {
		if out, ok = h.old[key]; !ok {
			out, ok = h.stored[key]
		}
		if ok {
			h.put(key, out)
		}
	}
	h.mu.Unlock()
	if ok {
		h.hits.Add(1)
		return out, true
	}
	h.misses.Add(1)

	tokens, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return "", false
	}
	it := func() chroma.Token {
		// White space needs no class: leave it out of the markup.
		t := tokens()
		if t.Type == chroma.TextWhitespace {
			t.Type = chroma.Text
		}
		return t
	}
	var b strings.Builder
	if err := h.formatter.Format(&b, h.style, it); err != nil {
		return "", false
	}
	out = b.String()
	h.mu.Lock()
	h.put(key, out)
	h.mu.Unlock()
	return out, true
}

// put adds an entry to the current generation, starting a new one when it is full.
// h.mu must be held.
func (h *highlighter) put(key [sha256.Size]byte, html string) {
	if h.used != nil {
		h.used[key] = html
	}
	if len(h.cur) >= cacheGeneration {
		h.old, h.cur = h.cur, make(map[[sha256.Size]byte]string, cacheGeneration)
	}
	h.cur[key] = html
}

// codeLanguage returns the language named by a fence's info string, lower case, or ""
// if there is none or it has characters no language name uses (the info string is
// untrusted and ends up in a class attribute).
func codeLanguage(info []byte) string {
	if len(info) == 0 || len(info) > 40 {
		return ""
	}
	for _, c := range info {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '_' || c == '-' || c == '+' || c == '#' || c == '.':
		default:
			return ""
		}
	}
	return strings.ToLower(string(info))
}

type codeRenderer struct {
	hl *highlighter
}

func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
	reg.Register(ast.KindCodeBlock, r.render)
}

func (r *codeRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	lang := ""
	if f, ok := node.(*ast.FencedCodeBlock); ok {
		lang = codeLanguage(f.Language(source))
	}
	code := codeText(node, source)

	_, _ = w.WriteString(`<pre class="chroma"><code`)
	if lang != "" {
		_, _ = w.WriteString(` class="language-`)
		_, _ = w.WriteString(lang) // checked by codeLanguage: safe in an attribute
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	done := false
	if lang != "" && len(code) <= maxHighlight {
		if lexer := lexers.Get(lang); lexer != nil {
			if out, ok := r.hl.highlight(lang, lexer, code); ok {
				_, _ = w.WriteString(out)
				done = true
			}
		}
	}
	if !done {
		_, _ = w.WriteString(html.EscapeString(code))
	}
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

// codeText returns the content of a code block.
func codeText(n ast.Node, source []byte) string { return string(appendCode(nil, n, source)) }

// appendCode appends the content of a code block to b.
func appendCode(b []byte, n ast.Node, source []byte) []byte {
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b = append(b, seg.Value(source)...)
	}
	return b
}

type codeExtension struct {
	hl *highlighter
}

func (e *codeExtension) Extend(m goldmark.Markdown) {
	// goldmark's own code block renderer has priority 1000; lower wins.
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&codeRenderer{hl: e.hl}, 100)))
}

// CSS returns a stylesheet for chroma's CSS classes in the named chroma style (for
// example "github" or "monokai"), with rules under the ".chroma" class. For a dark
// variant the caller wraps a second stylesheet in a media query or a parent selector.
func CSS(style string) (string, error) {
	s, ok := styles.Registry[strings.ToLower(style)]
	if !ok {
		return "", fmt.Errorf("unknown chroma style %q", style)
	}
	var b strings.Builder
	f := chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithCSSComments(false))
	if err := f.WriteCSS(&b, s); err != nil {
		return "", err
	}
	return b.String(), nil
}
