package search

import (
	"strings"
	"testing"
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
