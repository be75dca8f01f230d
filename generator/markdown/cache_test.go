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

// HighlightsChanged is false only when a run used exactly the highlights it loaded.
func TestHighlightsChanged(t *testing.T) {
	goBlock := "```go\nfunc main() {}\n```\n"
	bashBlock := "```bash\necho hi\n```\n"
	var saved bytes.Buffer
	first := New(Options{})
	first.TrackHighlights()
	if _, err := first.Convert([]byte(goBlock+"\n"+bashBlock), Context{}); err != nil {
		t.Fatal(err)
	}
	if !first.HighlightsChanged() {
		t.Error("a run that loaded no cache reports no change")
	}
	if err := first.SaveHighlights(&saved); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		src  string
		want bool
	}{
		{"same blocks", goBlock + "\n" + bashBlock, false},
		{"same blocks, twice and in another order", bashBlock + "\n" + goBlock + "\n" + goBlock, false},
		{"one block unused", goBlock, true},
		{"a new block", goBlock + "\n" + bashBlock + "\n```go\nfunc other() {}\n```\n", true},
		{"one block replaced by a new one (as many blocks)", goBlock + "\n```go\nfunc other() {}\n```\n", true},
		{"no code", "text\n", true},
	} {
		c := New(Options{})
		if err := c.LoadHighlights(bytes.NewReader(saved.Bytes())); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Convert([]byte(tt.src), Context{}); err != nil {
			t.Fatal(err)
		}
		if got := c.HighlightsChanged(); got != tt.want {
			t.Errorf("%s: HighlightsChanged() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
