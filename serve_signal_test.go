package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// With RAHNUMA_REAL_MAIN=1 the test binary is the real command: main itself, with its signal
// handling (TestMain's RAHNUMA_AS_MAIN runs without it). init runs before TestMain. The signal
// tests (serve here, runaway builds in template_signal_test.go) start it.
func init() {
	if os.Getenv("RAHNUMA_REAL_MAIN") == "1" {
		main()
	}
}

var servingAt = regexp.MustCompile(`Serving \d+ pages at (http://127\.0\.0\.1:\d+/)`)

// Ctrl-C in the terminal stops `rahnuma serve` at once, with exit status 0 and no error: a real
// process gets a real interrupt.
func TestServeStopsOnInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("os.Interrupt cannot be sent to another process on Windows")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "content", "x.md")
	os.MkdirAll(filepath.Dir(page), 0o755)
	if err := os.WriteFile(page, []byte("---\ntitle: X\n---\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "serve", "--src", dir, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "RAHNUMA_REAL_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var stdout []string
	addr := ""
	deadline := time.After(30 * time.Second)
	for addr == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve ended before serving; stdout %q, stderr %q", stdout, stderr.String())
			}
			stdout = append(stdout, l)
			if m := servingAt.FindStringSubmatch(l); m != nil {
				addr = m[1]
			}
		case <-deadline:
			t.Fatalf("not serving after 30s; stdout %q", stdout)
		}
	}
	resp, err := http.Get(addr + "x/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("Text.")) {
		t.Fatalf("GET %sx/: %s", addr, resp.Status)
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() {
		for l := range lines {
			stdout = append(stdout, l)
		}
		exited <- cmd.Wait()
	}()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after Ctrl-C: %v; stderr %q", err, stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still running 5s after Ctrl-C")
	}
	if last := stdout[len(stdout)-1]; last != "Stopped." {
		t.Errorf("last line %q, want Stopped.; stdout %q", last, stdout)
	}
	if s := stderr.String(); strings.Contains(s, "rahnuma:") || strings.Contains(s, "panic") {
		t.Errorf("stderr after Ctrl-C: %q", s)
	}
}
