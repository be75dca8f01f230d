// Package search builds Rahnuma's in-browser search index and runs queries
// against it exactly as the JavaScript client (assets/js/search.js) does.
//
// Build turns the pages of one language into a folder of small static files.
// The client fetches only what a query needs: nothing until the search box is
// focused, then the manifest, then for each query at most two sequential round
// trips — the term shards of its words, in parallel, then the result chunks of
// the best pages, in parallel. Searcher is the same engine in Go: the reference
// the client is tested against (the browser test compares their results) and a
// way for site tests to check query quality without a browser.
//
// # Text analysis
//
// Index and query text go through the same steps (analyze.go; the client's
// norm, seg, stem and loose are line-for-line ports):
//
//   - normalize: NFKC, lower case, NFD, drop combining diacritics of Latin,
//     Greek and Cyrillic, Arabic harakat, superscript alef, Quranic marks,
//     tatweel and invisible format characters (soft hyphen, ZWJ, bidi
//     controls, BOM), NFC; then the Arabic-script folds that never change a word's meaning: ك→ک,
//     ي ى→ی, ه ۂ→ہ, ة→ۃ, Arabic-Indic and Extended Arabic-Indic digits and ٪ ٫ ٬
//     to ASCII; ی + hamza above is written ئ. The contested letters — آ/ا,
//     ے/ی, ھ/ہ and hamza — are never folded here. Madda and hamza (U+0653–0655)
//     survive the mark stripping, so کوئی stays کوئی.
//   - segment: a small UAX #29-like state machine. A word is a run of letters
//     (with marks) or digits. Inside a word: an apostrophe between letters is
//     dropped ("don't" → "dont", and a possessive 's goes whole: "FBR's" →
//     "fbr"), a comma between digits is dropped ("1,000" → "1000"), a dot
//     between digits is kept ("2.5"), and % after digits ends the word ("18%").
//     Where letters meet digits ("Rs500", "3P"), and at ZWNJ or a hyphen
//     between word characters ("e-commerce", "می‌شود"), the word is a compound:
//     it is indexed joined ("rs500", "ecommerce", "میشود") and as each letter
//     or digit part ("rs", "500"), the parts at consecutive positions. So
//     "Rs 500" finds "Rs500", and "rs500" is searchable as typed. ZWSP, ۔ and
//     ، separate words. Words longer than 48 UTF-16 units are not indexed.
//   - key: with Lang "en", a word of ASCII letters is replaced by its Snowball
//     English stem (github.com/kljensen/snowball/english); other words, and
//     all words in other languages, are their own key. The client carries a
//     port of the same stemmer (about 1 KB gzipped); the browser test checks
//     it on a sample of the Snowball vocabulary (testdata/stemwords.txt).
//   - loose (Lang "ur"): the lenient form that folds the contested letters
//     (آ أ إ ٱ→ا, ؤ→و, ئ ے ۓ→ی, ھ→ہ, madda and hamza dropped, ی doubled by ئی
//     made single). It is a second, weaker key: an exact spelling ranks above
//     a lenient match (آم before ام for "آم"), but کوی still finds کوئی.
//
// # Files
//
// All numbers are unsigned LEB128 varints; strings are UTF-16 code units
// (one varint each) so the client builds them with String.fromCharCode, and
// keys are front coded against the previous key. Every ordering is UTF-16
// code-unit order, JavaScript's < on strings (cmp16).
//
//	manifest-HASH.json  {v, lang, docs, chunk, files, terms, typos, pos, sections, avglen}
//	s-HASH-i.bin        term shards
//	t-HASH-i.bin        typo shards
//	p-HASH-i.bin        positions shards (phrases only)
//	d-HASH-i.json       result chunks
//
// A family's HASH covers all its files, so a changed page renames the family
// (and the manifest) and hosts can cache every file forever; the manifest
// lists one name prefix per family instead of thousands of names. The
// generator may serve the manifest under a fixed name; the client resolves
// every other name relative to the manifest's URL (form attribute
// data-index), so a sub-path base URL needs nothing else.
//
// Term shard: sorted entries, then extra entries:
//
//	nSorted nExtra
//	entry*: key, header = (alias+1)<<1 | hasPostings, [byteLen postings]
//	postings: df, then per document: docDelta impact hint
//
// Keys are stems (or words) with postings, and English surface words whose
// stem differs, as aliases: "registration" points at the entry "registr".
// Aliases serve prefix matching: a reader typing "registrati" has passed the
// stem, but still matches the word. The shards are cut at about 16 KB raw
// (about 8 KB gzipped); a cut is moved up to 64 entries forward to keep
// aliases beside their stems, and a stem that still lands in another shard is
// copied into the extra entries, so a lookup never needs a second shard.
// Lenient Urdu keys are stored under a "\x01" prefix, sorted apart from the
// strict ones, and only where they add something (a group of spellings, or a
// word spelled non-canonically).
//
// Postings carry no positions. impact is the BM25F term-frequency factor
// tf/(k1+tf) of the key in the page, with field weights (title 4, headings 2,
// text 1), k1 1.2 and b 0.75 applied per field against the average field
// length, quantised to 31 levels. It replaces per-field counts: the
// client would otherwise need every page's field lengths to rank, and 31 levels gzip to 15% less than 127 with no visible
// change in ranking. hint is the part (heading section) where the key scores
// most (i+1 for Parts[i], 0 for the title only): it makes results link to
// the nearest heading and pick the excerpt.
//
// Positions shard: per key, per page (in postings order): docDelta, count,
// position deltas. Positions count words through the title and each part's
// heading and text, with a gap between them so a phrase never spans two.
//
// Typo shard: a deletion neighbourhood over the dictionary of letter-only
// words of 4–32 units. Each word is stored under itself (pos 0) and under
// each string made by deleting one unit, with the deleted (pos, unit):
//
//	n, entry*: key, m, (pos unit)*m
//
// Result chunk: JSON, docsPerChunk (2) pages per file in page-number order:
// [[url, title, [[anchor, heading, snippet], ...]], ...], the snippet being
// the first 200 characters of the part's text. Metadata and excerpt text
// share a file rather than separate ones: a result needs both,
// and one file per group saves a request per result.
//
// Pages are numbered section by section, so a section is a range of page
// numbers: the manifest's sections list [key, name, first, count] is all the
// section filter needs, and pages of one section share chunks.
//
// # Queries
//
// A query is split into words as above. "key:" naming a section filters by it
// (and wins over the select); text between two double quotes is a phrase; the
// last word is a prefix unless the query ends in something other than a
// letter or digit. Each word looks up, in one round trip:
//
//	its key                                  weight 10
//	Urdu: its lenient key, and its loose form  7
//	prefix (last word, two units or more):
//	  entries starting with the word           6 (the 32 most frequent)
//	  Urdu: lenient entries starting with it   4
//	phrase words: their positions shards
//
// A prefix reads at most two shards. A compound that matches nothing as a
// whole is searched as its parts ("sales-tax" as sales, tax) from shards
// already fetched. A page's score for a word is the best over the word's
// lists of weight × idf × impact, where idf = round(64·ln(1 + (N−df+½)/(df+½)));
// all arithmetic is integer, so Go and JavaScript rank identically. A page's
// score is the sum over words times the number of words it matches, which
// puts pages with every word first without hiding the others. Phrases filter
// pages by positions. Ties keep page order.
//
// Typo tolerance: only a word of 5–33 letters that matched nothing (no exact,
// lenient or prefix match) is corrected, so correct queries never pay for it.
// The client looks up the word and its one-deletion variants in the typo
// shards (at most three or four shards: the variants share the word's first
// letters except when the first or second letter is deleted), rebuilds the
// candidate words, keeps those within one insertion, deletion, substitution
// or swap of neighbours (at most 16), and looks up their keys with weight 3.
// That costs two more round trips, only for misspelled words.
//
// # Measured
//
// Bytes and time per query against Pagefind on the 10,000-page benchmark
// corpus, and what the index adds to a build, are in generator/internal/bench/README.md
// with the commands that measure them.
package search
