//go:build !unix

package main

import (
	"errors"
	"os"
	"os/exec"
)

// newProcessGroup does nothing where there are no Unix process groups.
func newProcessGroup(cmd *exec.Cmd) {}

// signalGroup kills the process cmd started; without process groups, a polite stop
// and the process's children are out of reach.
func signalGroup(cmd *exec.Cmd, hard bool) error {
	if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}
