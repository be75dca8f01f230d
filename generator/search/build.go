package search

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Doc is one page to index.
type Doc struct {
	URL        string // site-absolute URL path including any base path, e.g. "/guide/tax/sales-tax/"
	Title      string
	Section    string // display name of the page's top section, e.g. "Tax changes"
	SectionKey string // its slug for filtering, e.g. "tax" ("" for top-level pages)
	Parts      []Part // the page text split at headings
	// Boost scales the page's scores; 0 means 1. Overview pages (a section's index) take less,
	// so the page that is about a thing ranks above the page that lists it.
	Boost float64
}

// Part is the text under one heading of a page. Anchor "" is the top of the
// page.
type Part struct{ Anchor, Heading, Text string }

// Options select the text analysis: Lang "en" stems English words, "ur"
// adds lenient matching of the contested Urdu letters; any other language
// gets the language-neutral analysis.
type Options struct{ Lang string }

// Index is a built search index: the files of one language's index folder.
type Index struct {
	Files    map[string][]byte // file name (relative to the index folder) -> contents
	Manifest string            // the key in Files of the manifest the client loads first
}

// Tuning. The client has the same numbers; see doc.go.
const (
	weightTitle   = 4.0
	weightHeading = 2.0
	weightText    = 1.0
	titleShare    = 0.2 // of the impact scale, for a match in the title
	bm25K1        = 1.2
	bm25B         = 0.75

	termShardBytes = 16 << 10 // target raw size of a term shard (about 8 KB gzipped)
	auxShardBytes  = 24 << 10 // of a typo or positions shard, read only for typos and phrases
	cutLookahead   = 64       // entries searched past the target for a clean cut
	docsPerChunk   = 2        // documents per result chunk: a query fetches the chunks of its top results, so small chunks waste fewer bytes
	snippetRunes   = 200      // text kept per part for excerpts
	typoMinLen     = 4        // shortest dictionary word in the typo table
	typoMaxLen     = 32       // longest
	manifestVer    = 1
	fieldTitle     = 0
	fieldHeading   = 1
	fieldText      = 2
	numFields      = 3
	hashHexDigits  = 10
)

// manifest is the JSON the client loads first.
type manifest struct {
	V        int                `json:"v"`
	Lang     string             `json:"lang"`
	Docs     int                `json:"docs"`
	Chunk    int                `json:"chunk"`    // documents per result chunk
	Files    familyNames        `json:"files"`    // file name prefixes: name = prefix + index + extension
	Terms    []string           `json:"terms"`    // first key of each term shard ("" for the first)
	Typos    []string           `json:"typos"`    // first key of each typo shard
	Pos      []string           `json:"pos"`      // first key of each positions shard
	Sections [][4]any           `json:"sections"` // [key, name, first doc, doc count]
	AvgLen   [numFields]float64 `json:"avglen"`
}

type familyNames struct {
	Terms  string `json:"terms"`
	Typos  string `json:"typos"`
	Pos    string `json:"pos"`
	Chunks string `json:"chunks"`
}

// keyStat accumulates one key's occurrences in the document being analysed.
type keyStat struct {
	tf        [numFields]int32
	npos      int32 // positions counted (in builder.occ)
	part      int32 // part being counted (index+1)
	best      int32 // hint: part with the highest score so far
	partScore int32 // weighted count in part (the weights are whole numbers)
	bestScore int32
}

type docInfo struct {
	lens  [numFields]int
	boost float64
}

type builder struct {
	lang    string
	keyIDs  map[string]int32
	keys    []string
	lenient []bool     // key is a lenient (loose Urdu) key
	ks      []keyState // by key id
	docs    []docInfo
	words   []wordInfo // by the segmenter's word id

	seg   *segmenter // the dictionary of words: ids in the order the documents first use them
	doc   []int32    // the key ids the document being analysed has counted
	stats []keyStat  // their counts, by index in doc (a few hundred: they stay in cache)
	gen   int32      // the document being analysed, + 1 (see keyState.gen)
	pos   int
	occ   []occurrence // the positions the document being analysed has counted
	at    []int32      // scratch: where each of doc's keys' positions go in sorted

	// Each document's lists as counted, document by document (see flushDoc), and once
	// counting is done, each key's lists back to back (see transpose).
	stream    [][]byte
	postLists []byte
	posLists  []byte
	sorted    []int32 // scratch: the document's positions grouped by key
}

// occurrence is a position of the key in builder.doc[slot].
type occurrence struct{ slot, pos int32 }

// keyState is what the builder keeps of a key while counting: in one place, since counting a
// document touches all of it for each of the document's keys, and as separate tables that
// cost a cache miss each. It holds no pointer, so the collector never scans the table.
//
// A key's raw list names its documents: for each, the document number (delta), its term
// frequency in each field and its hint part; transpose turns them into postings (impacts)
// once the average field lengths are known, in builder.postLists from postOff to postEnd.
// Its position list gives, for each document (delta), the number of positions and the
// positions (deltas), for phrases: in builder.posLists at posOff. All are varints. Every
// occurrence of a strict key has a position and no lenient one has, so a strict key's
// position list names the documents its raw list names, and a lenient key has none.
type keyState struct {
	gen     int32 // builder.gen when last counted: then slot is its index in builder.doc
	slot    int32
	rawDF   int32 // documents
	rawLast int32 // the last of them
	postLen int32 // bytes its postings will take (see transpose)
	posLen  int32 // bytes of its position list
	postOff int
	postEnd int
	posOff  int
}

func (b *builder) posList(id int) []byte {
	k := &b.ks[id]
	return b.posLists[k.posOff : k.posOff+int(k.posLen)]
}

// wordInfo caches the analysis of one distinct word.
type wordInfo struct {
	set     bool
	key     int32 // its key's id
	lenient int32 // its lenient key's id (Urdu), or -1
}

