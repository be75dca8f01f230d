package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// FuzzQuery runs arbitrary queries (the query parser, prefix and typo expansion, phrases, the
// section prefix) against a small index: no panic, no error, and every hit is a real page.
func FuzzQuery(f *testing.F) {
	for _, q := range []string{"sales tax", `"sales tax"`, "tax: ibft", "Rs 500", "18%", "curiers ", "پے پال", "\"", ":", "a:b:c", "\x00", strings.Repeat("a ", 200)} {
		f.Add(q, "")
		f.Add(q, "tax")
	}
	docs := englishDocs()
	_, s := mustBuild(f, docs, "en")
	urls := map[string]bool{}
	for _, d := range docs {
		urls[d.URL] = true
	}
	f.Fuzz(func(t *testing.T, q, section string) {
		res, err := s.Search(q, section)
		if err != nil {
			t.Fatalf("Search(%q, %q): %v", q, section, err)
		}
		for _, h := range res.Hits {
			u, _, _ := strings.Cut(h.URL, "#")
			if !urls[u] {
				t.Fatalf("Search(%q): hit %q is not a page", q, h.URL)
			}
		}
	})
}

// FuzzChunkJSON checks the hand-written JSON of the result chunks against encoding/json.
func FuzzChunkJSON(f *testing.F) {
	for _, s := range []string{"", "plain", `say "PayPal"`, `back\slash`, "tab\tnew\nline\r\b\f", "\x00\x01\x1f\x7f",
		"<b>&amp;</b>", "bad \xff utf-8 \xe2\x80", "line\u2028para\u2029", "اردو \U0001F600", "\ufffd",
		// Long enough to be read 8 bytes at a time, with what stops that at each place.
		"sixteen bytes ok\"quote after", "abcdefgh\\ijklmnopq", "abcdefghijklmno\x01p", "abcdefg\nhijklmnopqrstuvw",
		"abcdefgh\x7fijklmnop", "abcdefghijklmnop\u00e9qrstuvwxyz", strings.Repeat("plain text ", 20) + "\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != strings.TrimSuffix(want.String(), "\n") {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json %s", s, got, want.String())
		}
	})
}

// FuzzSnippet checks snippet against the plain rune-by-rune statement of what it does.
func FuzzSnippet(f *testing.F) {
	for _, s := range []string{"", "  lead and trail  ", "a\n\n\tb", strings.Repeat("word ", 60), strings.Repeat("x", 300),
		strings.Repeat("ab ", 66) + "cd  ef", strings.Repeat("اردو متن ", 40), "bad\xff\xfe utf-8 " + strings.Repeat("z", 210),
		strings.Repeat("y", 150) + " " + strings.Repeat("y", 60), strings.Repeat("line one\n", 30), strings.Repeat("z", 120) + "\n" + strings.Repeat("z", 100), "a\vb\fc\rd\"e\\f\x01g\bh\ti", "\u00a0nbsp\u2003em\u3000ideographic",
		// Whitespace right after the snippet's 200 runes, with more text after it or none.
		strings.Repeat("abcd ", 39) + "abcde x", strings.Repeat("abcd ", 39) + "abcde ", strings.Repeat("abcd ", 39) + "abcde\n\u00a0",
		strings.Repeat("abcd ", 39) + "abcde\n\nx", strings.Repeat("abcde", 40) + " \u00a0x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := snippetRef(s)
		if got := snippet(s); got != want {
			t.Fatalf("snippet(%q) = %q, want %q", s, got, want)
		}
		// What the result chunks write, without making the snippet when it can.
		cut, spaced := snippetCut(s)
		got := appendJSONString(nil, cut)
		if spaced {
			got = appendJSONSpaced(nil, cut)
		}
		if w := appendJSONString(nil, want); string(got) != string(w) {
			t.Fatalf("snippet of %q as JSON: %s, want %s (spaced %v)", s, got, w, spaced)
		}
	})
}

// TestPlainJSON puts every byte at every place of a word of letters: plainJSON must pass it
// exactly when JSON holds the byte as it is and it is ASCII.
func TestPlainJSON(t *testing.T) {
	for c := range 256 {
		for at := range 8 {
			b := []byte("abcdefgh")
			b[at] = byte(c)
			want := c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\'
			if got := plainJSON(load64(string(b), 0)); got != want {
				t.Errorf("plainJSON(%q) = %v, want %v", b, got, want)
			}
		}
	}
}

// TestPlainASCII checks plainASCII against the byte-by-byte statement of it on random text
// of a few letters, spaces and controls: it may send text to the slow path that the statement
// passes, when a control character other than whitespace is in it, but never the other way;
// and it passes words with single spaces between them.
func TestPlainASCII(t *testing.T) {
	ref := func(s string) bool {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= utf8.RuneSelf || asciiSpace[c] && (i == 0 || asciiSpace[s[i-1]]) {
				return false
			}
		}
		return true
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := "ab  \n\t!\x01\x80"
	for range 200000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(b)
		if got, want := plainASCII(s), ref(s); got && !want || !got && want && !strings.ContainsAny(s, "\x01!") {
			t.Fatalf("plainASCII(%q) = %v, want %v", s, got, want)
		}
	}
	for n := 1; n < 40; n++ {
		s := strings.Repeat("ab ", n) + "c"
		if !plainASCII(s) || !plainASCII(s[:len(s)-2]+"\nc") {
			t.Fatalf("plainASCII(%q) = false", s)
		}
	}
}

