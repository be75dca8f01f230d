// Package corpus generates a deterministic benchmark site: Markdown pages with
// YAML front matter, spread over sections, that read roughly like real
// documentation. The same Options always give byte-identical files.
//
// The layout is Hugo-compatible and has no language folder, so Rahnuma and Hugo
// can build the very same content/ folder:
//
//	content/_index.md            the home page
//	content/s01/_index.md        a section
//	content/s01/p0000.md         a page
//
// Every page has YAML front matter (title, description, date, weight, tags,
// reviewed), "##" and "###" headings (one of them "## Overview {#overview}"),
// paragraphs, a bullet and a numbered list, a GFM table, a fenced code block
// (go, js, yaml or bash in turn) and two or three relative links to other
// pages of the corpus, such as [text](../s07/p0123.md) or
// [text](p0042.md#overview). Words are drawn from a fixed vocabulary with a
// Zipf distribution, and each page also carries a few words that appear on no
// other page, so a search benchmark sees realistic term frequencies.
package corpus

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Options size the corpus. Zero (or negative) fields take their defaults.
type Options struct {
	Pages    int   // number of pages, not counting _index.md files; default 10000
	Sections int   // number of sections; default 20, never more than Pages
	Seed     int64 // varies the text; the structure depends only on Pages and Sections
}

// Defaults used for zero fields of Options.
const (
	DefaultPages    = 10000
	DefaultSections = 20
)

// tagList is the small set of tags pages are tagged with.
const tagList = "tax shipping payments returns pricing marketing inventory customs banking compliance packaging support"

// Tags returns the tags the corpus draws from.
func Tags() []string { return strings.Fields(tagList) }

// Anchor is the explicit heading id every page has ("## Overview {#overview}");
// some cross links point at it.
const Anchor = "overview"

func (o Options) normalize() Options {
	if o.Pages <= 0 {
		o.Pages = DefaultPages
	}
	if o.Sections <= 0 {
		o.Sections = DefaultSections
	}
	if o.Sections > o.Pages {
		o.Sections = o.Pages
	}
	return o
}

// layout answers where page i lives. Pages are split into contiguous,
// evenly sized runs, one per section.
type layout struct {
	pages, sections int
	width           int // digits in a page file name
}

func newLayout(o Options) layout {
	w := len(fmt.Sprint(o.Pages - 1))
	if w < 4 {
		w = 4
	}
	return layout{pages: o.Pages, sections: o.Sections, width: w}
}

// section returns the 0-based section of page i.
func (l layout) section(i int) int { return i * l.sections / l.pages }

// first returns the index of the first page of section s.
func (l layout) first(s int) int { return (s*l.pages + l.sections - 1) / l.sections }

func (l layout) sectionDir(s int) string { return fmt.Sprintf("s%02d", s+1) }

func (l layout) pageName(i int) string { return fmt.Sprintf("p%0*d.md", l.width, i) }

// pagePath is the path of page i relative to content/.
func (l layout) pagePath(i int) string {
	return l.sectionDir(l.section(i)) + "/" + l.pageName(i)
}

// Files returns the corpus as a map from slash-separated path (starting with
// "content/") to file contents.
func Files(opts Options) map[string][]byte {
	o := opts.normalize()
	l := newLayout(o)
	v := newVocabulary()
	files := make(map[string][]byte, o.Pages+o.Sections+1)

	files["content/_index.md"] = homePage(o)
	for s := 0; s < o.Sections; s++ {
		files["content/"+l.sectionDir(s)+"/_index.md"] = sectionPage(o, l, v, s)
	}
	var b bytes.Buffer
	for i := 0; i < o.Pages; i++ {
		b.Reset()
		g := &gen{o: o, l: l, v: v, rng: rand.New(rand.NewPCG(uint64(o.Seed), uint64(i)+1<<32)), b: &b, page: i}
		g.page1()
		files["content/"+l.pagePath(i)] = bytes.Clone(b.Bytes())
	}
	return files
}

