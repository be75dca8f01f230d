package main

import (
	"bytes"
	"context"
	"embed"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// hugoSite is a Hugo site (hugo.toml, layouts/, assets/) with layouts
// equivalent to Rahnuma's theme: nav with the section tree, breadcrumbs, TOC,
// prev/next in section, tags, section lists with summaries, taxonomy and term
// pages, and a link render hook that turns links to .md files into page URLs
// as Rahnuma does. It has no content: the benchmark points --contentDir at
// the corpus.
//
//go:embed all:hugo
var hugoSite embed.FS

// writeHugoSite copies the embedded Hugo site into dir.
func writeHugoSite(dir string) error {
	site, err := fs.Sub(hugoSite, "hugo")
	if err != nil {
		return err
	}
	return os.CopyFS(dir, site)
}

// hugoCommand returns the command that builds content with the site in
// siteDir into out.
func hugoCommand(bin, siteDir, content, out string, quiet bool) command {
	args := []string{"-s", siteDir, "--contentDir", content, "-d", out}
	if quiet {
		args = append([]string{"--quiet"}, args...)
	}
	return command{dir: siteDir, name: bin, args: args}
}

// hugoVersion returns the first line of `hugo version`, or "" if the binary
// cannot be run.
func hugoVersion(ctx context.Context, bin string) string {
	if bin == "" {
		return ""
	}
	out, err := exec.CommandContext(ctx, bin, "version").Output()
	if err != nil {
		return ""
	}
	line, _, _ := bytes.Cut(out, []byte("\n"))
	return strings.TrimSpace(string(line))
}

// findHugo resolves the -hugo flag to a runnable file, or "" when there is
// none.
func findHugo(flag string) string {
	if flag == "" {
		return ""
	}
	if p, err := exec.LookPath(flag); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
		return p
	}
	return ""
}
