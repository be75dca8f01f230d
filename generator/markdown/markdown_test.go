package markdown

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2/lexers"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.html")

// testResolve maps relative .md links to pretty URLs, as the generator does:
// "../tax/sales-tax.md#rates" → "/tax/sales-tax/#rates".
func testResolve(dest string) (string, bool) {
	path, frag, _ := strings.Cut(dest, "#")
	if !strings.HasSuffix(path, ".md") || strings.Contains(path, ":") {
		return "", false
	}
	path = strings.TrimSuffix(path, ".md")
	path = strings.TrimPrefix(strings.TrimPrefix(path, "../"), "./")
	url := "/" + path + "/"
	if frag != "" {
		url += "#" + frag
	}
	return url, true
}

var urduLabels = map[string]string{
	"note": "نوٹ", "tip": "مشورہ", "important": "اہم", "warning": "انتباہ",
	"caution": "احتیاط", "myth": "غلط فہمی", "fact": "حقیقت", "table": "جدول",
}

func urduLabel(kind string) string { return urduLabels[kind] }

// testContext is the Context the golden files are made with.
func testContext(name string) Context {
	ctx := Context{Resolve: testResolve}
	if strings.HasPrefix(filepath.Base(name), "ur-") {
		ctx.Label = urduLabel
	}
	return ctx
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	c := New(Options{})
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := c.Convert(src, testContext(file))
			if err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(file, ".md") + ".golden.html"
			if *update {
				if err := os.WriteFile(golden, []byte(doc.HTML), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if doc.HTML != string(want) {
				t.Errorf("HTML differs from %s (go test -update rewrites it):\n%s", golden, diffLines(string(want), doc.HTML))
			}
		})
	}
}

// diffLines shows the first lines where want and got differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

func convert(t *testing.T, opts Options, ctx Context, src string) *Document {
	t.Helper()
	doc, err := New(opts).Convert([]byte(src), ctx)
	if err != nil {
		t.Fatalf("Convert(%q): %v", src, err)
	}
	return doc
}

