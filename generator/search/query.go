package search

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Query evaluation. search.js does the same steps in the same order; the
// numbers below are repeated there.
const (
	wExact      = 10 // the word's own key
	wLenient    = 7  // Urdu: same word up to the contested letters
	wPrefix     = 6  // a longer word starting with the word being typed
	wLenPrefix  = 4  // Urdu: lenient prefix
	wTypo       = 3  // one edit away
	idfScale    = 64
	minPrefix   = 2  // shortest word expanded as a prefix (UTF-16 units)
	maxExpand   = 32 // prefix expansions kept per word, most frequent first
	prefixSpan  = 2  // term shards a prefix may read
	typoMinWord = 5  // shortest query word corrected
	maxTypo     = 16 // corrections kept per word
	maxShown    = 8  // results shown
	farMark     = 100
	markLead    = 40
)

// Hit is one result as the client shows it.
type Hit struct {
	URL     string   // page URL, with "#anchor" of the matched part if it has one
	Title   string   //
	Section string   // display name of the page's section
	Heading string   // heading of the matched part, "" for the top of the page
	Excerpt string   // text shown under the title ("…" marks a cut)
	Marks   []string // the words of Excerpt shown in <mark>, in order
	Score   int64    // ranking score
}

// Result is the answer to one query.
type Result struct {
	Hits   []Hit      // the first results, best first (at most 8, as the client shows)
	Total  int        // number of matching pages
	Rounds [][]string // index files read, one slice per sequential round trip after the manifest
}

// Searcher runs queries against a built Index exactly as the JavaScript
// client does, reading the same files. It is the reference the client is
// tested against, and lets site tests check query quality without a browser.
type Searcher struct {
	files map[string][]byte
	m     manifest
	secs  []section
	terms map[int]termShard
	typos map[int][]typoEntry
	pos   map[int]map[string][]byte
	docs  map[int][]rawDoc
	secRE *regexp.Regexp // "key:" naming a section
	word  *regexp.Regexp // a word of an excerpt
}

type section struct {
	key, name   string
	first, size int
}

type rawDoc struct {
	URL   string
	Title string
	Parts [][3]string
}

// NewSearcher reads the manifest of ix.
func NewSearcher(ix *Index) (*Searcher, error) {
	mj, ok := ix.Files[ix.Manifest]
	if !ok {
		return nil, fmt.Errorf("search: manifest %q not in index", ix.Manifest)
	}
	s := &Searcher{files: ix.Files, terms: map[int]termShard{}, typos: map[int][]typoEntry{},
		pos: map[int]map[string][]byte{}, docs: map[int][]rawDoc{},
		secRE: regexp.MustCompile(`(^|[ \t\n\f\r])([^ \t\n\f\r:"]+):`),
		word:  regexp.MustCompile(`[\pL\pM\pN]+(?:['’.,\x{200C}\x{2010}-][\pL\pM\pN]+)*[%٪]?`)}
	if err := json.Unmarshal(mj, &s.m); err != nil {
		return nil, fmt.Errorf("search: %s: %v", ix.Manifest, err)
	}
	if len(s.m.Terms) == 0 || len(s.m.Typos) == 0 || len(s.m.Pos) == 0 || s.m.Chunk <= 0 {
		return nil, fmt.Errorf("search: %s: incomplete manifest", ix.Manifest)
	}
	for _, sec := range s.m.Sections {
		k, ok1 := sec[0].(string)
		n, ok2 := sec[1].(string)
		f, ok3 := sec[2].(float64)
		c, ok4 := sec[3].(float64)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, fmt.Errorf("search: %s: bad section %v", ix.Manifest, sec)
		}
		s.secs = append(s.secs, section{k, n, int(f), int(c)})
	}
	return s, nil
}

// qterm is one word of a query.
type qterm struct {
	word  string   // normalised
	key   string   // match key
	pre   bool     // the word being typed: also match longer words
	off   int      // position within its phrase
	parts []string // pieces of a compound word, searched when the whole finds nothing
}

