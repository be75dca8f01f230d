package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCreatePage: new pages go into the default language's folder of site.toml when the site
// has one (whatever the language), into a named language's folder when the path starts with
// it, and into content/ when the site has no language folders; bad paths and existing files
// are refused.
func TestCreatePage(t *testing.T) {
	const urduFirst = "defaultLanguage = \"ur\"\n[languages.ur]\nweight = 1\n[languages.en]\nweight = 2\n"
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, config string
		dirs         []string // folders under content/
		rel, want    string   // want "" for an error
	}{
		{"no language folders", "", nil, "tax/change.md", "content/tax/change.md"},
		{"english folder", "", []string{"en"}, "tax/change.md", "content/en/tax/change.md"},
		{"content/ in front", "", []string{"en"}, "content/tax/change.md", "content/en/tax/change.md"},
		{"default language from site.toml", urduFirst, []string{"ur", "en"}, "tax/change.md", "content/ur/tax/change.md"},
		{"named language", urduFirst, []string{"ur", "en"}, "en/tax/change.md", "content/en/tax/change.md"},
		{"default at the root", urduFirst, []string{"en"}, "tax/change.md", "content/tax/change.md"},
		{"not a language", "", []string{"en"}, "fr/change.md", "content/en/fr/change.md"},
		{"outside content", "", nil, "../escape.md", ""},
		{"absolute", "", nil, "/abs.md", ""},
		{"not markdown", "", nil, "tax/notes.txt", ""},
		{"bad site.toml", "[languages.en]\ndirection = \"up\"\n", nil, "tax/change.md", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, d := range tc.dirs {
				os.MkdirAll(filepath.Join(dir, "content", d), 0o755)
			}
			if tc.config != "" {
				os.WriteFile(filepath.Join(dir, configFile), []byte(tc.config), 0o644)
			}
			got, err := CreatePage(dir, tc.rel, now)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("created %s", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(got)))
			if err != nil || !strings.Contains(string(data), `title: "Change"`) || !strings.Contains(string(data), "reviewed: 2026-12-04") {
				t.Fatalf("page %s: %v\n%s", got, err, data)
			}
			os.WriteFile(filepath.Join(dir, filepath.FromSlash(got)), []byte("edited"), 0o644)
			if _, err := CreatePage(dir, tc.rel, now); err == nil {
				t.Error("a second new with the same path succeeded")
			}
			if data, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(got))); string(data) != "edited" {
				t.Error("the existing page was overwritten")
			}
		})
	}
}
