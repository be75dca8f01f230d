//go:build !darwin

package generator

import "os"

// syncFile puts f's data on disk.
func syncFile(f *os.File) error { return f.Sync() }

// flushDevice: nothing more to do once every file is synced.
func flushDevice(dir string) error { return nil }