type query struct {
	terms   []qterm   // distinct by key and prefix flag
	phrases [][]qterm // quoted phrases of two or more words
	section string
}

// parse splits a query into words and phrases. A word "key:" naming a section
// filters by it (the first one wins over the select's value); the last word
// is a prefix unless the query ends in a space or quote; text between a pair
// of double quotes is a phrase.
func (s *Searcher) parse(q, sec string) query {
	var out query
	found := false
	q = s.secRE.ReplaceAllStringFunc(q, func(m string) string {
		sub := s.secRE.FindStringSubmatch(m)
		k := strings.ToLower(sub[2])
		if !found && s.section(k) != nil {
			found = true
			out.section = k
			return sub[1]
		}
		return m
	})
	if !found {
		out.section = sec
	}
	last, _ := utf8.DecodeLastRuneInString(q)
	pre := q != "" && (class(last) == cLetter || class(last) == cDigit)
	segs := strings.Split(q, `"`)
	var all []qterm
	lastInPhrase := false
	for i, seg := range segs {
		quoted := i%2 == 1 && i < len(segs)-1
		var ph []qterm
		off := 0
		for _, t := range segment(normalize(seg)) {
			if len16(t.word) <= maxWord {
				qt := qterm{word: t.word, key: key(t.word, s.m.Lang), off: off, parts: t.parts}
				all = append(all, qt)
				if quoted {
					ph = append(ph, qt)
				}
				lastInPhrase = quoted
			}
			off += t.width
		}
		if len(ph) > 1 {
			out.phrases = append(out.phrases, ph)
		}
	}
	if pre && len(all) > 0 && !lastInPhrase {
		all[len(all)-1].pre = true
	}
	for _, t := range all {
		if !slices.ContainsFunc(out.terms, func(u qterm) bool { return u.key == t.key && u.pre == t.pre }) {
			out.terms = append(out.terms, t)
		}
	}
	return out
}

func (s *Searcher) section(k string) *section {
	for i := range s.secs {
		if s.secs[i].key == k && k != "" {
			return &s.secs[i]
		}
	}
	return nil
}

type lookup struct {
	key    string
	prefix bool
	weight int
}

func (s *Searcher) lookups(t qterm) []lookup {
	ls := []lookup{{t.key, false, wExact}}
	ur := s.m.Lang == "ur"
	if ur {
		l := loose(t.word)
		ls = append(ls, lookup{lenientMark + l, false, wLenient})
		if l != t.word {
			ls = append(ls, lookup{l, false, wLenient})
		}
	}
	if t.pre && len16(t.word) >= minPrefix {
		ls = append(ls, lookup{t.word, true, wPrefix})
		if ur {
			ls = append(ls, lookup{lenientMark + loose(t.word), true, wLenPrefix})
		}
	}
	return ls
}

// shardOf is the shard whose range holds key k.
func shardOf(first []string, k string) int {
	i := 0
	for j, f := range first {
		if cmp16(f, k) <= 0 {
			i = j
		}
	}
	return i
}

// shards lists the term shards a lookup reads.
func (s *Searcher) shards(l lookup) []int {
	a := shardOf(s.m.Terms, l.key)
	if !l.prefix {
		return []int{a}
	}
	b := min(shardOf(s.m.Terms, l.key+"\uffff"), a+prefixSpan-1)
	var r []int
	for i := a; i <= b; i++ {
		r = append(r, i)
	}
	return r
}

func (s *Searcher) termShard(i int) (termShard, error) {
	if sh, ok := s.terms[i]; ok {
		return sh, nil
	}
	name := s.m.Files.Terms + strconv.Itoa(i) + ".bin"
	b, ok := s.files[name]
	if !ok {
		return termShard{}, fmt.Errorf("search: missing %s", name)
	}
	sh, err := decodeTermShard(b)
	if err != nil {
		return termShard{}, fmt.Errorf("search: %s: %v", name, err)
	}
	s.terms[i] = sh
	return sh, nil
}

// plist is one postings list a query word matches, with the weight of the
// match.
type plist struct {
	key    string
	post   []byte
	weight int
	df     int
}