func TestFeatures(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		src     string
		want    []string // substrings of the HTML
		notWant []string
	}{
		{name: "table wrapped for scrolling",
			src:     "| a | b |\n|---|--:|\n| 1 | 2 |\n",
			want:    []string{"<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table: a, b\">\n<table>", "</table>\n</div>\n", `<td align="right">2</td>`},
			notWant: []string{"style="}},
		{name: "strikethrough", src: "~~old~~ new", want: []string{"<del>old</del> new"}},
		{name: "linkify www", src: "see www.fbr.gov.pk now", want: []string{`<a href="http://www.fbr.gov.pk">www.fbr.gov.pk</a>`}},
		{name: "linkify url", src: "see https://fbr.gov.pk/a?b=c now", want: []string{`<a href="https://fbr.gov.pk/a?b=c">https://fbr.gov.pk/a?b=c</a>`}},
		{name: "linkify email", src: "write to help@example.pk", want: []string{`<a href="mailto:help@example.pk">help@example.pk</a>`}},
		{name: "task list", src: "- [x] done\n- [ ] todo\n", want: []string{`<input checked="" disabled="" type="checkbox"> done`, `<input disabled="" type="checkbox"> todo`}},
		{name: "footnote", src: "Claim.[^1]\n\n[^1]: Source.\n", want: []string{`<sup id="fnref:1"><a href="#fn:1"`, `<li id="fn:1">`, "Source."}},
		{name: "definition list", src: "Term\n: Meaning\n", want: []string{"<dl>\n<dt>Term</dt>\n<dd>Meaning</dd>\n</dl>"}},
		{name: "typographer", src: `It's "quoted" -- ok...`, want: []string{"It&rsquo;s &ldquo;quoted&rdquo; &ndash; ok&hellip;"}},
		{name: "heading attributes", src: "## Rates {#rates .big}\n", want: []string{`<h2 id="rates" class="big">Rates</h2>`}},
		{name: "alert note", src: "> [!NOTE]\n> Read this.\n",
			want:    []string{"<div class=\"callout callout-note\" role=\"note\"><p class=\"callout-title\">Note</p>\n<p>Read this.</p>\n</div>\n"},
			notWant: []string{"blockquote", "[!NOTE]"}},
		{name: "alert tip", src: "> [!TIP]\n> x\n", want: []string{`callout-tip`, `>Tip</p>`}},
		{name: "alert important", src: "> [!IMPORTANT]\n> x\n", want: []string{`callout-important`, `>Important</p>`}},
		{name: "alert warning", src: "> [!WARNING]\n> x\n", want: []string{`callout-warning`, `>Warning</p>`}},
		{name: "alert caution", src: "> [!CAUTION]\n> x\n", want: []string{`callout-caution`, `>Caution</p>`}},
		{name: "alert myth lower case", src: "> [!myth]\n> x\n", want: []string{`callout-myth`, `>Myth</p>`}},
		{name: "alert fact mixed case", src: "> [!Fact]\n> x\n", want: []string{`callout-fact`, `>Fact</p>`}},
		{name: "alert marker only", src: "> [!NOTE]\n", want: []string{"<div class=\"callout callout-note\" role=\"note\"><p class=\"callout-title\">Note</p>\n</div>"}},
		{name: "alert body after blank line", src: "> [!WARNING]\n>\n> - a\n", want: []string{"<p class=\"callout-title\">Warning</p>\n<ul>\n<li>a</li>"}},
		{name: "alert with trailing spaces", src: "> [!NOTE]  \n> body\n", want: []string{"<p class=\"callout-title\">Note</p>\n<p>body</p>"}, notWant: []string{"<br>"}},
		{name: "unknown alert stays quote", src: "> [!DANGER]\n> x\n", want: []string{"<blockquote>", "[!DANGER]"}, notWant: []string{"callout"}},
		{name: "alert marker with text stays quote", src: "> [!NOTE] hi\n", want: []string{"<blockquote>"}, notWant: []string{"callout"}},
		{name: "nested alert", src: "> [!NOTE]\n> > [!TIP]\n> > inner\n", want: []string{"callout-note", "callout-tip", "inner"}, notWant: []string{"blockquote"}},
		{name: "table in alert", src: "> [!TIP]\n> | a |\n> |---|\n> | 1 |\n",
			want: []string{"<p class=\"callout-title\">Tip</p>\n<div class=\"table-wrap\""}, notWant: []string{"[!TIP]"}},
		{name: "code highlighted with classes", src: "```go\nfunc main() {}\n```\n",
			want:    []string{`<pre class="chroma"><code class="language-go"><span class="kd">func</span>`, "</code></pre>\n"},
			notWant: []string{"style="}},
		{name: "code language case folded", src: "```Go\nvar x int\n```\n", want: []string{`<code class="language-go"><span class="kd">var</span>`}},
		{name: "code unknown language", src: "```nosuchlang\n<b>&\n```\n", want: []string{"<pre class=\"chroma\"><code class=\"language-nosuchlang\">&lt;b&gt;&amp;\n</code></pre>"}},
		{name: "code no language", src: "```\n<b>\n```\n", want: []string{"<pre class=\"chroma\"><code>&lt;b&gt;\n</code></pre>"}},
		{name: "indented code", src: "    <i>x</i>\n", want: []string{"<pre class=\"chroma\"><code>&lt;i&gt;x&lt;/i&gt;\n</code></pre>"}},
		{name: "hostile info string", src: "```\"><script>alert(1)</script>\nx\n```\n",
			want:    []string{"<pre class=\"chroma\"><code>x\n</code></pre>"},
			notWant: []string{"<script", "alert(1)"}},
		{name: "hostile info string with quote only", src: "```go\" onmouseover=\"alert(1)\nx\n```\n",
			want: []string{"<pre class=\"chroma\"><code>x\n</code></pre>"}, notWant: []string{"onmouseover"}},
		{name: "raw HTML omitted by default", src: "<div>hi</div>\n\nInline <b>x</b> <script>alert(1)</script>\n",
			want: []string{"<!-- raw HTML omitted -->"}, notWant: []string{"<div>", "<b>", "<script>"}},
		{name: "raw HTML kept when unsafe", opts: Options{Unsafe: true}, src: "<div>hi</div>\n\nInline <b>x</b>\n",
			want: []string{"<div>hi</div>", "<b>x</b>"}},
		{name: "hostile explicit id escaped", src: "# T {#x\"><script>}\n", notWant: []string{"<script"}},
		{name: "heading event attribute dropped", src: "# T {onclick=\"alert(1)\" style=\"x\" lang=ur dir=rtl}\n",
			want: []string{`lang="ur"`, `dir="rtl"`}, notWant: []string{"onclick", "style"}},
		{name: "javascript link dropped", src: "[x](javascript:alert(1))", want: []string{"<p>x</p>"}, notWant: []string{"href", "javascript"}},
		{name: "javascript link upper case dropped", src: "[x](JaVaScRiPt:alert(1))", want: []string{"<p>x</p>"}, notWant: []string{"href"}},
		{name: "javascript with tab entity dropped", src: "[x](java&#9;script:alert(1))", want: []string{"<p>x</p>"}, notWant: []string{"href"}},
		{name: "javascript with escapes dropped", src: `[x](javascript\:alert(1)) [y](&#106;avascript:alert(1))`, want: []string{"<p>x y</p>"}, notWant: []string{"href"}},
		{name: "javascript with leading space dropped", src: "[x](< javascript:alert(1)>)", want: []string{"<p>x</p>"}, notWant: []string{"href"}},
		{name: "javascript autolink dropped", src: "<javascript:alert(1)>", want: []string{"<p>javascript:alert(1)</p>"}, notWant: []string{"href"}},
		{name: "vbscript dropped", src: "[x](vbscript:msgbox)", notWant: []string{"href"}},
		{name: "data image dropped", src: "![pic](data:image/svg+xml;base64,PHN2Zz4=)", want: []string{"<p>pic</p>"}, notWant: []string{"<img", "data:"}},
		{name: "file link dropped", src: "[x](file:///etc/passwd)", notWant: []string{"href"}},
		{name: "ftp link dropped", src: "[x](ftp://example.pk/f)", notWant: []string{"href"}},
		{name: "javascript link dropped even when unsafe", opts: Options{Unsafe: true}, src: "[x](javascript:alert(1))", notWant: []string{"href"}},
		{name: "safe schemes kept", src: "[m](mailto:a@b.pk) [t](tel:+92) [h](HTTPS://x.pk) [r](a/b:c) [q](?q=1) [f](#top)",
			want: []string{`href="mailto:a@b.pk"`, `href="tel:+92"`, `href="HTTPS://x.pk"`, `href="a/b:c"`, `href="?q=1"`, `href="#top"`}},
		{name: "image kept", src: `![A "photo"](photo.png)`, want: []string{`<img src="photo.png" alt="A &ldquo;photo&rdquo;">`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := convert(t, tt.opts, Context{}, tt.src)
			for _, w := range tt.want {
				if !strings.Contains(doc.HTML, w) {
					t.Errorf("HTML lacks %q:\n%s", w, doc.HTML)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(doc.HTML, w) {
					t.Errorf("HTML has %q:\n%s", w, doc.HTML)
				}
			}
		})
	}
}

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Heading
	}{
		{"plain", "# Hello World\n", []Heading{{1, "hello-world", "Hello World", 1}}},
		{"punctuation dropped", "## What's new? (2024 edition)\n", []Heading{{2, "whats-new-2024-edition", "What’s new? (2024 edition)", 1}}},
		{"markup ignored", "## *Sales* `tax` [rates](x.md)\n", []Heading{{2, "sales-tax-rates", "Sales tax rates", 1}}},
		{"urdu keeps letters", "## ٹیکس کی شرح\n", []Heading{{2, "ٹیکس-کی-شرح", "ٹیکس کی شرح", 1}}},
		{"urdu punctuation dropped", "## کیا ٹیکس لازمی ہے؟\n", []Heading{{2, "کیا-ٹیکس-لازمی-ہے", "کیا ٹیکس لازمی ہے؟", 1}}},
		{"urdu digits and marks kept", "## شرح ۱۸ فیصدً\n", []Heading{{2, "شرح-۱۸-فیصدً", "شرح ۱۸ فیصدً", 1}}},
		{"duplicates numbered", "# A\n# A\n# A\n", []Heading{{1, "a", "A", 1}, {1, "a-1", "A", 2}, {1, "a-2", "A", 3}}},
		{"duplicate skips taken suffix", "# A-1\n# A\n# A\n", []Heading{{1, "a-1", "A-1", 1}, {1, "a", "A", 2}, {1, "a-2", "A", 3}}},
		{"explicit id honoured", "## Rates {#rates}\n", []Heading{{2, "rates", "Rates", 1}}},
		{"explicit id reserved before generated", "# Rates\n# Other {#rates}\n", []Heading{{1, "rates-1", "Rates", 1}, {1, "rates", "Other", 2}}},
		{"empty heading", "#\n", []Heading{{1, "heading", "", 1}}},
		{"symbols only", "# !!!\n", []Heading{{1, "heading", "!!!", 1}}},
		{"setext", "Title\n=====\n\nSub\n---\n", []Heading{{1, "title", "Title", 1}, {2, "sub", "Sub", 4}}},
		{"entities resolved", "# Tom &amp; Jerry\n", []Heading{{1, "tom--jerry", "Tom & Jerry", 1}}},
		{"in list and quote", "- # In list\n\n> ## In quote\n", []Heading{{1, "in-list", "In list", 1}, {2, "in-quote", "In quote", 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := convert(t, Options{}, Context{}, tt.src)
			if len(doc.Headings) != len(tt.want) {
				t.Fatalf("got %d headings %+v, want %+v", len(doc.Headings), doc.Headings, tt.want)
			}
			for i, h := range doc.Headings {
				if h != tt.want[i] {
					t.Errorf("heading %d = %+v, want %+v", i, h, tt.want[i])
				}
				if !strings.Contains(doc.HTML, ` id="`+h.ID+`"`) {
					t.Errorf("HTML lacks id %q:\n%s", h.ID, doc.HTML)
				}
			}
		})
	}
}

