package generator

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestURLize(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"sales-tax", "sales-tax"},
		{"Sales Tax", "sales-tax"},
		{"100% off?#", "100-off"},
		{"ٹیکس کی شرح", "ٹیکس-کی-شرح"},
		{"..", "-"},
		{"a/b", "a-b"},
		{"  ", "-"},
		{"v1.2", "v1.2"},
	} {
		if got := urlize(tt.in); got != tt.want {
			t.Errorf("urlize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanURLPath(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		bad      bool
	}{
		{in: "/tax/x/", want: "/tax/x/"},
		{in: "tax/x", want: "/tax/x/"},
		{in: "/old.html", want: "/old.html"},
		{in: "/", want: "/"},
		{in: "/a//b/", want: "/a/b/"},
		{in: "../etc/passwd", bad: true},
		{in: "/a/../../b", bad: true},
		{in: "//evil.example/x", bad: true},
		{in: "https://evil.example/", bad: true},
		{in: "javascript:alert(1)", bad: true},
		{in: `\windows\path`, bad: true},
		{in: "/a b/", bad: true},
		{in: "/x%2e%2e/", bad: true},
		{in: "", bad: true},
	} {
		got, err := cleanURLPath(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("cleanURLPath(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("cleanURLPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCheckSlug(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{{"fine", true}, {"with space", true}, {"a/b", false}, {"..", false}, {".", false}, {`a\b`, false}, {" ", false}} {
		if err := checkSlug(tt.in); (err == nil) != tt.ok {
			t.Errorf("checkSlug(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}

func TestOutputPath(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/", "index.html"}, {"/tax/x/", "tax/x/index.html"}, {"/404.html", "404.html"}, {"/ur/", "ur/index.html"},
	} {
		if got := outputPath(tt.in); got != tt.want {
			t.Errorf("outputPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzURLPath: whatever a page's front matter says, a URL or alias stays inside the site and the
// output folder, and a file name always becomes a usable URL segment.
func FuzzURLPath(f *testing.F) {
	for _, s := range []string{"/tax/x/", "../etc", "//evil", "javascript:alert(1)", "a/./b", "ٹیکس شرح", "%2e%2e", "\x00", "/a\\b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if u, err := cleanURLPath(s); err == nil {
			if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || strings.ContainsAny(u, "\\:?#%") {
				t.Fatalf("cleanURLPath(%q) = %q", s, u)
			}
			for _, seg := range strings.Split(u, "/") {
				if seg == "." || seg == ".." {
					t.Fatalf("cleanURLPath(%q) = %q", s, u)
				}
			}
			if !filepath.IsLocal(strings.TrimPrefix(outputPath(u), "/")) {
				t.Fatalf("cleanURLPath(%q) = %q writes outside the output folder", s, u)
			}
		}
		seg := urlize(s)
		if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "/\\?#%: ") {
			t.Fatalf("urlize(%q) = %q", s, seg)
		}
	})
}

func TestRuleStatus(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	site := &Site{now: day("2026-12-04")}
	for _, tt := range []struct {
		name string
		fm   FrontMatter
		want string
	}{
		{"no rule", FrontMatter{}, ""},
		{"in force", FrontMatter{Effective: day("2025-07-01")}, "in-force"},
		{"effective later", FrontMatter{Effective: day("2027-07-01")}, "proposed"},
		{"withdrawn date", FrontMatter{Effective: day("2025-07-01"), Withdrawn: day("2025-07-31")}, "withdrawn"},
		{"status wins", FrontMatter{Effective: day("2025-07-01"), Status: "unsettled"}, "unsettled"},
	} {
		p := &Page{FrontMatter: tt.fm, site: site}
		if got := p.RuleStatus(); got != tt.want {
			t.Errorf("%s: RuleStatus() = %q, want %q", tt.name, got, tt.want)
		}
	}
	p := &Page{FrontMatter: FrontMatter{Sources: []SourceRef{{Date: day("2025-06-01")}, {Date: day("2026-06-10")}, {}}}}
	if got := p.NewestSource(); !got.Equal(day("2026-06-10")) {
		t.Errorf("NewestSource() = %v, want 2026-06-10", got)
	}
}
