package generator

import (
	"context"
	"flag"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"rahnuma/generator/corpus"
	"rahnuma/generator/search"
)

var benchPages = flag.Int("pages", 1000, "corpus size for BenchmarkBuild and BenchmarkReload")

func corpusFS(b *testing.B) fstest.MapFS {
	b.Helper()
	return mapFS(corpus.Files(corpus.Options{Pages: *benchPages, Sections: 20}))
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
	fsys := corpusFS(b)
	ctx := context.Background()
	s, err := Load(ctx, Source{Site: fsys, Theme: os.DirFS("..")}, Options{Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
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
	fsys := corpusFS(b)
	s, err := Load(context.Background(), Source{Site: fsys, Theme: os.DirFS("..")}, Options{Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	docs := s.SearchDocs("en")
	b.ResetTimer()
	for b.Loop() {
		if _, err := search.Build(docs, search.Options{Lang: "en"}); err != nil {
			b.Fatal(err)
		}
	}
}
