package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"rahnuma/generator/internal/corpus"
)

func TestServePercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var d []time.Duration
		for _, x := range v {
			d = append(d, time.Duration(x)*time.Millisecond)
		}
		return d
	}
	for _, tc := range []struct {
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 90, 0},
		{ms(7), 90, 7 * time.Millisecond},
		{ms(10, 1, 9, 2, 8, 3, 7, 4, 6, 5), 90, 9 * time.Millisecond}, // nearest rank: the 9th of 10
		{ms(10, 1, 9, 2, 8, 3, 7, 4, 6, 5), 50, 5 * time.Millisecond},
		{ms(10, 1, 9, 2, 8, 3, 7, 4, 6, 5), 100, 10 * time.Millisecond},
		{ms(3, 1, 2), 90, 3 * time.Millisecond},
		{ms(3, 1, 2), 1, 1 * time.Millisecond},
	} {
		in := slices.Clone(tc.in)
		if got := servePercentile(tc.in, tc.p); got != tc.want {
			t.Errorf("servePercentile(%v, %v) = %v, want %v", tc.in, tc.p, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("servePercentile reordered its input: %v", tc.in)
		}
	}
}

func TestServeSizes(t *testing.T) {
	for _, tc := range []struct {
		pages int
		want  []int
	}{
		{10000, []int{1000, 10000}},
		{1000, []int{1000}},
		{200, []int{200, 1000}},
	} {
		if got := serveSizes(tc.pages); !slices.Equal(got, tc.want) {
			t.Errorf("serveSizes(%d) = %v, want %v", tc.pages, got, tc.want)
		}
	}
}

func TestPickEditPages(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Pages: 40, Sections: 4, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	pages, err := pickEditPages(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 {
		t.Fatalf("got %d pages, want 3: %v", len(pages), pages)
	}
	seen := map[string]bool{}
	for _, p := range pages {
		if seen[p.url] {
			t.Errorf("page %s picked twice", p.url)
		}
		seen[p.url] = true
		if _, err := os.Stat(p.file); err != nil {
			t.Errorf("picked page has no file: %v", err)
		}
		rel, _ := filepath.Rel(filepath.Join(dir, "content"), p.file)
		if want := "/" + strings.TrimSuffix(filepath.ToSlash(rel), ".md") + "/"; p.url != want {
			t.Errorf("%s: url %q, want %q", p.file, p.url, want)
		}
	}
	all, _ := filepath.Glob(filepath.Join(dir, "content", "*", "p*.md"))
	slices.Sort(all)
	if pages[0].file != all[0] || pages[2].file != all[len(all)-1] {
		t.Errorf("picked %s .. %s, want the first and last pages %s .. %s", pages[0].file, pages[2].file, all[0], all[len(all)-1])
	}

	if _, err := pickEditPages(t.TempDir(), 3); err == nil {
		t.Errorf("no error for a folder without pages")
	}
}

func TestServeWaitHTTP(t *testing.T) {
	var calls atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			http.Error(w, "loading", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "page")
	}))
	defer ts.Close()
	running := &serveProc{name: "test", out: &serveOutput{}, exited: make(chan struct{})}
	start := time.Now()
	d, err := serveWaitHTTP(context.Background(), running, ts.URL+"/p/", start, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("%d requests, want 3 (two 503s, then the 200)", n)
	}
	if d < 2*servePollHTTP || d > time.Since(start) {
		t.Errorf("reported %v: not between two polls and the time taken", d)
	}

	// A server that exits is not waited for, and its output is shown.
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	procs := &serveFleet{}
	defer procs.stopAll()
	port, err := serveFreePort()
	if err != nil {
		t.Fatal(err)
	}
	s, err := procs.start(command{name: "sh", args: []string{"-c", "echo boom; exit 3"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = serveWaitHTTP(context.Background(), s, "http://127.0.0.1:"+strconv.Itoa(port)+"/", time.Now(), time.Minute)
	if err == nil || !strings.Contains(err.Error(), "exited") || !strings.Contains(err.Error(), "boom") {
		t.Errorf("error %v, want one saying the server exited, with its output", err)
	}
}

// A server is stopped with everything it started.
func TestServeFleetStopsProcessGroup(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	procs := &serveFleet{}
	s, err := procs.start(command{name: "sh", args: []string{"-c", "sleep 60 & echo $!; wait"}})
	if err != nil {
		t.Fatal(err)
	}
	var child int
	for deadline := time.Now().Add(10 * time.Second); child == 0; {
		if line := strings.TrimSpace(s.out.String()); line != "" {
			if child, err = strconv.Atoi(line); err != nil {
				t.Fatalf("child pid %q: %v", line, err)
			}
			break
		}
		if time.Now().After(deadline) {
			procs.stopAll()
			t.Fatal("the shell did not say its child's pid")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := procs.stopAll(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	default:
		t.Errorf("the server has not exited")
	}
	// Killed processes may stay zombies until their new parent reaps them: dead either way.
	alive := func(pid int) bool {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return false
		}
		_, after, _ := strings.Cut(string(b), ") ")
		return !strings.HasPrefix(after, "Z") && !strings.HasPrefix(after, "X")
	}
	for deadline := time.Now().Add(5 * time.Second); alive(child); {
		if time.Now().After(deadline) {
			t.Fatalf("the server's child %d outlived it", child)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := procs.stopAll(); err != nil {
		t.Errorf("stopping again: %v", err)
	}
}

func TestSmallRatio(t *testing.T) {
	for _, tc := range []struct {
		a, b float64
		want string
	}{
		{0.118, 25.1, "0.0047x"},
		{3, 2, "1.5x"},
		{0.65, 4.5, "0.14x"},
		{0, 1, "-"},
		{1, 0, "-"},
	} {
		if got := smallRatio(tc.a, tc.b); got != tc.want {
			t.Errorf("smallRatio(%v, %v) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}
