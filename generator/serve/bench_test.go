package serve

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rahnuma/generator/internal/corpus"
)

// editedPage is the corpus page the benchmarks edit, and its URL path.
const (
	editedPage = "content/s01/p0000.md"
	editedURL  = "/s01/p0000/"
)

// corpusServer writes a generated site of n pages and loads it.
func corpusServer(b *testing.B, n int) (*Server, string) {
	b.Helper()
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Pages: n}); err != nil {
		b.Fatal(err)
	}
	s := New(Config{Dir: dir, Source: testSource(b, dir), Drafts: true})
	start := time.Now()
	s.Load(context.Background())
	if errs := s.problems(); len(errs) > 0 {
		b.Fatalf("corpus of %d pages does not load: %s", n, errs[0].Text)
	}
	b.Logf("%d pages loaded in %s", n, time.Since(start).Round(time.Millisecond))
	return s, dir
}

// BenchmarkReload measures the server's share of "save a Markdown file → new text on screen":
// write the file, Reload with its path, then serve the page (Lookup + injection), checking that
// the new text is there. The watcher's debounce and the browser's fetch come on top.
func BenchmarkReload(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("10,000 pages: not with -short")
			}
			s, dir := corpusServer(b, n)
			file := filepath.Join(dir, filepath.FromSlash(editedPage))
			orig, err := os.ReadFile(file)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var reload, serve time.Duration
			i := 0
			for b.Loop() {
				i++
				marker := fmt.Sprintf("Benchmark edit number %d.", i)
				if err := os.WriteFile(file, append(orig, "\n"+marker+"\n"...), 0o644); err != nil {
					b.Fatal(err)
				}
				t0 := time.Now()
				s.Reload(ctx, []string{editedPage})
				t1 := time.Now()
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, httptest.NewRequest("GET", "http://"+DefaultAddr+editedURL, nil))
				t2 := time.Now()
				reload += t1.Sub(t0)
				serve += t2.Sub(t1)
				if rec.Code != 200 || !strings.Contains(rec.Body.String(), marker) {
					b.Fatalf("edit %d not served: status %d; problems %v", i, rec.Code, s.problems())
				}
			}
			b.ReportMetric(float64(reload.Microseconds())/float64(i)/1000, "reload-ms/op")
			b.ReportMetric(float64(serve.Microseconds())/float64(i)/1000, "serve-ms/op")
		})
	}
}
