package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Problems name files from where the user stands, with forward slashes on every system (on
// Windows the folder arrives with backslashes), and the lines of CRLF files count right.
func TestMessagePaths(t *testing.T) {
	t.Chdir(t.TempDir())
	files := map[string]string{
		"my site/content/tax/x.md":   "---\r\ntitle: X\r\ndate: yesterday\r\n---\r\nText.\r\n",
		"my site/content/tax/aux.md": "---\ntitle: Aux\n---\nText.\n",
	}
	for name, data := range files {
		p := filepath.FromSlash(name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := filepath.Join("my site", "content") + string(filepath.Separator) + ".." // as typed, with the system's separators
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--src", src}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr.String())
	}
	for _, want := range []string{
		"my site/content/tax/x.md:3: ",
		`my site/content/tax/aux.md:1: name "aux.md" is a device name on Windows`,
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("missing %q in:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stderr.String(), `\`) {
		t.Errorf("backslash in messages:\n%s", stderr.String())
	}
}