func (b *builder) keyID(k string, lenient bool) int32 {
	id, ok := b.keyIDs[k]
	if !ok {
		if n := len(b.keys); n == cap(b.keys) {
			// Doubled together: append alone grows large slices by a quarter, copying each of
			// these some twenty times over a big site.
			n = max(n, 64)
			b.keys = slices.Grow(b.keys, n)
			b.lenient = slices.Grow(b.lenient, n)
			b.ks = slices.Grow(b.ks, n)
		}
		id = int32(len(b.keys))
		b.keyIDs[k] = id
		b.keys = append(b.keys, k)
		b.lenient = append(b.lenient, lenient)
		b.ks = append(b.ks, keyState{})
	}
	return id
}

// Build indexes docs. The same docs and options always give byte-identical
// files.
func Build(docs []Doc, opts Options) (*Index, error) {
	for i, d := range docs {
		if d.URL == "" {
			return nil, fmt.Errorf("search: document %d (%q) has no URL", i, d.Title)
		}
	}
	order, sections := orderDocs(docs)
	b := &builder{
		lang:   opts.Lang,
		keyIDs: map[string]int32{},
		seg:    newSegmenter(),
	}
	b.analyseAll(docs, order)
	b.doc, b.stats, b.occ, b.at, b.sorted = nil, nil, nil, nil, nil
	var m manifest
	m.V = manifestVer
	m.Lang = opts.Lang
	m.Docs = len(order)
	m.Chunk = docsPerChunk
	m.Sections = sections
	m.AvgLen = b.avgLens()
	b.transpose(m.AvgLen)

	// The shard families and the result chunks need nothing from each other once the postings
	// are made: they are made concurrently, each writing only its own variables. The chunks
	// and the typo table, which need no postings, wait for them all the same: until transpose
	// has freed the stream, it takes the memory.
	var wg sync.WaitGroup
	var chunks, typoFiles, posFiles [][]byte
	var typoFirst, posFirst []string
	postings := b.postings()
	wg.Go(func() { typoFiles, typoFirst = b.typoShards() })
	wg.Go(func() { chunks = docChunks(docs, order) })
	keys := b.sortedKeys(postings)
	wg.Go(func() { posFiles, posFirst = b.posShards(keys) })
	termFiles, termFirst := b.termShards(postings, keys)
	wg.Wait()

	ix := &Index{Files: map[string][]byte{}}
	m.Terms, m.Files.Terms = termFirst, addFamily(ix, "s", ".bin", termFiles)
	m.Typos, m.Files.Typos = typoFirst, addFamily(ix, "t", ".bin", typoFiles)
	m.Pos, m.Files.Pos = posFirst, addFamily(ix, "p", ".bin", posFiles)
	m.Files.Chunks = addFamily(ix, "d", ".json", chunks)

	mj, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("search: %v", err)
	}
	ix.Manifest = "manifest-" + hashOf(mj) + ".json"
	ix.Files[ix.Manifest] = mj
	return ix, nil
}

// orderDocs numbers documents section by section, sections in order of first
// appearance, so that a section is a range of document numbers and pages of
// one section share result chunks.
func orderDocs(docs []Doc) ([]int, [][4]any) {
	var keys []string
	bySec := map[string][]int{}
	name := map[string]string{}
	for i, d := range docs {
		if _, ok := bySec[d.SectionKey]; !ok {
			keys = append(keys, d.SectionKey)
			name[d.SectionKey] = d.Section
		}
		bySec[d.SectionKey] = append(bySec[d.SectionKey], i)
	}
	var order []int
	var secs [][4]any
	for _, k := range keys {
		secs = append(secs, [4]any{k, name[k], len(order), len(bySec[k])})
		order = append(order, bySec[k]...)
	}
	if secs == nil {
		secs = [][4]any{}
	}
	return order, secs
}

// segBatch is what a segmenting worker hands over: the tokens of a run of documents (see
// segmentDoc) and its dictionary so far, which the tokens' word ids index.
type segBatch struct {
	tokens []int32 // the documents' tokens, one after another
	ends   []int   // where each document's tokens end
	words  []string
}

// localWord is what counting knows of one word of a worker's dictionary.
type localWord struct {
	global  int32 // the builder's id of the word + 1; 0 until first met
	long    bool  // longer than maxWord: not indexed
	keyed   bool  // key and lenient are set
	key     int32
	lenient int32
}

// localWords are a worker's dictionary as counting sees it: words[id] is names[id].
type localWords struct {
	words []localWord
	names []string
}

const segBatchDocs = 32

// analyseAll counts the keys of every document. Segmenting (normalising text and cutting it
// into words) is most of the work and needs nothing from other documents, so workers do it
// for batches of documents, each with its own dictionary; counting then runs in document
// order here, which gives words the same ids, and the index the same bytes, however many
// workers there are.
func (b *builder) analyseAll(docs []Doc, order []int) {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(order)/segBatchDocs))
	outs := make([]chan segBatch, workers)
	free := make([]chan []int32, workers) // token slices counted, for the worker to fill again
	for w := range outs {
		outs[w] = make(chan segBatch, 2)
		free[w] = make(chan []int32, 4)
		go func() {
			defer close(outs[w])
			sg := newSegmenter()
			for lo := w * segBatchDocs; lo < len(order); lo += workers * segBatchDocs {
				var sb segBatch
				select {
				case sb.tokens = <-free[w]:
				default:
				}
				for _, i := range order[lo:min(lo+segBatchDocs, len(order))] {
					sb.tokens = segmentDoc(sb.tokens, sg, &docs[i])
					sb.ends = append(sb.ends, len(sb.tokens))
				}
				sb.words = sg.words
				outs[w] <- sb
			}
		}()
	}
	locals := make([]localWords, workers)
	id := 0
	for k := 0; id < len(order); k++ {
		w := k % workers
		sb := <-outs[w]
		lw := &locals[w]
		if n := len(sb.words); len(lw.words) < n {
			lw.words = append(lw.words, make([]localWord, n-len(lw.words))...)
		}
		lw.names = sb.words
		start := 0
		for _, end := range sb.ends {
			b.analyse(id, &docs[order[id]], sb.tokens[start:end], lw)
			start = end
			id++
		}
		select {
		case free[w] <- sb.tokens[:0]:
		default:
		}
	}
}

