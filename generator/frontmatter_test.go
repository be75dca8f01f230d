package generator

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name, src  string
		format, fm string
		body       string
		bodyLine   int
		wantErr    string
	}{
		{"none", "# Hi\n", "", "", "# Hi\n", 1, ""},
		{"yaml", "---\ntitle: x\n---\nbody\n", "yaml", "title: x\n", "body\n", 4, ""},
		{"toml", "+++\ntitle = 'x'\n+++\nbody", "toml", "title = 'x'\n", "body", 4, ""},
		{"bom", "\uFEFF---\ntitle: x\n---\n", "yaml", "title: x\n", "", 4, ""},
		{"trailing spaces on delimiters", "--- \ntitle: x\n---\t\nb", "yaml", "title: x\n", "b", 4, ""},
		{"empty block", "---\n---\nb", "yaml", "", "b", 3, ""},
		{"closing at EOF without newline", "---\ntitle: x\n---", "yaml", "title: x\n", "", 4, ""},
		{"unclosed", "---\ntitle: x\nbody\n", "", "", "", 0, "never closed"},
		{"dashes later are body", "text\n---\n", "", "", "text\n---\n", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			format, fm, body, line, err := splitFrontMatter([]byte(tt.src))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if format != tt.format || string(fm) != tt.fm || string(body) != tt.body || line != tt.bodyLine {
				t.Errorf("got (%q, %q, %q, %d), want (%q, %q, %q, %d)", format, fm, body, line, tt.format, tt.fm, tt.body, tt.bodyLine)
			}
		})
	}
}

