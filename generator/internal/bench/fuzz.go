package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"
)

// fuzzTargets are every fuzz target of the project, by package.
var fuzzTargets = []struct{ pkg, name string }{
	{"./generator", "FuzzFrontMatter"},
	{"./generator", "FuzzURLPath"},
	{"./generator", "FuzzBaseURL"},
	{"./generator", "FuzzLinkURL"},
	{"./generator/markdown", "FuzzConvert"},
	{"./generator/markdown", "FuzzCountWords"},
	{"./generator/search", "FuzzTerms"},
	{"./generator/search", "FuzzQuery"},
	{"./generator/search", "FuzzChunkJSON"},
	{"./generator/search", "FuzzSnippet"},
	{"./generator/search", "FuzzSegmentASCII"},
	{"./generator/search", "FuzzKey"},
	{"./generator/serve", "FuzzRequestPath"},
}

var fuzzExecs = regexp.MustCompile(`execs: (\d+)`)

// runFuzz runs each fuzz target for -fuzztime and reports executions and findings. A crasher
// stays in the package's testdata/fuzz/, where every later `go test` runs it again.
func runFuzz(ctx context.Context, cfg config) error {
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(cfg.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "target\tpackage\ttime\texecutions\tresult\n")
	failed := 0
	for _, t := range fuzzTargets {
		before := corpusFiles(filepath.Join(root, t.pkg, "testdata", "fuzz", t.name))
		cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-fuzz", "^"+t.name+"$", "-fuzztime", cfg.fuzztime.String(), t.pkg)
		cmd.Dir = root
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		runErr := cmd.Run()
		took := time.Since(start).Round(time.Second)
		execs := "-"
		if m := fuzzExecs.FindAllStringSubmatch(out.String(), -1); m != nil {
			execs = m[len(m)-1][1]
		}
		result := "no failure"
		if runErr != nil {
			failed++
			result = "FAILED: " + firstFailure(out.String())
			if added := corpusFiles(filepath.Join(root, t.pkg, "testdata", "fuzz", t.name)) - before; added > 0 {
				result += fmt.Sprintf(" (%d new seed file(s) kept in testdata/fuzz/%s)", added, t.name)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.name, t.pkg, took, execs, result)
	}
	tw.Flush()
	if failed > 0 {
		return fmt.Errorf("%d fuzz target(s) found a failure", failed)
	}
	return nil
}

func corpusFiles(dir string) int {
	entries, _ := os.ReadDir(dir)
	return len(entries)
}

func firstFailure(out string) string {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); strings.Contains(l, "_test.go:") || strings.HasPrefix(l, "panic:") {
			return l
		}
	}
	return "see go test output"
}
