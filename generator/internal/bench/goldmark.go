package main

import (
	"bytes"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// newGoldmark returns goldmark configured like Rahnuma's Markdown: GFM,
// footnotes, definition lists, typographer, automatic heading IDs and
// {#id .class} attributes. With highlight, fenced code blocks go through
// chroma with CSS classes.
func newGoldmark(highlight bool) goldmark.Markdown {
	opts := []goldmark.Option{
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
	}
	if highlight {
		opts = append(opts, goldmark.WithRendererOptions(renderer.WithNodeRenderers(
			util.Prioritized(&chromaBlocks{
				formatter: chromahtml.New(chromahtml.WithClasses(true)),
				style:     styles.Get("github"),
			}, 100))))
	}
	return goldmark.New(opts...)
}

// chromaBlocks renders fenced code blocks with chroma.
type chromaBlocks struct {
	formatter *chromahtml.Formatter
	style     *chroma.Style
}

func (c *chromaBlocks) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, c.render)
}

func (c *chromaBlocks) render(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	fc := n.(*ast.FencedCodeBlock)
	var code strings.Builder
	lines := fc.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(src))
	}
	lexer := lexers.Get(string(fc.Language(src)))
	if lexer == nil {
		lexer = lexers.Fallback
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String())
	if err != nil {
		return ast.WalkStop, err
	}
	return ast.WalkSkipChildren, c.formatter.Format(w, c.style, it)
}

// markdownBodies returns the Markdown of every file, front matter removed,
// in path order.
func markdownBodies(files map[string][]byte) [][]byte {
	names := make([]string, 0, len(files))
	for name := range files {
		if strings.HasSuffix(name, ".md") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := make([][]byte, len(names))
	for i, name := range names {
		out[i] = stripFrontMatter(files[name])
	}
	return out
}

// stripFrontMatter drops a leading block between "---" lines.
func stripFrontMatter(b []byte) []byte {
	rest, ok := bytes.CutPrefix(b, []byte("---\n"))
	if !ok {
		return b
	}
	if bytes.HasPrefix(rest, []byte("---\n")) {
		return rest[4:]
	}
	if _, body, ok := bytes.Cut(rest, []byte("\n---\n")); ok {
		return body
	}
	return b
}

// convertAll converts every body with goldmark on the given number of
// goroutines, each with its own converter, and returns the wall and CPU time
// (of the whole process, so garbage collection counts) and the total size of
// the HTML.
func convertAll(bodies [][]byte, workers int, highlight bool) (sample, int64, error) {
	if workers < 1 {
		workers = 1
	}
	var (
		next  atomic.Int64
		total atomic.Int64
		wg    sync.WaitGroup
		errs  = make([]error, workers)
	)
	mds := make([]goldmark.Markdown, workers)
	for w := range mds {
		mds[w] = newGoldmark(highlight)
	}
	cpu0, start := processCPU(), time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for {
				i := int(next.Add(1)) - 1
				if i >= len(bodies) {
					return
				}
				buf.Reset()
				if err := mds[w].Convert(bodies[i], &buf); err != nil {
					errs[w] = fmt.Errorf("page %d: %v", i, err)
					return
				}
				total.Add(int64(buf.Len()))
			}
		}()
	}
	wg.Wait()
	s := sample{wall: time.Since(start)}
	if cpu := processCPU(); cpu > 0 {
		s.cpu = cpu - cpu0
	}
	for _, err := range errs {
		if err != nil {
			return sample{}, 0, err
		}
	}
	return s, total.Load(), nil
}

// goldmarkResults times convertAll runs+1 times (the first is a warm-up) for
// one goroutine and for GOMAXPROCS goroutines, without and with chroma.
func goldmarkResults(bodies [][]byte, runs int) ([]result, error) {
	procs := runtime.GOMAXPROCS(0)
	type variant struct {
		name      string
		workers   int
		highlight bool
	}
	variants := []variant{
		{"goldmark alone, 1 thread", 1, false},
		{fmt.Sprintf("goldmark alone, %d threads", procs), procs, false},
		{fmt.Sprintf("goldmark+chroma, %d threads", procs), procs, true},
	}
	var out []result
	for _, v := range variants {
		r := result{name: v.name}
		for k := 0; k <= runs; k++ {
			runtime.GC()
			s, _, err := convertAll(bodies, v.workers, v.highlight)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", v.name, err)
			}
			if k > 0 {
				r.samples = append(r.samples, s)
			}
		}
		out = append(out, r)
	}
	return out, nil
}