// local returns what counting knows of a worker's word, giving it the builder's id when first
// met, in document order.
func (b *builder) local(lw *localWords, id int32) *localWord {
	x := &lw.words[id]
	if x.global == 0 {
		name := lw.names[id]
		x.global = b.seg.idString(name) + 1
		x.long = len16(name) > maxWord
	}
	return x
}

// segmentDoc appends the tokens of a document's fields to toks, in order (title, then each
// part's heading and text). For each field: the number of words, then each word: a word of
// one piece as its id (ids of sg's dictionary, never negative), a compound as minus its
// width, the number of its parts, its id and the parts' ids.
func segmentDoc(toks []int32, sg *segmenter, d *Doc) []int32 {
	field := func(text string) {
		at := len(toks)
		toks = append(toks, 0)
		word := func(word int32, parts []int32, width int) {
			if width == 1 {
				toks = append(toks, word)
			} else {
				toks = append(toks, int32(-width), int32(len(parts)), word)
				toks = append(toks, parts...)
			}
			toks[at]++
		}
		if !sg.eachASCII(text, word) { // as each would, but normalising only text that needs it
			sg.eachRune(normalize(text), word)
		}
	}
	field(d.Title)
	for _, p := range d.Parts {
		field(p.Heading)
		field(p.Text)
	}
	return toks
}

// analyse counts the keys of one document from its tokens. Positions run through the title,
// then each part's heading and text, with a gap between them so that a phrase never spans
// two.
func (b *builder) analyse(id int, d *Doc, toks []int32, lw *localWords) {
	b.doc, b.stats = b.doc[:0], b.stats[:0]
	b.gen = int32(id) + 1
	b.pos = 0
	var info docInfo
	info.boost = d.Boost
	if info.boost <= 0 {
		info.boost = 1
	}
	info.lens[fieldTitle], toks = b.field(toks, lw, fieldTitle, 0)
	for i := range d.Parts {
		var n int
		n, toks = b.field(toks, lw, fieldHeading, i+1)
		info.lens[fieldHeading] += n
		n, toks = b.field(toks, lw, fieldText, i+1)
		info.lens[fieldText] += n
	}
	b.flushDoc(id)
	b.docs = append(b.docs, info)
}

// streamBlock is the size of the blocks of builder.stream.
const streamBlock = 1 << 20

// flushDoc appends the document's part of each of its keys' lists to the stream: for each
// key, in first-use order, its id, the length of its positions, its raw record and its
// positions. Appending a document's lists to one stream, then putting each key's together
// (transpose), is cheaper than appending to each key's list as it goes: that writes all over
// memory, and lists grown an append at a time are copied again and again.
func (b *builder) flushDoc(id int) {
	// The document's positions, grouped by key (in first-use order) and ascending within.
	b.at = b.at[:0]
	n := int32(0)
	for i := range b.doc {
		b.at = append(b.at, n)
		n += b.stats[i].npos
	}
	b.sorted = slices.Grow(b.sorted[:0], int(n))[:n]
	for _, o := range b.occ {
		b.sorted[b.at[o.slot]] = o.pos
		b.at[o.slot]++
	}
	b.occ = b.occ[:0]

	var blk []byte // the stream's last block
	if len(b.stream) > 0 {
		blk = b.stream[len(b.stream)-1]
	}
	put := binary.AppendUvarint
	start := int32(0)
	for i, k := range b.doc {
		ks, st := &b.ks[k], &b.stats[i]
		pos := b.sorted[start : start+st.npos]
		start += st.npos
		delta := id - int(ks.rawLast)
		posLen := 0 // written before the positions, so counted first
		if len(pos) > 0 {
			posLen = uvarintLen(delta) + uvarintLen(len(pos))
			last := int32(0)
			for _, p := range pos {
				posLen += uvarintLen(int(p - last))
				last = p
			}
		}
		// Room for the key, posLen and the raw record (a varint each, and one per field),
		// then the positions: the appends below never grow the block.
		if need := (5+numFields)*binary.MaxVarintLen64 + posLen; cap(blk)-len(blk) < need {
			if len(b.stream) > 0 {
				b.stream[len(b.stream)-1] = blk
			}
			blk = make([]byte, 0, max(streamBlock, need))
			b.stream = append(b.stream, nil)
		}
		blk = put(blk, uint64(k))
		blk = put(blk, uint64(posLen))
		blk = put(blk, uint64(delta))
		for f := range numFields {
			blk = put(blk, uint64(min(st.tf[f], math.MaxUint16)))
		}
		blk = put(blk, uint64(min(st.best, math.MaxUint16)))
		ks.rawLast = int32(id)
		ks.rawDF++
		ks.postLen += int32(uvarintLen(delta) + impactLen + uvarintLen(int(min(st.best, math.MaxUint16))))
		if len(pos) > 0 {
			blk = put(blk, uint64(delta))
			blk = put(blk, uint64(len(pos)))
			last := int32(0)
			for _, p := range pos {
				blk = put(blk, uint64(p-last))
				last = p
			}
			ks.posLen += int32(posLen)
		}
	}
	if len(b.stream) > 0 {
		b.stream[len(b.stream)-1] = blk
	}
}

// impactLen is the length of an impact as a varint: one byte.
const impactLen = 1

const _ uint = 1<<(7*impactLen) - 1 - maxImpact // maxImpact fits it

// textOnlyTF is the number of term frequencies, from 1, whose text-only impacts transpose
// tabulates per document.
const textOnlyTF = 8

