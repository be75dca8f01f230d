package search

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func urls(r *Result) []string {
	var u []string
	for _, h := range r.Hits {
		u = append(u, h.URL)
	}
	return u
}

func search(t *testing.T, s *Searcher, q, sec string) *Result {
	t.Helper()
	r, err := s.Search(q, sec)
	if err != nil {
		t.Fatalf("Search(%q, %q): %v", q, sec, err)
	}
	return r
}

func doc(url, title, text string) Doc {
	return Doc{URL: url, Title: title, Parts: []Part{{"", "", text}}}
}

// filler makes bodies of equal length so only the tested factor differs.
const filler = "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor."

func TestRankingFactors(t *testing.T) {
	tests := []struct {
		name  string
		docs  []Doc
		query string
		want  []string
	}{
		{"title above body",
			[]Doc{doc("/body/", "Payments", "Mobile wallets are popular. "+filler), doc("/title/", "Mobile wallets", "Payments are popular. "+filler)},
			"wallets ", []string{"/title/", "/body/"}},
		{"heading above body",
			[]Doc{
				{URL: "/body/", Title: "A", Parts: []Part{{"", "", "Refunds take a week. " + filler}, {"x", "Other", filler}}},
				{URL: "/heading/", Title: "B", Parts: []Part{{"", "", "Take a week. " + filler}, {"refunds", "Refunds", filler}}},
			},
			"refunds ", []string{"/heading/#refunds", "/body/"}},
		{"exact word above a longer word with the typed prefix",
			[]Doc{doc("/prefix/", "A", "Cashback offers. "+filler), doc("/exact/", "B", "Cash offers. "+filler)},
			"cash", []string{"/exact/", "/prefix/"}},
		{"more occurrences rank higher",
			[]Doc{doc("/once/", "A", "Customs duty. "+filler), doc("/twice/", "B", "Customs duty and customs forms. "+filler)},
			"customs ", []string{"/twice/", "/once/"}},
		{"shorter page ranks higher at equal counts",
			[]Doc{doc("/long/", "A", "Courier rates. "+filler+" "+filler+" "+filler), doc("/short/", "B", "Courier rates. "+filler)},
			"courier ", []string{"/short/", "/long/"}},
		{"all words above some words",
			[]Doc{doc("/one/", "A", "Sales sales sales everywhere. "+filler), doc("/both/", "B", "Sales tax. "+filler)},
			"sales tax ", []string{"/both/", "/one/"}},
		{"rare word counts more than a common one",
			[]Doc{doc("/common/", "A", "Shop shop. "+filler), doc("/rare/", "B", "Invoice. "+filler), doc("/c2/", "C", "Shop. "+filler), doc("/c3/", "D", "Shop. "+filler)},
			"shop invoice ", []string{"/rare/", "/common/", "/c2/", "/c3/"}},
		{"stemmed forms match",
			[]Doc{doc("/a/", "A", "We registered the shop. "+filler)},
			"registering ", []string{"/a/"}},
		{"ties keep document order",
			[]Doc{doc("/first/", "A", "Packaging. "+filler), doc("/second/", "B", "Packaging. "+filler)},
			"packaging ", []string{"/first/", "/second/"}},
	}
	for _, tt := range tests {
		_, s := mustBuild(t, tt.docs, "en")
		if got := urls(search(t, s, tt.query, "")); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q ranks %q, want %q", tt.name, tt.query, got, tt.want)
		}
	}
}

