package generator

import (
	"context"
	"strings"
	"testing"
)

// Search weights come from the page, else its section in site.toml; a section overview is
// halved only when it has pages of its own in its language.
func TestSearchWeights(t *testing.T) {
	files := map[string][]byte{
		"site.toml":                    []byte("[searchWeights]\nupdates = 0.5\n[languages.en]\n[languages.ur]\n"),
		"content/en/tax/_index.md":     []byte("---\ntitle: Tax\n---\nOverview.\n"),
		"content/en/tax/rates.md":      []byte("---\ntitle: Rates\n---\nRates.\n"),
		"content/en/tax/heavy.md":      []byte("---\ntitle: Heavy\nsearchWeight: 2\n---\nHeavy.\n"),
		"content/en/updates/news.md":   []byte("---\ntitle: News\n---\nNews.\n"),
		"content/en/updates/keep.md":   []byte("---\ntitle: Keep\nsearchWeight: 1\n---\nKept.\n"),
		"content/ur/tax/_index.md":     []byte("---\ntitle: ٹیکس\n---\nتفصیل۔\n"),
		"content/ur/updates/_index.md": []byte("---\ntitle: خبریں\n---\nخبریں۔\n"),
		"content/ur/updates/news.md":   []byte("---\ntitle: خبر\n---\nخبر۔\n"),
	}
	site, err := Load(context.Background(), Source{Site: mapFS(files)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"/tax/":             0.5,  // overview with pages
		"/tax/rates/":       1,    // default
		"/tax/heavy/":       2,    // front matter
		"/updates/news/":    0.5,  // section weight
		"/updates/keep/":    1,    // front matter wins over the section
		"/ur/tax/":          1,    // overview without pages in Urdu: not halved
		"/ur/updates/":      0.25, // section weight, halved: it has a page
		"/ur/updates/news/": 0.5,
	}
	got := map[string]float64{}
	for _, lang := range []string{"en", "ur"} {
		for _, d := range site.SearchDocs(lang) {
			got[d.URL] = d.Boost
		}
	}
	for url, w := range want {
		if got[url] != w {
			t.Errorf("%s: weight %v, want %v", url, got[url], w)
		}
	}
}

func TestSearchWeightsRefused(t *testing.T) {
	for _, tt := range []struct{ name, toml, page, want string }{
		{"zero in site.toml", "[searchWeights]\nupdates = 0\n", "", "searchWeights.updates = 0: want a number above 0"},
		{"too big in site.toml", "[searchWeights]\ntax = 9\n", "", "searchWeights.tax = 9"},
		{"negative in front matter", "", "---\ntitle: X\nsearchWeight: -1\n---\n", "searchWeight: want a number above 0 and at most 4"},
		{"text in front matter", "", "---\ntitle: X\nsearchWeight: high\n---\n", `searchWeight: want a number above 0 and at most 4, got text "high"`},
	} {
		files := map[string][]byte{"content/x.md": []byte("---\ntitle: X\n---\n")}
		if tt.toml != "" {
			files["site.toml"] = []byte(tt.toml)
		}
		if tt.page != "" {
			files["content/x.md"] = []byte(tt.page)
		}
		_, err := Load(context.Background(), Source{Site: mapFS(files)}, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}