func TestDuplicateExplicitIDReported(t *testing.T) {
	doc := convert(t, Options{}, Context{}, "# A {#x}\n\n# B {#x}\n")
	if len(doc.Problems) != 1 || doc.Problems[0].Line != 3 || !strings.Contains(doc.Problems[0].Msg, `duplicate heading id "x"`) {
		t.Errorf("problems = %v, want one duplicate id on line 3", doc.Problems)
	}
}

func TestLinkLines(t *testing.T) {
	src := strings.Join([]string{
		"# Title",                          // 1
		"",                                 // 2
		"Para [one](a.md) and",             // 3
		"[two](b.md#x).",                   // 4
		"",                                 // 5
		"- item [three](c.md)",             // 6
		"- item",                           // 7
		"  continued [four](d.md)",         // 8
		"",                                 // 9
		"| h | h |",                        // 10
		"|---|---|",                        // 11
		"| [five](e.md) | x |",             // 12
		"| y | ![six](f.png) |",            // 13
		"",                                 // 14
		"> quoted [seven](g.md)",           // 15
		"> more [eight](h.md)",             // 16
		"",                                 // 17
		"> [!NOTE]",                        // 18
		"> [nine](i.md)",                   // 19
		"",                                 // 20
		"[link text that",                  // 21
		"spans lines](j.md)",               // 22
		"",                                 // 23
		"[ten][r] <https://k.pk> www.l.pk", // 24
		"",                                 // 25
		"[r]: ref.md",                      // 26
		"",                                 // 27
		"[same](same.md) [same](same.md)",  // 28
		"",                                 // 29
		"[![alt](img.png)](outer.md)",      // 30
		"",                                 // 31
		"Footnote.[^1]",                    // 32
		"",                                 // 33
		"[^1]: See [m](m.md).",             // 34
		"",                                 // 35
		"[a.md](",                          // 36
		"  a.md)",                          // 37
	}, "\n")
	want := []Link{
		{Dest: "a.md", Line: 3, Text: "one"},
		{Dest: "b.md#x", Line: 4, Text: "two"},
		{Dest: "c.md", Line: 6, Text: "three"},
		{Dest: "d.md", Line: 8, Text: "four"},
		{Dest: "e.md", Line: 12, Text: "five"},
		{Dest: "f.png", Line: 13, Image: true, Alt: "six"},
		{Dest: "g.md", Line: 15, Text: "seven"},
		{Dest: "h.md", Line: 16, Text: "eight"},
		{Dest: "i.md", Line: 19, Text: "nine"},
		{Dest: "j.md", Line: 22, Text: "link text that spans lines"},
		{Dest: "ref.md", Line: 24, Text: "ten"},
		{Dest: "https://k.pk", Line: 24, Text: "https://k.pk"},
		{Dest: "http://www.l.pk", Line: 24, Text: "www.l.pk"},
		{Dest: "same.md", Line: 28, Text: "same"},
		{Dest: "same.md", Line: 28, Text: "same"},
		{Dest: "outer.md", Line: 30, Text: "alt"},
		{Dest: "img.png", Line: 30, Image: true, Alt: "alt"},
		{Dest: "a.md", Line: 37, Text: "a.md"},
		{Dest: "m.md", Line: 34, Text: "m"},
	}
	doc := convert(t, Options{}, Context{}, src)
	if len(doc.Links) != len(want) {
		t.Fatalf("got %d links:\n%+v\nwant %d:\n%+v", len(doc.Links), doc.Links, len(want), want)
	}
	for i := range want {
		if doc.Links[i] != want[i] {
			t.Errorf("link %d = %+v, want %+v", i, doc.Links[i], want[i])
		}
	}
}