func TestSiteQueries(t *testing.T) {
	_, s := mustBuild(t, englishDocs(), "en")
	tests := []struct {
		query, section string
		first          string // "" for no results
		total          int    // -1: any
	}{
		{"sales tax", "", "/guide/tax/sales-tax/", -1},
		{"IBFT", "", "/guide/pay/ibft/", 1},
		{"ibft ", "", "/guide/pay/ibft/", 1},
		{"Rs 500", "", "/guide/pay/ibft/", -1},        // finds Rs500
		{"rs500", "", "/guide/pay/ibft/", 1},          // as typed
		{"18%", "", "/guide/tax/sales-tax/#rates", 1}, // and links to its heading
		{"3P", "", "/guide/ship/couriers/#3p", 1},
		{"SALES-TAX ", "", "/guide/tax/sales-tax/", -1}, // a compound found by its parts
		{"FBR’s", "", "/guide/tax/sales-tax/", 1},
		{"withholding", "", "/guide/tax/income-tax/#withholding", 1},
		{"cash", "pay", "/guide/pay/cod/", 1},           // the select's section
		{"pay: cash", "", "/guide/pay/cod/", 1},         // a section in the query
		{"ship:cash", "pay", "/guide/ship/returns/", 2}, // the query's section wins; returns is shorter than couriers
		{"tax: ibft", "", "", 0},
		{"nosuch: ibft", "", "/guide/pay/ibft/", 1}, // not a section: a word that matches nothing
		{"zzzzzz", "", "", 0},
		{"", "", "", 0},
		{`"sales tax"`, "", "/guide/tax/sales-tax/", 1},
		{`"tax sales"`, "", "/guide/tax/myths/", 1},
		{`"tax sales`, "", "/guide/tax/sales-tax/", -1}, // an open quote is no phrase
		{`"sales tax" rates`, "", "/guide/tax/sales-tax/#rates", 1},
	}
	for _, tt := range tests {
		r := search(t, s, tt.query, tt.section)
		first := ""
		if len(r.Hits) > 0 {
			first = r.Hits[0].URL
		}
		if first != tt.first || (tt.total >= 0 && r.Total != tt.total) {
			t.Errorf("Search(%q, %q): first %q of %d, want %q of %d; all %q", tt.query, tt.section, first, r.Total, tt.first, tt.total, urls(r))
		}
	}
}

