package markdown

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// Hostile input must convert, or fail with a line number, in time linear in its size,
// without reaching Convert's recover. The default run uses 256 KB per case,
// where goldmark's quadratic corners would take minutes; go test -tags hostile runs
// the same cases at 10 MB.

type hostileCase struct {
	name string
	gen  func(size int) string
	want string // "ok": must convert; "error": must fail with this text in the error
	err  string
}

// repeat repeats p up to about size bytes.
func repeat(p string, size int) string { return strings.Repeat(p, max(1, size/len(p))) }

func staircase(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		b.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	return b.String()
}

const normalDoc = "## Heading\n\nSome *text* with a [link](a.md#x), `code` and www.example.pk.\n\n" +
	"- item\n- item [x](y.md)\n  continued\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n" +
	"```go\nfunc main() { fmt.Println(\"hi\") }\n```\n\n> [!NOTE]\n> A note.[^1]\n\n[^1]: Footnote.\n\n"

var hostileCases = []hostileCase{
	{"100k nested list items", func(int) string { return strings.Repeat("- ", 100_000) + "x\n" }, "error", "line 1: nesting deeper than 100 levels"},
	{"100k nested blockquotes", func(int) string { return strings.Repeat(">", 100_000) + "x\n" }, "error", "line 1: nesting deeper than 100 levels"},
	{"100k nested ordered items", func(int) string { return strings.Repeat("1. ", 100_000) + "x\n" }, "error", "line 1: nesting deeper than 100 levels"},
	{"100k nested quotes and lists", func(int) string { return strings.Repeat("> - ", 50_000) + "x\n" }, "error", "line 1: nesting deeper than 100 levels"},
	{"100k nested footnote definitions", func(int) string { return strings.Repeat("[^a]: ", 100_000) + "x\n" }, "error", "line 1: nesting deeper than 100 levels"},
	{"deep nesting on every line", func(n int) string { return repeat(strings.Repeat("- ", 99)+"x\n", n) }, "error", "too complex"},
	{"deep quotes on every line", func(n int) string { return repeat(strings.Repeat("> ", 99)+"x\n", n) }, "error", "too complex"},
	{"indentation staircase", staircase, "error", "too complex"},
	{"unclosed link destinations", func(n int) string { return repeat("[a](", n) }, "error", "line 1: too many links or brackets"},
	{"unclosed image destinations", func(n int) string { return repeat("![a](", n) }, "error", "line 1: too many links or brackets"},
	{"unclosed angle destinations", func(n int) string { return repeat("[a](< ", n) }, "error", "line 1: too many links or brackets"},
	{"links on many lines of one paragraph", func(n int) string { return repeat("[a](\n", n) }, "error", "line "},
	{"reference definitions in one paragraph", func(n int) string { return repeat("[a]: b\n", n) }, "error", "too complex"},
	{"invalid UTF-8 and NUL", func(n int) string { return repeat("\x00\xff\xfe a", n) }, "ok", ""},
	{"one long line", func(n int) string { return strings.Repeat("a", n) }, "ok", ""},
	{"many short lines", func(n int) string { return repeat("a\n", n) }, "ok", ""},
	{"long list of links", func(n int) string { return repeat("- [a](b.md)\n", n) }, "ok", ""},
	{"long line of links", func(n int) string { return repeat("[a](b.md) ", n) }, "ok", ""},
	{"many paragraphs of links", func(n int) string { return repeat("[a](b.md) [c](d.md#e)\n[f](g.md)\n\n", n) }, "ok", ""},
	{"nested brackets", func(n int) string { return repeat("[", n/2) + repeat("]", n/2) }, "error", "line 1: too many links or brackets"},
	{"nested brackets on many lines", func(n int) string { return repeat("[\n", n/2) + repeat("]\n", n/2) }, "error", "too many links or brackets"},
	{"brackets", func(n int) string { return repeat("]", n/2) + repeat("[", n/2) }, "ok", ""},
	{"emphasis delimiters", func(n int) string { return repeat("*_", n) }, "ok", ""},
	{"raw HTML starts", func(n int) string { return repeat("<a\n", n) }, "ok", ""},
	{"long table", func(n int) string { return "| a | b |\n|---|---|\n" + repeat("| [x](y.md) | 2 |\n", n) }, "ok", ""},
	{"wide table", func(n int) string {
		return "|" + repeat("a|", n/3) + "\n|" + repeat("-|", n/3) + "\n|" + repeat("x|", n/3) + "\n"
	}, "ok", ""},
	{"repeated headings", func(n int) string { return repeat("# a\n", n) }, "ok", ""},
	{"footnote references", func(n int) string { return repeat("[^a]", n) + "\n\n[^a]: x\n" }, "ok", ""},
	{"one huge code block", func(n int) string { return "```go\n" + repeat("x := 1\n", n) + "```\n" }, "ok", ""},
	{"many code blocks", func(n int) string { return repeat("```go\nfunc main() {}\n```\n", n) }, "ok", ""},
	{"many alerts", func(n int) string { return repeat("> [!NOTE]\n> x\n\n", n) }, "ok", ""},
	{"one paragraph of alert markers", func(n int) string { return repeat("> [!NOTE]\n", n) }, "error", "too many links or brackets"},
	{"ordinary document", func(n int) string { return repeat(normalDoc, n) }, "ok", ""},
}

func runHostile(t *testing.T, size int, limit time.Duration) {
	c := New(Options{})
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte(tc.gen(size))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			doc, err := c.Convert(src, Context{Resolve: testResolve})
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			t.Logf("%d bytes in %v, %d MB allocated", len(src), elapsed, (after.TotalAlloc-before.TotalAlloc)>>20)
			if elapsed > limit {
				t.Errorf("took %v, more than %v", elapsed, limit)
			}
			if err != nil && strings.HasPrefix(err.Error(), "markdown: internal error") {
				t.Fatalf("reached the panic handler: %v", err)
			}
			switch tc.want {
			case "ok":
				if err != nil {
					t.Fatalf("error: %v", err)
				}
				checkDocument(t, src, doc)
			case "error":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want one containing %q", err, tc.err)
				}
				if !strings.HasPrefix(err.Error(), "line ") {
					t.Errorf("error %q does not start with a line number", err)
				}
			}
		})
	}
}

func TestHostile(t *testing.T) {
	runHostile(t, 256<<10, 10*time.Second)
}
