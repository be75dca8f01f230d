package markdown

import (
	"bytes"
	"encoding/gob"
	"testing"
)

// Highlights saved by one converter are reused by the next, and produce the same HTML.
func TestHighlightCacheRoundTrip(t *testing.T) {
	src := []byte("```go\nfunc main() { println(\"hi\") }\n```\n\n```bash\necho hi\n```\n")
	first := New(Options{})
	first.TrackHighlights()
	d1, err := first.Convert(src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := first.SaveHighlights(&buf); err != nil {
		t.Fatal(err)
	}
	saved := buf.Bytes()

	second := New(Options{})
	if err := second.LoadHighlights(bytes.NewReader(saved)); err != nil {
		t.Fatal(err)
	}
	d2, err := second.Convert(src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	if hits, misses := second.HighlightStats(); hits != 2 || misses != 0 {
		t.Errorf("hits %d, misses %d; want 2, 0", hits, misses)
	}
	if d1.HTML != d2.HTML {
		t.Errorf("cached HTML differs:\n%s\n%s", d1.HTML, d2.HTML)
	}
	// What the second run used is saved again, so the cache follows the site.
	buf.Reset()
	second.SaveHighlights(&buf)
	var st storedHighlights
	if err := gob.NewDecoder(&buf).Decode(&st); err != nil || len(st.Entries) != 2 {
		t.Errorf("re-saved cache: %d entries, %v", len(st.Entries), err)
	}

	// A cache from another version is ignored, not trusted.
	buf.Reset()
	gob.NewEncoder(&buf).Encode(storedHighlights{Version: "other", Entries: st.Entries})
	third := New(Options{})
	third.LoadHighlights(&buf)
	third.Convert(src, Context{})
	if _, misses := third.HighlightStats(); misses != 2 {
		t.Errorf("a cache of another version was used (misses %d)", misses)
	}
	// Garbage is an error the caller can ignore.
	if err := New(Options{}).LoadHighlights(bytes.NewReader([]byte("not gob"))); err == nil {
		t.Error("garbage cache accepted")
	}
}
