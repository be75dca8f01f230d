// Command bench measures Rahnuma against its peers on a generated corpus
// (package rahnuma/generator/internal/corpus).
//
//	go run ./generator/internal/bench [-what build] [-pages 10000] [-sections 20] [-runs 3] [-hugo /usr/bin/hugo] [-keep]
//
// The build benchmark (-what build, the default) builds the rahnuma binary from
// the module root, writes the corpus to a temporary folder, and then builds it
// alternately with `rahnuma build` and with Hugo (using the equivalent layouts
// in hugo/ beside this file), one warm-up each and then -runs timed runs each.
// It reports wall time, CPU time and peak resident memory of each tool, and the
// time plain goldmark takes to convert the same Markdown in this process, on
// one goroutine and on GOMAXPROCS goroutines. Without Hugo it reports Rahnuma's
// figures alone.
//
// Further benchmarks (search against Pagefind, serve latency) are meant to be
// added as more -what values: see the benchmarks table below.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"
)

// config holds the flags every benchmark shares.
type config struct {
	pages, sections int
	seed            int64
	runs            int
	hugo            string
	keep            bool
	fuzztime        time.Duration
	stdout, stderr  io.Writer
}

// benchmark is one thing -what can name.
type benchmark struct {
	name, about string
	run         func(ctx context.Context, cfg config) error
}

// benchmarks lists what -what can run, in the order -help shows them.
func benchmarks() []benchmark {
	return []benchmark{
		{"build", "full build of the corpus: rahnuma vs Hugo vs goldmark alone", runBuild},
		{"serve", "dev server startup and edit→screen in Chromium: rahnuma serve vs hugo server", runServe},
		{"search", "in-browser search from a fresh page: rahnuma's index vs Pagefind 1.6 (bytes, time, top results)", runSearch},
		{"fuzz", "every fuzz target for -fuzztime each; crashers are kept as seeds", runFuzz},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := config{stdout: stdout, stderr: stderr}
	what := fs.String("what", "build", "benchmark to run")
	fs.IntVar(&cfg.pages, "pages", 10000, "pages in the corpus")
	fs.IntVar(&cfg.sections, "sections", 20, "sections in the corpus")
	fs.Int64Var(&cfg.seed, "seed", 1, "corpus seed")
	fs.IntVar(&cfg.runs, "runs", 3, "timed runs per tool, after one warm-up each")
	fs.StringVar(&cfg.hugo, "hugo", "/usr/bin/hugo", "Hugo binary to compare with")
	fs.DurationVar(&cfg.fuzztime, "fuzztime", 30*time.Second, "time per fuzz target (-what fuzz)")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the temporary folder (corpus, sites, outputs) and print its path")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: go run ./generator/internal/bench [flags]\n\nbenchmarks (-what):\n")
		for _, b := range benchmarks() {
			fmt.Fprintf(stderr, "  %-8s %s\n", b.name, b.about)
		}
		fmt.Fprintf(stderr, "\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if cfg.pages < 1 || cfg.sections < 1 || cfg.runs < 1 {
		return fmt.Errorf("-pages, -sections and -runs must be at least 1")
	}
	var names []string
	for _, b := range benchmarks() {
		if b.name == *what {
			return b.run(ctx, cfg)
		}
		names = append(names, b.name)
	}
	return fmt.Errorf("unknown benchmark -what %q (have: %s)", *what, strings.Join(names, ", "))
}