// Write writes the corpus under dir (creating content/ inside it).
// It does not remove files already there.
func Write(dir string, opts Options) error {
	files := Files(opts)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	made := map[string]bool{}
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func homePage(o Options) []byte {
	var b bytes.Buffer
	b.WriteString("---\ntitle: \"Benchmark corpus\"\n")
	b.WriteString("description: \"A generated site for build and search benchmarks.\"\n---\n\n")
	fmt.Fprintf(&b, "This site has %d pages in %d sections. It is generated; the words mean nothing.\n", o.Pages, o.Sections)
	return b.Bytes()
}

func sectionPage(o Options, l layout, v *vocabulary, s int) []byte {
	rng := rand.New(rand.NewPCG(uint64(o.Seed), uint64(s)+1<<48))
	g := &gen{o: o, l: l, v: v, rng: rng, b: &bytes.Buffer{}, page: -1}
	b := g.b
	b.WriteString("---\n")
	fmt.Fprintf(b, "title: %q\n", fmt.Sprintf("Section %d: %s", s+1, g.title(2, 3)))
	fmt.Fprintf(b, "description: %q\n", g.sentence(8, 14))
	fmt.Fprintf(b, "weight: %d\n", s+1)
	b.WriteString("---\n\n")
	g.paragraph(2, 3)
	return b.Bytes()
}

// gen writes one page.
type gen struct {
	o    Options
	l    layout
	v    *vocabulary
	rng  *rand.Rand
	b    *bytes.Buffer
	page int
}

const (
	minBody = 2700 // grow a page with paragraphs until its file is this long
	langs   = 4
)

func (g *gen) page1() {
	i := g.page
	b := g.b
	sec := g.l.section(i)
	date := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*37)%1300)
	reviewed := date.AddDate(0, 0, 30+g.rng.IntN(300))

	b.WriteString("---\n")
	fmt.Fprintf(b, "title: %q\n", g.title(3, 6))
	fmt.Fprintf(b, "description: %q\n", g.sentence(10, 18))
	fmt.Fprintf(b, "date: %s\n", date.Format(time.DateOnly))
	fmt.Fprintf(b, "weight: %d\n", i-g.l.first(sec)+1)
	fmt.Fprintf(b, "tags: [%s]\n", strings.Join(g.tags(), ", "))
	fmt.Fprintf(b, "reviewed: %s\n", reviewed.Format(time.DateOnly))
	b.WriteString("---\n\n")

	links := g.links()
	rare := g.v.rare(i)

	// Intro with the first cross link and a rare word.
	g.paragraphWith(3, 4, links[0], rare[0])

	fmt.Fprintf(b, "## Overview {#%s}\n\n", Anchor)
	g.paragraph(2, 4)

	fmt.Fprintf(b, "### %s\n\n", g.title(2, 4))
	for n := 3 + g.rng.IntN(3); n > 0; n-- {
		b.WriteString("- ")
		g.words(4, 10, false)
		b.WriteString("\n")
	}
	b.WriteString("\n")

	fmt.Fprintf(b, "## %s\n\n", g.title(2, 4))
	g.paragraphWith(2, 3, links[1], rare[1])
	for k, n := 1, 3+g.rng.IntN(3); k <= n; k++ {
		fmt.Fprintf(b, "%d. ", k)
		g.words(5, 12, true)
		b.WriteString("\n")
	}
	b.WriteString("\n")

	fmt.Fprintf(b, "### %s\n\n", g.title(2, 3))
	g.table()

	fmt.Fprintf(b, "## %s\n\n", g.title(2, 4))
	g.paragraph(1, 2)
	g.code(i % langs)

	fmt.Fprintf(b, "### %s\n\n", g.title(2, 4))
	if len(links) > 2 {
		g.paragraphWith(2, 4, links[2], rare[2])
	} else {
		g.paragraphWith(2, 4, "", rare[2])
	}
	for b.Len() < minBody {
		g.paragraph(2, 4)
	}
}

