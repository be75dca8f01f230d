package generator

import (
	"strings"
	"testing"
)

// Titles, descriptions, tags, headings and link texts holding a bidirectional embedding,
// override or isolate are errors of `check` and warnings of a build, each at its line. The
// marks Urdu text uses (U+200F, U+061C, U+200E) and body text are left alone.
func TestBidiControls(t *testing.T) {
	files := map[string][]byte{
		"content/a.md": []byte("---\n" +
			"title: \"Pay \u202Egnp.exe\"\n" + // 2
			"description: \"ok \u2067x\u2069\"\n" + // 3
			"tags: [\"t\u202Ax\"]\n" + // 4
			"---\n" +
			"## Rates \u202D{#rates}\n" + // 6
			"\n" +
			"[https://bank.example\u202E](https://evil.example/) [plain](#rates)\n" + // 8
			"\n" +
			"Body text \u202E is not a title, heading or link.\n" +
			"![alt \u202E](p.png)\n"),
		"content/a/p.png": []byte("png"),
		"content/ur.md":   []byte("---\ntitle: \"ٹیکس\u200F کی شرح\u061C\"\n---\n## شرح\u200E 2025\n\n[رابطہ\u200F](a.md)\n"),
	}
	want := []string{
		"content/a.md:2: title contains U+202E RIGHT-TO-LEFT OVERRIDE",
		"content/a.md:3: description contains U+2067 RIGHT-TO-LEFT ISOLATE",
		"content/a.md:4: tag contains U+202A LEFT-TO-RIGHT EMBEDDING",
		"content/a.md:6: heading contains U+202D LEFT-TO-RIGHT OVERRIDE",
		"content/a.md:8: link text contains U+202E RIGHT-TO-LEFT OVERRIDE",
	}
	_, s, err := buildFS(t, mapFS(files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var warned, checked []string
	for _, e := range s.Problems().Warnings() {
		if strings.Contains(e.Msg, "U+") {
			warned = append(warned, e.Error())
		}
	}
	for _, e := range s.Check(CheckOptions{}).Errors() {
		if strings.Contains(e.Msg, "U+") {
			checked = append(checked, e.Error())
		}
	}
	for name, got := range map[string][]string{"build warnings": warned, "check errors": checked} {
		if len(got) != len(want) {
			t.Errorf("%s: got %d, want %d:\n%s", name, len(got), len(want), strings.Join(got, "\n"))
			continue
		}
		for i, w := range want {
			if !strings.Contains(strings.Replace(got[i], "warning: ", "", 1), w) {
				t.Errorf("%s[%d] = %q, want %q", name, i, got[i], w)
			}
		}
	}
}

func TestBidiControlSet(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		_, got := bidiControl(string(r))
		want := r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
		if got != want {
			t.Errorf("U+%04X: %v, want %v", r, got, want)
		}
	}
}
