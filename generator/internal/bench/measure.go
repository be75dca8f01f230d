package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// sample is one timed run.
type sample struct {
	wall time.Duration
	cpu  time.Duration // user + system; 0 when unknown
	rss  int64         // peak resident set in bytes; 0 when unknown
}

// result collects the runs of one contestant.
type result struct {
	name    string
	samples []sample
	note    string // why there are no samples, if there are none
}

func (r result) walls() []time.Duration {
	var out []time.Duration
	for _, s := range r.samples {
		out = append(out, s.wall)
	}
	return out
}

func (r result) median() time.Duration { return median(r.walls()) }

func (r result) min() time.Duration {
	if len(r.samples) == 0 {
		return 0
	}
	return slices.Min(r.walls())
}

func (r result) medianCPU() time.Duration {
	var cpu []time.Duration
	for _, s := range r.samples {
		cpu = append(cpu, s.cpu)
	}
	return median(cpu)
}

// peakRSS is the largest peak over all runs.
func (r result) peakRSS() int64 {
	var m int64
	for _, s := range r.samples {
		m = max(m, s.rss)
	}
	return m
}

// median returns the middle value, or the mean of the two middle values; 0
// for no values.
func median[T time.Duration | float64](d []T) T {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// command is a program to time.
type command struct {
	dir  string
	name string
	args []string
}

func (c command) String() string {
	return strings.Join(append([]string{c.name}, c.args...), " ")
}

// runTimed runs c once and measures it. What it printed (stdout, then
// stderr) is returned for the caller to show; on failure the error carries
// the tail of it.
func runTimed(ctx context.Context, c command) (sample, []byte, error) {
	cmd := exec.CommandContext(ctx, c.name, c.args...)
	cmd.Dir = c.dir
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		msg := strings.TrimSpace(tail(errb.String()+out.String(), 40))
		if msg != "" {
			msg = "\n" + msg
		}
		return sample{}, append(out.Bytes(), errb.Bytes()...), fmt.Errorf("%s: %v%s", c, err, msg)
	}
	s := sample{wall: wall}
	if ps := cmd.ProcessState; ps != nil {
		s.cpu = ps.UserTime() + ps.SystemTime()
		s.rss = maxRSS(ps)
	}
	return s, append(out.Bytes(), errb.Bytes()...), nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// fileCount counts the files under dir, and how many of them are .html.
type fileCount struct{ files, html int }

func countFiles(dir string) (fileCount, error) {
	var c fileCount
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			c.files++
			if strings.HasSuffix(p, ".html") {
				c.html++
			}
		}
		return nil
	})
	return c, err
}

// fmtDur prints a duration with three significant figures.
func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Second:
		return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	default:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
}

func fmtBytes(n int64) string {
	switch {
	case n <= 0:
		return "-"
	case n < 1<<20:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	}
}

// ratio prints a/b as "3.4x", or "-" when either is unknown.
func ratio(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a/b)
}

func removeAll(dirs ...string) error {
	for _, d := range dirs {
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	return nil
}