// tags picks one to three distinct tags, in the order of tagList.
func (g *gen) tags() []string {
	n := 1 + g.rng.IntN(3)
	idx := g.rng.Perm(len(g.v.tags))[:n]
	sort.Ints(idx)
	out := make([]string, n)
	for k, j := range idx {
		out[k] = g.v.tags[j]
	}
	return out
}

// links returns two or three Markdown links to other pages, relative to this
// page's file, the second one to the target's #overview heading. With a
// single page there is nothing to link to, and links are empty strings.
func (g *gen) links() []string {
	n := 2 + g.rng.IntN(2)
	out := make([]string, n)
	if g.o.Pages < 2 {
		return out
	}
	from := g.l.section(g.page)
	for k := range out {
		var t int
		if k == 0 && g.l.first(from+1)-g.l.first(from) > 1 {
			// The first link stays in the section, as related pages would.
			lo, hi := g.l.first(from), g.l.first(from+1)
			t = lo + g.rng.IntN(hi-lo-1)
			if t >= g.page {
				t++
			}
		} else {
			t = g.rng.IntN(g.o.Pages - 1)
			if t >= g.page {
				t++
			}
		}
		dest := g.l.pageName(t)
		if ts := g.l.section(t); ts != from {
			dest = "../" + g.l.sectionDir(ts) + "/" + dest
		}
		if k == 1 {
			dest += "#" + Anchor
		}
		var text strings.Builder
		for w := 2 + g.rng.IntN(3); w > 0; w-- {
			if text.Len() > 0 {
				text.WriteByte(' ')
			}
			text.WriteString(g.v.content(g.rng))
		}
		out[k] = "[" + text.String() + "](" + dest + ")"
	}
	return out
}

func (g *gen) title(lo, hi int) string {
	var s strings.Builder
	for n := lo + g.rng.IntN(hi-lo+1); n > 0; n-- {
		if s.Len() > 0 {
			s.WriteByte(' ')
		}
		s.WriteString(capitalize(g.v.content(g.rng)))
	}
	return s.String()
}

// sentence returns a plain sentence (no Markdown), for front matter.
func (g *gen) sentence(lo, hi int) string {
	var s strings.Builder
	n := lo + g.rng.IntN(hi-lo+1)
	for k := 0; k < n; k++ {
		w := g.v.word(g.rng)
		if k == 0 {
			w = capitalize(w)
		} else {
			s.WriteByte(' ')
		}
		s.WriteString(w)
	}
	s.WriteByte('.')
	return s.String()
}

// words writes a run of lo..hi words with occasional inline markup.
func (g *gen) words(lo, hi int, capital bool) {
	b := g.b
	n := lo + g.rng.IntN(hi-lo+1)
	for k := 0; k < n; k++ {
		if k > 0 {
			b.WriteByte(' ')
		}
		w := g.v.word(g.rng)
		if k == 0 && capital {
			w = capitalize(w)
		}
		switch r := g.rng.IntN(60); {
		case r == 0 && k > 0:
			b.WriteString("**" + w + "**")
		case r == 1 && k > 0:
			b.WriteString("*" + w + "*")
		case r == 2 && k > 0:
			b.WriteString("`" + w + "`")
		default:
			b.WriteString(w)
		}
		if k < n-1 && g.rng.IntN(12) == 0 {
			b.WriteByte(',')
		}
	}
}

func (g *gen) paragraph(lo, hi int) { g.paragraphWith(lo, hi, "", "") }

