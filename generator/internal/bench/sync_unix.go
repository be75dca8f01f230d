//go:build unix

package main

import "syscall"

// syncDisks writes every file system's dirty data back, so one run's writes do not slow
// the next.
func syncDisks() { syscall.Sync() }
