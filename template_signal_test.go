package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// TestSignalStopsRunawayBuild: Ctrl-C or SIGTERM stops a build whose layout loops (practically)
// forever within a second, with a failure status, and public/ stays exactly as it was.
func TestSignalStopsRunawayBuild(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("signals cannot be sent to another process on Windows")
	}
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		t.Run(sig.String(), func(t *testing.T) {
			root := t.TempDir()
			writeSite(t, root, "good", 20)
			pub := filepath.Join(root, "public")
			var errb bytes.Buffer
			if code := run(context.Background(), []string{"build", "--src", root}, io.Discard, &errb); code != 0 {
				t.Fatalf("good build failed: %s", errb.String())
			}
			before := snapshot(t, pub)

			layout := filepath.Join(root, "layouts", "page.html")
			os.MkdirAll(filepath.Dir(layout), 0o755)
			if err := os.WriteFile(layout, []byte(`{{define "main"}}{{range 100000000000}}{{end}}{{end}}`), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "build", "--src", root)
			cmd.Env = append(os.Environ(), "RAHNUMA_REAL_MAIN=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			time.Sleep(500 * time.Millisecond)
			cmd.Process.Signal(sig)
			sent := time.Now()
			select {
			case err := <-exited:
				if err == nil {
					t.Error("the stopped build exited 0")
				}
				if took := time.Since(sent); took > time.Second {
					t.Errorf("exited %v after the signal", took.Round(time.Millisecond))
				}
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				<-exited
				t.Fatalf("the build still runs 5s after %v\n%s", sig, stderr.String())
			}
			if !equalTrees(snapshot(t, pub), before) {
				t.Error("the stopped build changed public/")
			}
			if m, _ := filepath.Glob(filepath.Join(root, ".rahnuma-tmp-*")); len(m) > 0 {
				t.Errorf("temporary folders left: %v", m)
			}
		})
	}
}
