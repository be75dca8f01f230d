package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Tables are wrapped in a focusable region so they scroll sideways on narrow screens
// and keyboard users can scroll them:
//
//	<div class="table-wrap" role="region" tabindex="0" aria-label="Table: Item, Rate"><table>…</table></div>
//
// named by the header row, so that two tables on a page are two different regions.

var kindTableWrap = ast.NewNodeKind("TableWrap")

// tableWrap is a block holding exactly one table.
type tableWrap struct {
	ast.BaseBlock
	label string // accessible name; set from Context.Label after parsing
}

func (n *tableWrap) Kind() ast.NodeKind { return kindTableWrap }

func (n *tableWrap) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

type tableWrapTransformer struct{}

func (tableWrapTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var tables []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Kind() == east.KindTable {
			tables = append(tables, n)
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, t := range tables {
		w := &tableWrap{}
		w.SetBlankPreviousLines(t.HasBlankPreviousLines())
		t.Parent().ReplaceChild(t.Parent(), t, w)
		w.AppendChild(w, t)
	}
}

type tableWrapRenderer struct{}

func (tableWrapRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindTableWrap, renderTableWrap)
}

type tableCellRenderer struct{}

func (tableCellRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTableCell, renderTableCell)
}

// renderTableCell is goldmark's cell, except that an empty header cell (the corner above a
// column of row names) is a td: a th without text names nothing.
func renderTableCell(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	tag := "td"
	if node.Parent().Kind() == east.KindTableHeader && node.HasChildren() {
		tag = "th"
	}
	if !entering {
		_, _ = w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<" + tag)
	if a := node.(*east.TableCell).Alignment; a != east.AlignNone {
		_, _ = w.WriteString(` align="` + a.String() + `"`)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// tableName tells tables apart: the label and the header row's text.
func tableName(label string, n ast.Node, source []byte) string {
	t := n.FirstChild()
	if t == nil || t.FirstChild() == nil {
		return label
	}
	var cells []byte
	for c := t.FirstChild().FirstChild(); c != nil; c = c.NextSibling() {
		if txt := c.Text(source); len(txt) > 0 { //nolint:staticcheck // plain text of a cell
			if len(cells) > 0 {
				cells = append(cells, ", "...)
			}
			cells = append(cells, txt...)
		}
	}
	if len(cells) == 0 {
		return label
	}
	return label + ": " + string(cells)
}

func renderTableWrap(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString("</div>\n")
		return ast.WalkContinue, nil
	}
	label := node.(*tableWrap).label
	if label == "" {
		label = "Table"
	}
	label = tableName(label, node, source)
	_, _ = w.WriteString(`<div class="table-wrap" role="region" tabindex="0" aria-label="`)
	_, _ = w.Write(util.EscapeHTML([]byte(label)))
	_, _ = w.WriteString("\">\n")
	return ast.WalkContinue, nil
}

type tableWrapExtension struct{}

func (tableWrapExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(tableWrapTransformer{}, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(tableWrapRenderer{}, 500)))
	// Ahead of goldmark's table renderer (500): for one node kind the lower number wins.
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(tableCellRenderer{}, 100)))
}
