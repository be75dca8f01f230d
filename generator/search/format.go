package search

import (
	"cmp"
	"encoding/binary"
	"errors"
	"slices"
	"unicode/utf16"
)

// The binary files are sequences of unsigned LEB128 varints. Strings are
// UTF-16 code units (what JavaScript strings are made of), one varint each,
// and keys are front coded: the number of units shared with the previous key,
// then the count and units of the rest.

// cmp16 orders strings by UTF-16 code units, the order of JavaScript's < on
// strings. It differs from byte order only between U+E000–U+FFFF and
// characters outside the BMP.
//
// UTF-8 byte order is code point order, so it compares bytes: at the first
// byte that differs, lead bytes 0xEE–0xEF (U+E000–U+FFFF) sort after
// 0xF0–0xF4 (the surrogate pairs of JavaScript); any other pair of bytes
// orders as it does in UTF-16.
func cmp16(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		return cmp.Compare(len(a), len(b))
	}
	x, y := a[i], b[i]
	if (x == 0xEE || x == 0xEF) && y >= 0xF0 || (y == 0xEE || y == 0xEF) && x >= 0xF0 {
		return cmp.Compare(y, x)
	}
	return cmp.Compare(x, y)
}

type writer struct{ b []byte }

func (w *writer) uint(v int) {
	if cap(w.b)-len(w.b) < binary.MaxVarintLen64 {
		w.grow()
	}
	n := len(w.b)
	b := w.b[:n+binary.MaxVarintLen64]
	w.b = b[:n+binary.PutUvarint(b[n:], uint64(v))]
}

// grow makes room by half again: append grows large slices by a quarter, and the index's
// per-key lists grow a varint at a time (copying each list about ten times over, not twenty).
func (w *writer) grow() {
	w.b = slices.Grow(w.b, max(len(w.b)/2, 16))
}

// uvarintLen is the number of bytes writer.uint writes for v.
func uvarintLen(v int) int {
	n := 1
	for u := uint64(v); u >= 0x80; u >>= 7 {
		n++
	}
	return n
}

// key writes k front coded against prev.
func (w *writer) key(prev, k []uint16) {
	n := 0
	for n < len(prev) && n < len(k) && prev[n] == k[n] {
		n++
	}
	w.uint(n)
	w.uint(len(k) - n)
	for _, u := range k[n:] {
		w.uint(int(u))
	}
}

func (w *writer) bytes(p []byte) {
	w.uint(len(p))
	w.b = append(w.b, p...)
}

var errCorrupt = errors.New("search: corrupt index file")

type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) uint() int {
	var v uint64
	for s := uint(0); ; s += 7 {
		if r.i >= len(r.b) || s > 56 {
			r.err = errCorrupt
			return 0
		}
		c := r.b[r.i]
		r.i++
		v |= uint64(c&0x7F) << s
		if c < 0x80 {
			break
		}
	}
	if v > 1<<31 {
		r.err = errCorrupt
		return 0
	}
	return int(v)
}

// key reads a front-coded key following prev.
func (r *reader) key(prev []uint16) []uint16 {
	n := r.uint()
	m := r.uint()
	if r.err != nil || n > len(prev) || m > len(r.b)-r.i {
		r.err = errCorrupt
		return nil
	}
	k := make([]uint16, n, n+m)
	copy(k, prev)
	for range m {
		u := r.uint()
		if u > 0xFFFF {
			r.err = errCorrupt
		}
		k = append(k, uint16(u))
	}
	return k
}

func (r *reader) bytes() []byte {
	n := r.uint()
	if r.err != nil || n > len(r.b)-r.i {
		r.err = errCorrupt
		return nil
	}
	p := r.b[r.i : r.i+n]
	r.i += n
	return p
}

// count reads a number of things to come, each at least a byte long.
func (r *reader) count() int {
	n := r.uint()
	if r.err == nil && n > len(r.b)-r.i {
		r.err = errCorrupt
	}
	return n
}

// Term, typo and position shards share a shape: a header, then n entries, each a key front
// coded against the one before and the fields of its kind.

// entrySize is about what writer.entries takes for an entry of key followed by n bytes: what
// shards are cut by, and room made for them.
func entrySize(key string, n int) int { return len(key) + 3 + n }