// snippet is snippetCut's snippet as a string.
func snippet(text string) string {
	s, spaced := snippetCut(text)
	if !spaced {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && asciiSpace[r] {
			return ' '
		}
		return r
	}, s)
}

// snippetRef collapses whitespace over the text's runes, keeps snippetRunes of them and cuts
// at the last space past the middle, if any.
func snippetRef(text string) string {
	var rs []rune
	for _, f := range strings.FieldsFunc(text, unicode.IsSpace) {
		if len(rs) > 0 {
			rs = append(rs, ' ')
		}
		rs = append(rs, []rune(f)...)
	}
	if len(rs) <= snippetRunes {
		return string(rs)
	}
	rs = rs[:snippetRunes]
	for i := len(rs) - 1; i > snippetRunes/2; i-- {
		if rs[i] == ' ' {
			return string(rs[:i])
		}
	}
	return string(rs)
}

// FuzzSegmentASCII checks eachASCII (with its shortcut for words of letters alone) against
// eachRune, which reads every word with the full state machine: the same words, parts and
// widths, and the same dictionary ids in the same order; and that it refuses text that is not
// ASCII before reading a word of it.
func FuzzSegmentASCII(f *testing.F) {
	for _, s := range []string{"", "plain words here", "don't it's sellers' shop's", "e-commerce e- -e a-1 1-a",
		"Rs500 Rs 500 3P 18% 1,000.50 1.5% 2025. x,y", "abcdefgh abcdefghi ABCDEFGH abcdefg", "a'b a'1 a' 'a x--y",
		"tab\tnew\nline", "end-", "-", "'", "9", "a9b9c", "%%", "1%a", "words then café", "ٹیکس tax",
		"SELLER's Don'T X-1 a.b .5 ZZ% LONGERTHANEIGHT Mixed-Case-Words abc'", "a-", "ab'-c", "x'", "'s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isASCII(s) {
			sg := newSegmenter()
			if sg.eachASCII(s, func(int32, []int32, int) { t.Fatalf("eachASCII(%q) read a word of text that is not ASCII", s) }) {
				t.Fatalf("eachASCII(%q) took text that is not ASCII", s)
			}
			if len(sg.words) > 0 {
				t.Fatalf("eachASCII(%q) added %q to the dictionary", s, sg.words)
			}
			return
		}
		type tok struct {
			word  string
			parts []string
			width int
		}
		read := func(each func(*segmenter, string, func(int32, []int32, int))) ([]tok, []string) {
			sg := newSegmenter()
			var out []tok
			each(sg, s, func(w int32, parts []int32, width int) {
				x := tok{word: sg.words[w], width: width}
				for _, p := range parts {
					x.parts = append(x.parts, sg.words[p])
				}
				out = append(out, x)
			})
			return out, sg.words
		}
		got, gotDict := read(func(sg *segmenter, s string, fn func(int32, []int32, int)) {
			if !sg.eachASCII(s, fn) {
				t.Fatalf("eachASCII(%q) refused ASCII text", s)
			}
		})
		want, wantDict := read((*segmenter).eachRune)
		if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(gotDict) != fmt.Sprint(wantDict) {
			t.Fatalf("%q:\neachASCII %v %q\neachRune  %v %q", s, got, gotDict, want, wantDict)
		}
	})
}

// FuzzKey checks key's shortcut for English words against the stemmer itself: a lowercase word
// the stemmer would change is never taken for its own stem. The fuzzer's bytes are made
// letters, most words ending in one of the stemmer's endings or in a letter it leaves alone.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"cats", "jumped", "running", "happy", "national", "electric", "rhythm", "nation",
		"runner", "agreement", "analogi", "tubu", "koko", "fax", "buzz", "stomach", "a", "sky", "news", "howe",
		"skies", "dying", "idly", "generously", "hopefulness", "abilities", "yay", "eyeing", "criticism",
		"nationalism", "organic", "hopeful", "tension", "adjustment", "difference", "agreed"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		for i, c := range b {
			b[i] = 'a' + c%26
		}
		w := string(b)
		if w == "" {
			return
		}
		if got, want := key(w, "en"), english.Stem(w, true); got != want {
			t.Fatalf("key(%q) = %q, the stemmer gives %q", w, got, want)
		}
	})
}

// TestKeyStemShortcut runs key's shortcut against the stemmer on 100,000 words made of
// letters and the stemmer's endings.
func TestKeyStemShortcut(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	endings := []string{"ing", "ed", "ly", "ness", "ation", "ful", "ous", "ive", "ize", "ment", "ence", "able", "ism",
		"iti", "ogi", "bli", "li", "enci", "izer", "ator", "alli", "ical", "er", "ic", "ant", "ent", "ion", "al", "ate",
		"s", "us", "ss", "ies", "ied", "eed", "y", "e", "ll", "eedly", "ingly", "edly", "sses"}
	for range 100000 {
		b := make([]byte, 1+rng.IntN(10))
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyzaeiouy"[rng.IntN(32)]
		}
		if rng.IntN(2) == 0 {
			b = append(b, endings[rng.IntN(len(endings))]...)
		}
		w := string(b)
		if got, want := key(w, "en"), english.Stem(w, true); got != want {
			t.Fatalf("key(%q) = %q, the stemmer gives %q", w, got, want)
		}
	}
}
