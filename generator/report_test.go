package generator

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportErr: site files are named from where the user stands (SRC/content/...), theme
// files the site does not have keep their name, the count follows; other errors are not printed.
func TestReportErr(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.MkdirAll(filepath.Join("site", "content"), 0o755)
	os.WriteFile(filepath.Join("site", "content", "a.md"), []byte("x"), 0o644)
	list := ErrorList{
		{File: "content/a.md", Line: 3, Msg: "broken link"},
		{File: "layouts/page.html", Msg: "template fails"},
		{File: "content/b.md", Msg: "a warning", Warning: true},
	}
	for _, tc := range []struct{ src, want string }{
		{"site", "site/content/a.md:3: broken link\nlayouts/page.html: template fails\ncontent/b.md: warning: a warning\n2 problem(s)\n"},
		{".", "content/a.md:3: broken link\nlayouts/page.html: template fails\ncontent/b.md: warning: a warning\n2 problem(s)\n"},
	} {
		var w strings.Builder
		if !ReportErr(&w, tc.src, list) || w.String() != tc.want {
			t.Errorf("src %s:\n%s\nwant:\n%s", tc.src, w.String(), tc.want)
		}
	}
	var w strings.Builder
	if ReportErr(&w, "site", errors.New("disk full")) || w.Len() != 0 {
		t.Errorf("an error that is not a list was printed: %q", w.String())
	}
}

// TestCheckSite: check prints load problems, or check's problems and a summary, to its writer,
// and fails only on errors.
func TestCheckSite(t *testing.T) {
	overdue := "---\ntitle: Old\nreviewed: 2020-01-01\n---\nText.\n"
	for _, tc := range []struct {
		name, page string
		strict     bool
		failed     bool
		want       string
	}{
		{"clean", "---\ntitle: A\n---\nText.\n", false, false, "pages: 0 error(s), 0 warning(s)"},
		{"overdue review warns", overdue, false, false, "0 error(s), 1 warning(s)"},
		{"overdue review is an error when strict", overdue, true, true, "1 error(s)"},
		{"does not load", "---\ntitle: [\n---\nText.\n", false, true, "1 problem(s)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w strings.Builder
			src := Source{Site: mapFS(map[string][]byte{"content/a.md": []byte(tc.page)}), Theme: themeFS()}
			failed, _ := CheckSite(t.Context(), src, ".", CheckOptions{Strict: tc.strict}, &w)
			if failed != tc.failed || !strings.Contains(w.String(), tc.want) || !strings.Contains(w.String(), "content/a.md") && tc.failed {
				t.Errorf("failed %v, want %v; printed:\n%s\nwant it to contain %q", failed, tc.failed, w.String(), tc.want)
			}
		})
	}
}
