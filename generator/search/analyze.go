package search

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// maxWord is the longest word, in UTF-16 code units, that is indexed or
// searched for. Longer runs of letters are hashes, base64 and the like.
const maxWord = 48

// lenientMark starts the lenient (loosely folded) Urdu keys, so that they sort
// before, and never collide with, the strict keys.
const lenientMark = "\x01"

// normalize returns the match form of s: NFKC, lower case, Latin and Arabic
// diacritics removed, invisible format characters dropped, and the safe
// Arabic-script folds listed in doc.go applied. It never folds the contested
// letters (آ/ا, ے/ی, ھ/ہ, hamza). The client's norm() does exactly the same.
func normalize(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	s = norm.NFKC.String(s)
	s = strings.ToLower(s)
	s = norm.NFD.String(s)
	s = strings.Map(func(r rune) rune {
		if dropped(r) {
			return -1
		}
		return r
	}, s)
	s = norm.NFC.String(s)
	rs := []rune(s)
	out := rs[:0]
	for i := 0; i < len(rs); i++ {
		r := fold(rs[i])
		// Farsi yeh followed by hamza above is yeh with hamza (ئ), as NFC
		// would have composed it from Arabic yeh.
		if r == 0x6CC && i+1 < len(rs) && rs[i+1] == 0x654 {
			r = 0x626
			i++
		}
		out = append(out, r)
	}
	return string(out)
}

func isASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if load64(s, i)&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// dropped reports the characters normalize removes after NFD: combining
// diacritics of Latin, Greek and Cyrillic, Arabic harakat, Quranic marks and
// tatweel, and invisible format characters (soft hyphen, ZWJ, bidi controls,
// variation selectors, BOM). ZWNJ and ZWSP are kept: they separate words or
// parts of words. U+0653–U+0655 (madda, hamza) are kept: folding them is
// contested.
func dropped(r rune) bool {
	switch {
	case r == 0xAD, r == 0x61C, r == 0x640, r == 0x670, r == 0xFEFF:
		return true
	case 0x300 <= r && r <= 0x36F, 0x610 <= r && r <= 0x61A,
		0x64B <= r && r <= 0x652, 0x656 <= r && r <= 0x65F,
		0x6D6 <= r && r <= 0x6DC, 0x6DF <= r && r <= 0x6E4,
		0x6E7 <= r && r <= 0x6E8, 0x6EA <= r && r <= 0x6ED,
		0x1AB0 <= r && r <= 0x1AFF, 0x1DC0 <= r && r <= 0x1DFF,
		0x200D <= r && r <= 0x200F, 0x202A <= r && r <= 0x202E,
		0x2060 <= r && r <= 0x2064, 0x2066 <= r && r <= 0x2069,
		0x20D0 <= r && r <= 0x20FF, 0xFE00 <= r && r <= 0xFE0F,
		0xFE20 <= r && r <= 0xFE2F:
		return true
	}
	return false
}

// fold maps one character to its match form: the safe kaf, yeh, heh and teh
// marbuta folds, Arabic-Indic digits to ASCII, final sigma, and typographic
// apostrophes and Arabic percent and number separators to their ASCII forms.
func fold(r rune) rune {
	switch {
	case 0x660 <= r && r <= 0x669:
		return r - 0x630
	case 0x6F0 <= r && r <= 0x6F9:
		return r - 0x6C0
	}
	switch r {
	case 0x643: // ك Arabic kaf
		return 0x6A9 // ک keheh
	case 0x64A, 0x649: // ي Arabic yeh, ى alef maksura
		return 0x6CC // ی Farsi yeh
	case 0x647, 0x6C2: // ه Arabic heh, ۂ heh goal with hamza
		return 0x6C1 // ہ heh goal
	case 0x629: // ة teh marbuta
		return 0x6C3 // ۃ teh marbuta goal
	case 0x3C2: // ς final sigma (JavaScript lower-cases Σ in context)
		return 0x3C3
	case 0x2018, 0x2019, 0x2BC:
		return '\''
	case 0x66A: // Arabic percent sign
		return '%'
	case 0x66B: // Arabic decimal separator
		return '.'
	case 0x66C: // Arabic thousands separator
		return ','
	}
	return r
}

// Character classes used by segment.
const (
	cSep    = ' '
	cLetter = 'a' // letters and combining marks
	cDigit  = '0' // numbers
	cJoin   = 'j' // ZWNJ and hyphens: join parts of one compound word
	cApos   = '\''
	cDot    = '.'
	cComma  = ','
	cPct    = '%'
)

