package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// GitHub alerts ("> [!NOTE]" as the first line of a blockquote) become callouts:
//
//	<div class="callout callout-note" role="note"><p class="callout-title">Note</p>
//	...body...
//	</div>

// calloutTitle returns the English title of an alert kind (lower case), or "" if kind
// is not one.
func calloutTitle(kind string) string {
	switch kind {
	case "note":
		return "Note"
	case "tip":
		return "Tip"
	case "important":
		return "Important"
	case "warning":
		return "Warning"
	case "caution":
		return "Caution"
	case "myth":
		return "Myth"
	case "fact":
		return "Fact"
	}
	return ""
}

// kindCallout is the node kind of callout. (goldmark's registry of kinds is how
// extensions name their nodes; it is written once, at package initialisation.)
var kindCallout = ast.NewNodeKind("Callout")

// callout is a block holding the body of a GitHub alert.
type callout struct {
	ast.BaseBlock
	alert string // lower case: "note", "myth", ...
	title string // visible title; set from Context.Label after parsing
}

func (n *callout) Kind() ast.NodeKind { return kindCallout }

func (n *callout) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Alert": n.alert}, nil)
}

// calloutTransformer replaces blockquotes that start with an alert marker by Callouts.
type calloutTransformer struct{}

func (calloutTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var quotes []*ast.Blockquote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if q, ok := n.(*ast.Blockquote); ok {
			quotes = append(quotes, q)
		}
		if n.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, q := range quotes {
		para, ok := q.FirstChild().(*ast.Paragraph)
		if !ok || para.Lines().Len() == 0 {
			continue
		}
		first := para.Lines().At(0)
		kind := alertKind(first.Value(src))
		if kind == "" {
			continue
		}
		// Drop the inline nodes of the marker line (the last carries the line
		// break), then the line itself.
		for c := para.FirstChild(); c != nil; {
			if start, ok := firstTextStart(c); ok && start >= first.Stop {
				break
			}
			next := c.NextSibling()
			para.RemoveChild(para, c)
			if t, ok := c.(*ast.Text); ok && (t.SoftLineBreak() || t.HardLineBreak()) {
				break
			}
			c = next
		}
		if para.Lines().Len() == 1 {
			q.RemoveChild(q, para)
		} else {
			lines := text.NewSegments()
			lines.AppendAll(para.Lines().Sliced(1, para.Lines().Len()))
			para.SetLines(lines)
		}

		co := &callout{alert: kind}
		co.SetBlankPreviousLines(q.HasBlankPreviousLines())
		co.Lines().Append(first)
		for c := q.FirstChild(); c != nil; {
			next := c.NextSibling()
			co.AppendChild(co, c)
			c = next
		}
		q.Parent().ReplaceChild(q.Parent(), q, co)
	}
}

// alertKind returns the kind named by an alert marker line like "[!NOTE]", or "".
func alertKind(line []byte) string {
	line = bytes.TrimSpace(line)
	if len(line) < 4 || line[0] != '[' || line[1] != '!' || line[len(line)-1] != ']' {
		return ""
	}
	kind := string(bytes.ToLower(line[2 : len(line)-1]))
	if calloutTitle(kind) == "" {
		return ""
	}
	return kind
}

// firstTextStart returns the start offset of the first text segment in n or its
// descendants.
func firstTextStart(n ast.Node) (int, bool) {
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start, true
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if s, ok := firstTextStart(c); ok {
			return s, true
		}
	}
	return 0, false
}

type calloutRenderer struct{}

func (calloutRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindCallout, renderCallout)
}

func renderCallout(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*callout)
	if !entering {
		_, _ = w.WriteString("</div>\n")
		return ast.WalkContinue, nil
	}
	title := n.title
	if title == "" {
		title = calloutTitle(n.alert)
	}
	_, _ = w.WriteString(`<div class="callout callout-`)
	_, _ = w.WriteString(n.alert) // one of calloutTitle's kinds: safe in an attribute
	_, _ = w.WriteString(`" role="note"><p class="callout-title">`)
	_, _ = w.Write(util.EscapeHTML([]byte(title)))
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

type calloutExtension struct{}

func (calloutExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(calloutTransformer{}, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(calloutRenderer{}, 500)))
}
