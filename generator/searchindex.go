//go:build !benchnoindex

package generator

// buildSearchIndex is false only in the binary the build benchmark compiles with
// -tags benchnoindex: the same build without the search index, to measure what the index adds.
const buildSearchIndex = true
