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