func class(r rune) byte {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			return cLetter
		case '0' <= r && r <= '9':
			return cDigit
		case r == '-':
			return cJoin
		case r == '\'', r == '.', r == ',', r == '%':
			return byte(r)
		}
		return cSep
	case unicode.IsLetter(r), unicode.IsMark(r):
		return cLetter
	case unicode.IsNumber(r):
		return cDigit
	case r == 0x200C, r == 0x2010:
		return cJoin
	}
	return cSep
}

// A token is one word of a normalised text.
type token struct {
	word  string   // the joined form: pieces concatenated
	parts []string // the letter and digit pieces, when there are two or more pieces
	width int      // positions the token takes: its number of pieces
}

// segment splits normalised text into words. A word is a run of letters or
// digits; these stay inside one word:
//   - an apostrophe between letters, dropped ("don't" → "dont"), or dropped
//     with the s of a possessive ("FBR's" → "fbr");
//   - a comma between digits (dropped: "1,000" → "1000");
//   - a dot between digits ("2.5");
//   - a percent sign after digits ("18%"), which ends the word.
//
// A word is also cut into pieces where letters meet digits ("rs500" → "rs",
// "500") and at ZWNJ and hyphens between word characters ("e-commerce" →
// "e", "commerce"). Such a compound is indexed as its joined form
// ("ecommerce") and as each letter or digit piece. The client's seg() is the
// same state machine.
func segment(s string) []token {
	var toks []token
	sg := newSegmenter()
	sg.each(s, func(w int32, parts []int32, width int) {
		t := token{word: sg.words[w], width: width}
		for _, p := range parts {
			t.parts = append(t.parts, sg.words[p])
		}
		toks = append(toks, t)
	})
	return toks
}

// segmenter runs segment with reused buffers. It numbers the distinct words
// it meets: words[id] is the word.
type segmenter struct {
	rs     []rune
	bs     []byte // the text, when ASCII
	cls    []byte
	cur    []byte // UTF-8 of the piece being read
	joined []byte
	pieces []int32
	kinds  []byte
	parts  []int32
	ids    map[string]int32 // words over 8 bytes
	short  table64          // words of up to 8 bytes, packed: most words, and quicker to find
	words  []string
}

func newSegmenter() *segmenter {
	return &segmenter{ids: map[string]int32{}}
}

// table64 maps words packed by pack8 to their ids: open addressing with linear probing in
// 16-byte slots (a map's are larger and its lookup slower, and a lookup is made for nearly
// every word of every text). Key 0, the empty word, is never stored.
type table64 struct {
	slots []slot64 // a power of two long; key 0 marks a free slot
	n     int
	shift uint8 // 64 - log2(len(slots))
}

type slot64 struct {
	key uint64
	val int32
}

// at is where key k is, or the free slot where it would go.
func (t *table64) at(k uint64) int {
	mask := len(t.slots) - 1
	i := int((k * 0x9E3779B97F4A7C15) >> t.shift)
	for t.slots[i].key != k && t.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	return i
}

func (t *table64) get(k uint64) (int32, bool) {
	if t.n == 0 || k == 0 {
		return 0, false
	}
	s := t.slots[t.at(k)]
	return s.val, s.key == k
}

func (t *table64) put(k uint64, v int32) {
	if k == 0 {
		panic("search: table64 key 0")
	}
	if 4*(t.n+1) > 3*len(t.slots) { // at most three quarters full
		old := t.slots
		size := max(1024, 2*len(old))
		t.slots, t.shift = make([]slot64, size), uint8(64-bits.TrailingZeros(uint(size)))
		for _, s := range old {
			if s.key != 0 {
				t.slots[t.at(s.key)] = s
			}
		}
	}
	i := t.at(k)
	if t.slots[i].key == 0 {
		t.n++
	}
	t.slots[i] = slot64{k, v}
}

// pack8 packs a word of up to 8 bytes into a number. Words hold no zero byte, so no two
// pack the same.
func pack8[S string | []byte](w S) uint64 {
	var k uint64
	for i := 0; i < len(w); i++ {
		k = k<<8 | uint64(w[i])
	}
	return k
}

// idString is id for a word given as a string.
func (sg *segmenter) idString(w string) int32 {
	if len(w) <= 8 && w != "" {
		k := pack8(w)
		if id, ok := sg.short.get(k); ok {
			return id
		}
		id := sg.add(w)
		sg.short.put(k, id)
		return id
	}
	if id, ok := sg.ids[w]; ok {
		return id
	}
	id := sg.add(w)
	sg.ids[w] = id
	return id
}

