package search

import (
	"bytes"
	"compress/gzip"
	"os"
	"regexp"
	"testing"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/js"
)

const clientPath = "../../assets/js/search.js"

// clientBudget is the most the client may weigh, gzipped, as the site ships
// it (minified, as the generator minifies assets).
const clientBudget = 6 << 10

func gzipLen(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// clientSource returns search.js as written and minified, as the generator ships it.
func clientSource(t testing.TB) (src, min []byte) {
	t.Helper()
	src, err := os.ReadFile(clientPath)
	if err != nil {
		t.Fatal(err)
	}
	m := minify.New()
	m.AddFunc("text/javascript", js.Minify)
	min, err = m.Bytes("text/javascript", src)
	if err != nil {
		t.Fatalf("minify %s: %v", clientPath, err)
	}
	return src, min
}

func TestClientSize(t *testing.T) {
	src, min := clientSource(t)
	raw, shipped := gzipLen(t, src), gzipLen(t, min)
	t.Logf("search.js: %d bytes, %d gzipped; minified %d, %d gzipped", len(src), raw, len(min), shipped)
	if shipped > clientBudget {
		t.Errorf("search.js is %d bytes minified and gzipped, over the budget of %d", shipped, clientBudget)
	}
}

// TestClientSafe rejects constructs that a strict Content-Security-Policy
// forbids or that would insert indexed text as HTML.
func TestClientSafe(t *testing.T) {
	src, err := os.ReadFile(clientPath)
	if err != nil {
		t.Fatal(err)
	}
	bad := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|\.style\b|setAttribute\(['"]style|import\(|\bwindow\.\w+\s*=`)
	if m := bad.FindAll(src, -1); len(m) > 0 {
		t.Errorf("search.js uses %q", m)
	}
}