func TestLinkLinesCRLF(t *testing.T) {
	doc := convert(t, Options{}, Context{}, "a\r\n\r\n[x](y.md)\rz [w](v.md)\n")
	want := []Link{{Dest: "y.md", Line: 3, Text: "x"}, {Dest: "v.md", Line: 4, Text: "w"}}
	if len(doc.Links) != 2 || doc.Links[0] != want[0] || doc.Links[1] != want[1] {
		t.Errorf("links = %+v, want %+v", doc.Links, want)
	}
}

func TestResolve(t *testing.T) {
	var asked []string
	ctx := Context{Resolve: func(dest string) (string, bool) {
		asked = append(asked, dest)
		switch dest {
		case "../tax/sales-tax.md#rates":
			return "/tax/sales-tax/#rates", true
		case "photo.png":
			return "/guide/photo.png", true
		case "https://old.pk":
			return "https://new.pk", true
		case "evil.md":
			return "javascript:alert(1)", true
		}
		return "", false
	}}
	doc := convert(t, Options{}, ctx, "[a](../tax/sales-tax.md#rates) ![p](photo.png) [b](other.md) <https://old.pk> [e](evil.md) [f](#top)")
	for _, want := range []string{
		`<a href="/tax/sales-tax/#rates">a</a>`,
		`<img src="/guide/photo.png" alt="p">`,
		`<a href="other.md">b</a>`,
		`<a href="https://new.pk">https://old.pk</a>`,
		` e `,
		`<a href="#top">f</a>`,
	} {
		if !strings.Contains(doc.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, doc.HTML)
		}
	}
	if strings.Contains(doc.HTML, "javascript") {
		t.Errorf("unsafe resolved URL emitted:\n%s", doc.HTML)
	}
	wantAsked := []string{"../tax/sales-tax.md#rates", "photo.png", "other.md", "https://old.pk", "evil.md", "#top"}
	if strings.Join(asked, " ") != strings.Join(wantAsked, " ") {
		t.Errorf("Resolve asked %q, want %q", asked, wantAsked)
	}
	// Document.Links keeps destinations as written.
	var dests []string
	for _, l := range doc.Links {
		dests = append(dests, l.Dest)
	}
	if strings.Join(dests, " ") != strings.Join(wantAsked, " ") {
		t.Errorf("Links = %q, want %q", dests, wantAsked)
	}
}

