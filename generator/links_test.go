package generator

import (
	"strings"
	"testing"
)

// Links that are URLs render as the browser would resolve them on the published site: with a
// sub-path base URL, "/tax/x/" means the site's /tax/x/ (under the base path), and a relative
// link resolves from the page's own URL. Pages are linked by their canonical URL; other files
// by their path; queries and fragments are kept. None of these links is reported.
func TestURLLinksRender(t *testing.T) {
	files := map[string][]byte{
		"site.toml":                []byte("[languages.en]\nweight = 1\n[languages.ur]\nweight = 2\n"),
		"content/en/faq.md":        []byte("---\ntitle: FAQ\n---\n" + faqLinks),
		"content/en/tax/x.md":      []byte("---\ntitle: X\n---\n## Rates {#rates}\n"),
		"content/en/f/a.pdf":       []byte("%PDF"),
		"content/ur/_index.md":     []byte("---\ntitle: گھر\n---\n[u1](../tax/x/) [u2](/tax/x/) [u3](tax/) [u4](/ur/)\n"),
		"content/ur/tax/_index.md": []byte("---\ntitle: ٹیکس\n---\n"),
	}
	for _, tc := range []struct {
		base string
		want []string
	}{
		{"https://user.github.io/guide/", []string{
			`href="/guide/tax/x/">l1<`, `href="/guide/tax/x/#rates">l2<`, `href="/guide/tax/x/">l3<`,
			`href="/guide/f/a.pdf?dl=1#page=2">l4<`, `href="/guide/tax/x/">l5<`, `href="/guide/feed.xml">l6<`,
			`href="/guide/faq/">l7<`, `href="/guide/">l8<`, `href="/guide/tax/x/#rates">l9<`,
		}},
		{"/", []string{
			`href="/tax/x/">l1<`, `href="/tax/x/#rates">l2<`, `href="/tax/x/">l3<`,
			`href="/f/a.pdf?dl=1#page=2">l4<`, `href="/tax/x/">l5<`, `href="/feed.xml">l6<`,
			`href="/faq/">l7<`, `href="/">l8<`,
		}},
	} {
		out, _, err := buildFS(t, mapFS(files), Options{BaseURL: tc.base})
		if err != nil {
			t.Fatalf("base %s: %v", tc.base, err)
		}
		page := string(out.Files["faq/index.html"])
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("base %s: faq page lacks %s", tc.base, w)
			}
		}
		ur := string(out.Files["ur/index.html"])
		base := strings.TrimPrefix(tc.base, "https://user.github.io")
		for _, w := range []string{`href="` + base + `tax/x/">u1<`, `href="` + base + `tax/x/">u2<`, `href="` + base + `ur/tax/">u3<`, `href="` + base + `ur/">u4<`} {
			if !strings.Contains(ur, w) {
				t.Errorf("base %s: ur home lacks %s", tc.base, w)
			}
		}
	}
}

const faqLinks = `[l1](/tax/x/) [l2](/tax/x/#rates) [l3](../tax/x/) [l4](/f/a.pdf?dl=1#page=2)
[l5](/tax/x) [l6](/feed.xml) [l7](./) [l8](..) [l9](../tax/x/index.html#rates)
`

// Under a sub-path base URL, a link that climbs above the base path leaves the site, and a
// site-absolute link that repeats the base path points at a page that does not exist.
func TestURLLinksOutsideBase(t *testing.T) {
	files := map[string][]byte{
		"content/faq.md":   []byte("---\ntitle: FAQ\n---\n[a](../../x/)\n\n[b](/guide/tax/x/)\n"),
		"content/tax/x.md": []byte("---\ntitle: X\n---\n"),
	}
	_, _, err := buildFS(t, mapFS(files), Options{BaseURL: "https://user.github.io/guide/"})
	for _, want := range []string{
		"content/faq.md:4: link ../../x/: leads out of the site (to /x/, outside the base URL /guide/)",
		"content/faq.md:6: link /guide/tax/x/: no such page",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

// FuzzLinkURL: a link that stays in the site resolves to a clean site path, under whatever
// base path; one that does not is reported, never rendered as a path outside the base.
func FuzzLinkURL(f *testing.F) {
	for _, s := range []string{"/tax/x/", "../tax/x/", "../../../x", "./", "..", "a/b/../../..", "/../x/", "x%2F..", "//x"} {
		f.Add(s, "/guide/", "/ur/tax/x/")
	}
	f.Fuzz(func(t *testing.T, target, base, pageURL string) {
		u, err := parseBaseURL(base)
		if err != nil || !strings.HasPrefix(pageURL, "/") || target == "" {
			return
		}
		s := &Site{cfg: &Config{base: u}}
		got, ok := s.linkURL(&Page{URL: pageURL}, target)
		if !ok {
			return
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(s.relURL(got), "//") {
			t.Fatalf("base %q, page %q, link %q: %q", base, pageURL, target, got)
		}
		for _, seg := range strings.Split(got, "/") {
			if seg == ".." || seg == "." {
				t.Fatalf("base %q, page %q, link %q: %q keeps a dot segment", base, pageURL, target, got)
			}
		}
	})
}

func TestLinkURL(t *testing.T) {
	for _, tc := range []struct {
		base, page, link, want string
		ok                     bool
	}{
		{"/", "/faq/", "../tax/x/", "/tax/x/", true},
		{"/", "/faq/", "tax/x/", "/faq/tax/x/", true},
		{"/", "/", ".//evil.example/", "/evil.example/", true},
		{"/", "/faq/", "a//b", "/faq/a/b", true},
		{"/", "/faq/", "../../../x", "/x", true},
		{"/guide/", "/faq/", "../../x", "/x", false},
		{"/guide/", "/faq/", "/tax/x/", "/tax/x/", true},
		{"/guide/", "/faq/", "/../x/", "/x/", false},
		{"/guide/", "/ur/tax/x/", "..", "/ur/tax/", true},
		{"/guide/", "/404.html", "tax/", "/tax/", true},
	} {
		u, _ := parseBaseURL(tc.base)
		s := &Site{cfg: &Config{base: u}}
		got, ok := s.linkURL(&Page{URL: tc.page}, tc.link)
		if got != tc.want || ok != tc.ok {
			t.Errorf("base %s page %s link %s = %q, %v; want %q, %v", tc.base, tc.page, tc.link, got, ok, tc.want, tc.ok)
		}
	}
}