// transpose moves the stream's lists into postLists and posLists, each key's together, in
// key order, freeing the stream a block at a time: positions as they are, raw records as
// the postings they make with the average field lengths, avg: their lengths, counted as
// the raw records were made, give each key's room exactly.
func (b *builder) transpose(avg [numFields]float64) {
	post, pos := 0, 0
	for i := range b.ks {
		k := &b.ks[i]
		k.postOff, k.posOff = post, pos
		post += uvarintLen(int(k.rawDF)) + int(k.postLen)
		pos += int(k.posLen)
	}
	b.postLists = make([]byte, post)
	b.posLists = make([]byte, pos)
	for i := range b.ks {
		k := &b.ks[i]
		k.postEnd = k.postOff + binary.PutUvarint(b.postLists[k.postOff:], uint64(k.rawDF))
		k.rawLast = 0 // from here: the last document of the key's postings
	}
	// Most postings are of a key found a few times in a document's text alone: their impacts
	// depend on the document alone, and are worked out once per document, in a table small
	// enough to stay in cache, as impact works them out.
	textOnly := make([][textOnlyTF]uint8, len(b.docs))
	for doc, d := range b.docs {
		for tf := range textOnlyTF {
			textOnly[doc][tf] = uint8(impact([numFields]uint16{fieldText: uint16(tf + 1)}, d.lens, avg, d.boost))
		}
	}
	for i, blk := range b.stream {
		r := reader{b: blk}
		for r.i < len(blk) {
			k := &b.ks[r.uint()]
			posLen, delta := r.uint(), r.uint()
			var tf [numFields]uint16
			for f := range numFields {
				tf[f] = uint16(r.uint())
			}
			hint := r.uint()
			doc := int(k.rawLast) + delta
			k.rawLast = int32(doc)
			var imp int
			if t := uint(tf[fieldText]) - 1; tf[fieldTitle] == 0 && tf[fieldHeading] == 0 && t < textOnlyTF {
				imp = int(textOnly[doc][t])
			} else {
				d := &b.docs[doc]
				imp = impact(tf, d.lens, avg, d.boost)
			}
			out := b.postLists[k.postEnd:] // as writer.posting writes a posting
			n := binary.PutUvarint(out, uint64(delta))
			n += binary.PutUvarint(out[n:], uint64(imp))
			n += binary.PutUvarint(out[n:], uint64(hint))
			k.postEnd += n
			k.posOff += copy(b.posLists[k.posOff:], blk[r.i:r.i+posLen])
			r.i += posLen
		}
		b.stream[i] = nil
	}
	b.stream = nil
	for i := range b.ks {
		b.ks[i].posOff -= int(b.ks[i].posLen)
	}
}

// field counts one field's tokens (see segmentDoc) and returns its length in words and the
// tokens after it.
func (b *builder) field(toks []int32, lw *localWords, field, part int) (int, []int32) {
	weight := int32(weightText)
	if field == fieldHeading {
		weight = int32(weightHeading)
	}
	count := int(toks[0])
	toks = toks[1:]
	n := 0
	for range count {
		t, width, parts := toks[0], 1, []int32(nil)
		if t >= 0 {
			toks = toks[1:]
		} else { // a compound
			width, parts, t = int(-t), toks[3:3+toks[1]], toks[2]
			toks = toks[3+toks[1]:]
		}
		p := b.pos
		b.pos += width
		x := &lw.words[t]
		if !x.keyed { // first met (a word once keyed is not long)
			if b.local(lw, t).long {
				continue
			}
			b.keyWord(x)
		}
		n++
		b.count(x.key, p, field, part, weight)
		if x.lenient >= 0 {
			b.count(x.lenient, -1, field, part, weight)
		}
		for j, s := range parts {
			y := b.local(lw, s)
			if !y.keyed {
				b.keyWord(y)
			}
			b.count(y.key, p+j, field, part, weight)
			if y.lenient >= 0 {
				b.count(y.lenient, -1, field, part, weight)
			}
		}
	}
	b.pos++ // gap
	return n, toks
}

// keyWord sets the keys of a worker's word, making them when the word is new to the index.
func (b *builder) keyWord(x *localWord) {
	id := x.global - 1
	for int(id) >= len(b.words) {
		b.words = append(b.words, wordInfo{})
	}
	w := b.words[id]
	if !w.set {
		word := b.seg.words[id]
		w = wordInfo{set: true, key: b.keyID(key(word, b.lang), false), lenient: -1}
		if b.lang == "ur" {
			w.lenient = b.keyID(lenientMark+loose(word), true)
		}
		b.words[id] = w
	}
	x.keyed, x.key, x.lenient = true, w.key, w.lenient
}

// groups maps each loose form to its strict words (Urdu).
func (b *builder) groups() map[string][]string {
	g := map[string][]string{}
	for id, info := range b.words {
		if info.set && info.lenient >= 0 {
			l := strings.TrimPrefix(b.keys[info.lenient], lenientMark)
			g[l] = append(g[l], b.seg.words[id])
		}
	}
	return g
}

// typoWords are the dictionary words of the typo table.
func (b *builder) typoWords() []string {
	var ws []string
	for id, info := range b.words {
		w := b.seg.words[id]
		if l := len16(w); info.set && l >= typoMinLen && l <= typoMaxLen && l == utf8.RuneCountInString(w) && lettersOnly(w) {
			ws = append(ws, w)
		}
	}
	return ws
}

func (b *builder) count(id int32, pos, field, part int, weight int32) {
	k := &b.ks[id]
	if k.gen != b.gen {
		k.gen, k.slot = b.gen, int32(len(b.doc))
		b.doc = append(b.doc, id)
		b.stats = append(b.stats, keyStat{})
	}
	st := &b.stats[k.slot]
	st.tf[field]++
	if pos >= 0 {
		st.npos++
		b.occ = append(b.occ, occurrence{slot: k.slot, pos: int32(pos)})
	}
	if part == 0 {
		return
	}
	if p := int32(part); st.part != p {
		st.part, st.partScore = p, 0
	}
	st.partScore += weight
	if st.partScore > st.bestScore {
		st.best, st.bestScore = st.part, st.partScore
	}
}

func lettersOnly(s string) bool {
	for _, r := range s {
		if class(r) != cLetter {
			return false
		}
	}
	return true
}

func (b *builder) avgLens() [numFields]float64 {
	var avg [numFields]float64
	if len(b.docs) == 0 {
		return avg
	}
	for _, d := range b.docs {
		for f := range numFields {
			avg[f] += float64(d.lens[f])
		}
	}
	for f := range numFields {
		// Rounded so the manifest is short and the value exact in JSON.
		avg[f] = math.Round(avg[f]/float64(len(b.docs))*100) / 100
	}
	return avg
}