func TestLabels(t *testing.T) {
	src := "> [!NOTE]\n> x\n\n> [!MYTH]\n> y\n\n> [!TIP]\n> z\n\n| a |\n|---|\n| 1 |\n"
	doc := convert(t, Options{}, Context{Label: func(kind string) string {
		if kind == "tip" {
			return "" // falls back to English
		}
		return urduLabel(kind)
	}}, src)
	for _, want := range []string{`<p class="callout-title">نوٹ</p>`, `<p class="callout-title">غلط فہمی</p>`, `<p class="callout-title">Tip</p>`, `aria-label="جدول: a"`} {
		if !strings.Contains(doc.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, doc.HTML)
		}
	}
	doc = convert(t, Options{}, Context{Label: func(string) string { return `"><x` }}, src)
	if strings.Contains(doc.HTML, `"><x`) {
		t.Errorf("label not escaped:\n%s", doc.HTML)
	}
}

func TestPlainText(t *testing.T) {
	src := `Intro with *emphasis* and a [link](x.md) &amp; an entity.
Second line.

# First {#first}

Body \*escaped\* text.

> [!NOTE]
> Note body.

` + "```go\nfmt.Println(\"code\")\n```\n" + `
| a | b |
|---|---|
| 1 | 2 |

<div>raw html</div>

## یہ ایک عنوان ہے

یہ ایک جملہ ہے۔ — دوسرا
`
	doc := convert(t, Options{}, Context{}, src)
	want := []Section{
		{ID: "", Heading: "", Text: "Intro with emphasis and a link & an entity. Second line."},
		{ID: "first", Heading: "First", Text: "Body *escaped* text.\nNote body.\nfmt.Println(\"code\")\n\na b\n1 2"},
		{ID: "یہ-ایک-عنوان-ہے", Heading: "یہ ایک عنوان ہے", Text: "یہ ایک جملہ ہے۔ — دوسرا"},
	}
	if len(doc.Sections) != len(want) {
		t.Fatalf("sections = %#v, want %#v", doc.Sections, want)
	}
	for i := range want {
		if doc.Sections[i] != want[i] {
			t.Errorf("section %d = %#v, want %#v", i, doc.Sections[i], want[i])
		}
	}
	if want := "Intro with emphasis and a link & an entity. Second line."; doc.Summary != want {
		t.Errorf("Summary = %q, want %q", doc.Summary, want)
	}
	// Intro: 10 ("&" is not a word); "First": 1; body 3 + note 2 + code 1
	// (fmt.Println("code")) + table 4; Urdu heading 4; Urdu text 5 ("—" is not a word).
	if doc.Words != 30 {
		t.Errorf("Words = %d, want 30", doc.Words)
	}
}

