package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"ASCII lower case", "Sales TAX", "sales tax"},
		{"Latin diacritics", "Café naïve ÉCOLE", "cafe naive ecole"},
		{"dotted capital I", "İstanbul", "istanbul"},
		{"final sigma like JavaScript", "ΟΔΟΣ", "οδοσ"},
		{"NFKC ligature and full width", "ﬁnance ＡＢＣ１２", "finance abc12"},
		{"Arabic kaf to keheh", "كتاب", "کتاب"},
		{"Arabic yeh to Farsi yeh", "علي", "علی"},
		{"alef maksura to Farsi yeh", "مصطفى", "مصطفی"},
		{"Arabic heh to heh goal", "ه", "ہ"},
		{"heh goal with hamza to heh goal", "ہمۂ", "ہمہ"},
		{"teh marbuta", "رحمة", "رحمۃ"},
		{"harakat stripped", "مُحَمَّد", "محمد"},
		{"superscript alef stripped", "قرآنٰ", "قرآن"},
		{"tatweel stripped", "کـــتاب", "کتاب"},
		{"Extended Arabic-Indic digits", "۱۲۳۴۵۶۷۸۹۰", "1234567890"},
		{"Arabic-Indic digits", "٢٠٢٤", "2024"},
		{"Arabic percent and separators", "۱۸٪ ۱٬۰۰۰ ۲٫۵", "18% 1,000 2.5"},
		{"presentation forms", "ﻙﺘﺎﺏ", "کتاب"},
		{"hamza on yeh kept", "کوئی", "کوئی"},
		{"Farsi yeh and hamza above compose", "کو\u06cc\u0654ی", "کوئی"},
		{"Arabic yeh and hamza above compose", "کو\u064a\u0654ی", "کوئی"},
		{"madda kept", "آم", "آم"},
		{"yeh barree kept", "کے", "کے"},
		{"do-chashmi heh kept", "تھا", "تھا"},
		{"ZWJ, soft hyphen, LRM and BOM dropped", "a\u200db a\u00adb a\u200eb a\ufeffb", "ab ab ab ab"},
		{"ZWNJ and ZWSP kept", "a\u200cb a\u200bb", "a\u200cb a\u200bb"},
		{"typographic apostrophe", "seller’s", "seller's"},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("%s: normalize(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestSegment(t *testing.T) {
	tests := []struct {
		in   string
		want []string // word/part+part/width
	}{
		{"sales tax", []string{"sales//1", "tax//1"}},
		{"rs500", []string{"rs500/rs+500/2"}},
		{"rs 500 rs.500", []string{"rs//1", "500//1", "rs//1", "500//1"}},
		{"3p ibft", []string{"3p/3+p/2", "ibft//1"}},
		{"18% 2.5% 100%off", []string{"18%/18/2", "2.5%/2.5/2", "100%/100/2", "off//1"}},
		{"1,000 1,00,000 v2.0 1.2.3", []string{"1000//1", "100000//1", "v2.0/v+2.0/2", "1.2.3//1"}},
		{"e-commerce end-to-end", []string{"ecommerce/e+commerce/2", "endtoend/end+to+end/3"}},
		{"don't seller's fbr's sellers' 'quoted'", []string{"dont//1", "seller//1", "fbr//1", "sellers//1", "quoted//1"}},
		{"a--b -5 5- a,b 1.", []string{"a//1", "b//1", "5//1", "5//1", "a//1", "b//1", "1//1"}},
		{"می\u200cشود", []string{"میشود/می+شود/2"}},
		{"ہوگئی۔ ٹیکس،سیلز", []string{"ہوگئی//1", "ٹیکس//1", "سیلز//1"}},
		{"a\u200bb", []string{"a//1", "b//1"}},
		{"x²", []string{"x2/x+2/2"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range segment(normalize(tt.in)) {
			got = append(got, tk.word+"/"+strings.Join(tk.parts, "+")+"/"+string(rune('0'+tk.width)))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("segment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTerms(t *testing.T) {
	tests := []struct {
		in, lang string
		want     []string
	}{
		{"Sales TAX registration, registering & registered", "en", []string{"sale", "tax", "registr", "regist", "regist"}},
		{"Rs500 Rs 500 3P IBFT 18%", "en", []string{"rs500", "rs", "500", "3p", "ibft", "18%"}},
		{"relational generously dying skies", "en", []string{"relat", "generous", "die", "sky"}},
		{"FBR’s e-commerce", "en", []string{"fbr", "ecommerc"}},
		{"Sales TAX", "ur", []string{"sales", "tax"}},                 // no stemming outside English
		{"Sales TAX", "fr", []string{"sales", "tax"}},                 // nor for other languages
		{"كتاب يہ كوئی", "ur", []string{"کتاب", "یہ", "کوئی"}},        // safe folds
		{"کوئی آم کے تھا", "ur", []string{"کوئی", "آم", "کے", "تھا"}}, // contested letters kept
		{"۱۸٪ ٢٠٢٤", "ur", []string{"18%", "2024"}},
		{"میں\u200cنے", "ur", []string{"میںنے"}},
		{strings.Repeat("x", 49) + " y", "en", []string{"y"}},
		{"", "en", nil},
		{"!!! ... ---", "en", nil},
	}
	for _, tt := range tests {
		if got := Terms(tt.in, tt.lang); !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q, %q) = %q, want %q", tt.in, tt.lang, got, tt.want)
		}
	}
}

func TestLoose(t *testing.T) {
	tests := []struct{ in, want string }{
		{"آم", "ام"},
		{"کے", "کی"},
		{"ۓ", "ی"},
		{"تھا", "تہا"},
		{"کوئی", "کوی"}, // ئ → ی, then ی ی → ی
		{"گئے", "گی"},
		{"ؤ", "و"},
		{"أ إ ٱ", "ا ا ا"},
		{"کتاب", "کتاب"},
		{"ibft", "ibft"},
	}
	for _, tt := range tests {
		if got := loose(tt.in); got != tt.want {
			t.Errorf("loose(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The strict keys of the contested pairs stay apart.
	for _, p := range [][2]string{{"آم", "ام"}, {"کے", "کی"}, {"تھا", "تہا"}, {"کوئی", "کوی"}} {
		if a, b := Terms(p[0], "ur"), Terms(p[1], "ur"); slices.Equal(a, b) {
			t.Errorf("%q and %q share the strict key %q", p[0], p[1], a)
		}
	}
}

func TestCmp16(t *testing.T) {
	// JavaScript compares UTF-16 code units: U+FF21 (Ａ, a BMP character above
	// the surrogates) sorts after U+1F600, which byte order puts first.
	tests := []struct {
		a, b string
		want int
	}{
		{"a", "b", -1},
		{"ab", "a", 1},
		{"", "", 0},
		{"\U0001F600", "\uff21", -1},
		{"\ud7ff", "\U0001F600", -1},
		{"x\U00020000", "x\U00010000", 1},
		{"\x01a", "a", -1},
	}
	for _, tt := range tests {
		if got := cmp16(tt.a, tt.b); got != tt.want {
			t.Errorf("cmp16(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := cmp16(tt.b, tt.a); got != -tt.want {
			t.Errorf("cmp16(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

// FuzzTerms checks properties of the text analysis on any input: it never
// fails, keys are valid, bounded and free of separators, normalising twice
// changes nothing, and a space between two texts keeps their words apart.
func FuzzTerms(f *testing.F) {
	for _, l := range testdataLines(f, "terms.txt") {
		f.Add(l, "tail")
	}
	f.Add("Rs500", "18%")
	f.Add("کوئی", "كتاب")
	f.Fuzz(func(t *testing.T, a, b string) {
		if n := normalize(a); normalize(n) != n {
			t.Errorf("normalize is not idempotent on %q: %q then %q", a, n, normalize(n))
		}
		for _, lang := range []string{"en", "ur"} {
			ta, tb := Terms(a, lang), Terms(b, lang)
			for _, k := range ta {
				if k == "" || !utf8.ValidString(k) || len16(k) > maxWord {
					t.Errorf("Terms(%q, %q) has bad key %q", a, lang, k)
				}
				for _, r := range k {
					if c := class(r); c != cLetter && c != cDigit && r != '.' && r != '%' {
						t.Errorf("Terms(%q, %q): key %q holds %q", a, lang, k, r)
					}
				}
			}
			if got := Terms(a+" "+b, lang); !slices.Equal(got, append(ta, tb...)) {
				t.Errorf("Terms(%q + %q, %q) = %q, want %q", a, b, lang, got, append(ta, tb...))
			}
		}
	})
}

// TestTable64 grows the table past several resizes and checks every key, and keys never put.
func TestTable64(t *testing.T) {
	var tb table64
	if _, ok := tb.get(pack8("x")); ok {
		t.Fatal("empty table finds a key")
	}
	const n = 5000
	for i := range n {
		tb.put(uint64(i+1)*0x100000001, int32(i))
	}
	tb.put(7*0x100000001, -7) // a key put again keeps one slot
	if tb.n != n {
		t.Fatalf("n = %d, want %d", tb.n, n)
	}
	for i := range n {
		want := int32(i)
		if i == 6 {
			want = -7
		}
		if v, ok := tb.get(uint64(i+1) * 0x100000001); !ok || v != want {
			t.Fatalf("get(key %d) = %d, %v; want %d", i+1, v, ok, want)
		}
	}
	for _, k := range []uint64{0, 1, 0x100000000, (n + 1) * 0x100000001} {
		if v, ok := tb.get(k); ok {
			t.Fatalf("get(%#x) = %d, true for a key never put", k, v)
		}
	}
}
