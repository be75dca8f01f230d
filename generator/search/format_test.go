package search

import (
	"cmp"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestPostingsRoundTrip(t *testing.T) {
	for _, ps := range [][]posting{
		{},
		{{doc: 0, impact: 1, hint: 0}},
		{{doc: 3, impact: 127, hint: 2}, {doc: 4, impact: 64, hint: 0}, {doc: 1000000, impact: 9, hint: 300}},
	} {
		got, err := decodePostings(encodePostings(ps))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, ps) {
			t.Errorf("postings round trip: got %v, want %v", got, ps)
		}
	}
}

func TestTermShardRoundTrip(t *testing.T) {
	want := termShard{sorted: 4, entries: []termEntry{
		{key: "\x01کی", post: encodePostings([]posting{{1, 5, 0}}), alias: -1},
		{key: "tax", post: encodePostings([]posting{{0, 100, 1}, {2, 30, 0}}), alias: -1},
		{key: "taxes", alias: 1},
		{key: "relate", post: encodePostings([]posting{{7, 1, 3}}), alias: 4},
		{key: "relat", post: encodePostings([]posting{{8, 2, 1}}), alias: -1}, // extra
	}}
	b := encodeTermShard(want)
	got, err := decodeTermShard(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("term shard round trip:\n got %+v\nwant %+v", got, want)
	}
	// Every truncation is an error, never a panic.
	for i := range len(b) {
		if _, err := decodeTermShard(b[:i]); err == nil {
			t.Errorf("decoding the first %d of %d bytes succeeded", i, len(b))
		}
	}
	if _, err := decodeTermShard(append(b, 0)); err == nil {
		t.Error("a shard with a byte after its last entry decoded")
	}
}

func TestTypoShardRoundTrip(t *testing.T) {
	want := []typoEntry{
		{key: "curier", edits: []typoEdit{{0, 0}, {2, 'o'}}},
		{key: "𐐀x", edits: []typoEdit{{3, 'y'}}},
	}
	b := encodeTypoShard(want)
	got, err := decodeTypoShard(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("typo shard round trip: got %+v, want %+v", got, want)
	}
	if w := got[0].words(); !slices.Equal(w, []string{"curier", "courier"}) {
		t.Errorf("words of %q = %q", got[0].key, w)
	}
	for i := range len(b) {
		if _, err := decodeTypoShard(b[:i]); err == nil {
			t.Errorf("decoding the first %d of %d bytes succeeded", i, len(b))
		}
	}
	if _, err := decodeTypoShard(append(b, 0)); err == nil {
		t.Error("a shard with a byte after its last entry decoded")
	}
}

func TestPositionsRoundTrip(t *testing.T) {
	ds := []docPositions{{doc: 2, pos: []int{0, 5, 6}}, {doc: 9, pos: []int{100}}}
	want := []posEntry{{key: "sale", data: encodePositions(ds)}, {key: "tax", data: encodePositions(nil)}}
	b := encodePosShard(len(want), func(i int) string { return want[i].key }, func(i int) (int, []byte) {
		r := reader{b: want[i].data}
		docs := r.uint()
		return docs, want[i].data[r.i:]
	}, 1) // a size far too small: the shard grows as needed
	got, err := decodePosShard(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("positions shard round trip: got %+v, want %+v", got, want)
	}
	back, err := decodePositions(got[0].data)
	if err != nil || !reflect.DeepEqual(back, ds) {
		t.Errorf("positions round trip: got %v, %v; want %v", back, err, ds)
	}
	for i := range len(b) {
		if _, err := decodePosShard(b[:i]); err == nil {
			t.Errorf("decoding the first %d of %d bytes succeeded", i, len(b))
		}
	}
	if _, err := decodePosShard(append(b, 0)); err == nil {
		t.Error("a shard with a byte after its last entry decoded")
	}
}

