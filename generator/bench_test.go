package generator

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"rahnuma/generator/internal/corpus"
	"rahnuma/generator/search"
)

var benchPages = flag.Int("pages", 1000, "corpus size for BenchmarkBuild and BenchmarkReload")

func corpusFS(b *testing.B) fstest.MapFS {
	b.Helper()
	return mapFS(corpus.Files(corpus.Options{Pages: *benchPages, Sections: 20}))
}

// corpusSite is the generated corpus and the site loaded from it, with the repository's theme.
func corpusSite(b *testing.B) (fstest.MapFS, *Site) {
	b.Helper()
	fsys := corpusFS(b)
	s, err := Load(context.Background(), Source{Site: fsys, Theme: os.DirFS("..")}, Options{Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	return fsys, s
}

// BenchmarkBuild: load, convert, assemble and render the generated corpus in memory.
//
//	go test ./generator -run '^$' -bench Build -pages 10000
func BenchmarkBuild(b *testing.B) {
	fsys := corpusFS(b)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Build(context.Background(), Source{Site: fsys, Theme: os.DirFS("..")}, Options{Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReload: one page edited, the site reloaded and that page rendered, as in `serve`.
func BenchmarkReload(b *testing.B) {
	fsys, s := corpusSite(b)
	ctx := context.Background()
	name := ""
	for n := range fsys {
		if strings.HasPrefix(n, "content/s03/p") && (name == "" || n < name) {
			name = n
		}
	}
	out := strings.TrimSuffix(strings.TrimPrefix(name, "content/"), ".md") + "/index.html"
	orig := fsys[name].Data
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		fsys[name] = &fstest.MapFile{Data: append(append([]byte{}, orig...), []byte("\nedit "+string(rune('a'+i%26))+"\n")...)}
		n, err := s.Reload(ctx, []string{name})
		if err != nil {
			b.Fatal(err)
		}
		if _, ok, err := n.Lookup(out); !ok || err != nil {
			b.Fatal(ok, err)
		}
		s = n
	}
}

// BenchmarkSearchIndex: the search index of the generated corpus, from its loaded pages.
//
//	go test ./generator -run '^$' -bench SearchIndex -pages 10000
func BenchmarkSearchIndex(b *testing.B) {
	_, s := corpusSite(b)
	docs := s.SearchDocs("en")
	// Only the documents stay: with the whole site alive, collecting the index's garbage
	// would mark the site again and again, a cost that swamps the index's own and varies.
	s = nil
	runtime.GC()
	b.ResetTimer()
	cpu := processCPU()
	for b.Loop() {
		if _, err := search.Build(docs, search.Options{Lang: "en"}); err != nil {
			b.Fatal(err)
		}
	}
	// Build works on every processor: its CPU time, not its wall time, is what it takes
	// from a build that keeps them all busy.
	if cpu := processCPU() - cpu; cpu > 0 {
		b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkRenderPage: one content page of the generated corpus through the theme's
// templates, as the build renders each page.
//
//	go test ./generator -run '^$' -bench RenderPage
func BenchmarkRenderPage(b *testing.B) {
	_, s := corpusSite(b)
	var p *Page
	for _, q := range s.pages {
		if q.Kind == KindPage && q.Section == "s03" && (p == nil || q.Key < p.Key) {
			p = q
		}
	}
	var buf bytes.Buffer
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := s.renderPageInto(context.Background(), &buf, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/page")
}

// BenchmarkTemplateAction: what one action costs html/template on a page, by what it reads
// (100 actions per run). A method or a field of the embedded FrontMatter costs text/template
// a reflective lookup by name (and a call) each time; a field of Page's own, much less; a
// printed value adds the escaper's call.
//
//	go test ./generator -run '^$' -bench TemplateAction -benchmem
func BenchmarkTemplateAction(b *testing.B) {
	p := &Page{Kind: KindPage, LinkTitle: "x"}
	p.Title = "t"
	for _, c := range []struct{ name, action string }{
		{"constant", "{{if true}}{{end}}"},
		{"field", "{{if .Kind}}{{end}}"},
		{"method", "{{if .IsPage}}{{end}}"},
		{"frontmatter-field", "{{if .Title}}{{end}}"},
		{"printed-field", "{{.LinkTitle}}"},
	} {
		t := template.Must(template.New(c.name).Parse(strings.Repeat(c.action, 100)))
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := t.Execute(io.Discard, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteFile: creating one small output file, as a build does for each of its files
// (a search index chunk is about 3 KB). With -tags rahnuma_portable: the portable writer's,
// which also syncs each file.
//
//	go test ./generator -run '^$' -bench WriteFile
func BenchmarkWriteFile(b *testing.B) {
	dir := b.TempDir()
	data := bytes.Repeat([]byte("x"), 3000)
	i := 0
	for b.Loop() {
		if err := createFile(filepath.Join(dir, fmt.Sprintf("f%d.json", i)), data); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
