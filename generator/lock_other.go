//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package generator

func lockFile(name string) (unlock func(), err error) { return lockExclusive(name) }
