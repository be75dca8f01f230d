// Command rahnuma builds, previews and checks a static guidance site (see usage; with no
// arguments it builds the site in the current folder into public/). The work is in generator.
package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"rahnuma/generator"
	"rahnuma/generator/serve"
	"rahnuma/generator/version"
)

// theme is the built-in theme, so a folder with only content/ builds.
//
//go:embed layouts assets
var theme embed.FS

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  rahnuma build [--src DIR] [--out DIR] [--base-url URL] [--drafts]
  rahnuma serve [--src DIR] [--addr 127.0.0.1:1313] [--drafts] [--allow-host NAME]
  rahnuma check [--src DIR] [--strict]
  rahnuma new [--src DIR] PATH   (e.g. tax/some-change.md, or ur/tax/some-change.md)
  rahnuma version
`

// errReported means the problems were already printed.
var errReported = errors.New("reported")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "build"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	fl := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fl.SetOutput(stderr)
	src := fl.String("src", ".", "site folder (holds content/)")
	var cmdFunc func() error // runs once the flags are parsed
	switch cmd {
	case "build":
		cmdFunc = buildCmd(ctx, fl, src, stdout, stderr)
	case "serve":
		cfg := serve.Config{Stdout: stdout, Stderr: stderr}
		fl.StringVar(&cfg.Addr, "addr", "127.0.0.1:1313", "address to listen on")
		fl.BoolVar(&cfg.Drafts, "drafts", true, "show drafts, future and expired pages (with a badge)")
		fl.Func("allow-host", "extra Host header value to accept (repeatable)", func(h string) error { cfg.AllowHosts = append(cfg.AllowHosts, h); return nil })
		fl.DurationVar(&cfg.RenderTimeout, "render-timeout", 0, "time limit of one page's render (default: site.toml's renderTimeout, else 10s)")
		cmdFunc = func() error {
			cfg.Dir, cfg.Source, cfg.CacheDir = *src, source(*src), generator.SiteCacheDir(*src)
			return serve.Run(ctx, cfg)
		}
	case "check":
		strict := fl.Bool("strict", false, "treat overdue reviews as errors")
		cmdFunc = func() error {
			if failed, err := generator.CheckSite(ctx, source(*src), *src, generator.CheckOptions{Strict: *strict}, stdout); !failed {
				return err
			}
			return errReported // on stdout: check's problems are its output
		}
	case "new":
		cmdFunc = func() error {
			if fl.NArg() != 1 {
				return errors.New("usage: rahnuma new [--src DIR] PATH (relative to content/, e.g. tax/some-change.md)")
			}
			created, err := generator.CreatePage(*src, fl.Arg(0), time.Now())
			if err == nil {
				fmt.Fprintln(stdout, "created", filepath.ToSlash(filepath.Join(*src, created)))
			}
			return err
		}
	case "version":
		cmdFunc = func() error { _, err := fmt.Fprint(stdout, version.Get()); return err }
	case "help", "-h", "--help":
		cmdFunc = func() error { _, err := fmt.Fprint(stdout, usage); return err }
	default:
		fmt.Fprintf(stderr, "rahnuma: unknown command %q\n%s", cmd, usage)
		return 2
	}
	err := fl.Parse(args)
	if err == nil {
		err = cmdFunc()
	}
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if !errors.Is(err, errReported) && !generator.ReportErr(stderr, *src, err) {
		fmt.Fprintln(stderr, "rahnuma:", err)
	}
	return 1
}

func source(dir string) generator.Source { return generator.Source{Site: os.DirFS(dir), Theme: theme} }

// buildCmd adds build's flags to fl and returns the build, to run once they are parsed.
func buildCmd(ctx context.Context, fl *flag.FlagSet, src *string, stdout, stderr io.Writer) func() error {
	var opts generator.Options
	out := fl.String("out", "", "output folder (default: SRC/public)")
	fl.StringVar(&opts.BaseURL, "base-url", "", "base URL, e.g. https://user.github.io/guide/")
	fl.BoolVar(&opts.Drafts, "drafts", false, "include drafts, future and expired pages")
	noCache := fl.Bool("no-cache", false, "highlight every code block again instead of reusing the last build's")
	fl.DurationVar(&opts.RenderTimeout, "render-timeout", 0, "time limit of one page's render (default: site.toml's renderTimeout, else 10s)")
	fl.BoolVar(&opts.NoSearchIndex, "no-search-index", false, "leave out the search index, to measure what it adds (the pages' search finds nothing)")
	return func() error {
		if *out == "" {
			*out = filepath.Join(*src, "public")
		}
		if err := generator.CheckOutDir(*src, *out); err != nil { // before the build, not after it
			return err
		}
		if !*noCache {
			opts.CacheDir = generator.SiteCacheDir(*src)
		}
		start, files := time.Now(), 0
		stopProgress := generator.ShowProgress(stderr, &opts)
		site, err := generator.Load(ctx, source(*src), opts)
		if err == nil {
			if err := site.SaveAndReleaseCache(); err != nil {
				fmt.Fprintln(stderr, "rahnuma: warning: highlight cache not saved:", err)
			}
			files, err = site.WriteDir(ctx, *out) // renders straight to disk: no whole site in memory
		}
		stopProgress()
		if site != nil {
			generator.Report(stderr, *src, site.Problems().Warnings())
		}
		if err == nil {
			fmt.Fprintf(stdout, "built %d pages, %d files in %s → %s\n", len(site.Pages()), files, time.Since(start).Round(time.Millisecond), *out)
		}
		return err
	}
}
