package generator

import (
	"strings"
	"testing"
)

// A base URL that is not http(s)://host/… or a /path/ is refused, naming site.toml and the
// key's line, or the flag: every link, the sitemap and robots.txt are built from it.
func TestBaseURLValidation(t *testing.T) {
	cases := []struct {
		raw  string
		want string // "" accepted, with BaseURL == norm
		norm string
	}{
		{"https://user.github.io/guide/", "", "https://user.github.io/guide/"},
		{"https://user.github.io/guide", "", "https://user.github.io/guide/"},
		{"http://localhost:8080/", "", "http://localhost:8080/"},
		{"https://example.org", "", "https://example.org/"},
		{"/", "", "/"},
		{"/guide/", "", "/guide/"},
		{"/رہنما/", "", "/%D8%B1%DB%81%D9%86%D9%85%D8%A7/"},
		{"//evil.com/", "starts with //", ""},
		{"//evil.com", "starts with //", ""},
		{"/\\evil.com/", `contains '\\'`, ""},
		{"/%2F/evil.com/", "empty, . or .. path segment", ""},
		{"/%2fevil.com/../", "empty, . or .. path segment", ""},
		{"/a//b/", "empty, . or .. path segment", ""},
		{"/a/../b/", "empty, . or .. path segment", ""},
		{"guide/", "neither an http(s) address nor a path", ""},
		{"evil.com", "neither an http(s) address nor a path", ""},
		{"javascript:alert(1)", "scheme other than http", ""},
		{"ftp://example.org/", "scheme other than http", ""},
		{"http:example.org", "scheme other than http", ""},
		{"https://", "has no host", ""},
		{"https:///x/", "has no host", ""},
		{"https://user:pw@example.org/", "has a user name", ""},
		{"https://example.org/?q=1", "query or fragment", ""},
		{"https://example.org/?", "query or fragment", ""},
		{"https://example.org/#top", "query or fragment", ""},
		{"https://exa mple.org/", "contains", ""},
		{"https://ex_ample.org/", "host name cannot have", ""},
		{"http://[::1]:8080/", "", "http://[::1]:8080/"},
		{"/a\tb/", "contains", ""},
	}
	for _, c := range cases {
		toml := "title = \"T\"\n# the address\nbaseURL = " + quoteTOML(c.raw) + "\n[languages.en]\n"
		cfg, err := parseConfig([]byte(toml))
		if c.want == "" {
			if err != nil {
				t.Errorf("%q: %v", c.raw, err)
			} else if cfg.BaseURL != c.norm {
				t.Errorf("%q: BaseURL %q, want %q", c.raw, cfg.BaseURL, c.norm)
			}
			continue
		}
		if err == nil {
			t.Errorf("%q accepted as %q", c.raw, cfg.BaseURL)
			continue
		}
		if got := err.Error(); !strings.HasPrefix(got, "site.toml:3: baseURL ") || !strings.Contains(got, c.want) {
			t.Errorf("%q: got %q, want site.toml:3: … %s", c.raw, got, c.want)
		}
		_, _, err = buildFS(t, mapFS(map[string][]byte{"content/a.md": []byte("---\ntitle: A\n---\n")}), Options{BaseURL: c.raw})
		if err == nil || !strings.HasPrefix(err.Error(), "--base-url: baseURL ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--base-url %q: got %v", c.raw, err)
		}
	}
}

func quoteTOML(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\t", `\t`).Replace(s) + `"`
}

func TestBaseURLLine(t *testing.T) {
	for _, c := range []struct {
		toml string
		line int
	}{
		{"baseURL = \"x\"\n", 1},
		{"title = \"a\"\n\n  baseURL=\"x\"\n", 3},
		{"\"baseURL\" = \"x\"\n", 1},
		{"baseURLs = 1\nbaseURL = \"x\"\n", 2},
		{"[params]\nbaseURL = \"x\"\n", 0},
		{"title = \"a\"\n", 0},
	} {
		if got := baseURLLine([]byte(c.toml)); got != c.line {
			t.Errorf("%q: line %d, want %d", c.toml, got, c.line)
		}
	}
}

// FuzzBaseURL: whatever base URL is accepted, the links built from it stay on its host: a
// site path never turns into an address ("//host", "/\host") and absolute URLs keep the host.
func FuzzBaseURL(f *testing.F) {
	for _, s := range []string{"/", "/guide/", "https://user.github.io/guide/", "//evil.com/", "/\\evil.com/",
		"/%2F/evil.com/", "https://a@b/", "http://[::1]:80/x", "https://example.org/%2e%2e/", "/a/./b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := parseBaseURL(raw)
		if err != nil {
			return
		}
		cfg := &Config{base: u, BaseURL: u.String()}
		s := &Site{cfg: cfg}
		rel := s.relURL("/tax/x/")
		if !strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, "//") || strings.ContainsAny(rel, "\\?#") {
			t.Fatalf("base %q: relURL gives %q", raw, rel)
		}
		abs := s.absURL("/tax/x/")
		if cfg.Absolute() && !strings.HasPrefix(abs, u.Scheme+"://"+u.Host+"/") {
			t.Fatalf("base %q: absURL gives %q, not on host %q", raw, abs, u.Host)
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
			t.Fatalf("base %q accepted as %#v", raw, u)
		}
	})
}