func (sg *segmenter) add(w string) int32 {
	sg.words = append(sg.words, w)
	return int32(len(sg.words) - 1)
}

func (sg *segmenter) id(b []byte) int32 {
	if len(b) <= 8 {
		if id, ok := sg.short.get(pack8(b)); ok {
			return id
		}
	} else if id, ok := sg.ids[string(b)]; ok { // no string is made for a word already known
		return id
	}
	return sg.idString(string(b))
}

// each calls fn for each word of the normalised text s (ASCII text may skip
// normalize: each lowers its capitals, which is all normalize does to it), in order, with the
// ids of the word and of its parts. parts is valid only during the call.
func (sg *segmenter) each(s string, fn func(word int32, parts []int32, width int)) {
	if !sg.eachASCII(s, fn) {
		sg.eachRune(s, fn)
	}
}

// eachASCII is each for ASCII text: read as bytes, without decoding runes. It reports false,
// having called fn for nothing, if s is not ASCII.
//
// Most words are letters alone, ended by a character that scanWord would stop at: they are
// read in one pass over s, and looked up without a copy when 8 letters or fewer. Any other
// run of word characters (digits, or an apostrophe or hyphen inside it) goes through
// scanWord, a run at a time.
func (sg *segmenter) eachASCII(s string, fn func(word int32, parts []int32, width int)) bool {
	if !isASCII(s) {
		return false
	}
	for i := 0; i < len(s); {
		switch asciiClass[s[i]] {
		case cLetter:
			j := i
			var k uint64 // the word's lowered letters, packed as pack8 packs them
			for j < len(s) && asciiClass[s[j]] == cLetter {
				k = k<<8 | uint64(s[j]|0x20)
				j++
			}
			e, next := byte(cSep), byte(cSep)
			if j < len(s) {
				e = asciiClass[s[j]]
				if j+1 < len(s) {
					next = asciiClass[s[j+1]]
				}
			}
			if e == cDigit || (e == cApos || e == cJoin) && (next == cLetter || next == cDigit) {
				i = sg.eachASCIIRun(s, i, fn)
				continue
			}
			id, ok := int32(0), false
			if j-i <= 8 {
				id, ok = sg.short.get(k)
			}
			if !ok {
				sg.bs = lowerASCII(sg.bs[:0], s[i:j])
				id = sg.id(sg.bs)
			}
			fn(id, sg.parts[:0], 1)
			i = j
		case cDigit:
			i = sg.eachASCIIRun(s, i, fn)
		default:
			i++
		}
	}
	return true
}

// eachASCIIRun reads the words of the run of word characters at s[i] (letters, digits and
// what may join them) with scanWord, and returns where the run ends. Runs end at a character
// scanWord stops at, and it reads no further than one past where it stops: the run is read
// as it would be within the whole text.
func (sg *segmenter) eachASCIIRun(s string, i int, fn func(word int32, parts []int32, width int)) int {
	end := i
	for end < len(s) && asciiClass[s[end]] != cSep {
		end++
	}
	bs := lowerASCII(sg.bs[:0], s[i:end])
	cls := slices.Grow(sg.cls[:0], len(bs)+2)
	for _, c := range bs {
		cls = append(cls, asciiClass[c])
	}
	cls = append(cls, cSep, cSep)
	sg.bs, sg.cls = bs, cls
	scanWords(sg, bs, cls, fn)
	return end
}

// lowerASCII appends s to b with its capitals lowered.
func lowerASCII(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// eachRune is each for any text.
func (sg *segmenter) eachRune(s string, fn func(word int32, parts []int32, width int)) {
	rs, cls := sg.rs[:0], sg.cls[:0]
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		rs = append(rs, r)
		cls = append(cls, class(r))
	}
	sg.rs, sg.cls = rs, append(cls, cSep, cSep)
	scanWords(sg, rs, sg.cls, fn)
}

// asciiClass is class of each ASCII character.
var asciiClass = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = class(rune(c))
	}
	return t
}()

// scanWords is each's state machine over the characters of the text, cs, and their classes,
// cls (with two cSep after the end).
func scanWords[C byte | rune](sg *segmenter, cs []C, cls []byte, fn func(word int32, parts []int32, width int)) {
	for i := 0; i < len(cs); {
		if cls[i] != cLetter && cls[i] != cDigit {
			i++
			continue
		}
		i = scanWord(sg, cs, cls, i, fn)
	}
}