func dfOf(post []byte) int {
	r := reader{b: post}
	return r.uint()
}

// resolve turns a word's lookups into postings lists, in order: exact and
// lenient lists, then prefix expansions, most frequent first.
func (s *Searcher) resolve(ls []lookup) ([]plist, error) {
	var out []plist
	have := map[string]bool{}
	for _, l := range ls {
		var cands []plist
		for _, i := range s.shards(l) {
			sh, err := s.termShard(i)
			if err != nil {
				return nil, err
			}
			if !l.prefix {
				j, ok := slices.BinarySearchFunc(sh.entries[:sh.sorted], l.key, func(e termEntry, k string) int { return cmp16(e.key, k) })
				if ok && sh.entries[j].post != nil && !have[l.key] {
					have[l.key] = true
					out = append(out, plist{l.key, sh.entries[j].post, l.weight, dfOf(sh.entries[j].post)})
				}
				continue
			}
			j, _ := slices.BinarySearchFunc(sh.entries[:sh.sorted], l.key, func(e termEntry, k string) int { return cmp16(e.key, k) })
			for ; j < sh.sorted && strings.HasPrefix(sh.entries[j].key, l.key); j++ {
				e := sh.entries[j]
				if e.post != nil {
					cands = append(cands, plist{e.key, e.post, l.weight, dfOf(e.post)})
				}
				if e.alias >= 0 {
					t := sh.entries[e.alias]
					cands = append(cands, plist{t.key, t.post, l.weight, dfOf(t.post)})
				}
			}
		}
		slices.SortStableFunc(cands, func(a, b plist) int {
			if a.df != b.df {
				return b.df - a.df
			}
			return cmp16(a.key, b.key)
		})
		n := 0
		for _, c := range cands {
			if n < maxExpand && !have[c.key] && c.post != nil {
				have[c.key] = true
				out = append(out, c)
				n++
			}
		}
	}
	return out, nil
}

// within1 reports whether a and b are at most one insertion, deletion,
// substitution or swap of neighbours apart.
func within1(a, b []uint16) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) < len(b) {
		return slices.Equal(a[i:], b[i+1:])
	}
	if i == len(a) || slices.Equal(a[i+1:], b[i+1:]) {
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && slices.Equal(a[i+2:], b[i+2:])
}

