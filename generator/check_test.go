package generator

import (
	"strings"
	"testing"
)

// checkSite is a two-language site whose tax section is a policy section, reviewed every 180 days.
func checkSite(pages map[string]string) map[string][]byte {
	files := map[string][]byte{
		"site.toml": []byte(`defaultLanguage = "en"
reviewDays = 180
policySections = ["tax"]
[languages.en]
name = "English"
weight = 1
[languages.ur]
name = "Urdu"
direction = "rtl"
weight = 2
`),
	}
	for name, text := range pages {
		files[name] = []byte(text)
	}
	return files
}

// goodPolicy has everything check asks of a policy page (testNow is 2026-11-21).
const goodPolicy = `---
title: Threshold
summary: Parcels up to Rs1,000 pay no duty.
reviewed: 2026-11-01
sources:
  - title: Report
    publisher: Paper
    date: 2026-10-01
---
Text.
`

const goodPolicyUr = `---
title: حد
summary: ایک ہزار روپے تک کے پارسل پر ڈیوٹی نہیں۔
reviewed: 2026-11-01
sources:
  - title: Report
    publisher: Paper
    date: 2026-10-01
---
متن۔
`

// TestCheckPolicyCurrencyAndTranslations: each check fires on the page that breaks it, names the
// problem, and stays quiet on a page that does everything right.
func TestCheckPolicyCurrencyAndTranslations(t *testing.T) {
	for _, tt := range []struct {
		name  string
		pages map[string]string
		want  []string // substrings of check's report
		quiet bool     // want no warning at all
	}{
		{
			name:  "complete page and translation",
			pages: map[string]string{"content/en/tax/t.md": goodPolicy, "content/ur/tax/t.md": goodPolicyUr},
			quiet: true,
		},
		{
			name: "old newest source",
			pages: map[string]string{
				"content/en/tax/t.md": strings.Replace(goodPolicy, "date: 2026-10-01", "date: 2025-07-10", 1),
				"content/ur/tax/t.md": goodPolicyUr,
			},
			want: []string{"content/en/tax/t.md:5: warning: newest source is from 2025-07-10, more than 180 days ago: facts may have moved"},
		},
		{
			name: "one recent source is enough",
			pages: map[string]string{
				"content/en/tax/t.md": strings.Replace(goodPolicy, "sources:\n", "sources:\n  - title: Old\n    publisher: Paper\n    date: 2020-01-01\n", 1),
				"content/ur/tax/t.md": goodPolicyUr,
			},
			quiet: true,
		},
		{
			name: "sources without dates",
			pages: map[string]string{
				"content/en/tax/t.md": strings.Replace(goodPolicy, "    date: 2026-10-01\n", "", 1),
				"content/ur/tax/t.md": goodPolicyUr,
			},
			want: []string{"content/en/tax/t.md:5: warning: no source has a `date`"},
		},
		{
			name: "no summary",
			pages: map[string]string{
				"content/en/tax/t.md": strings.Replace(goodPolicy, "summary: Parcels up to Rs1,000 pay no duty.\n", "", 1),
				"content/ur/tax/t.md": goodPolicyUr,
			},
			want: []string{"content/en/tax/t.md:1: warning: policy page without a `summary`"},
		},
		{
			name: "no summary outside policy sections is fine",
			pages: map[string]string{
				"content/en/news/n.md": "---\ntitle: News\n---\nText.\n",
				"content/ur/news/n.md": "---\ntitle: خبر\n---\nمتن۔\n",
			},
			quiet: true,
		},
		{
			name:  "missing translation",
			pages: map[string]string{"content/en/tax/t.md": goodPolicy},
			want:  []string{"content/en/tax/t.md: warning: no Urdu (ur) translation"},
		},
		{
			name: "translation reviewed before its original",
			pages: map[string]string{
				"content/en/tax/t.md": goodPolicy,
				"content/ur/tax/t.md": strings.Replace(goodPolicyUr, "reviewed: 2026-11-01", "reviewed: 2026-10-15", 1),
			},
			want: []string{"content/ur/tax/t.md:4: warning: translation is older than content/en/tax/t.md"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, site, err := buildFS(t, mapFS(checkSite(tt.pages)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			list := site.Check(CheckOptions{})
			got := list.Error()
			if tt.quiet && len(list) > 0 {
				t.Errorf("want no problems, got:\n%s", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("check lacks %q in:\n%s", w, got)
				}
			}
			if len(list.Errors()) > 0 {
				t.Errorf("these checks only warn, got errors:\n%s", got)
			}
		})
	}
}