// scanWord reads the word that starts at cs[i], a letter or digit, calls fn for it and
// returns where reading goes on.
func scanWord[C byte | rune](sg *segmenter, cs []C, cls []byte, i int, fn func(word int32, parts []int32, width int)) int {
	var cc byte // class of cur
	flush := func() {
		if len(sg.cur) > 0 {
			sg.pieces = append(sg.pieces, sg.id(sg.cur))
			sg.kinds = append(sg.kinds, cc)
			sg.cur = sg.cur[:0]
		}
	}
	sg.pieces, sg.kinds, sg.cur, cc = sg.pieces[:0], sg.kinds[:0], sg.cur[:0], 0
scan:
	for i < len(cs) {
		c, next := cls[i], cls[i+1]
		switch {
		case c == cLetter || c == cDigit:
			if c != cc {
				flush()
			}
			if r := rune(cs[i]); r < utf8.RuneSelf {
				sg.cur = append(sg.cur, byte(r))
			} else {
				sg.cur = utf8.AppendRune(sg.cur, r)
			}
			cc = c
		case c == cApos && cc == cLetter && next == cLetter:
			// dropped inside the word; a possessive 's is dropped whole
			if cs[i+1] == 's' && cls[i+2] != cLetter {
				i++
			}
		case c == cComma && cc == cDigit && next == cDigit:
			// dropped inside the word
		case c == cDot && cc == cDigit && next == cDigit:
			sg.cur = append(sg.cur, '.')
		case c == cPct && cc == cDigit:
			flush()
			sg.pieces = append(sg.pieces, sg.id([]byte{'%'}))
			sg.kinds = append(sg.kinds, cPct)
			i++
			break scan
		case c == cJoin && (next == cLetter || next == cDigit):
			flush()
		default:
			break scan
		}
		i++
	}
	flush()
	word := sg.pieces[0]
	sg.parts = sg.parts[:0]
	if len(sg.pieces) > 1 {
		sg.joined = sg.joined[:0]
		for j, p := range sg.pieces {
			sg.joined = append(sg.joined, sg.words[p]...)
			if sg.kinds[j] != cPct {
				sg.parts = append(sg.parts, p)
			}
		}
		word = sg.id(sg.joined)
	}
	fn(word, sg.parts, len(sg.pieces))
	return i
}

// len16 is the length of s in UTF-16 code units, as JavaScript counts it.
func len16(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// key is the match key of a normalised word: its Snowball English stem when
// lang is "en" and the word is all ASCII letters, else the word itself.
func key(word, lang string) string {
	if lang == "en" && isLowerASCII(word) && stemEnds>>(word[len(word)-1]-'a')&1 != 0 {
		return english.Stem(word, true)
	}
	return word
}

// stemEnds are the last letters of the words the English stemmer may change, as a bit per
// letter: it only takes off or rewrites endings, and all its endings, and the words it
// treats as exceptions, end in one of these. A word ending in another letter ("tubu",
// "koko", "fax") is its own stem, and is not run through the stemmer (FuzzKey checks this).
const stemEnds = 1<<('c'-'a') | 1<<('d'-'a') | 1<<('e'-'a') | 1<<('g'-'a') | 1<<('i'-'a') | 1<<('l'-'a') |
	1<<('m'-'a') | 1<<('n'-'a') | 1<<('r'-'a') | 1<<('s'-'a') | 1<<('t'-'a') | 1<<('y'-'a')

// loose folds the contested Urdu letters for lenient matching: آ أ إ ٱ → ا,
// ؤ → و, ئ → ی, ے ۓ → ی, ھ → ہ, madda and hamza dropped, and a doubled ی
// left by ئی made single. Strict keys keep these letters apart.
func loose(word string) string {
	rs := make([]rune, 0, len(word))
	for _, r := range word {
		switch r {
		case 0x622, 0x623, 0x625, 0x671:
			r = 0x627
		case 0x624:
			r = 0x648
		case 0x626, 0x6D2, 0x6D3:
			r = 0x6CC
		case 0x6BE:
			r = 0x6C1
		case 0x653, 0x654, 0x655:
			continue
		}
		if r == 0x6CC && len(rs) > 0 && rs[len(rs)-1] == 0x6CC {
			continue
		}
		rs = append(rs, r)
	}
	return string(rs)
}

// Terms returns the match keys a query for text looks up, one per word in
// order: text is normalised and segmented, a compound word is kept joined
// ("Rs500" → "rs500", "e-commerce" → "ecommerce"), and English words are
// stemmed when lang is "en". The JavaScript client computes the same keys.
func Terms(text, lang string) []string {
	var keys []string
	for _, t := range segment(normalize(text)) {
		if len16(t.word) <= maxWord {
			keys = append(keys, key(t.word, lang))
		}
	}
	return keys
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}