// impact is the BM25F term-frequency factor tf/(k1+tf) of one key in one
// document, with field weights and per-field length normalisation, quantised
// to 1..maxImpact. The client multiplies it by the weight of the match and
// the key's inverse document frequency.
//
// BM25F saturates: a body that repeats a word scores nearly as high as a
// title that names it. A word in the title therefore also earns a share of
// the scale outside the saturation, so the page about a thing ranks above
// the pages that mention it often.
func impact(tf [numFields]uint16, lens [numFields]int, avg [numFields]float64, boost float64) int {
	w := [numFields]float64{weightTitle, weightHeading, weightText}
	var t float64
	for f := range numFields {
		if tf[f] == 0 {
			continue
		}
		norm := 1.0
		if avg[f] > 0 {
			norm = 1 - bm25B + bm25B*float64(lens[f])/avg[f]
		}
		t += w[f] * float64(tf[f]) / norm
	}
	v := (1 - titleShare) * t / (bm25K1 + t)
	if tf[fieldTitle] > 0 {
		v += titleShare
	}
	q := int(math.Round(maxImpact * v * boost))
	return max(1, min(maxImpact, q))
}

// postings returns the encoded postings of every key that gets an entry,
// indexed by key id; nil for lenient keys that add nothing to the strict
// ones.
func (b *builder) postings() [][]byte {
	enc := make([][]byte, len(b.keys))
	groups := b.groups()
	for id := range b.keys {
		if b.lenient[id] {
			loose := strings.TrimPrefix(b.keys[id], lenientMark)
			// A group of one word spelled canonically is found through its
			// strict key; the client looks that up too.
			if g := groups[loose]; len(g) == 1 && g[0] == loose {
				continue
			}
		}
		k := &b.ks[id]
		enc[id] = b.postLists[k.postOff:k.postEnd:k.postEnd]
	}
	return enc
}

type entry struct {
	key    string
	post   []byte
	target int // the position of the alias target's entry, -1 if none
}

// sortedKeys lists the keys with postings in key order (UTF-16, as the client compares).
// Keys are sorted by their first 8 bytes, kept beside their ids, and only keys that share
// them are compared whole: reading the keys themselves, scattered over memory, at each of the
// sort's comparisons took most of its time.
func (b *builder) sortedKeys(postings [][]byte) []int32 {
	type sortKey struct {
		prefix uint64
		id     int32
	}
	sks := make([]sortKey, 0, len(postings))
	for id, p := range postings {
		if p != nil {
			sks = append(sks, sortKey{prefix8(b.keys[id], ""), int32(id)})
		}
	}
	slices.SortFunc(sks, func(x, y sortKey) int {
		if x.prefix != y.prefix {
			return cmpPrefix16(x.prefix, y.prefix)
		}
		return cmp16(b.keys[x.id], b.keys[y.id])
	})
	keys := make([]int32, len(sks))
	for i, k := range sks {
		keys[i] = k.id
	}
	return keys
}

// cmpPrefix16 is cmp16 of two different prefixes made by prefix8: decided, as cmp16 decides,
// at their first differing byte.
func cmpPrefix16(p, q uint64) int {
	shift := 56 - bits.LeadingZeros64(p^q)&^7
	x, y := byte(p>>shift), byte(q>>shift)
	if (x == 0xEE || x == 0xEF) && y >= 0xF0 || (y == 0xEE || y == 0xEF) && x >= 0xF0 {
		return cmp.Compare(y, x)
	}
	return cmp.Compare(x, y)
}

// termShards sorts every key and alias and cuts them into shards of about
// termShardBytes, preferring cuts that keep aliases beside their targets.
func (b *builder) termShards(postings [][]byte, keys []int32) ([][]byte, []string) {
	// The keys with postings (sorted) and the words whose key differs from them (aliases),
	// sorted, merged into one sorted list of entries; a word that is also a key is one entry.
	type alias struct {
		word string
		key  int32
	}
	var aliases []alias
	for id, info := range b.words {
		if w := b.seg.words[id]; info.set && b.keys[info.key] != w {
			aliases = append(aliases, alias{w, info.key})
		}
	}
	slices.SortFunc(aliases, func(x, y alias) int { return cmp16(x.word, y.word) })
	es := make([]entry, 0, len(keys)+len(aliases))
	at := make([]int, len(b.keys)) // the position of each key's entry
	var targets []int32            // by entry: the key an alias points at, -1 if none
	for i, j := 0, 0; i < len(keys) || j < len(aliases); {
		c := 0
		switch {
		case i == len(keys):
			c = 1
		case j == len(aliases):
			c = -1
		default:
			c = cmp16(b.keys[keys[i]], aliases[j].word)
		}
		e, t := entry{target: -1}, int32(-1)
		if c <= 0 {
			e.key, e.post = b.keys[keys[i]], postings[keys[i]]
			at[keys[i]] = len(es)
			i++
		}
		if c >= 0 {
			e.key, t = aliases[j].word, aliases[j].key
			j++
		}
		es = append(es, e)
		targets = append(targets, t)
	}
	for i, t := range targets {
		if t >= 0 {
			es[i].target = at[t]
		}
	}
	// cross[i]: aliases whose link spans the cut between entries i and i+1.
	cross := make([]int, len(es)+1)
	for i, e := range es {
		if e.target < 0 {
			continue
		}
		lo, hi := min(i, e.target), max(i, e.target)
		cross[lo]++
		cross[hi]--
	}
	for i := 1; i < len(cross); i++ {
		cross[i] += cross[i-1]
	}
	sizes := make([]int, len(es))
	for i, e := range es {
		sizes[i] = entrySize(e.key, len(e.post))
	}
	cuts := cutPoints(sizes, cross, termShardBytes)

	var files [][]byte
	var first []string
	var extra []int
	lo := 0
	for _, hi := range cuts {
		// Targets in other shards are copied in after the shard's own entries, in key
		// order (the order of their positions), each once.
		extra = extra[:0]
		for i := lo; i < hi; i++ {
			if t := es[i].target; t >= 0 && (t < lo || t >= hi) {
				extra = append(extra, t)
			}
		}
		slices.Sort(extra)
		extra = slices.Compact(extra)
		sh := termShard{sorted: hi - lo, entries: make([]termEntry, 0, hi-lo+len(extra))}
		for i := lo; i < hi; i++ {
			te := termEntry{key: es[i].key, post: es[i].post, alias: -1}
			if t := es[i].target; t >= lo && t < hi {
				te.alias = t - lo
			} else if t >= 0 {
				j, _ := slices.BinarySearch(extra, t)
				te.alias = hi - lo + j
			}
			sh.entries = append(sh.entries, te)
		}
		for _, t := range extra {
			sh.entries = append(sh.entries, termEntry{key: es[t].key, post: es[t].post, alias: -1})
		}
		files = append(files, encodeTermShard(sh))
		first = append(first, firstKey(lo, func(i int) string { return es[i].key }))
		lo = hi
	}
	if len(files) == 0 {
		files = [][]byte{encodeTermShard(termShard{})}
		first = []string{""}
	}
	return files, first
}