func TestPrefix(t *testing.T) {
	_, s := mustBuild(t, englishDocs(), "en")
	tests := []struct {
		query string
		want  []string
	}{
		{"regis", []string{"/guide/tax/sales-tax/", "/guide/start/", "/guide/ship/couriers/"}},
		{"registrati", []string{"/guide/tax/sales-tax/", "/guide/ship/couriers/"}}, // past the stem "registr"
		{"regis ", nil}, // a finished word is not a prefix
		{"r", nil},      // one letter is not expanded
		{"wall", []string{"/guide/pay/wallets/"}},
		{"sales ta", []string{"/guide/tax/sales-tax/", "/guide/tax/myths/", "/guide/tax/income-tax/"}},
		{"rs5", []string{"/guide/pay/ibft/"}},
	}
	for _, tt := range tests {
		r := search(t, s, tt.query, "")
		got := urls(r)
		if len(tt.want) < len(got) && tt.want != nil {
			got = got[:len(tt.want)]
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestTypos(t *testing.T) {
	_, s := mustBuild(t, englishDocs(), "en")
	const couriers = "/guide/ship/couriers/"
	tests := []struct {
		query string
		want  string
	}{
		{"curiers ", couriers},   // deletion
		{"courriers ", couriers}, // insertion
		{"coutiers ", couriers},  // substitution
		{"cuoriers ", couriers},  // swap of neighbours
		{"xouriers ", couriers},  // first letter
		{"courierz", couriers},   // last letter, while typing
		{"cuorirs ", ""},         // two edits
		{"cahs ", ""},            // four letters: not corrected
		{"refnuds ", "/guide/ship/returns/"},
	}
	for _, tt := range tests {
		r := search(t, s, tt.query, "")
		first := ""
		if len(r.Hits) > 0 {
			first = r.Hits[0].URL
		}
		if first != tt.want {
			t.Errorf("%q: first %q, want %q", tt.query, first, tt.want)
		}
		if tt.want != "" && len(r.Rounds) != 4 {
			t.Errorf("%q: %d round trips, want 4 (terms, typos, corrections, results)", tt.query, len(r.Rounds))
		}
	}
	// A word that is found is not corrected, though "cash" is one edit away.
	if r := search(t, s, "cast ", ""); r.Total != 0 {
		t.Errorf(`"cast" matched %q; typo tolerance applies only to words of five letters or more`, urls(r))
	}
	if r := search(t, s, "couriers ", ""); len(r.Rounds) != 2 {
		t.Errorf(`"couriers": %d round trips, want 2`, len(r.Rounds))
	}
}

func TestRoundTrips(t *testing.T) {
	_, s := mustBuild(t, englishDocs(), "en")
	for _, q := range []string{"sales tax", "regis", `"sales tax"`, "pay: cash", "Rs 500", "SALES-TAX"} {
		r := search(t, s, q, "")
		if len(r.Rounds) != 2 {
			t.Errorf("%q: %d sequential round trips after the manifest, want 2: %q", q, len(r.Rounds), r.Rounds)
			continue
		}
		for _, f := range r.Rounds[0] {
			if !strings.HasPrefix(f, s.m.Files.Terms) && !strings.HasPrefix(f, s.m.Files.Pos) {
				t.Errorf("%q: round 1 reads %s", q, f)
			}
		}
		for _, f := range r.Rounds[1] {
			if !strings.HasPrefix(f, s.m.Files.Chunks) {
				t.Errorf("%q: round 2 reads %s", q, f)
			}
		}
		if strings.Contains(q, `"`) != slices.ContainsFunc(r.Rounds[0], func(f string) bool { return strings.HasPrefix(f, s.m.Files.Pos) }) {
			t.Errorf("%q: positions read %v; want them for phrases only", q, r.Rounds[0])
		}
	}
}

func TestUrdu(t *testing.T) {
	_, s := mustBuild(t, urduDocs(), "ur")
	tests := []struct {
		query string
		want  []string
	}{
		{"آم", []string{"/guide/ur/food/mango/", "/guide/ur/food/word/"}}, // exact form first, then ام leniently
		{"ام", []string{"/guide/ur/food/word/", "/guide/ur/food/mango/"}},
		{"کوی", []string{"/guide/ur/pay/cod/"}}, // کوئی without its hamza
		{"کتاب", []string{"/guide/ur/books/"}},  // written كتاب with Arabic kaf
		{"كتاب", []string{"/guide/ur/books/"}},
		{"ریکارڈ", []string{"/guide/ur/books/"}}, // written with Arabic yeh and kaf
		{"۱۸٪", []string{"/guide/ur/tax/sales-tax/"}},
		{"18%", []string{"/guide/ur/tax/sales-tax/"}},
		{"ٹیک", []string{"/guide/ur/tax/sales-tax/"}},
		{"رجسٹریشین ", []string{"/guide/ur/tax/sales-tax/"}}, // one typo
	}
	for _, tt := range tests {
		if got := urls(search(t, s, tt.query, "")); !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %q, want %q", tt.query, got, tt.want)
		}
	}
	r := search(t, s, "کی ", "")
	if len(r.Hits) == 0 || r.Hits[0].URL != "/guide/ur/food/mango/" || !slices.Equal(r.Hits[0].Marks, []string{"کی", "کے"}) {
		t.Errorf(`"کی": want the page with کی first, marking کی and leniently کے; got %+v`, r.Hits)
	}
}

func TestExcerpt(t *testing.T) {
	_, s := mustBuild(t, englishDocs(), "en")
	r := search(t, s, "inventory", "")
	if len(r.Hits) != 1 {
		t.Fatalf("inventory: %+v", r.Hits)
	}
	h := r.Hits[0]
	if !strings.HasPrefix(h.Excerpt, "…") || !strings.Contains(h.Excerpt, "Reconcile your inventory") || !slices.Equal(h.Marks, []string{"inventory"}) {
		t.Errorf("inventory: excerpt %q marks %q; want the text cut before the far match", h.Excerpt, h.Marks)
	}
	r = search(t, s, "registering ", "")
	if h := r.Hits[0]; h.Heading != "Who must register" || !slices.Equal(h.Marks, []string{"register", "register"}) || h.Section != "Tax changes" {
		t.Errorf("registering: %+v", h)
	}
}

func TestDeterministic(t *testing.T) {
	a, err := Build(englishDocs(), Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, err := Build(englishDocs(), Options{Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Manifest != b.Manifest || len(a.Files) != len(b.Files) {
			t.Fatalf("manifest %s then %s", a.Manifest, b.Manifest)
		}
		for n, f := range a.Files {
			if !bytes.Equal(f, b.Files[n]) {
				t.Errorf("%s differs between builds", n)
			}
		}
	}
	// Segmenting runs on as many workers as processors, in batches of documents: the
	// index must not depend on how many there are.
	var many []Doc
	for i := range 9 * segBatchDocs {
		for _, d := range englishDocs() {
			d.URL = fmt.Sprintf("%s%d/", d.URL, i)
			d.Title = fmt.Sprintf("%s %d", d.Title, i%7)
			many = append(many, d)
		}
	}
	var first *Index
	for _, procs := range []int{1, 2, 3, 8} {
		prev := runtime.GOMAXPROCS(procs)
		ix, err := Build(many, Options{Lang: "en"})
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = ix
			continue
		}
		if ix.Manifest != first.Manifest || len(ix.Files) != len(first.Files) {
			t.Fatalf("GOMAXPROCS %d: manifest %s, with 1: %s", procs, ix.Manifest, first.Manifest)
		}
		for n, f := range first.Files {
			if !bytes.Equal(f, ix.Files[n]) {
				t.Errorf("GOMAXPROCS %d: %s differs", procs, n)
			}
		}
	}

	// Names follow content: a changed page renames its chunk family and the
	// manifest, not the unchanged families.
	docs := englishDocs()
	docs[len(docs)-1].Parts[0].Text += " Zebra."
	c, err := Build(docs, Options{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Manifest == a.Manifest {
		t.Error("the manifest kept its name after the content changed")
	}
	common := 0
	for n := range c.Files {
		if _, ok := a.Files[n]; ok {
			common++
			if !bytes.Equal(a.Files[n], c.Files[n]) {
				t.Errorf("%s kept its name but not its content", n)
			}
		}
	}
	if common == len(c.Files) {
		t.Error("no file was renamed")
	}
}

func TestBuildEdgeCases(t *testing.T) {
	if _, err := Build([]Doc{{Title: "No URL"}}, Options{Lang: "en"}); err == nil || !strings.Contains(err.Error(), "no URL") {
		t.Errorf("a document without URL: err = %v", err)
	}
	_, s := mustBuild(t, nil, "en")
	if r := search(t, s, "anything", ""); r.Total != 0 {
		t.Errorf("empty index found %d", r.Total)
	}
	_, s = mustBuild(t, []Doc{{URL: "/t/", Title: "Title only"}}, "en")
	if r := search(t, s, "title", ""); r.Total != 1 || r.Hits[0].URL != "/t/" || r.Hits[0].Excerpt != "" {
		t.Errorf("title-only page: %+v", r.Hits)
	}
	if _, err := NewSearcher(&Index{Files: map[string][]byte{"m.json": []byte("{")}, Manifest: "m.json"}); err == nil {
		t.Error("a broken manifest was accepted")
	}
}

// TestQueriesGolden records the ranking of the test site, so a change to
// analysis or scoring shows as a diff. Run with -update to accept one.
func TestQueriesGolden(t *testing.T) {
	var b strings.Builder
	for _, c := range []struct {
		lang    string
		docs    []Doc
		queries []string
	}{
		{"en", englishDocs(), []string{"sales tax", "tax", "regis", "cash on delivery", "refund", "bank", "the", `"cash on delivery"`, "seller's records", "courriers "}},
		{"ur", urduDocs(), []string{"سیلز ٹیکس", "کی", "ادائیگی", "لائسنس"}},
	} {
		_, s := mustBuild(t, c.docs, c.lang)
		for _, q := range c.queries {
			r := search(t, s, q, "")
			fmt.Fprintf(&b, "%s %q: %d\n", c.lang, q, r.Total)
			for _, h := range r.Hits {
				fmt.Fprintf(&b, "\t%d %s %q %q\n", h.Score, h.URL, h.Heading, h.Marks)
			}
		}
	}
	const golden = "testdata/queries.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("rankings differ from %s (run with -update if intended):\n%s", golden, b.String())
	}
}

// TestLongWords: a word longer than maxWord is not indexed, but still takes its place, so a
// phrase across it does not match as if the words were adjacent.
func TestLongWords(t *testing.T) {
	long := strings.Repeat("x", maxWord+1)
	_, s := mustBuild(t, []Doc{
		{URL: "/a/", Title: "Page A", Parts: []Part{{Text: "alpha " + long + " beta"}}},
		{URL: "/b/", Title: "Page B", Parts: []Part{{Text: "alpha beta"}}},
	}, "en")
	for i := range s.m.Terms {
		sh, err := s.termShard(i)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range sh.entries {
			if len16(e.key) > maxWord {
				t.Errorf("a %d-letter key is in the index", len16(e.key))
			}
		}
	}
	if r := search(t, s, "alpha", ""); r.Total != 2 {
		t.Errorf("alpha: %d results, want 2", r.Total)
	}
	if r := search(t, s, `"alpha beta"`, ""); r.Total != 1 || r.Hits[0].URL != "/b/" {
		t.Errorf(`"alpha beta": %+v, want only /b/`, r.Hits)
	}
}