// TestIndexStructure checks the invariants the client relies on, on a built
// index: every key is in the shard the manifest's first keys send it to,
// aliases point at entries with postings, positions agree with postings, and
// every document is in its result chunk.
func TestIndexStructure(t *testing.T) {
	for _, c := range []struct {
		lang string
		docs []Doc
	}{{"en", englishDocs()}, {"ur", urduDocs()}} {
		ix, s := mustBuild(t, c.docs, c.lang)
		maxParts := 0
		for _, d := range c.docs {
			maxParts = max(maxParts, len(d.Parts))
		}
		df := map[string]int{}
		for i := range s.m.Terms {
			sh, err := s.termShard(i)
			if err != nil {
				t.Fatal(err)
			}
			for j, e := range sh.entries {
				if j < sh.sorted {
					if got := shardOf(s.m.Terms, e.key); got != i {
						t.Errorf("%s: key %q is in shard %d but the manifest points to %d", c.lang, e.key, i, got)
					}
					if j > 0 && cmp16(sh.entries[j-1].key, e.key) >= 0 {
						t.Errorf("%s: shard %d not sorted at %q", c.lang, i, e.key)
					}
				}
				if e.alias >= 0 && sh.entries[e.alias].post == nil {
					t.Errorf("%s: alias %q points at %q, which has no postings", c.lang, e.key, sh.entries[e.alias].key)
				}
				if e.post == nil && e.alias < 0 {
					t.Errorf("%s: entry %q has neither postings nor alias", c.lang, e.key)
				}
				if e.post != nil && j < sh.sorted {
					ps, err := decodePostings(e.post)
					if err != nil {
						t.Fatal(err)
					}
					df[e.key] = len(ps)
					for _, p := range ps {
						if p.impact < 1 || p.impact > maxImpact || p.doc >= len(c.docs) || p.hint > maxParts {
							t.Errorf("%s: %q has bad posting %+v", c.lang, e.key, p)
						}
					}
				}
			}
		}
		if c.lang == "en" {
			for _, k := range []string{"tax", "sale", "rs500", "rs", "500", "18%", "3p", "ibft"} {
				if df[k] == 0 {
					t.Errorf("key %q is not indexed", k)
				}
			}
		}
		for i := range s.m.Pos {
			es, err := decodePosShard(ix.Files[s.m.Files.Pos+itoa(i)+".bin"])
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				dps, err := decodePositions(e.data)
				if err != nil {
					t.Fatal(err)
				}
				if len(dps) != df[e.key] {
					t.Errorf("%s: %q has positions in %d documents, postings in %d", c.lang, e.key, len(dps), df[e.key])
				}
				if strings.HasPrefix(e.key, lenientMark) {
					t.Errorf("%s: lenient key %q has positions", c.lang, e.key)
				}
			}
		}
		seen := 0
		for i := 0; i*s.m.Chunk < len(c.docs); i++ {
			var docs []json.RawMessage
			if err := json.Unmarshal(ix.Files[s.m.Files.Chunks+itoa(i)+".json"], &docs); err != nil {
				t.Fatal(err)
			}
			seen += len(docs)
		}
		if seen != len(c.docs) {
			t.Errorf("%s: chunks hold %d documents, want %d", c.lang, seen, len(c.docs))
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestShardCuts builds an index big enough for several shards of every kind
// and checks that aliases stay beside their stems and that a search still
// finds every word through the shard the manifest names.
func TestShardCuts(t *testing.T) {
	var docs []Doc
	suffixes := []string{"", "s", "ing", "ed", "er", "ers", "ation", "ly"}
	for i := range 400 {
		var b strings.Builder
		for j := range 60 {
			b.WriteString(word(i*61+j*7) + suffixes[(i+j)%len(suffixes)] + " ")
		}
		docs = append(docs, Doc{URL: "/p/" + itoa(i) + "/", Title: "Page " + word(i), SectionKey: "s" + itoa(i%5), Section: "S", Parts: []Part{{"", "", b.String()}}})
	}
	ix, s := mustBuild(t, docs, "en")
	if len(s.m.Terms) < 3 || len(s.m.Typos) < 3 || len(s.m.Pos) < 3 {
		t.Fatalf("want several shards of each kind, got %d term, %d typo, %d positions shards", len(s.m.Terms), len(s.m.Typos), len(s.m.Pos))
	}
	extras, aliases := 0, 0
	for i := range s.m.Terms {
		sh, _ := s.termShard(i)
		extras += len(sh.entries) - sh.sorted
		for _, e := range sh.entries[:sh.sorted] {
			if e.alias >= 0 {
				aliases++
				if e.alias >= len(sh.entries) || sh.entries[e.alias].key != key(e.key, "en") {
					t.Errorf("shard %d: alias %q points at entry %d, not at its key %q", i, e.key, e.alias, key(e.key, "en"))
				}
			}
		}
	}

	if extras*10 > aliases {
		t.Errorf("%d of %d aliases needed a copy of their stem in another shard", extras, aliases)
	}
	for _, i := range []int{0, 137, 399} {
		w := word(i*61) + suffixes[i%len(suffixes)]
		r, err := s.Search(w+" ", "")
		if err != nil {
			t.Fatal(err)
		}
		found := slices.ContainsFunc(r.Hits, func(h Hit) bool { return h.URL == "/p/"+itoa(i)+"/" })
		if r.Total == 0 || (r.Total <= maxShown && !found) {
			t.Errorf("%q does not find page %d: %d results %+v", w, i, r.Total, r.Hits)
		}
	}
	if len(ix.Files) != 1+len(s.m.Terms)+len(s.m.Typos)+len(s.m.Pos)+(len(docs)+s.m.Chunk-1)/s.m.Chunk {
		t.Errorf("the index has %d files, more than the manifest names", len(ix.Files))
	}
}

// word is a made-up lowercase word for a number.
func word(n int) string {
	const c, v = "bcdfghklmnprstvz", "aeiou"
	var b []byte
	for i := 0; i < 3; i++ {
		b = append(b, c[n%len(c)], v[(n/len(c))%len(v)])
		n /= len(c) * len(v) / 3
	}
	return string(b)
}

func TestUvarintLen(t *testing.T) {
	for _, v := range []int{0, 1, 127, 128, 300, 16383, 16384, 1<<21 - 1, 1 << 21, 1<<31 - 1} {
		var w writer
		w.uint(v)
		if got := uvarintLen(v); got != len(w.b) {
			t.Errorf("uvarintLen(%d) = %d, writer.uint wrote %d bytes", v, got, len(w.b))
		}
	}
}

// appendUnits must give what utf16.Encode([]rune(s)) gives, appending to what is there.
func TestAppendUnits(t *testing.T) {
	for _, s := range []string{"", "abc", "اردو", "a😀b", "\xff\xfez", "é\u0301", "\U0010FFFF"} {
		got := appendUnits([]uint16{7}, s)
		want := append([]uint16{7}, utf16.Encode([]rune(s))...)
		if !slices.Equal(got, want) {
			t.Errorf("appendUnits(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestIsASCII(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"", true}, {"abc", true}, {"abcdefgh", true}, {"abcdefghijklmnopq", true},
		{"é", false}, {"abcdefg\x80", false}, {"abcdefgh\xff", false}, {"\x80bcdefghijklmnop", false},
		{"abcdefghijklmno\x7f", true}, {"abcdefghijklmnop\xc3\xa9", false},
	} {
		if got := isASCII(c.s); got != c.want {
			t.Errorf("isASCII(%q) = %v", c.s, got)
		}
	}
}

// TestTermShardExtras: an alias whose key sorts far from it (more than a shard of words between
// them) finds the key copied into its own shard, after the sorted entries.
func TestTermShardExtras(t *testing.T) {
	var b strings.Builder
	for j := range 2000 { // "connecta…" words sort between "connect" and "connecting"
		b.WriteString("connecta" + word(j) + " ")
	}
	docs := []Doc{
		{URL: "/a/", Title: "Connect", SectionKey: "s", Parts: []Part{{"", "", b.String()}}},
		{URL: "/b/", Title: "Other", SectionKey: "s", Parts: []Part{{"", "", "connecting twice connecting, connected"}}},
	}
	_, s := mustBuild(t, docs, "en")
	found := false
	for i := range s.m.Terms {
		sh, err := s.termShard(i)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range sh.entries[:sh.sorted] {
			if e.key != "connecting" {
				continue
			}
			found = true
			copied := map[string]bool{}
			for _, x := range sh.entries[sh.sorted:] {
				if copied[x.key] {
					t.Errorf("%q copied twice into one shard", x.key)
				}
				copied[x.key] = true
			}
			if e.alias < sh.sorted || e.alias >= len(sh.entries) || sh.entries[e.alias].key != "connect" {
				t.Errorf("connecting: alias %d in a shard of %d sorted entries and %d copied", e.alias, sh.sorted, len(sh.entries)-sh.sorted)
			}
		}
	}
	if !found {
		t.Fatal("no entry for connecting")
	}
	r, err := s.Search("connecting", "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 2 || len(r.Hits) != 2 { // /a/ through the key ("Connect"), /b/ through the alias
		t.Errorf("connecting: %d results %+v, want /a/ and /b/", r.Total, r.Hits)
	}
}

// TestSortByPrefix checks the radix sort against a stable comparison sort, on prefixes that
// share leading bytes (as words do) and on ones that differ only in their last byte.
func TestSortByPrefix(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 100, 5000} {
		vs := make([]typoVariant, n)
		for i := range vs {
			p := uint64(0x6162630000000000) | rng.Uint64()&0xffffff // "abc" then random bytes
			if i%3 == 0 {
				p = 0x7a7a7a7a7a7a7a00 | uint64(rng.IntN(4))
			}
			vs[i] = typoVariant{prefix: p, word: int32(i)}
		}
		want := slices.Clone(vs)
		slices.SortStableFunc(want, func(x, y typoVariant) int { return cmp.Compare(x.prefix, y.prefix) })
		if got := sortByPrefix(vs); !slices.Equal(got, want) {
			t.Fatalf("n=%d: sortByPrefix differs from a stable sort by prefix", n)
		}
	}
}

// TestCompareSamePrefix checks the typo table's comparison of variants of one prefix against
// comparing their keys as strings, on words that share long prefixes, keys of up to 8 bytes
// and longer, and two-byte letters.
func TestCompareSamePrefix(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var ws []string
	for range 300 {
		var b strings.Builder
		for range 5 + rng.IntN(6) {
			b.WriteString([]string{"a", "b", "é"}[rng.IntN(3)])
		}
		ws = append(ws, b.String())
	}
	var vs []typoVariant
	for i, w := range ws {
		vs = append(vs, typoVariant{word: int32(i), prefix: prefix8(w, ""), klen: uint8(len(w))})
		for at, r := range w {
			v := typoVariant{word: int32(i), at: uint8(at), del: uint8(utf8.RuneLen(r)), klen: uint8(len(w) - utf8.RuneLen(r))}
			v.prefix = prefix8(v.halves(ws))
			vs = append(vs, v)
		}
	}
	pairs := 0
	for _, x := range vs {
		for _, y := range vs {
			if x.prefix != y.prefix {
				continue
			}
			pairs++
			if got, want := x.compareSamePrefix(y, ws), strings.Compare(variantKey(x, ws), variantKey(y, ws)); cmp.Compare(got, 0) != want {
				t.Fatalf("compareSamePrefix(%q, %q) = %d, want the sign %d", variantKey(x, ws), variantKey(y, ws), got, want)
			}
		}
	}
	if pairs < 4*len(vs) {
		t.Fatalf("only %d pairs of one prefix among %d variants: the test compares too little", pairs, len(vs))
	}
}

// variantKey spells out the key of a typo variant.
func variantKey(v typoVariant, ws []string) string {
	a, b := v.halves(ws)
	return a + b
}

// TestSortedKeys checks the order of keys sorted by their first 8 bytes, then whole, against
// cmp16, on keys that share long prefixes and hold letters that sort differently in UTF-16
// than in UTF-8 (U+E000–U+FFFF against letters outside the BMP).
func TestSortedKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "b", "é", "\ue000", "\ufffd", "\U0001F600", "ab", "abcdefg"}
	seen := map[string]bool{}
	b := &builder{}
	var postings [][]byte
	for len(b.keys) < 3000 {
		var k strings.Builder
		for range 1 + rng.IntN(6) {
			k.WriteString(pieces[rng.IntN(len(pieces))])
		}
		if seen[k.String()] {
			continue
		}
		seen[k.String()] = true
		b.keys = append(b.keys, k.String())
		postings = append(postings, []byte{1})
	}
	postings[7] = nil // a key without postings is left out
	got := b.sortedKeys(postings)
	if len(got) != len(b.keys)-1 || slices.Contains(got, 7) {
		t.Fatalf("sortedKeys: %d keys, want %d without key 7", len(got), len(b.keys)-1)
	}
	for i := 1; i < len(got); i++ {
		if x, y := b.keys[got[i-1]], b.keys[got[i]]; cmp16(x, y) >= 0 {
			t.Fatalf("sortedKeys: %q before %q, against cmp16", x, y)
		}
	}
}