// cutPoints returns the end (exclusive) of each shard. A shard closes once it
// holds target bytes; the cut is then made at the next position, within
// cutLookahead entries, that splits the fewest alias links (cross[i] counts
// links spanning the cut after entry i).
func cutPoints(sizes, cross []int, target int) []int {
	var cuts []int
	acc := 0
	for i := 0; i < len(sizes); i++ {
		acc += sizes[i]
		if acc < target || i == len(sizes)-1 {
			continue
		}
		best := i
		if cross != nil {
			for j := i; j < len(sizes)-1 && j < i+cutLookahead && cross[best] > 0; j++ {
				if cross[j] < cross[best] {
					best = j
				}
			}
		}
		cuts = append(cuts, best+1)
		i = best
		acc = 0
	}
	if len(sizes) > 0 {
		cuts = append(cuts, len(sizes))
	}
	return cuts
}

// typoShards builds the deletion-neighbourhood table: every dictionary word
// under itself and under each string made by deleting one of its UTF-16
// units.
func (b *builder) typoShards() ([][]byte, []string) {
	// Every (variant, edit) pair in one slice, sorted, then grouped by variant. A variant is
	// a word and the byte range deleted from it, not a string: there are about ten per
	// dictionary word, and only the distinct ones are ever spelled out, a shard at a time.
	ws := b.typoWords()
	n := 0
	for _, w := range ws {
		n += len(w) + 1 // at most
	}
	vs := make([]typoVariant, 0, n)
	for i, w := range ws {
		// Dictionary words are in the BMP (a rune is one UTF-16 unit) and at most
		// typoMaxLen runes, so every offset fits a byte.
		vs = append(vs, typoVariant{word: int32(i), prefix: prefix8(w, ""), klen: uint8(len(w))})
		n, last := 0, rune(-1)
		for at, r := range w {
			if r != last { // deleting either of a doubled letter gives one variant
				del := utf8.RuneLen(r)
				v := typoVariant{word: int32(i), at: uint8(at), del: uint8(del), pos: uint8(n + 1), klen: uint8(len(w) - del)}
				v.prefix = prefix8(v.halves(ws))
				vs = append(vs, v)
			}
			n, last = n+1, r
		}
	}
	// Byte order is UTF-16 order (cmp16) here, the words being in the BMP. Sorted by prefix
	// with a radix sort, then each run of one prefix by the rest of the order.
	vs = sortByPrefix(vs)
	for i := 0; i < len(vs); {
		j := i + 1
		for j < len(vs) && vs[j].prefix == vs[i].prefix {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(vs[i:j], func(x, y typoVariant) int {
				if c := x.compareSamePrefix(y, ws); c != 0 {
					return c
				}
				if x.pos != y.pos {
					return int(x.pos) - int(y.pos)
				}
				return int(x.unit(ws)) - int(y.unit(ws))
			})
		}
		i = j
	}
	var files [][]byte
	var first []string
	var shard []typoEntry
	var edits []typoEdit // the edits of the entries, from blocks shared by many
	// The shard's keys are spelled out back to back in arena, and made one string when the
	// shard closes, each key a part of it: one allocation a shard, not one a key.
	var arena []byte
	var ends []int
	prev, acc := "", 0
	closeShard := func() {
		keys := string(arena)
		start := 0
		for k, end := range ends {
			shard[k].key = keys[start:end]
			start = end
		}
		if len(files) == 0 {
			first = append(first, "")
		} else {
			first = append(first, firstAfter(prev, shard[0].key))
		}
		files = append(files, encodeTypoShard(shard))
		prev = shard[len(shard)-1].key
		shard, arena, ends, acc = shard[:0], arena[:0], ends[:0], 0
	}
	for i := 0; i < len(vs); {
		j := i + 1
		for j < len(vs) && vs[j].prefix == vs[i].prefix && vs[j].compareSamePrefix(vs[i], ws) == 0 {
			j++
		}
		a, c := vs[i].halves(ws)
		arena = append(append(arena, a...), c...)
		ends = append(ends, len(arena))
		if cap(edits)-len(edits) < j-i {
			edits = make([]typoEdit, 0, max(4096, j-i))
		}
		eds := edits[len(edits) : len(edits)+j-i]
		edits = edits[:len(edits)+j-i]
		for k := range eds {
			eds[k] = typoEdit{pos: int(vs[i+k].pos), unit: int(vs[i+k].unit(ws))}
		}
		shard = append(shard, typoEntry{edits: eds})
		// The shard closes once it holds auxShardBytes (as cutPoints would cut it).
		if acc += 2 + (len(a)+len(c))/2 + 3*len(eds); acc >= auxShardBytes {
			closeShard()
		}
		i = j
	}
	if len(shard) > 0 {
		closeShard()
	}
	if len(files) == 0 {
		files, first = [][]byte{encodeTypoShard(nil)}, []string{""}
	}
	return files, first
}

