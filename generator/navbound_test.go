package generator

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// navSite is a site with one section of big pages, each tagged "common" and with many tags of
// its own, and sections more one-page sections.
func navSite(big, sections int) map[string][]byte {
	files := map[string][]byte{
		"content/_index.md":     []byte("---\ntitle: Home\n---\n"),
		"content/big/_index.md": []byte("---\ntitle: Big\nweight: 1\n---\n"),
	}
	for i := range big {
		var tags []string
		tags = append(tags, "common")
		for k := range 15 {
			tags = append(tags, fmt.Sprintf("t%d", (i+k)%40))
		}
		files[fmt.Sprintf("content/big/p%03d.md", i)] = fmt.Appendf(nil,
			"---\ntitle: Page %03d\nweight: %d\ntags: [%s]\n---\nText of page %d.\n", i, i+1, strings.Join(tags, ", "), i)
	}
	for s := range sections {
		files[fmt.Sprintf("content/s%03d/_index.md", s)] = fmt.Appendf(nil, "---\ntitle: Section %03d\nweight: %d\n---\n", s, s+2)
		files[fmt.Sprintf("content/s%03d/a.md", s)] = fmt.Appendf(nil, "---\ntitle: Only page\n---\nText.\n")
	}
	return files
}

func buildNavSite(t *testing.T, big, sections int) map[string][]byte {
	t.Helper()
	out, _, err := buildFS(t, mapFS(navSite(big, sections)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return out.Files
}

// TestNavBounded: a page's size depends neither on how many pages its section holds nor on how
// many sections the site has; the lists a page prints are windows onto the whole.
func TestNavBounded(t *testing.T) {
	small := buildNavSite(t, 300, 60)
	large := buildNavSite(t, 600, 120)

	const bound = 24 << 10
	for path, b := range small {
		// The search page's list of every page (for readers without script) is the one
		// list that is whole; the cut lists point to it.
		if strings.HasSuffix(path, ".html") && path != "search/index.html" && len(b) > bound {
			t.Errorf("%s is %d bytes, more than %d", path, len(b), bound)
		}
	}
	// The same page, the same size whatever the size of its section and of the site (the
	// numbers in "All 300 pages" and "All 600 pages" have as many digits).
	for _, path := range []string{"big/p150/index.html", "big/p000/index.html", "s005/a/index.html", "big/index.html", "tags/common/index.html", "tags/index.html"} {
		if a, b := len(small[path]), len(large[path]); a != b {
			t.Errorf("%s is %d bytes with 300 pages and 60 sections, %d with 600 and 120", path, a, b)
		}
	}

	page := string(small["big/p150/index.html"])
	nav := regexp.MustCompile(`(?s)<nav class="section-nav".*?</nav>`).FindString(page)
	links := regexp.MustCompile(`href="/big/(p\d+)/"`).FindAllStringSubmatch(nav, -1)
	var got []string
	for _, l := range links {
		got = append(got, l[1])
	}
	want := "p000 p143 p144 p145 p146 p147 p148 p149 p150 p151 p152 p153 p154 p155 p156 p157 p299"
	if strings.Join(got, " ") != want {
		t.Errorf("section navigation of p150 links %v, want %s", got, want)
	}
	for _, s := range []string{
		`<a href="/big/p150/" aria-current="page">Page 150</a>`,
		`<li class="gap" aria-hidden="true">…</li>`,
		`<p class="all"><a href="/big/">All 300 pages in Big</a></p>`,
	} {
		if !strings.Contains(nav, s) {
			t.Errorf("section navigation of p150 lacks %s:\n%s", s, nav)
		}
	}

	menu := regexp.MustCompile(`(?s)<nav class="site-nav".*?</nav>`).FindString(page)
	if n := strings.Count(menu, "<li>"); n != theNavLimits.Menu+2 {
		t.Errorf("menu has %d entries, want %d sections, the link to all and search:\n%s", n, theNavLimits.Menu, menu)
	}
	if !strings.Contains(menu, `<a href="/">All sections…</a>`) {
		t.Errorf("menu lacks the link to all sections:\n%s", menu)
	}
	if n := strings.Count(page, `rel="tag"`); n != theNavLimits.Tags {
		t.Errorf("p150 prints %d tags, want %d", n, theNavLimits.Tags)
	}

	for _, c := range []struct {
		files      map[string][]byte
		path, want string
	}{
		{small, "big/index.html", "Listed here: the first 100 of 300."},
		{small, "tags/common/index.html", "Listed here: the first 100 of 300."},
		{large, "index.html", "Listed here: the first 100 of 121."},
	} {
		if !strings.Contains(string(c.files[c.path]), c.want) {
			t.Errorf("%s lacks %q", c.path, c.want)
		}
	}
	if strings.Contains(string(small["index.html"]), "Listed here") {
		t.Errorf("the home page notes a cut list, but its 61 entries fit")
	}
	if n := strings.Count(string(small["big/index.html"]), `<li><h3>`); n != theNavLimits.List {
		t.Errorf("big/index.html lists %d pages, want %d", n, theNavLimits.List)
	}

	// A short section is listed whole, as before.
	short := string(buildNavSite(t, theNavLimits.Whole, 1)["big/p025/index.html"])
	if n := strings.Count(regexp.MustCompile(`(?s)<nav class="section-nav".*?</nav>`).FindString(short), `href="/big/p`); n != theNavLimits.Whole {
		t.Errorf("a section of %d pages lists %d of them", theNavLimits.Whole, n)
	}
	if strings.Contains(short, `class="all"`) {
		t.Errorf("a short section's navigation links to all its pages although it lists them")
	}
}

func TestWindow(t *testing.T) {
	list := make([]*Page, 30)
	for i := range list {
		list[i] = &Page{Key: fmt.Sprint(i)}
	}
	show := func(ps []*Page) string {
		var s []string
		for _, p := range ps {
			if p == nil {
				s = append(s, "…")
			} else {
				s = append(s, p.Key)
			}
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		at     int
		radius int
		whole  int
		want   string
	}{
		{0, 2, 30, ""},
		{0, 2, 10, "0 1 2 3 4 … 29"},
		{1, 2, 10, "0 1 2 3 4 … 29"},
		{3, 2, 10, "0 1 2 3 4 5 … 29"},
		{4, 2, 10, "0 … 2 3 4 5 6 … 29"},
		{15, 2, 10, "0 … 13 14 15 16 17 … 29"},
		{26, 2, 10, "0 … 24 25 26 27 28 29"},
		{29, 2, 10, "0 … 25 26 27 28 29"},
	}
	for _, tt := range tests {
		if got := show(window(list, list[tt.at], tt.radius, tt.whole)); got != tt.want {
			t.Errorf("window at %d, radius %d: %q, want %q", tt.at, tt.radius, got, tt.want)
		}
	}
}
