package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"rahnuma/generator/internal/corpus"
)

// Targets from the issue that asked for this benchmark.
const (
	targetTime   = 6.0  // Hugo's wall time over Rahnuma's, at least
	targetMemory = 4.0  // Hugo's peak RSS over Rahnuma's, at least
	targetMD     = 2.0  // Rahnuma's wall time over goldmark alone's, at most
	targetIndex  = 0.20 // what the search index may add to a build's wall time, at most
)

// runBuild is the build benchmark.
func runBuild(ctx context.Context, cfg config) (err error) {
	logf := func(format string, args ...any) { fmt.Fprintf(cfg.stderr, format+"\n", args...) }

	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "rahnuma-bench-")
	if err != nil {
		return err
	}
	if cfg.keep {
		defer fmt.Fprintf(cfg.stdout, "\nkept %s (corpus/, hugo-site/, out-rahnuma/, out-hugo/)\n", work)
	} else {
		defer func() { err = errors.Join(err, os.RemoveAll(work)) }()
	}

	var (
		bin      = filepath.Join(work, "rahnuma")
		src      = filepath.Join(work, "corpus")
		site     = filepath.Join(work, "hugo-site")
		out1     = filepath.Join(work, "out-rahnuma")
		out2     = filepath.Join(work, "out-hugo")
		hugoBin  = findHugo(cfg.hugo)
		problems []error
	)

	logf("building rahnuma in %s", root)
	buildErr := goBuild(ctx, root, bin)
	if buildErr != nil {
		problems = append(problems, buildErr)
		logf("%v", buildErr)
	}

	opts := corpus.Options{Pages: cfg.pages, Sections: cfg.sections, Seed: cfg.seed}
	logf("writing corpus: %d pages in %d sections", cfg.pages, cfg.sections)
	files := corpus.Files(opts)
	if err := corpus.Write(src, opts); err != nil {
		return err
	}
	var mdBytes int64
	for _, b := range files {
		mdBytes += int64(len(b))
	}
	if err := writeHugoSite(site); err != nil {
		return err
	}

	rahnumaCmd := command{dir: work, name: bin, args: []string{"build", "--src", src, "--out", out1, "--base-url", "https://example.org/"}}
	hugoCmd := hugoCommand(hugoBin, site, filepath.Join(src, "content"), out2, true)

	type contestant struct {
		res     *result
		cmd     command
		out     string
		skip    bool
		summary string // first line the tool printed in its warm-up
	}
	// rahnuma keeps highlighted code between builds: "rahnuma build" runs after the warm-up
	// filled that cache (a rebuild); "--no-cache" highlights every block every time (a cold build).
	os.Setenv("RAHNUMA_CACHE", filepath.Join(work, "cache"))
	rah := &contestant{res: &result{name: "rahnuma build"}, cmd: rahnumaCmd, out: out1, skip: buildErr != nil}
	coldCmd := command{dir: work, name: bin, args: []string{"build", "--src", src, "--out", out1 + "-cold", "--base-url", "https://example.org/", "--no-cache"}}
	cold := &contestant{res: &result{name: "rahnuma build --no-cache"}, cmd: coldCmd, out: out1 + "-cold", skip: buildErr != nil}
	if rah.skip {
		rah.res.note = "could not build the binary"
		cold.res.note = rah.res.note
	}
	hugoName := "hugo"
	if v := hugoVersion(ctx, hugoBin); v != "" {
		if f := strings.Fields(v); len(f) > 1 {
			hugoName = "hugo " + strings.TrimPrefix(f[1], "v")
		}
	}
	hug := &contestant{res: &result{name: hugoName}, cmd: hugoCmd, out: out2, skip: hugoBin == ""}
	if hug.skip {
		hug.res.note = fmt.Sprintf("not found at %q", cfg.hugo)
		logf("hugo: not found at %q; reporting rahnuma alone", cfg.hugo)
	}
	// The same build without the search index: what the index adds to a build is the
	// difference, measured here rather than by timing the index alone (it is made alongside
	// the pages, so its own time overlaps theirs).
	noIdxCmd := command{dir: work, name: bin, args: []string{"build", "--no-search-index", "--src", src, "--out", out1 + "-noindex", "--base-url", "https://example.org/"}}
	noIdx := &contestant{res: &result{name: "rahnuma build, no search index"}, cmd: noIdxCmd, out: out1 + "-noindex", skip: buildErr != nil}
	noIdx.res.note = rah.res.note
	tools := []*contestant{rah, noIdx, cold, hug}

	loadBefore := loadAverage()

	// One warm-up each, then alternate so that neither tool always runs on
	// a warmer machine than the other, starting each round one tool later so
	// that no tool always follows the same one (Hugo leaves 2 GB to give
	// back). Timed runs are rebuilds into the output of the run before, as an
	// editor rebuilds (Hugo writes over its files; Rahnuma swaps in a new
	// folder). Dirty pages are written back before each run, so that one
	// tool's write-back is not timed as the next one's work.
	for k := 0; k <= cfg.runs; k++ {
		for i := range tools {
			t := tools[(i+k)%len(tools)]
			if t.skip {
				continue
			}
			if k == 0 {
				if err := removeAll(t.out); err != nil {
					return err
				}
				logf("warm-up: %s", t.cmd)
			} else {
				logf("run %d/%d: %s", k, cfg.runs, t.res.name)
			}
			syncDisks()
			s, stdout, err := runTimed(ctx, t.cmd)
			if err != nil {
				if t == hug {
					// --quiet hides Hugo's own error messages; run again to show them.
					c := hugoCommand(hugoBin, site, filepath.Join(src, "content"), out2, false)
					if _, _, err2 := runTimed(ctx, c); err2 != nil {
						err = err2
					}
				}
				problems = append(problems, err)
				t.res.note = "failed"
				t.res.samples = nil
				t.skip = true
				logf("%v", err)
				continue
			}
			if k == 0 {
				line, _, _ := strings.Cut(strings.TrimSpace(string(stdout)), "\n")
				t.summary = line
			} else {
				t.res.samples = append(t.res.samples, s)
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}

	logf("goldmark alone: converting %d Markdown files in-process", len(files))
	gm, err := goldmarkResults(markdownBodies(files), cfg.runs)
	if err != nil {
		return err
	}

	// The report.
	w := cfg.stdout
	fmt.Fprintf(w, "corpus: %d pages in %d sections (+%d index files), %.1f MB of Markdown, seed %d\n",
		cfg.pages, cfg.sections, len(files)-cfg.pages, float64(mdBytes)/(1<<20), cfg.seed)
	fmt.Fprintf(w, "machine: %s/%s, %d CPUs, GOMAXPROCS %d, %s; %d timed runs per tool after one warm-up\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), cfg.runs)
	if loadBefore != "" {
		fmt.Fprintf(w, "load average before the runs: %s (other work on the machine skews the figures)\n", loadBefore)
	}
	fmt.Fprintln(w)

	all := append([]result{*rah.res, *noIdx.res, *cold.res, *hug.res}, gm...)
	nameWidth := len("tool")
	for _, r := range all {
		nameWidth = max(nameWidth, len(r.name))
	}
	fmt.Fprintf(w, "%-*s  %11s  %9s  %10s  %8s  %7s\n", nameWidth, "tool", "median wall", "min wall", "median CPU", "peak RSS", "pages/s")
	for _, r := range all {
		if len(r.samples) == 0 {
			fmt.Fprintf(w, "%-*s  %s\n", nameWidth, r.name, r.note)
			continue
		}
		fmt.Fprintf(w, "%-*s  %11s  %9s  %10s  %8s  %7s\n", nameWidth, r.name, fmtDur(r.median()), fmtDur(r.min()),
			fmtDur(r.medianCPU()), fmtBytes(r.peakRSS()), pagesPerSec(len(files), r.median()))
	}

	sec := func(d time.Duration) float64 { return d.Seconds() }
	rahT, hugT, coldT := sec(rah.res.median()), sec(hug.res.median()), sec(cold.res.median())
	gm1, gmN := sec(gm[0].median()), sec(gm[1].median())
	fmt.Fprintf(w, "\nratios (medians)\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  hugo/rahnuma wall time\t%s\t(target >= %.0fx)\n", ratio(hugT, rahT), targetTime)
	fmt.Fprintf(tw, "  hugo/rahnuma --no-cache wall time\t%s\t(a cold build: every code block highlighted)\n", ratio(hugT, coldT))
	fmt.Fprintf(tw, "  hugo/rahnuma CPU time\t%s\t(less skewed than wall time on a busy machine)\n", ratio(sec(hug.res.medianCPU()), sec(rah.res.medianCPU())))
	fmt.Fprintf(tw, "  hugo/rahnuma --no-cache CPU time\t%s\t\n", ratio(sec(hug.res.medianCPU()), sec(cold.res.medianCPU())))
	fmt.Fprintf(tw, "  hugo/rahnuma peak RSS\t%s\t(target >= %.0fx)\n", ratio(float64(hug.res.peakRSS()), float64(rah.res.peakRSS())), targetMemory)
	fmt.Fprintf(tw, "  rahnuma/goldmark alone (%d threads)\t%s\t(target <= %.0fx)\n", runtime.GOMAXPROCS(0), ratio(rahT, gmN), targetMD)
	fmt.Fprintf(tw, "  rahnuma/goldmark alone (1 thread)\t%s\t\n", ratio(rahT, gm1))
	tw.Flush()

	// What the search index adds: each run with the index paired with the run without it that
	// followed it, so that both saw the same moment of a noisy machine; the median of the pairs.
	wallAdd, cpuAdd := pairedIncrease(rah.res.samples, noIdx.res.samples)
	fmt.Fprintf(w, "\nthe search index adds (with/without - 1, median of %d paired runs)\n", min(len(rah.res.samples), len(noIdx.res.samples)))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  wall time\t%s\t(target <= %.0f%%)\n", percent(wallAdd), targetIndex*100)
	fmt.Fprintf(tw, "  CPU time\t%s\t\n", percent(cpuAdd))
	tw.Flush()

	fmt.Fprintf(w, "\noutput\n")
	for _, t := range tools {
		if t.skip || len(t.res.samples) == 0 {
			continue
		}
		c, err := countFiles(t.out)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-*s  %6d files, %6d .html", nameWidth, t.res.name, c.files, c.html)
		if t.summary != "" {
			fmt.Fprintf(w, "   (said: %s)", t.summary)
		}
		fmt.Fprintln(w)
	}
	return errors.Join(problems...)
}

// loadAverage returns the 1-, 5- and 15-minute load averages, where the
// system tells them.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func pagesPerSec(pages int, d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(pages)/d.Seconds())
}

// moduleRoot returns the folder of the main module's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a Go module: run from the rahnuma repository")
	}
	return filepath.Dir(gomod), nil
}

// goBuild builds the rahnuma command in root into bin.
func goBuild(ctx context.Context, root, bin string) error {
	if _, err := os.Stat(filepath.Join(root, "main.go")); err != nil {
		return fmt.Errorf("rahnuma: no main.go in %s yet", root)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("rahnuma: go build: %v\n%s", err, strings.TrimSpace(tail(errb.String(), 30)))
	}
	return nil
}

// pairedIncrease is the median over paired samples of with/without - 1, for wall and CPU time;
// NaN when there are no pairs (or no CPU times).
func pairedIncrease(with, without []sample) (wall, cpu float64) {
	var ws, cs []float64
	for i := range min(len(with), len(without)) {
		ws = append(ws, with[i].wall.Seconds()/without[i].wall.Seconds()-1)
		if with[i].cpu > 0 && without[i].cpu > 0 {
			cs = append(cs, with[i].cpu.Seconds()/without[i].cpu.Seconds()-1)
		}
	}
	return medianOrNaN(ws), medianOrNaN(cs)
}

func medianOrNaN(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return median(xs)
}

func percent(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%+.0f%%", x*100)
}