// sortByPrefix sorts vs by prefix, stably: a least-significant-digit radix sort, a byte at a
// time, skipping the bytes every prefix shares. It returns the sorted slice, which is vs or
// a buffer of the same length.
func sortByPrefix(vs []typoVariant) []typoVariant {
	tmp := make([]typoVariant, len(vs))
	for shift := 0; shift < 64; shift += 8 {
		var count [256]int
		for _, v := range vs {
			count[byte(v.prefix>>shift)]++
		}
		if len(vs) == 0 || count[byte(vs[0].prefix>>shift)] == len(vs) {
			continue // the same byte everywhere: this pass would change nothing
		}
		at := 0
		for b, n := range count {
			count[b] = at
			at += n
		}
		for _, v := range vs {
			d := byte(v.prefix >> shift)
			tmp[count[d]] = v
			count[d]++
		}
		vs, tmp = tmp, vs
	}
	return vs
}

// A typoVariant is a dictionary word with the rune at byte at (del bytes long) deleted, or
// the word itself when del is 0; pos is the edit's position as the client counts it (the
// deleted rune's index + 1, or 0).
type typoVariant struct {
	prefix       uint64 // the key's first 8 bytes, big-endian: most comparisons end here
	word         int32
	at, del, pos uint8
	klen         uint8 // the key's length in bytes
}

// prefix8 is the first 8 bytes of a + b as a big-endian number, zero-padded (keys hold no
// zero bytes, so the numbers sort as the keys' prefixes do).
func prefix8(a, b string) uint64 {
	var p uint64
	n := 0
	for _, s := range [2]string{a, b} {
		for i := 0; i < len(s) && n < 8; i++ {
			p |= uint64(s[i]) << (56 - 8*n)
			n++
		}
	}
	return p
}

func (v typoVariant) halves(ws []string) (string, string) {
	w := ws[v.word]
	return w[:v.at], w[int(v.at)+int(v.del):]
}

// unit is the deleted character, 0 for none.
func (v typoVariant) unit(ws []string) rune {
	if v.del == 0 {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(ws[v.word][v.at:])
	return r
}

// compareSamePrefix is compare for variants of one prefix. When either key has at most 8
// bytes, the prefixes hold it whole (keys have no zero bytes), and its length decides: equal
// keys, or the short key a prefix of the long one. Only longer keys need their words read.
func (v typoVariant) compareSamePrefix(u typoVariant, ws []string) int {
	if v.klen <= 8 || u.klen <= 8 {
		return int(v.klen) - int(u.klen)
	}
	return v.compare(u, ws)
}

// compare compares the keys of v and u bytewise without making them.
func (v typoVariant) compare(u typoVariant, ws []string) int {
	a1, a2 := v.halves(ws)
	b1, b2 := u.halves(ws)
	for {
		if a1 == "" {
			a1, a2 = a2, ""
		}
		if b1 == "" {
			b1, b2 = b2, ""
		}
		if a1 == "" || b1 == "" {
			return len(a1) - len(b1)
		}
		n := min(len(a1), len(b1))
		if c := strings.Compare(a1[:n], b1[:n]); c != 0 {
			return c
		}
		a1, b1 = a1[n:], b1[n:]
	}
}

// firstKey is what the manifest records for a shard starting at entry i:
// "" for the first shard, else the shortest prefix of its first key that
// sorts after the last key of the shard before. The client's lookup (the
// last shard whose first key is <= the key) finds the same shard.
func firstKey(i int, key func(int) string) string {
	if i == 0 {
		return ""
	}
	return firstAfter(key(i-1), key(i))
}

// firstAfter is the shortest prefix of next that sorts after prev.
func firstAfter(prev, next string) string {
	for j := range next {
		if j > 0 && cmp16(next[:j], prev) > 0 {
			return next[:j]
		}
	}
	return next
}

// posShards holds the word positions of every strict key, for phrase queries.
func (b *builder) posShards(keys []int32) ([][]byte, []string) {
	var ids []int32 // the keys with positions, in order
	for _, id := range keys {
		if !b.lenient[id] && b.ks[id].posLen > 0 {
			ids = append(ids, id)
		}
	}
	sizes := make([]int, len(ids))
	for i, id := range ids {
		sizes[i] = entrySize(b.keys[id], uvarintLen(int(b.ks[id].rawDF))+int(b.ks[id].posLen))
	}
	var files [][]byte
	var first []string
	lo := 0
	for _, hi := range cutPoints(sizes, nil, auxShardBytes) {
		es, size := ids[lo:hi], 0
		for _, n := range sizes[lo:hi] {
			size += n
		}
		files = append(files, encodePosShard(len(es), func(i int) string { return b.keys[es[i]] },
			func(i int) (int, []byte) { return int(b.ks[es[i]].rawDF), b.posList(int(es[i])) }, size))
		first = append(first, firstKey(lo, func(i int) string { return b.keys[ids[i]] }))
		lo = hi
	}
	if len(files) == 0 {
		files, first = [][]byte{encodePosShard(0, nil, nil, 0)}, []string{""}
	}
	return files, first
}

// docChunks writes the result data: docsPerChunk documents per file, in document-number
// order. A file is a JSON array of documents as the client shows them, each
// [url, title, parts] with each part [anchor, heading, snippet]; written by hand, as
// encoding/json (with SetEscapeHTML(false)) would write it, without its reflection.
func docChunks(docs []Doc, order []int) [][]byte {
	var files [][]byte
	var buf, block []byte // a chunk is made in buf, then kept in a block shared with others
	for lo := 0; lo < len(order); lo += docsPerChunk {
		buf = append(buf[:0], '[')
		for j, i := range order[lo:min(lo+docsPerChunk, len(order))] {
			if j > 0 {
				buf = append(buf, ',')
			}
			d := &docs[i]
			buf = append(buf, '[')
			buf = appendJSONString(buf, d.URL)
			buf = append(buf, ',')
			buf = appendJSONString(buf, d.Title)
			buf = append(buf, ",["...)
			for k, p := range d.Parts {
				if k > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, '[')
				buf = appendJSONString(buf, p.Anchor)
				buf = append(buf, ',')
				buf = appendJSONString(buf, p.Heading)
				buf = append(buf, ',')
				if s, spaced := snippetCut(p.Text); spaced {
					buf = appendJSONSpaced(buf, s)
				} else {
					buf = appendJSONString(buf, s)
				}
				buf = append(buf, ']')
			}
			buf = append(buf, "]]"...)
		}
		buf = append(buf, ']')
		if cap(block)-len(block) < len(buf) {
			block = make([]byte, 0, max(1<<20, len(buf)))
		}
		at := len(block)
		block = append(block, buf...)
		files = append(files, block[at:len(block):len(block)])
	}
	return files
}

