//go:build !unix

package main

import (
	"os"
	"time"
)

// maxRSS is not known on this system.
func maxRSS(*os.ProcessState) int64 { return 0 }

// processCPU is not known on this system.
func processCPU() time.Duration { return 0 }
