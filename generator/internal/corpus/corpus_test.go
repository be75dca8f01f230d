package corpus

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestDeterministic(t *testing.T) {
	opts := Options{Pages: 120, Sections: 7, Seed: 3}
	a, b := Files(opts), Files(opts)
	if len(a) != len(b) {
		t.Fatalf("two runs gave %d and %d files", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	c := Files(Options{Pages: 120, Sections: 7, Seed: 4})
	same := 0
	for name, data := range a {
		if bytes.Equal(data, c[name]) {
			same++
		}
	}
	// The home page depends only on the counts; every other file should change.
	if same > 1 {
		t.Errorf("%d files are identical for seeds 3 and 4; want only the home page", same)
	}
}

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		opts                Options
		pages, sections     int
		maxPerSection       int
		minPerSection       int
		wantFirst, wantLast string
	}{
		{Options{Pages: 1}, 1, 1, 1, 1, "content/s01/p0000.md", "content/s01/p0000.md"},
		{Options{Pages: 5, Sections: 20}, 5, 5, 1, 1, "content/s01/p0000.md", "content/s05/p0004.md"},
		{Options{Pages: 100, Sections: 20}, 100, 20, 5, 5, "content/s01/p0000.md", "content/s20/p0099.md"},
		{Options{Pages: 101, Sections: 3}, 101, 3, 34, 33, "content/s01/p0000.md", "content/s03/p0100.md"},
		{Options{Pages: 250}, 250, 20, 13, 12, "content/s01/p0000.md", "content/s20/p0249.md"},
	} {
		t.Run(fmt.Sprint(tc.opts), func(t *testing.T) {
			files := Files(tc.opts)
			perSection := map[string]int{}
			var pages []string
			for name := range files {
				dir, base := filepath.Split(name)
				switch {
				case name == "content/_index.md":
				case base == "_index.md":
					perSection[dir] += 0
				default:
					perSection[dir]++
					pages = append(pages, name)
				}
			}
			if _, ok := files["content/_index.md"]; !ok {
				t.Error("no content/_index.md")
			}
			if len(pages) != tc.pages {
				t.Errorf("%d pages, want %d", len(pages), tc.pages)
			}
			if len(perSection) != tc.sections {
				t.Errorf("%d sections, want %d", len(perSection), tc.sections)
			}
			for dir, n := range perSection {
				if _, ok := files[dir+"_index.md"]; !ok {
					t.Errorf("section %s has no _index.md", dir)
				}
				if n < tc.minPerSection || n > tc.maxPerSection {
					t.Errorf("section %s has %d pages, want %d..%d", dir, n, tc.minPerSection, tc.maxPerSection)
				}
			}
			sort.Strings(pages)
			if pages[0] != tc.wantFirst || pages[len(pages)-1] != tc.wantLast {
				t.Errorf("pages run %s..%s, want %s..%s", pages[0], pages[len(pages)-1], tc.wantFirst, tc.wantLast)
			}
			if len(files) != tc.pages+tc.sections+1 {
				t.Errorf("%d files, want %d", len(files), tc.pages+tc.sections+1)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	o := Options{}.normalize()
	if o.Pages != DefaultPages || o.Sections != DefaultSections {
		t.Errorf("zero Options normalise to %+v", o)
	}
	l := newLayout(Options{Pages: 123456, Sections: 20})
	if got := l.pageName(7); got != "p000007.md" {
		t.Errorf("page name with 123456 pages = %q, want p000007.md", got)
	}
}

var headingID = regexp.MustCompile(`(?m)^#{2,6} .*\{#([a-z0-9-]+)\}\s*$`)

func TestLinksResolve(t *testing.T) {
	for _, opts := range []Options{
		{Pages: 300, Sections: 20, Seed: 1},
		{Pages: 40, Sections: 40, Seed: 2}, // one page per section: every link leaves the section
		{Pages: 2, Sections: 1},
	} {
		files := Files(opts)
		anchors := map[string]map[string]bool{}
		for name, data := range files {
			anchors[name] = map[string]bool{}
			for _, m := range headingID.FindAllSubmatch(data, -1) {
				anchors[name][string(m[1])] = true
			}
		}
		total, withAnchor := 0, 0
		for name, data := range files {
			if strings.HasSuffix(name, "_index.md") {
				continue
			}
			links := Links(data)
			if len(links) < 2 || len(links) > 3 {
				t.Errorf("%v: %s has %d links, want 2 or 3: %q", opts, name, len(links), links)
			}
			for _, dest := range links {
				total++
				p, frag, _ := strings.Cut(dest, "#")
				target := Resolve(name, p)
				if target == name {
					t.Errorf("%v: %s links to itself", opts, name)
				}
				if _, ok := files[target]; !ok {
					t.Errorf("%v: %s: link %q points at %s, which does not exist", opts, name, dest, target)
					continue
				}
				if frag != "" {
					withAnchor++
					if !anchors[target][frag] {
						t.Errorf("%v: %s: link %q: %s has no heading {#%s}", opts, name, dest, target, frag)
					}
				}
			}
		}
		if withAnchor == 0 || withAnchor == total {
			t.Errorf("%v: %d of %d links have an anchor; want some but not all", opts, withAnchor, total)
		}
	}
}

func TestPageSize(t *testing.T) {
	files := Files(Options{Pages: 400, Seed: 9})
	var sum int
	n := 0
	for name, data := range files {
		if strings.HasSuffix(name, "_index.md") {
			continue
		}
		n++
		sum += len(data)
		if len(data) < 2500 || len(data) > 4200 {
			t.Errorf("%s is %d bytes, want 2500..4200", name, len(data))
		}
	}
	if avg := sum / n; avg < 2800 || avg > 3400 {
		t.Errorf("pages average %d bytes, want about 3 KB", avg)
	}
}

func TestPageShape(t *testing.T) {
	files := Files(Options{Pages: 40, Sections: 4})
	fences := map[string]int{}
	for name, data := range files {
		if strings.HasSuffix(name, "_index.md") {
			if !bytes.HasPrefix(data, []byte("---\ntitle: ")) {
				t.Errorf("%s has no front matter", name)
			}
			continue
		}
		s := string(data)
		fm, body, ok := strings.Cut(strings.TrimPrefix(s, "---\n"), "\n---\n")
		if !ok || !strings.HasPrefix(s, "---\n") {
			t.Fatalf("%s: no front matter block", name)
		}
		var keys []string
		for _, line := range strings.Split(fm, "\n") {
			k, _, _ := strings.Cut(line, ":")
			keys = append(keys, k)
		}
		if got := strings.Join(keys, " "); got != "title description date weight tags reviewed" {
			t.Errorf("%s: front matter keys %q", name, got)
		}
		for _, want := range []string{"\n## Overview {#overview}\n", "\n### ", "\n- ", "\n1. ", "\n| ", "| ---: |", "\n```"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: body has no %q", name, want)
			}
		}
		if n := strings.Count(body, "\n## "); n < 3 {
			t.Errorf("%s: %d ## headings, want at least 3", name, n)
		}
		for _, lang := range []string{"go", "js", "yaml", "bash"} {
			if strings.Contains(body, "```"+lang+"\n") {
				fences[lang]++
			}
		}
	}
	for _, lang := range []string{"go", "js", "yaml", "bash"} {
		if fences[lang] != 10 {
			t.Errorf("%d pages have a %s code block, want 10", fences[lang], lang)
		}
	}
}

// TestVocabulary checks the word distribution a search benchmark relies on:
// a few thousand distinct words, a heavy head and a long tail, and words found
// on one page only.
func TestVocabulary(t *testing.T) {
	v := newVocabulary()
	seen := map[string]bool{}
	for _, w := range v.words {
		if seen[w] {
			t.Errorf("vocabulary lists %q twice", w)
		}
		seen[w] = true
	}
	if len(v.words) < 3000 {
		t.Errorf("vocabulary has %d words, want a few thousand", len(v.words))
	}

	files := Files(Options{Pages: 200, Seed: 5})
	freq := map[string]int{}      // occurrences
	pagesWith := map[string]int{} // document frequency
	for name, data := range files {
		if strings.HasSuffix(name, "_index.md") {
			continue
		}
		onPage := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(string(data)), func(r rune) bool { return r < 'a' || r > 'z' }) {
			freq[w]++
			onPage[w] = true
		}
		for w := range onPage {
			pagesWith[w]++
		}
	}
	if freq["the"] < freq["of"] || freq["of"] < freq["your"] {
		t.Errorf("frequencies the=%d of=%d your=%d, want falling with rank", freq["the"], freq["of"], freq["your"])
	}
	if len(freq) < 2000 {
		t.Errorf("200 pages use %d distinct words, want over 2000", len(freq))
	}
	for i := 0; i < 200; i++ {
		for _, w := range v.rare(i) {
			if pagesWith[w] != 1 {
				t.Errorf("rare word %q of page %d is on %d pages, want 1", w, i, pagesWith[w])
			}
		}
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	opts := Options{Pages: 30, Sections: 3, Seed: 1}
	if err := Write(dir, opts); err != nil {
		t.Fatal(err)
	}
	files := Files(opts)
	n := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !bytes.Equal(data, files[filepath.ToSlash(rel)]) {
			t.Errorf("%s on disk differs from Files", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(files) {
		t.Errorf("wrote %d files, want %d", n, len(files))
	}
}

func TestLinksHelper(t *testing.T) {
	src := []byte("a [x](p1.md) b [y](../s02/p2.md#overview) [z](https://e.org/) ![i](a.png) [w](p3.md")
	got := strings.Join(Links(src), " ")
	if want := "p1.md ../s02/p2.md#overview"; got != want {
		t.Errorf("Links = %q, want %q", got, want)
	}
}