// appendJSONString appends s as encoding/json writes a string with HTML escaping off: quote,
// backslash and control characters escaped (\b \f \n \r \t short), invalid UTF-8 as \ufffd,
// and U+2028 and U+2029 escaped for JavaScript.
func appendJSONString(b []byte, s string) []byte { return appendJSON(b, s, false) }

// appendJSONSpaced is appendJSONString of s with its ASCII whitespace made spaces, as a
// snippet is (see snippetCut), without making that string.
func appendJSONSpaced(b []byte, s string) []byte { return appendJSON(b, s, true) }

func appendJSON(b []byte, s string, spaced bool) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// 8 bytes at a time while none is to be escaped or non-ASCII, as in most text.
		for i+8 <= len(s) && plainJSON(load64(s, i)) {
			i += 8
		}
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch {
			case spaced && asciiSpace[c]:
				b = append(b, ' ')
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainJSON reports whether the 8 bytes of w are ASCII that JSON strings hold as they are:
// no control character, quote or backslash.
func plainJSON(w uint64) bool {
	if w&highs != 0 {
		return false
	}
	// With every byte below 0x80, these are exact: the high bit of some byte is set when a
	// byte is below 0x20, and when a byte of x is zero (a byte of w is '"' or '\\').
	ctl := (w - 0x20*ones) &^ w
	quote, backslash := w^('"'*ones), w^('\\'*ones)
	zero := func(x uint64) uint64 { return (x - ones) &^ x }
	return (ctl|zero(quote)|zero(backslash))&highs == 0
}

// snippetCut keeps the start of a part's text for excerpts: whitespace collapsed, at most
// snippetRunes runes, cut at a space when there is one. Most text is ASCII with single spaces
// and newlines between words, and then the snippet is a prefix of it with its whitespace made
// spaces: that prefix is returned, spaced set, for appendJSONSpaced to write without a copy.
// Otherwise s is the snippet.
func snippetCut(text string) (s string, spaced bool) {
	// When the rune after the snippet's is whitespace, the text must go on after it: else,
	// its trailing whitespace dropped, the text is short enough to be kept whole.
	if k := min(len(text), snippetRunes+1); k > 0 && plainASCII(text[:k]) &&
		(!asciiSpace[text[k-1]] || k == snippetRunes+1 && strings.IndexFunc(text[k:], notSpace) >= 0) {
		t := text[:min(len(text), snippetRunes)]
		if len(text) > snippetRunes {
			if i := strings.LastIndexAny(t[snippetRunes/2+1:], " \t\n\v\f\r"); i >= 0 {
				t = t[:snippetRunes/2+1+i]
			}
		}
		return t, true
	}
	out := make([]byte, 0, min(len(text), 4*snippetRunes))
	n := 0                   // runes in out
	end, lastSpace := -1, -1 // byte offsets in out: of rune snippetRunes, of the last space cut at
	space := false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		raw := text[i : i+size]
		i += size
		if r < utf8.RuneSelf && asciiSpace[r] || r >= utf8.RuneSelf && unicode.IsSpace(r) {
			space = n > 0
			continue
		}
		if space {
			if n == snippetRunes {
				end = len(out)
			}
			if n > snippetRunes/2 && n < snippetRunes {
				lastSpace = len(out)
			}
			out = append(out, ' ')
			n++
			space = false
		}
		if n == snippetRunes {
			end = len(out)
		}
		if r == utf8.RuneError && size == 1 {
			raw = "\uFFFD" // as a range over the string reads it
		}
		out = append(out, raw...)
		n++
		if n > snippetRunes {
			break
		}
	}
	if n <= snippetRunes {
		return string(out), false
	}
	if lastSpace >= 0 {
		return string(out[:lastSpace]), false
	}
	return string(out[:end]), false
}

func notSpace(r rune) bool { return !unicode.IsSpace(r) }

// plainASCII reports whether s is ASCII with no whitespace at its start and none next to
// other whitespace. It reads 8 bytes at a time (snippets are most of the result chunks'
// bytes), counting every byte below '!' as whitespace there: text with other control
// characters takes the slow path, which handles everything.
func plainASCII(s string) bool {
	prev := uint64(highs) // the low flags of the word before: s may not start with whitespace
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := load64(s, i)
		if w&highs != 0 {
			return false
		}
		// The high bit of each byte below '!', and perhaps of a byte just above one (a
		// borrow), which only sends more text to the slow path.
		low := (w - 0x21*ones) &^ w & highs
		if low&(low<<8|prev>>56) != 0 {
			return false
		}
		prev = low
	}
	lastSpace := i == 0 || prev>>63 != 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return false
		}
		space := asciiSpace[c]
		if space && lastSpace {
			return false
		}
		lastSpace = space
	}
	return true
}

// ones and highs are 1 and the high bit in each byte of a word read by load64: the masks of
// the checks that read text 8 bytes at a time (isASCII, plainASCII, plainJSON).
const ones, highs = 0x0101010101010101, 0x8080808080808080

// load64 reads the 8 bytes of s at i as a little-endian number (one load: the compiler
// combines the byte reads).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// asciiSpace are the ASCII characters unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// addFamily adds files named prefix-HASH-i.ext, where HASH covers the whole
// family, and returns the prefix the client appends index and extension to.
func addFamily(ix *Index, prefix, ext string, files [][]byte) string {
	h := sha256.New()
	for _, f := range files {
		h.Write([]byte(strconv.Itoa(len(f)) + ":"))
		h.Write(f)
	}
	p := prefix + "-" + hex.EncodeToString(h.Sum(nil))[:hashHexDigits] + "-"
	for i, f := range files {
		ix.Files[p+strconv.Itoa(i)+ext] = f
	}
	return p
}

func hashOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])[:hashHexDigits]
}