func TestSummarySkipsHeadingsAndQuotes(t *testing.T) {
	tests := []struct{ src, want string }{
		{"# T\n\n> quoted\n\nFirst  real\nparagraph.\n\nSecond.", "First real paragraph."},
		{"- only\n- a list\n\n> [!NOTE]\n> in a note\n", "in a note"},
		{"# Only a heading\n", ""},
	}
	for _, tt := range tests {
		if got := convert(t, Options{}, Context{}, tt.src).Summary; got != tt.want {
			t.Errorf("Summary(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestCountWords(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"one two  three\nfour", 4},
		{"don't e-commerce — 18%", 3},
		{"یہ ایک جملہ ہے۔", 4},
		{"ٹیکس کی شرح ۱۸ فیصد ہے", 6},
		{"کوئی\u200cبات", 1}, // ZWNJ joins
		{"... !!! ۔", 0},
		{"a\u00a0b\u0085c\td\ve\ff\rg", 7}, // Unicode spaces beside ASCII ones
		{"bad\xffutf8 \xe2\x80 x", 2},
		{"x1 1x _ __a", 3},
	}
	for _, tt := range tests {
		if got := countWords(tt.s); got != tt.want {
			t.Errorf("countWords(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestProblems(t *testing.T) {
	doc := convert(t, Options{}, Context{}, "ok\n\n[x](javascript:alert(1))\n\n<b>raw</b> <i>more</i>\n")
	want := []Problem{
		{3, `link to "javascript:alert(1)" removed: only http, https, mailto, tel and relative URLs are allowed`},
		{5, "raw HTML omitted (it is only kept when unsafe HTML is allowed)"},
	}
	if len(doc.Problems) != len(want) {
		t.Fatalf("problems = %v, want %v", doc.Problems, want)
	}
	for i := range want {
		if doc.Problems[i] != want[i] {
			t.Errorf("problem %d = %v, want %v", i, doc.Problems[i], want[i])
		}
	}
	if doc := convert(t, Options{Unsafe: true}, Context{}, "<b>raw</b>\n"); len(doc.Problems) != 0 {
		t.Errorf("unsafe: problems = %v, want none", doc.Problems)
	}
}

func TestHighlightCache(t *testing.T) {
	src := []byte("```go\nfunc a() {}\n```\n\n```python\nprint(1)\n```\n\n```go\nfunc a() {}\n```\n\n```nosuchlang\nx\n```\n")
	c := New(Options{})
	first, err := c.Convert(src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	hits, misses := c.HighlightStats()
	// Two distinct highlightable blocks; the third repeats the first; unknown languages are not cached.
	if hits != 1 || misses != 2 {
		t.Errorf("after first conversion: hits, misses = %d, %d; want 1, 2", hits, misses)
	}
	second, err := c.Convert(src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	hits, misses = c.HighlightStats()
	if hits != 4 || misses != 2 {
		t.Errorf("after second conversion: hits, misses = %d, %d; want 4, 2", hits, misses)
	}
	if first.HTML != second.HTML {
		t.Errorf("cached output differs:\n%s\n---\n%s", first.HTML, second.HTML)
	}
	// Same code in another language is a different entry.
	if _, err := c.Convert([]byte("```c\nfunc a() {}\n```\n"), Context{}); err != nil {
		t.Fatal(err)
	}
	if _, misses = c.HighlightStats(); misses != 3 {
		t.Errorf("misses = %d after a new language, want 3", misses)
	}
}

func TestHighlightCacheGenerations(t *testing.T) {
	h := newHighlighter()
	lexer := lexers.Get("go")
	code := func(i int) string { return "var x" + strconv.Itoa(i) + " int\n" }
	for i := 0; i < cacheGeneration+10; i++ {
		if _, ok := h.highlight("go", lexer, code(i)); !ok {
			t.Fatal("highlight failed")
		}
	}
	if len(h.cur) != 10 || len(h.old) != cacheGeneration {
		t.Errorf("generations hold %d and %d entries, want 10 and %d", len(h.cur), len(h.old), cacheGeneration)
	}
	// Entry 0 is in the old generation: a hit, carried into the current one.
	if _, ok := h.highlight("go", lexer, code(0)); !ok {
		t.Fatal("highlight failed")
	}
	if hits := h.hits.Load(); hits != 1 {
		t.Errorf("hits = %d, want 1", hits)
	}
	if len(h.cur) != 11 {
		t.Errorf("current generation holds %d entries, want 11", len(h.cur))
	}
}

func TestConcurrentConvert(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.md")
	var srcs [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, b)
	}
	c := New(Options{})
	want := make([]string, len(srcs))
	for i, src := range srcs {
		doc, err := New(Options{}).Convert(src, testContext(files[i]))
		if err != nil {
			t.Fatal(err)
		}
		want[i] = doc.HTML
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, src := range srcs {
				doc, err := c.Convert(src, testContext(files[i]))
				if err != nil {
					t.Error(err)
					return
				}
				if doc.HTML != want[i] {
					t.Errorf("%s: concurrent output differs", files[i])
				}
			}
		}()
	}
	wg.Wait()
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain\n", "plain\n"},
		{"\uFEFFbom", "bom"},
		{"a\r\nb\rc", "a\nb\nc"},
		{"nul\x00", "nul\uFFFD"},
		{"bad\xff\xfe", "bad\uFFFD\uFFFD"},
		{"ok ٹ", "ok ٹ"},
	}
	for _, tt := range tests {
		if got := string(normalize([]byte(tt.in))); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckBlocks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		err  string // "" for none
	}{
		{"ordinary nesting", "- a\n  - b\n    - c\n      > d\n      > > e\n", ""},
		{"100 levels on a line", strings.Repeat("- ", 100) + "x\n", ""},
		{"101 levels on a line", strings.Repeat("- ", 101) + "x\n", "line 1: nesting deeper than 100 levels"},
		{"depth on a later line", "a\n\n" + strings.Repeat(">", 150) + "\n", "line 3: nesting deeper than 100 levels"},
		{"prompts in a fence", "```\n" + strings.Repeat("> ", 150) + "\n```\n", ""},
		{"prompts in a fence in a list", "- x\n\n  ~~~~\n  " + strings.Repeat("> ", 150) + "\n  ~~~~\n", ""},
		{"after the fence closes", "```\nx\n```\n" + strings.Repeat("> ", 150) + "\n", "line 4: nesting deeper"},
		{"a thousand reference definitions", strings.Repeat("[a]: b\n", 1000), ""},
		{"many reference definitions", strings.Repeat("[a]: b\n", 20000), "reference definitions"},
		{"many list items starting with links", strings.Repeat("- [a]: b\n", 20000), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkBlocks([]byte(tt.src))
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("error: %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("error = %v, want one containing %q", err, tt.err)
			}
		})
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"", true}, {"page.md", true}, {"../a/b.md#c", true}, {"#top", true}, {"?q=1", true},
		{"/abs/path", true}, {"//cdn.example.pk/x.png", true}, {"a/b:c", true}, {"1http:x", true},
		{"http://x.pk", true}, {"HTTPS://x.pk", true}, {"mailto:a@b.pk", true}, {"tel:+92", true},
		{"javascript:alert(1)", false}, {"JAVASCRIPT:alert(1)", false}, {" javascript:x", false},
		{"\x01javascript:x", false}, {"java\tscript:x", false}, {"java\nscript:x", false},
		{"vbscript:x", false}, {"data:text/html,x", false}, {"file:///etc/passwd", false},
		{"ftp://x.pk", false}, {"ht\ttp://x.pk", true},
	}
	for _, tt := range tests {
		if got := safeURL(tt.url); got != tt.want {
			t.Errorf("safeURL(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestCSS(t *testing.T) {
	css, err := CSS("github")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".chroma {", ".chroma .kd {", ".chroma .s {"} {
		if !strings.Contains(css, want) {
			t.Errorf("CSS lacks %q:\n%s", want, css)
		}
	}
	dark, err := CSS("Monokai")
	if err != nil {
		t.Fatal(err)
	}
	if dark == css {
		t.Error("monokai and github CSS are the same")
	}
	if _, err := CSS("no-such-style"); err == nil {
		t.Error("CSS(no-such-style): no error")
	}
}

// checkDocument checks what must hold for any input.
func checkDocument(t *testing.T, src []byte, doc *Document) {
	t.Helper()
	if !utf8.ValidString(doc.HTML) {
		t.Errorf("HTML is not valid UTF-8")
	}
	if strings.IndexByte(doc.HTML, 0) >= 0 {
		t.Errorf("HTML contains NUL")
	}
	if strings.Contains(strings.ToLower(doc.HTML), "<script") {
		t.Errorf("HTML contains <script")
	}
	for _, attr := range []string{` href="`, ` src="`} {
		for rest := doc.HTML; ; {
			i := strings.Index(rest, attr)
			if i < 0 {
				break
			}
			rest = rest[i+len(attr):]
			value, _, _ := strings.Cut(rest, `"`)
			u := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' {
					return -1
				}
				return r
			}, htmlUnescape(value)))
			for _, bad := range []string{"javascript:", "vbscript:", "data:", "file:"} {
				if strings.HasPrefix(u, bad) {
					t.Errorf("unsafe URL emitted:%s%s\"", attr, value)
				}
			}
		}
	}
	ids := map[string]bool{}
	for _, h := range doc.Headings {
		if ids[h.ID] {
			t.Errorf("duplicate heading id %q", h.ID)
		}
		ids[h.ID] = true
	}
	lines := strings.Count(string(normalize(src)), "\n") + 1
	for _, l := range doc.Links {
		if l.Line < 1 || l.Line > lines {
			t.Errorf("link %+v: line outside 1..%d", l, lines)
		}
	}
	for _, h := range doc.Headings {
		if h.Line < 1 || h.Line > lines {
			t.Errorf("heading %+v: line outside 1..%d", h, lines)
		}
	}
}