// paragraphWith writes lo..hi sentences; link and extra, when not empty, are
// put inside the second sentence.
func (g *gen) paragraphWith(lo, hi int, link, extra string) {
	b := g.b
	n := lo + g.rng.IntN(hi-lo+1)
	for k := 0; k < n; k++ {
		if k > 0 {
			b.WriteByte(' ')
		}
		g.words(6, 16, true)
		if k == 1 || n == 1 {
			if extra != "" {
				b.WriteString(" " + extra)
			}
			if link != "" {
				b.WriteString(", see " + link)
			}
		}
		b.WriteByte('.')
	}
	b.WriteString("\n\n")
}

func (g *gen) table() {
	b := g.b
	cols := 3 + g.rng.IntN(2)
	head := make([]string, cols)
	for c := range head {
		head[c] = capitalize(g.v.content(g.rng))
	}
	b.WriteString("| " + strings.Join(head, " | ") + " |\n|")
	for c := 0; c < cols; c++ {
		if c == 1 {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for r := 3 + g.rng.IntN(3); r > 0; r-- {
		b.WriteString("|")
		for c := 0; c < cols; c++ {
			switch c {
			case 1:
				fmt.Fprintf(b, " %d.%02d |", g.rng.IntN(5000), g.rng.IntN(100))
			default:
				fmt.Fprintf(b, " %s %s |", g.v.content(g.rng), g.v.word(g.rng))
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// code writes a fenced code block in one of four languages.
func (g *gen) code(lang int) {
	b := g.b
	id := func() string { return g.v.content(g.rng) }
	camel := func() string { return id() + capitalize(id()) }
	switch lang {
	case 0:
		fn, a, t := camel(), id(), capitalize(id())
		fmt.Fprintf(b, "```go\ntype %s struct {\n\tName  string\n\tTotal int\n}\n\n", t)
		fmt.Fprintf(b, "// %s adds up the %s of every %s.\n", fn, id(), id())
		fmt.Fprintf(b, "func %s(%s []%s) int {\n\tn := 0\n\tfor _, x := range %s {\n", fn, a, t, a)
		fmt.Fprintf(b, "\t\tif x.Name == %q {\n\t\t\tcontinue\n\t\t}\n\t\tn += x.Total * %d\n\t}\n\treturn n\n}\n```\n\n", id(), 2+g.rng.IntN(9))
	case 1:
		fn, a := camel(), id()
		fmt.Fprintf(b, "```js\n// %s %s\nexport function %s(%s, rate = %d) {\n", capitalize(id()), id(), fn, a, 5+g.rng.IntN(20))
		fmt.Fprintf(b, "  const %s = %s.filter((x) => x.%s > 0);\n", id(), a, id())
		fmt.Fprintf(b, "  return %s.map((x) => ({ ...x, total: x.price * (1 + rate / 100) }));\n}\n", a)
		fmt.Fprintf(b, "console.log(%s([{ price: %d }]));\n```\n\n", fn, 100+g.rng.IntN(900))
	case 2:
		fmt.Fprintf(b, "```yaml\n%s:\n  name: %s\n  enabled: true\n  rate: %d.%d\n", id(), id(), g.rng.IntN(30), g.rng.IntN(10))
		fmt.Fprintf(b, "  %s:\n    - %s\n    - %s\n  notes: \"%s %s\"\n```\n\n", id(), id(), id(), id(), id())
	default:
		dir, f := id(), id()
		fmt.Fprintf(b, "```bash\n# %s the %s\nset -eu\nmkdir -p %s\n", capitalize(id()), id(), dir)
		fmt.Fprintf(b, "for f in %s/*.csv; do\n  echo \"$f\" >> %s/%s.log\ndone\n", dir, dir, f)
		fmt.Fprintf(b, "grep -c %s %s/%s.log || true\n```\n\n", id(), dir, f)
	}
}

func capitalize(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

// vocabulary is the word list, most frequent first, with a cumulative Zipf
// table to draw from.
type vocabulary struct {
	words []string
	cum   []float64 // cum[k] = P(rank <= k)
	stops int       // words[:stops] are stop words
	tags  []string
}

// pseudoWords is how many made-up words extend the real ones.
const pseudoWords = 2500

func newVocabulary() *vocabulary {
	seen := map[string]bool{}
	var words []string
	add := func(list []string) {
		for _, w := range list {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	add(strings.Fields(stopWords))
	stops := len(words)
	content := strings.Fields(contentWords)
	// The list is written by theme; shuffle it (always the same way) so that
	// frequency rank does not follow the theme.
	r := rand.New(rand.NewPCG(7, 11))
	r.Shuffle(len(content), func(i, j int) { content[i], content[j] = content[j], content[i] })
	add(content)
	for k := 0; len(words) < stops+len(content)+pseudoWords; k++ {
		if w := syllables(k/2, 2+k%2); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	cum := make([]float64, len(words))
	sum := 0.0
	for k := range words {
		sum += 1 / math.Pow(float64(k)+2.7, 1.1)
		cum[k] = sum
	}
	for k := range cum {
		cum[k] /= sum
	}
	return &vocabulary{words: words, cum: cum, stops: stops, tags: Tags()}
}

// word draws a word with the Zipf distribution.
func (v *vocabulary) word(r *rand.Rand) string {
	k := sort.SearchFloat64s(v.cum, r.Float64())
	if k >= len(v.words) {
		k = len(v.words) - 1
	}
	return v.words[k]
}

// content draws a word that is not a stop word, still Zipf-weighted.
func (v *vocabulary) content(r *rand.Rand) string {
	lo := v.cum[v.stops-1]
	k := sort.SearchFloat64s(v.cum, lo+r.Float64()*(1-lo))
	if k <= v.stops-1 {
		k = v.stops
	}
	if k >= len(v.words) {
		k = len(v.words) - 1
	}
	return v.words[k]
}

// rare returns three words that occur on page i only: four syllables and an
// "x", longer than any made-up vocabulary word. They stay unique up to about
// eight million pages.
func (v *vocabulary) rare(i int) [3]string {
	var out [3]string
	for k := range out {
		out[k] = syllables(3*i+k, 4) + "x"
	}
	return out
}

const (
	consonants = "bdfgklmnprstvz"
	vowels     = "aeiou"
)

// syllables spells n (taken modulo 70^min) as a word of min
// consonant-vowel syllables. n is first scrambled by a multiplication that is
// a bijection modulo 70^min, so neighbouring numbers give unlike words;
// distinct n below 70^min give distinct words.
func syllables(n, min int) string {
	const base = len(consonants) * len(vowels) // 70 = 2·5·7
	m := 1
	for k := 0; k < min; k++ {
		m *= base
	}
	// 2654435761 has no factor 2, 5 or 7, so it is invertible modulo m.
	x := int(uint64(n%m) * 2654435761 % uint64(m))
	b := make([]byte, 0, 2*min)
	for k := 0; k < min; k++ {
		d := x % base
		x /= base
		b = append(b, consonants[d/len(vowels)], vowels[d%len(vowels)])
	}
	return string(b)
}

// Links returns the Markdown link destinations in src that point at other
// .md files, as written (with any #fragment). It is meant for tests and for
// checking output, not as a Markdown parser: it finds "](dest)" pairs.
func Links(src []byte) []string {
	var out []string
	for {
		k := bytes.Index(src, []byte("]("))
		if k < 0 {
			return out
		}
		src = src[k+2:]
		end := bytes.IndexByte(src, ')')
		if end < 0 {
			return out
		}
		dest := string(src[:end])
		if p, _, _ := strings.Cut(dest, "#"); strings.HasSuffix(p, ".md") {
			out = append(out, dest)
		}
		src = src[end+1:]
	}
}

// Resolve joins a relative link destination (without fragment) to the path of
// the file it appears in, both slash-separated.
func Resolve(from, dest string) string {
	return path.Join(path.Dir(from), dest)
}