// entries writes n entries: key(i), then what fields(i) writes.
func (w *writer) entries(n int, key func(int) string, fields func(int)) {
	var prev, k []uint16 // two buffers, swapped: a shard has thousands of keys
	for i := range n {
		k = appendUnits(k[:0], key(i))
		w.key(prev, k)
		prev, k = k, prev
		fields(i)
	}
}

// entries reads n entries written by writer.entries; fields reads what follows each key and
// may reject it. The shard must end with the last entry.
func (r *reader) entries(n int, fields func(key []uint16) error) error {
	var prev []uint16
	for range n {
		k := r.key(prev)
		if r.err != nil {
			return r.err
		}
		prev = k
		if err := fields(k); err != nil {
			return err
		}
		if r.err != nil {
			return r.err
		}
	}
	if r.i != len(r.b) {
		return errCorrupt
	}
	return nil
}

func units(s string) []uint16 { return appendUnits(nil, s) }

// appendUnits appends the UTF-16 code units of s (invalid UTF-8 as U+FFFD, as []rune does).
func appendUnits(u []uint16, s string) []uint16 {
	for _, r := range s {
		if r < 0x10000 {
			u = append(u, uint16(r))
		} else {
			u = utf16.AppendRune(u, r)
		}
	}
	return u
}

func str16(u []uint16) string { return string(utf16.Decode(u)) }

// A posting is one document of a key's postings list.
type posting struct {
	doc    int // document number
	impact int // BM25F term-frequency part, quantised to 1..maxImpact
	hint   int // 0: the title; i+1: Parts[i] has the most occurrences
}

// maxImpact is the number of impact levels: 31 keeps the BM25 order of
// pages finer than its own precision, and compresses far better than 127.
const maxImpact = 31

func encodePostings(ps []posting) []byte {
	var w writer
	w.uint(len(ps))
	last := 0
	for _, p := range ps {
		w.posting(p, last)
		last = p.doc
	}
	return w.b
}

// posting writes one posting of a list after the one for document last: the count of a
// list comes first (encodePostings), then its postings in document order.
func (w *writer) posting(p posting, last int) {
	w.uint(p.doc - last)
	w.uint(p.impact)
	w.uint(p.hint)
}

func decodePostings(b []byte) ([]posting, error) {
	r := reader{b: b}
	n := r.uint()
	if n > len(b) {
		return nil, errCorrupt
	}
	ps := make([]posting, 0, n)
	doc := 0
	for range n {
		doc += r.uint()
		p := posting{doc: doc, impact: r.uint(), hint: r.uint()}
		if r.err != nil {
			return nil, r.err
		}
		ps = append(ps, p)
	}
	return ps, r.err
}

// A termEntry is one key of a term shard. Postings are kept encoded; an
// alias (a surface word whose key differs) refers to another entry of the
// same shard.
type termEntry struct {
	key   string
	post  []byte // encoded postings, nil if none
	alias int    // index of the target entry in the shard, -1 if none
}

// termShard is a decoded term shard: sorted entries, then extra entries that
// aliases refer to but that sort into another shard.
type termShard struct {
	entries []termEntry
	sorted  int
}

func encodeTermShard(s termShard) []byte {
	size := 2 * binary.MaxVarintLen64
	for _, e := range s.entries {
		size += entrySize(e.key, len(e.post)) // room made at once
	}
	w := writer{b: make([]byte, 0, size)}
	w.uint(s.sorted)
	w.uint(len(s.entries) - s.sorted)
	w.entries(len(s.entries), func(i int) string { return s.entries[i].key }, func(i int) {
		e := s.entries[i]
		h := (e.alias + 1) << 1
		if e.post != nil {
			h |= 1
		}
		w.uint(h)
		if e.post != nil {
			w.bytes(e.post)
		}
	})
	return w.b
}

func decodeTermShard(b []byte) (termShard, error) {
	r := reader{b: b}
	sorted := r.count()
	extra := r.count()
	if r.err != nil || sorted+extra > len(b) {
		return termShard{}, errCorrupt
	}
	s := termShard{sorted: sorted, entries: make([]termEntry, 0, sorted+extra)}
	err := r.entries(sorted+extra, func(k []uint16) error {
		h := r.uint()
		e := termEntry{key: str16(k), alias: h>>1 - 1}
		if h&1 != 0 {
			e.post = r.bytes()
		}
		if e.alias >= sorted+extra {
			return errCorrupt
		}
		s.entries = append(s.entries, e)
		return nil
	})
	if err != nil {
		return termShard{}, err
	}
	return s, nil
}

