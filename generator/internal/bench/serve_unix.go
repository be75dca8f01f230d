//go:build unix

package main

import (
	"errors"
	"os/exec"
	"syscall"
)

// newProcessGroup makes cmd the leader of a new process group, so that it can be
// stopped with everything it starts.
func newProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// signalGroup asks the process group that cmd leads to stop (SIGTERM), or kills it
// (SIGKILL) when hard. A group that is already gone is no error.
func signalGroup(cmd *exec.Cmd, hard bool) error {
	sig := syscall.SIGTERM
	if hard {
		sig = syscall.SIGKILL
	}
	if err := syscall.Kill(-cmd.Process.Pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}
