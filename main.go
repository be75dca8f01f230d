// Command rahnuma builds, previews and checks a static guidance site.
//
//	rahnuma build [--src DIR] [--out DIR] [--base-url URL] [--drafts]
//	rahnuma serve [--src DIR] [--addr 127.0.0.1:1313] [--drafts] [--allow-host NAME]
//	rahnuma check [--src DIR] [--strict]
//	rahnuma new PATH
//	rahnuma version
//
// With no arguments it builds the site in the current folder into public/.
package main

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "build"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "build":
		err = buildCmd(ctx, args, stdout, stderr)
	case "serve":
		err = serveCmd(ctx, args, stdout, stderr)
	case "check":
		err = checkCmd(ctx, args, stdout, stderr)
	case "new":
		err = newCmd(args, stdout)
	case "version":
		fmt.Fprint(stdout, version.Get())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "rahnuma: unknown command %q\n%s", cmd, usage)
		return 2
	}
	if err == nil {
		return 0
	}
	if !errors.Is(err, errReported) {
		fmt.Fprintln(stderr, "rahnuma:", err)
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

const usage = `usage:
  rahnuma build [--src DIR] [--out DIR] [--base-url URL] [--drafts]
  rahnuma serve [--src DIR] [--addr 127.0.0.1:1313] [--drafts] [--allow-host NAME]
  rahnuma check [--src DIR] [--strict]
  rahnuma new PATH          (e.g. tax/some-change.md, or ur/tax/some-change.md)
  rahnuma version
`

// cacheDir is where builds keep highlighted code between runs ("" disables it).
func cacheDir() string {
	if d := os.Getenv("RAHNUMA_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "rahnuma")
}

// siteCacheDir is the cache folder of the site in src, inside cacheDir: one per site, since a
// cache keeps only what its site's last build used (two sites sharing one would each evict
// the other's code). Folders of sites not built for cacheDays are removed on the way.
func siteCacheDir(src string) string {
	base := cacheDir()
	abs, err := filepath.Abs(src)
	if base == "" || err != nil {
		return ""
	}
	os.Remove(filepath.Join(base, "highlights.gob")) // the one cache of earlier versions
	sites := filepath.Join(base, "sites")
	if es, err := os.ReadDir(sites); err == nil {
		for _, e := range es {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > cacheDays*24*time.Hour {
				os.RemoveAll(filepath.Join(sites, e.Name()))
			}
		}
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(sites, hex.EncodeToString(sum[:8]))
}

const cacheDays = 30

// errReported means the problems were already printed.
var errReported = errors.New("reported")

func source(dir string) generator.Source {
	themeFS, _ := fs.Sub(theme, ".")
	return generator.Source{Site: os.DirFS(dir), Theme: themeFS}
}

// report prints problems with paths relative to where the user ran the command.
func report(w io.Writer, src string, list generator.ErrorList) {
	for _, e := range list {
		c := *e
		// Site files are named from where the user stands; embedded theme files keep their name.
		if c.File != "" && src != "." && fileExists(filepath.Join(src, c.File)) {
			c.File = filepath.ToSlash(filepath.Join(src, c.File))
		}
		fmt.Fprintln(w, c.Error())
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func printErr(w io.Writer, src string, err error) error {
	var list generator.ErrorList
	if errors.As(err, &list) {
		report(w, src, list)
		fmt.Fprintf(w, "%d problem(s)\n", len(list.Errors()))
		return errReported
	}
	return err
}

func buildCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("build", flag.ContinueOnError)
	fl.SetOutput(stderr)
	src := fl.String("src", ".", "site folder (holds content/)")
	out := fl.String("out", "", "output folder (default: SRC/public)")
	base := fl.String("base-url", "", "base URL, e.g. https://user.github.io/guide/")
	drafts := fl.Bool("drafts", false, "include drafts, future and expired pages")
	noCache := fl.Bool("no-cache", false, "highlight every code block again instead of reusing the last build's")
	renderTimeout := fl.Duration("render-timeout", 0, "time limit of one page's render (default: site.toml's renderTimeout, else 10s)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(*src, "public")
	}
	if err := generator.CheckOutDir(*src, *out); err != nil { // before the build, not after it
		return err
	}
	start := time.Now()
	var done, total atomic.Int64
	opts := generator.Options{BaseURL: *base, Drafts: *drafts, RenderTimeout: *renderTimeout, Progress: func(d, t int) {
		done.Store(int64(d))
		total.Store(int64(t))
	}}
	if !*noCache {
		opts.CacheDir = siteCacheDir(*src)
	}
	stopProgress := progress(stderr, &done, &total)
	files := 0
	site, err := generator.Load(ctx, source(*src), opts)
	if err == nil {
		// The pages are converted: the highlight cache is complete. Saved now, its memory
		// is not held while the site renders (the build's peak).
		if err := site.SaveCache(); err != nil {
			fmt.Fprintln(stderr, "rahnuma: warning: highlight cache not saved:", err)
		}
		site.ReleaseCache()
		files, err = site.WriteDir(ctx, *out) // renders straight to disk: no whole site in memory
	}
	stopProgress()
	if site != nil {
		report(stderr, *src, site.Problems().Warnings())
	}
	if err != nil {
		return printErr(stderr, *src, err)
	}
	fmt.Fprintf(stdout, "built %d pages, %d files in %s → %s\n", len(site.Pages()), files, time.Since(start).Round(time.Millisecond), *out)
	return nil
}

// progress shows a progress line on a terminal for builds that take longer than a second.
func progress(w io.Writer, done, total *atomic.Int64) (stop func()) {
	f, ok := w.(*os.File)
	if !ok {
		return func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-quit:
			return
		case <-time.After(time.Second):
		}
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			fmt.Fprintf(w, "\rrendering %d/%d pages", done.Load(), total.Load())
			select {
			case <-quit:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(quit); <-finished }
}

func checkCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	src := fl.String("src", ".", "site folder")
	strict := fl.Bool("strict", false, "treat overdue reviews as errors")
	if err := fl.Parse(args); err != nil {
		return err
	}
	site, err := generator.Load(ctx, source(*src), generator.Options{})
	if err != nil {
		return printErr(stdout, *src, err)
	}
	problems := site.Check(generator.CheckOptions{Strict: *strict})
	report(stdout, *src, problems)
	errs := len(problems.Errors())
	fmt.Fprintf(stdout, "checked %d pages: %d error(s), %d warning(s)\n", len(site.Pages()), errs, len(problems.Warnings()))
	if errs > 0 {
		return errReported
	}
	return nil
}

func newCmd(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: rahnuma new PATH (relative to content/, e.g. tax/some-change.md)")
	}
	rel := filepath.ToSlash(filepath.Clean(args[0]))
	rel = strings.TrimPrefix(rel, "content/")
	if !filepath.IsLocal(rel) || !strings.HasSuffix(rel, ".md") {
		return fmt.Errorf("new: %q must be a .md path inside content/", args[0])
	}
	dest := filepath.Join("content", filepath.FromSlash(rel))
	if _, err := os.Stat(filepath.Join("content", "en")); err == nil && !hasLangDir(rel) {
		dest = filepath.Join("content", "en", filepath.FromSlash(rel))
	}
	data := generator.NewPage(rel, time.Now())
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("new: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "created", filepath.ToSlash(dest))
	return nil
}

func hasLangDir(rel string) bool {
	first, _, _ := strings.Cut(rel, "/")
	return len(first) == 2 && first != rel
}

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	src := fl.String("src", ".", "site folder")
	addr := fl.String("addr", "127.0.0.1:1313", "address to listen on")
	drafts := fl.Bool("drafts", true, "show drafts, future and expired pages (with a badge)")
	var hosts multiFlag
	fl.Var(&hosts, "allow-host", "extra Host header value to accept (repeatable)")
	renderTimeout := fl.Duration("render-timeout", 0, "time limit of one page's render (default: site.toml's renderTimeout, else 10s)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	return serve.Run(ctx, serve.Config{
		Dir: *src, Source: source(*src), Addr: *addr, Drafts: *drafts, AllowHosts: hosts, CacheDir: siteCacheDir(*src),
		Stdout: stdout, Stderr: stderr, RenderTimeout: *renderTimeout,
	})
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