func htmlUnescape(s string) string {
	r := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&#x9;", "\t", "&#9;", "\t")
	return r.Replace(s)
}

func FuzzConvert(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.md")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"- - - - - - x",
		"> > > > [!NOTE]\n> > > > x",
		"[a](<b",
		"[a](b \"t",
		"```\"><script>\n",
		"# a {#b}\n# b\n# b",
		"\x00\xff\r\n[x](y)\r",
		"[^1]: [^1]: x\n[^1]",
		"|a|\n|-|\n|[x](java&#9;script:1)|",
		"<javascript:alert(1)>",
	} {
		f.Add([]byte(s))
	}
	c := New(Options{})
	f.Fuzz(func(t *testing.T, src []byte) {
		start := time.Now()
		doc, err := c.Convert(src, Context{Resolve: testResolve})
		// Fuzz inputs are small; anything slow is a super-linear path.
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("%d bytes took %v", len(src), d)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		checkDocument(t, src, doc)
	})
}

// TestReleaseHighlights: after ReleaseHighlights nothing is served from memory, output is the
// same, and a cache saved afterwards holds nothing from before.
func TestReleaseHighlights(t *testing.T) {
	src := []byte("```go\nfunc a() {}\n```\n")
	c := New(Options{})
	c.TrackHighlights()
	first, err := c.Convert(src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	c.ReleaseHighlights()
	second, err := c.Convert(src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	if hits, misses := c.HighlightStats(); hits != 0 || misses != 2 {
		t.Errorf("hits, misses = %d, %d after release; want 0, 2", hits, misses)
	}
	if first.HTML != second.HTML {
		t.Errorf("output after release differs:\n%s\n---\n%s", first.HTML, second.HTML)
	}
	var saved bytes.Buffer
	if err := c.SaveHighlights(&saved); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(saved.Bytes(), []byte(`class="kd"`)) {
		t.Error("a cache saved after release still holds the released highlights")
	}
}

// FuzzCountWords checks countWords (a table for ASCII) against its rune-by-rune statement.
func FuzzCountWords(f *testing.F) {
	for _, s := range []string{"", "one two", "a\u00a0b", "یہ ایک", "x\xffy", "\t\n\v\f\r ", "_a_ 1,000 18%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, counted := 0, false
		for _, r := range s {
			switch {
			case unicode.IsSpace(r):
				counted = false
			case !counted && (unicode.IsLetter(r) || unicode.IsNumber(r)):
				want++
				counted = true
			}
		}
		if got := countWords(s); got != want {
			t.Fatalf("countWords(%q) = %d, want %d", s, got, want)
		}
	})
}