// typoWords returns dictionary words one edit from w, for a word that
// matched nothing.
func (s *Searcher) typoWords(w string, read func(string)) ([]string, error) {
	u := units(w)
	vs := []string{w}
	for i := range u {
		vs = append(vs, str16(slices.Concat(u[:i], u[i+1:])))
	}
	var out []string
	for _, v := range vs {
		i := shardOf(s.m.Typos, v)
		es, ok := s.typos[i]
		if !ok {
			name := s.m.Files.Typos + strconv.Itoa(i) + ".bin"
			b, found := s.files[name]
			if !found {
				return nil, fmt.Errorf("search: missing %s", name)
			}
			var err error
			if es, err = decodeTypoShard(b); err != nil {
				return nil, fmt.Errorf("search: %s: %v", name, err)
			}
			s.typos[i] = es
		}
		read(s.m.Files.Typos + strconv.Itoa(i) + ".bin")
		j, ok := slices.BinarySearchFunc(es, v, func(e typoEntry, k string) int { return cmp16(e.key, k) })
		if !ok {
			continue
		}
		for _, c := range es[j].words() {
			if c != w && within1(u, units(c)) && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, cmp16)
	return out[:min(len(out), maxTypo)], nil
}

func idf(n, df int) int64 {
	return int64(math.Round(idfScale * math.Log(1+(float64(n)-float64(df)+0.5)/(float64(df)+0.5))))
}

type scored struct {
	doc   int
	score int64
	hits  int
	hints []int
}

// Search runs query with an optional section key filter (the select's value).
func (s *Searcher) Search(q, sec string) (*Result, error) {
	pq := s.parse(q, sec)
	res := &Result{}
	if len(pq.terms) == 0 {
		return res, nil
	}
	round := map[string]bool{}
	read := func(name string) { round[name] = true }
	flush := func() {
		if len(round) > 0 {
			names := slices.Sorted(func(yield func(string) bool) {
				for n := range round {
					if !yield(n) {
						return
					}
				}
			})
			res.Rounds = append(res.Rounds, names)
			round = map[string]bool{}
		}
	}
	// Round 1: term shards for every lookup, positions for phrase words.
	for _, t := range pq.terms {
		for _, u := range append([]qterm{t}, subTerms(t, s.m.Lang)...) {
			for _, l := range s.lookups(u) {
				for _, sh := range s.shards(l) {
					read(s.m.Files.Terms + strconv.Itoa(sh) + ".bin")
				}
			}
		}
	}
	for _, ph := range pq.phrases {
		for _, t := range ph {
			read(s.m.Files.Pos + strconv.Itoa(shardOf(s.m.Pos, t.key)) + ".bin")
		}
	}
	flush()
	// A compound word that matches nothing is searched as its parts.
	var terms []qterm
	var lists [][]plist
	add := func(t qterm, ls []plist) {
		if !slices.ContainsFunc(terms, func(u qterm) bool { return u.key == t.key && u.pre == t.pre }) {
			terms = append(terms, t)
			lists = append(lists, ls)
		}
	}
	for _, t := range pq.terms {
		ls, err := s.resolve(s.lookups(t))
		if err != nil {
			return nil, err
		}
		if len(ls) > 0 || len(t.parts) == 0 {
			add(t, ls)
			continue
		}
		for _, u := range subTerms(t, s.m.Lang) {
			ls, err := s.resolve(s.lookups(u))
			if err != nil {
				return nil, err
			}
			add(u, ls)
		}
	}
	pq.terms = terms
	var typo []int
	for i, t := range pq.terms {
		if len(lists[i]) == 0 && len16(t.word) >= typoMinWord && len16(t.word) <= typoMaxLen+1 && lettersOnly(t.word) && !s.inPhrase(pq, t) {
			typo = append(typo, i)
		}
	}
	// Only for words that matched nothing: the typo table, then the shards
	// of the corrections.
	if len(typo) > 0 {
		cands := make(map[int][]string)
		for _, i := range typo {
			ws, err := s.typoWords(pq.terms[i].word, read)
			if err != nil {
				return nil, err
			}
			cands[i] = ws
		}
		flush()
		for _, i := range typo {
			var ls []lookup
			for _, w := range cands[i] {
				l := lookup{key(w, s.m.Lang), false, wTypo}
				ls = append(ls, l)
				read(s.m.Files.Terms + strconv.Itoa(shardOf(s.m.Terms, l.key)) + ".bin")
			}
			var err error
			if lists[i], err = s.resolve(ls); err != nil {
				return nil, err
			}
		}
		flush()
	}

	docs := map[int]*scored{}
	for _, ls := range lists {
		best := map[int][2]int64{} // doc -> score, hint
		// Every candidate of one query word (the word, its prefix expansions, typo and loose
		// forms) counts with the idf of the most common candidate: the word the reader means
		// is as informative as the word, not as its rarest expansion ("direct" must not rank
		// pages by "directTada").
		decoded := make([][]posting, len(ls))
		maxDF := 0
		for i, l := range ls {
			ps, err := decodePostings(l.post)
			if err != nil {
				return nil, err
			}
			decoded[i] = ps
			maxDF = max(maxDF, len(ps))
		}
		for i, l := range ls {
			ps := decoded[i]
			w := int64(l.weight) * idf(s.m.Docs, maxDF)
			for _, p := range ps {
				sc := w * int64(p.impact)
				if b, ok := best[p.doc]; !ok || sc > b[0] {
					best[p.doc] = [2]int64{sc, int64(p.hint)}
				}
			}
		}
		for d, b := range best {
			sd := docs[d]
			if sd == nil {
				sd = &scored{doc: d}
				docs[d] = sd
			}
			sd.score += b[0]
			sd.hits++
			sd.hints = append(sd.hints, int(b[1]))
		}
	}
	lo, hi := 0, s.m.Docs
	if pq.section != "" {
		sec := s.section(pq.section)
		if sec == nil {
			lo, hi = 0, 0
		} else {
			lo, hi = sec.first, sec.first+sec.size
		}
	}
	var ranked []*scored
	for _, sd := range docs {
		if sd.doc >= lo && sd.doc < hi {
			ranked = append(ranked, sd)
		}
	}
	if len(pq.phrases) > 0 {
		var err error
		if ranked, err = s.phraseFilter(pq, ranked); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(ranked, func(a, b *scored) int {
		fa, fb := a.score*int64(a.hits), b.score*int64(b.hits)
		if fa != fb {
			if fa > fb {
				return -1
			}
			return 1
		}
		return a.doc - b.doc
	})
	res.Total = len(ranked)
	ranked = ranked[:min(len(ranked), maxShown)]
	marks := s.markSet(pq, lists)
	for _, sd := range ranked {
		read(s.m.Files.Chunks + strconv.Itoa(sd.doc/s.m.Chunk) + ".json")
	}
	flush()
	for _, sd := range ranked {
		h, err := s.hit(sd, marks)
		if err != nil {
			return nil, err
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// subTerms are the parts of a compound query word as words of their own; the
// last one is a prefix if the word was.
func subTerms(t qterm, lang string) []qterm {
	var r []qterm
	for j, p := range t.parts {
		r = append(r, qterm{word: p, key: key(p, lang), off: t.off + j, pre: t.pre && j == len(t.parts)-1})
	}
	return r
}

func (s *Searcher) inPhrase(pq query, t qterm) bool {
	for _, ph := range pq.phrases {
		for _, u := range ph {
			if u.key == t.key {
				return true
			}
		}
	}
	return false
}

func (s *Searcher) phraseFilter(pq query, ranked []*scored) ([]*scored, error) {
	for _, ph := range pq.phrases {
		sets := make([]map[int][]int, len(ph))
		for i, t := range ph {
			sets[i] = map[int][]int{}
			sh := shardOf(s.m.Pos, t.key)
			es, ok := s.pos[sh]
			if !ok {
				name := s.m.Files.Pos + strconv.Itoa(sh) + ".bin"
				b, found := s.files[name]
				if !found {
					return nil, fmt.Errorf("search: missing %s", name)
				}
				list, err := decodePosShard(b)
				if err != nil {
					return nil, fmt.Errorf("search: %s: %v", name, err)
				}
				es = map[string][]byte{}
				for _, e := range list {
					es[e.key] = e.data
				}
				s.pos[sh] = es
			}
			if data, ok := es[t.key]; ok {
				dps, err := decodePositions(data)
				if err != nil {
					return nil, err
				}
				for _, d := range dps {
					sets[i][d.doc] = d.pos
				}
			}
		}
		ranked = slices.DeleteFunc(ranked, func(sd *scored) bool {
			for _, p0 := range sets[0][sd.doc] {
				ok := true
				for i := 1; i < len(ph) && ok; i++ {
					ok = slices.Contains(sets[i][sd.doc], p0+ph[i].off-ph[0].off)
				}
				if ok {
					return false
				}
			}
			return true
		})
	}
	return ranked, nil
}

// marker decides which words of an excerpt are marked.
type marker struct {
	keys     map[string]bool
	prefixes []string
	lang     string
}

func (s *Searcher) markSet(pq query, lists [][]plist) marker {
	mk := marker{keys: map[string]bool{}, lang: s.m.Lang}
	for i, t := range pq.terms {
		mk.keys[t.key] = true
		if s.m.Lang == "ur" {
			mk.keys[lenientMark+loose(t.word)] = true
		}
		if t.pre && len16(t.word) >= minPrefix {
			mk.prefixes = append(mk.prefixes, t.word)
		}
		for _, l := range lists[i] {
			if l.weight == wTypo {
				mk.keys[l.key] = true
			}
		}
	}
	return mk
}

func (mk marker) marks(word string) bool {
	for _, t := range segment(normalize(word)) {
		ws := append([]string{t.word}, t.parts...)
		for _, w := range ws {
			if mk.keys[key(w, mk.lang)] || (mk.lang == "ur" && mk.keys[lenientMark+loose(w)]) {
				return true
			}
			for _, p := range mk.prefixes {
				if strings.HasPrefix(w, p) || (mk.lang == "ur" && strings.HasPrefix(loose(w), loose(p))) {
					return true
				}
			}
		}
	}
	return false
}

func (s *Searcher) hit(sd *scored, mk marker) (Hit, error) {
	ci := sd.doc / s.m.Chunk
	docs, ok := s.docs[ci]
	if !ok {
		name := s.m.Files.Chunks + strconv.Itoa(ci) + ".json"
		b, found := s.files[name]
		if !found {
			return Hit{}, fmt.Errorf("search: missing %s", name)
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return Hit{}, fmt.Errorf("search: %s: %v", name, err)
		}
		for _, r := range raw {
			var f []json.RawMessage
			var d rawDoc
			if err := json.Unmarshal(r, &f); err != nil || len(f) != 3 {
				return Hit{}, fmt.Errorf("search: %s: bad document", name)
			}
			if json.Unmarshal(f[0], &d.URL) != nil || json.Unmarshal(f[1], &d.Title) != nil || json.Unmarshal(f[2], &d.Parts) != nil {
				return Hit{}, fmt.Errorf("search: %s: bad document", name)
			}
			docs = append(docs, d)
		}
		s.docs[ci] = docs
	}
	j := sd.doc % s.m.Chunk
	if j >= len(docs) {
		return Hit{}, fmt.Errorf("search: document %d missing from its chunk", sd.doc)
	}
	d := docs[j]
	h := Hit{URL: d.URL, Title: d.Title, Score: sd.score * int64(sd.hits)}
	for _, sec := range s.secs {
		if sd.doc >= sec.first && sd.doc < sec.first+sec.size {
			h.Section = sec.name
		}
	}
	hint := bestHint(sd.hints)
	part := -1
	if hint > 0 && hint <= len(d.Parts) {
		part = hint - 1
		if a := d.Parts[part][0]; a != "" {
			h.URL += "#" + a
		}
		h.Heading = d.Parts[part][1]
	} else if len(d.Parts) > 0 {
		part = 0
	}
	if part >= 0 {
		h.Excerpt, h.Marks = excerpt(s.word, d.Parts[part][2], mk)
	}
	return h, nil
}

// bestHint picks the part most query words point at (ties: the earlier
// part); 0 when they only match the title.
func bestHint(hints []int) int {
	best, votes := 0, 0
	for _, h := range hints {
		if h == 0 {
			continue
		}
		n := 0
		for _, g := range hints {
			if g == h {
				n++
			}
		}
		if n > votes || (n == votes && h < best) {
			best, votes = h, n
		}
	}
	return best
}

// excerpt marks the matching words of a snippet; when the first one is far
// in, the text before it is cut at a space and replaced by "…". Offsets are
// UTF-16 units, as in the client.
func excerpt(word *regexp.Regexp, text string, mk marker) (string, []string) {
	type span struct{ a, b int }
	var spans []span
	var marks []string
	for _, m := range word.FindAllStringIndex(text, -1) {
		w := text[m[0]:m[1]]
		if mk.marks(w) {
			spans = append(spans, span{m[0], m[1]})
			marks = append(marks, w)
		}
	}
	if len(spans) == 0 {
		return text, nil
	}
	u := utf16.Encode([]rune(text[:spans[0].a]))
	if len(u) <= farMark {
		return text, marks
	}
	from := len(u) - markLead
	for from < len(u) && u[from] != ' ' {
		from++
	}
	if from >= len(u) {
		return text, marks
	}
	return "…" + string(utf16.Decode(u[from+1:])) + text[spans[0].a:], marks
}
