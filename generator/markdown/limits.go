package markdown

import (
	"bytes"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// This file keeps hostile input from taking unbounded time.
//
// goldmark is linear on ordinary Markdown but has a few quadratic corners (measured on
// v1.8.7, 120 KB of each pattern):
//
//   - nested containers: every line walks every open list item and blockquote, and a line
//     that opens d containers costs about d² ("- - - - x", "> > > x", "[^a]: [^a]: x"),
//     and a deeply indented line costs depth × indentation;
//   - link destinations: every "](" scans to the end of its run ("[a](" × 30,000 on one
//     line takes 7 s), and every "]" looks up a shortcut reference by walking the
//     block's lines (quadratic in the lines of one paragraph);
//   - reference definitions: removing n definitions from a paragraph of m lines costs n·m.
//
// checkBlocks estimates the first and last of these from the raw lines before parsing,
// and the link guard (an inline parser that runs just before goldmark's link parser)
// meters the second while parsing. Both allow work linear in the size of the input
// with a generous constant, far above what real documents use, and turn anything
// beyond into an error with a line number.

const (
	// maxNesting limits container markers opening on one line (markdown-it uses 100 too).
	maxNesting = 100

	// Block work units (about 20 ns each when spent on nesting): ordinary documents
	// use a few per byte.
	blockBudgetBase    = 2_000_000
	blockBudgetPerByte = 8

	// Link work units: bytes goldmark scans for link destinations plus lines it walks
	// for reference lookups (about 4 ns each). Ordinary documents use well under one
	// per byte.
	linkBudgetBase    = 1_000_000
	linkBudgetPerByte = 16
)

// normalize returns src with line endings as "\n", NUL bytes and invalid UTF-8 replaced
// by U+FFFD and a leading byte order mark removed. Line numbers are unchanged. It
// returns src itself when there is nothing to change.
func normalize(src []byte) []byte {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if utf8.Valid(src) && bytes.IndexByte(src, 0) < 0 && bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	out := make([]byte, 0, len(src)+len(src)/8)
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == 0:
			out = append(out, "\uFFFD"...)
			i++
		case c == '\r':
			out = append(out, '\n')
			i++
			if i < len(src) && src[i] == '\n' {
				i++
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n == 1 {
				out = append(out, "\uFFFD"...)
			} else {
				out = append(out, src[i:i+n]...)
			}
			i += n
		}
	}
	return out
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int // offsets at which lines start

func newLineIndex(src []byte) lineIndex {
	starts := lineIndex{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func (l lineIndex) line(offset int) int {
	return sort.Search(len(l), func(i int) bool { return l[i] > offset })
}

// checkBlocks estimates the block-parsing work src needs and returns an error if a line
// nests containers more than maxNesting deep or the estimate exceeds the budget.
func checkBlocks(src []byte) error {
	budget := blockBudgetBase + blockBudgetPerByte*len(src)
	cost := 0
	var fence fenceState
	chunkLines, chunkRefs := 0, 0 // lines of the current run of non-blank lines, and how many have "]:"
	for lineNo := 1; len(src) > 0; lineNo++ {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		markers, width, item, rest := containerPrefix(line)
		inFence := fence.update(rest)
		if item {
			// A list item, footnote or definition starts a new paragraph.
			cost += chunkRefs * chunkLines
			chunkLines, chunkRefs = 0, 0
		}
		if markers > maxNesting && !inFence {
			return fmt.Errorf("line %d: nesting deeper than %d levels", lineNo, maxNesting)
		}
		d := markers + width/2
		cost += d * d
		if !isBlank(rest) {
			chunkLines++
			if !inFence && bytes.Contains(rest, []byte("]:")) {
				// Every reference definition has "]:" on some line.
				chunkRefs++
			}
		}
		if isBlank(rest) || len(src) == 0 {
			// End of a run of lines that may be one paragraph.
			cost += chunkRefs * chunkLines
			chunkLines, chunkRefs = 0, 0
		}
		if cost > budget {
			return fmt.Errorf("line %d: too complex to convert in reasonable time (lists or quotes nested too deeply, or too many reference definitions in one paragraph)", lineNo)
		}
	}
	return nil
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// containerPrefix counts the container markers that open a line — blockquote '>',
// list bullets and numbers, footnote definitions "[^x]:", definition descriptions
// ": " — and the columns of white space around them. It over-counts rather than
// under-counts (a thematic break "- - -" counts as three), which is harmless for
// an estimate. item reports a marker other than '>'. It returns the rest of the line.
func containerPrefix(line []byte) (markers, width int, item bool, rest []byte) {
	i := 0
	spaceAfter := func(j int) bool { return j >= len(line) || line[j] == ' ' || line[j] == '\t' }
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			width++
			i++
			continue
		case c == '\t':
			width += 4
			i++
			continue
		case c == '>':
			markers++
			i++
			continue
		case (c == '-' || c == '+' || c == '*' || c == ':') && spaceAfter(i+1):
			markers++
			item = true
			i++
			continue
		case '0' <= c && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && '0' <= line[j] && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && spaceAfter(j+1) {
				markers++
				item = true
				i = j + 1
				continue
			}
		case c == '[' && i+1 < len(line) && line[i+1] == '^':
			j := i + 2
			for j < len(line) && j-i < 1000 && line[j] != ']' && line[j] != '[' && line[j] != ' ' && line[j] != '\t' {
				j++
			}
			if j+1 < len(line) && line[j] == ']' && line[j+1] == ':' {
				markers++
				item = true
				i = j + 2
				continue
			}
		}
		break
	}
	return markers, width, item, line[i:]
}

// fenceState follows fenced code blocks well enough to not count shell prompts
// ("> > >") inside them as nesting.
type fenceState struct {
	char byte
	n    int
}

// update looks at a line (after its container prefix) and reports whether it is
// inside a fenced code block (fence lines themselves count as inside).
func (f *fenceState) update(rest []byte) bool {
	n := 0
	if len(rest) > 0 && (rest[0] == '`' || rest[0] == '~') {
		for n < len(rest) && rest[n] == rest[0] {
			n++
		}
	}
	if f.n == 0 {
		if n >= 3 {
			f.char, f.n = rest[0], n
			return true
		}
		return false
	}
	if n >= f.n && rest[0] == f.char && isBlank(rest[n:]) {
		f.n = 0
	}
	return true
}

// linkGuardState meters link parsing for one conversion.
type linkGuardState struct {
	budget, used int
	at           int // offset where the budget ran out, or -1

	block   ast.Node // the block being parsed
	openers []int    // offsets of its unclosed '['
}

// linkGuard is an inline parser for '[' and ']' that runs just before goldmark's link
// parser. On ']' it charges the work goldmark is about to do: walking the block's lines
// and copying the label (Value), walking the nodes since the opener (containsLink),
// and scanning a destination to the first space or the end of the line ('<'
// destinations to the '>'). While the budget lasts it declines (returns nil) and the
// link parser runs as usual. Once the budget is spent it consumes each ']' as literal
// text, so no more links are parsed and the rest of the document parses in linear
// time; Convert then reports an error.
type linkGuard struct {
	key parser.ContextKey
}

func (g *linkGuard) Trigger() []byte { return []byte{'[', ']'} }

func (g *linkGuard) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	st, _ := pc.Get(g.key).(*linkGuardState)
	if st == nil {
		return nil
	}
	if parent != st.block {
		st.block, st.openers = parent, st.openers[:0]
	}
	line, seg := block.PeekLine()
	if st.at < 0 {
		if line[0] == '[' {
			st.openers = append(st.openers, seg.Start)
			return nil
		}
		cost := parent.Lines().Len() + 1
		if n := len(st.openers); n > 0 {
			cost += seg.Start - st.openers[n-1]
			st.openers = st.openers[:n-1]
		}
		if len(line) > 1 && line[1] == '(' {
			cost += destScanLength(line[2:])
		}
		st.used += cost
		if st.used <= st.budget {
			return nil
		}
		st.at = seg.Start
	}
	// Over budget: the conversion will fail, so only finish quickly. Take the rest
	// of the line as text.
	n := len(line)
	if line[n-1] == '\n' && n > 1 {
		n--
	}
	block.Advance(n)
	return ast.NewTextSegment(text.NewSegment(seg.Start, seg.Start+n))
}

// destScanLength is how far goldmark's parseLinkDestination reads into b.
func destScanLength(b []byte) int {
	i := 0
	for i < len(b) && util.IsSpace(b[i]) {
		i++
	}
	if i < len(b) && b[i] == '<' {
		if j := bytes.IndexByte(b[i:], '>'); j >= 0 {
			return i + j
		}
		return len(b)
	}
	for ; i < len(b); i++ {
		if util.IsSpace(b[i]) {
			break
		}
	}
	return i
}

type linkGuardExtension struct {
	key parser.ContextKey
}

func (e *linkGuardExtension) Extend(m goldmark.Markdown) {
	// goldmark's link parser has priority 200; lower runs first.
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(&linkGuard{key: e.key}, 199)))
}
