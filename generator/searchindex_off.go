//go:build benchnoindex

package generator

// buildSearchIndex: see searchindex.go. This binary is for measuring only; its pages' search
// boxes find nothing.
const buildSearchIndex = false