// A typoEntry is one deletion variant and the words it comes from: a word is
// the variant with one unit inserted (pos-1, unit), or the variant itself
// when pos is 0.
type typoEntry struct {
	key   string
	edits []typoEdit
}

type typoEdit struct{ pos, unit int }

func (e typoEntry) words() []string {
	k := units(e.key)
	var ws []string
	for _, ed := range e.edits {
		if ed.pos == 0 {
			ws = append(ws, e.key)
			continue
		}
		w := make([]uint16, 0, len(k)+1)
		w = append(append(append(w, k[:ed.pos-1]...), uint16(ed.unit)), k[ed.pos-1:]...)
		ws = append(ws, str16(w))
	}
	return ws
}

func encodeTypoShard(es []typoEntry) []byte {
	var w writer
	w.uint(len(es))
	w.entries(len(es), func(i int) string { return es[i].key }, func(i int) {
		w.uint(len(es[i].edits))
		for _, ed := range es[i].edits {
			w.uint(ed.pos)
			w.uint(ed.unit)
		}
	})
	return w.b
}

func decodeTypoShard(b []byte) ([]typoEntry, error) {
	r := reader{b: b}
	n := r.count()
	if r.err != nil {
		return nil, r.err
	}
	es := make([]typoEntry, 0, n)
	err := r.entries(n, func(k []uint16) error {
		m := r.count()
		if r.err != nil {
			return r.err
		}
		e := typoEntry{key: str16(k)}
		for range m {
			ed := typoEdit{pos: r.uint(), unit: r.uint()}
			if ed.pos > len(k)+1 || ed.unit > 0xFFFF {
				return errCorrupt
			}
			e.edits = append(e.edits, ed)
		}
		es = append(es, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return es, nil
}

// docPositions are the word positions of one key in one document.
type docPositions struct {
	doc int
	pos []int
}

type posEntry struct {
	key  string
	data []byte // encoded []docPositions
}

func encodePositions(ds []docPositions) []byte {
	var w writer
	w.uint(len(ds))
	last := 0
	for _, d := range ds {
		w.uint(d.doc - last)
		last = d.doc
		w.uint(len(d.pos))
		lp := 0
		for _, p := range d.pos {
			w.uint(p - lp)
			lp = p
		}
	}
	return w.b
}

func decodePositions(b []byte) ([]docPositions, error) {
	r := reader{b: b}
	n := r.uint()
	if r.err != nil || n > len(b) {
		return nil, errCorrupt
	}
	ds := make([]docPositions, 0, n)
	doc := 0
	for range n {
		doc += r.uint()
		m := r.uint()
		if r.err != nil || m > len(b) {
			return nil, errCorrupt
		}
		d := docPositions{doc: doc, pos: make([]int, 0, m)}
		p := 0
		for range m {
			p += r.uint()
			d.pos = append(d.pos, p)
		}
		if r.err != nil {
			return nil, r.err
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// encodePosShard writes n entries: key(i), then its encoded []docPositions, given as the
// number of documents and what follows it (as the builder keeps positions). size is about
// how long the shard comes out: room made at once, as the shards are most of the index.
func encodePosShard(n int, key func(int) string, data func(int) (docs int, rest []byte), size int) []byte {
	w := writer{b: make([]byte, 0, size+binary.MaxVarintLen64)}
	w.uint(n)
	w.entries(n, key, func(i int) {
		docs, rest := data(i)
		w.uint(uvarintLen(docs) + len(rest))
		w.uint(docs)
		w.b = append(w.b, rest...)
	})
	return w.b
}

func decodePosShard(b []byte) ([]posEntry, error) {
	r := reader{b: b}
	n := r.count()
	if r.err != nil {
		return nil, r.err
	}
	es := make([]posEntry, 0, n)
	err := r.entries(n, func(k []uint16) error {
		es = append(es, posEntry{key: str16(k), data: r.bytes()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return es, nil
}
