//go:build !unix

package generator

// processCPU is not measured here: benchmarks report no CPU time.
func processCPU() int64 { return 0 }