func TestParseFrontMatter(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	tests := []struct {
		name, format, src string
		check             func(*FrontMatter) bool
		wantErrs          []string // "line: substring"
	}{
		{name: "all keys yaml", format: "yaml", src: "title: T\ndescription: D\ndate: 2025-06-26\nlastmod: 2025-07-01\ndraft: true\nweight: 3\nslug: s\nurl: /u/\naliases: [/a/]\ntags: [tax, amazon]\nsummary: S\nreviewed: 2026-11-21\neffective: 2025-07-01\ntranslationKey: k\nexpiryDate: 2030-01-01\npublishDate: 2025-01-01\nlayout: page\nparams: {x: 1}\nsources:\n  - title: Report\n    publisher: Paper\n    date: 2025-06-27\n    url: https://example.org/r\n",
			check: func(f *FrontMatter) bool {
				return f.Title == "T" && f.Description == "D" && f.Date.Equal(day("2025-06-26")) && f.Draft && f.Weight == 3 &&
					f.Slug == "s" && f.URL == "/u/" && len(f.Aliases) == 1 && len(f.Tags) == 2 && f.Reviewed.Equal(day("2026-11-21")) &&
					len(f.Sources) == 1 && f.Sources[0].Publisher == "Paper" && f.Sources[0].Date.Equal(day("2025-06-27")) && f.Params["x"] != nil
			}},
		{name: "all keys toml", format: "toml", src: "title = 'T'\ndate = 2025-06-26\nweight = 2\ntags = ['a']\nreviewed = '2026-11-21'\n[[sources]]\ntitle = 'R'\ndate = 2025-06-27\n",
			check: func(f *FrontMatter) bool {
				return f.Title == "T" && f.Date.Equal(day("2025-06-26")) && f.Weight == 2 && len(f.Tags) == 1 && f.Reviewed.Equal(day("2026-11-21")) && len(f.Sources) == 1 && f.Sources[0].Date.Equal(day("2025-06-27"))
			}},
		{name: "unknown key with suggestion", format: "yaml", src: "title: x\ndtae: 2025-01-01\n", wantErrs: []string{`3: unknown key "dtae" (did you mean "date"?)`}},
		{name: "unknown key far from any", format: "yaml", src: "zzzzzzzz: 1\n", wantErrs: []string{`2: unknown key "zzzzzzzz"`}},
		{name: "bad date", format: "yaml", src: "date: yesterday\n", wantErrs: []string{`2: date: "yesterday" is not a date`}},
		{name: "weight not a number", format: "yaml", src: "weight: \"x\"\n", wantErrs: []string{`2: weight: want a whole number, got text "x"`}},
		{name: "tags not a list", format: "yaml", src: "tags: 5\n", wantErrs: []string{`2: tags: want a list`}},
		{name: "draft not bool", format: "yaml", src: "draft: maybe\n", wantErrs: []string{`2: draft: want true or false`}},
		{name: "every problem reported", format: "yaml", src: "title: 1\nweight: x\ndraft: 2\n", wantErrs: []string{"2: title", "3: weight", "4: draft"}},
		{name: "duplicate key", format: "yaml", src: "title: a\ntitle: b\n", wantErrs: []string{`3: duplicate key "title" (first on line 2)`}},
		{name: "tab indentation", format: "yaml", src: "sources:\n\t- title: x\n", wantErrs: []string{"3: front matter: found character that cannot start any token"}},
		{name: "anchors refused", format: "yaml", src: "a: &a [x, x]\nb: *a\n", wantErrs: []string{"2: anchors and aliases are not allowed"}},
		{name: "not a mapping", format: "yaml", src: "- a\n- b\n", wantErrs: []string{"2: want key: value pairs"}},
		{name: "source unknown key", format: "yaml", src: "sources:\n  - title: x\n    publsher: y\n", wantErrs: []string{`2: sources[0]: unknown key "publsher" (did you mean "publisher"?)`}},
		{name: "source without title", format: "yaml", src: "sources:\n  - publisher: y\n", wantErrs: []string{"2: sources[0]: missing title"}},
		{name: "source bad url", format: "yaml", src: "sources:\n  - title: x\n    url: javascript:alert(1)\n", wantErrs: []string{`2: sources[0]: url: "javascript:alert(1)" is not an http(s) address`}},
		{name: "toml syntax error", format: "toml", src: "title = 'x'\nweight = = 3\n", wantErrs: []string{"3: front matter:"}},
		{name: "rule status and history yaml", format: "yaml", src: "effective: 2025-07-01\nwithdrawn: 2025-07-31\nstatus: withdrawn\nchanges:\n  - date: 2025-07-31\n    note: Withdrawn by SRO\n",
			check: func(f *FrontMatter) bool {
				return f.Withdrawn.Equal(day("2025-07-31")) && f.Status == "withdrawn" && len(f.Changes) == 1 &&
					f.Changes[0].Date.Equal(day("2025-07-31")) && f.Changes[0].Note == "Withdrawn by SRO"
			}},
		{name: "rule history toml", format: "toml", src: "status = 'unsettled'\n[[changes]]\ndate = 2026-06-10\nnote = 'Budget'\n",
			check: func(f *FrontMatter) bool {
				return f.Status == "unsettled" && len(f.Changes) == 1 && f.Changes[0].Date.Equal(day("2026-06-10"))
			}},
		{name: "unknown status", format: "yaml", src: "status: active\n", wantErrs: []string{`2: status: want one of proposed, in-force, withdrawn, replaced, unsettled, got text "active"`}},
		{name: "change without note", format: "yaml", src: "changes:\n  - date: 2025-01-01\n    text: x\n", wantErrs: []string{"2: changes[0]: want a note"}},
		{name: "change bad date", format: "yaml", src: "changes:\n  - date: soon\n    note: x\n", wantErrs: []string{`2: changes[0]: "soon" is not a date`}},
		{name: "changes not a list", format: "yaml", src: "changes: x\n", wantErrs: []string{"2: changes: want a list of {date, note}"}},
		{name: "toml unknown key", format: "toml", src: "title = 'x'\ntitel = 'y'\n", wantErrs: []string{`3: unknown key "titel" (did you mean "title"?)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, errs := parseFrontMatter(tt.format, []byte(tt.src), 2)
			if len(tt.wantErrs) == 0 {
				if len(errs) > 0 {
					t.Fatalf("unexpected errors: %v", errs)
				}
				if !tt.check(fm) {
					t.Errorf("decoded wrongly: %+v", fm)
				}
				return
			}
			if len(errs) != len(tt.wantErrs) {
				t.Fatalf("got %d errors %v, want %d %v", len(errs), errs, len(tt.wantErrs), tt.wantErrs)
			}
			for i, want := range tt.wantErrs {
				lineStr, msg, _ := strings.Cut(want, ": ")
				got := fmt.Sprintf("%d: %s", errs[i].Line, errs[i].Msg)
				if !strings.HasPrefix(got, lineStr+": ") || !strings.Contains(got, msg) {
					t.Errorf("error %d = %q, want line %s and %q", i, got, lineStr, msg)
				}
			}
		})
	}
}

func TestBillionLaughsIsBounded(t *testing.T) {
	src := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" +
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" +
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	done := make(chan ErrorList)
	go func() { _, errs := parseFrontMatter("yaml", []byte(src), 2); done <- errs }()
	select {
	case errs := <-done:
		if len(errs) == 0 {
			t.Fatal("alias bomb accepted")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("alias bomb not bounded")
	}
}

func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: x\n---\nbody", "+++\ntitle = 'x'\n+++\n", "---\nsources:\n  - title: a\n    date: 2025-01-01\n---\n",
		"---\na: &a [1]\nb: *a\n---\n", "---\ntags: 5\n---", "\uFEFF---\r\ntitle: x\r\n---\r\n", "---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		format, fm, _, _, err := splitFrontMatter(data)
		if err != nil {
			return
		}
		if format != "" {
			parseFrontMatter(format, fm, 2)
		}
	})
}

func TestDidYouMean(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"titel", "title"}, {"dtae", "date"}, {"Tags", "tags"}, {"revewed", "reviewed"}, {"xyzzyplugh", ""},
	} {
		got := didYouMean(tt.in, frontMatterKeys)
		if (tt.want == "") != (got == "") || tt.want != "" && !strings.Contains(got, `"`+tt.want+`"`) {
			t.Errorf("didYouMean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
