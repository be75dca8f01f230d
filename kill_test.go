package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"rahnuma/generator"
)

// TestMain lets the test binary act as the rahnuma command, so tests can run and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("RAHNUMA_AS_MAIN") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // as main does
		code := run(ctx, os.Args[1:], io.Discard, os.Stderr)
		stop()
		os.Exit(code)
	}
	// Builds in tests keep their highlight cache to themselves, not in the user's cache folder.
	cache, err := os.MkdirTemp("", "rahnuma-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("RAHNUMA_CACHE", cache)
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}

func writeSite(t *testing.T, dir, word string, pages int) {
	t.Helper()
	for i := range pages {
		p := filepath.Join(dir, "content", fmt.Sprintf("s%02d", i%10), fmt.Sprintf("p%04d.md", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		body := fmt.Sprintf("---\ntitle: Page %d %s\n---\n## Part\n\n%s\n", i, word, strings.Repeat(word+" text. ", 40))
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// buildProcess is `rahnuma build` as a real process (the test binary, acting as main).
func buildProcess(src, out string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "build", "--src", src, "--out", out)
	cmd.Env = append(os.Environ(), "RAHNUMA_AS_MAIN=1")
	return cmd
}

// runBuild runs a build that must succeed and says how long it took.
func runBuild(t *testing.T, src, out string) time.Duration {
	t.Helper()
	start := time.Now()
	if b, err := buildProcess(src, out).CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	return time.Since(start)
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestKilledBuildLeavesOldOrNewSite SIGKILLs real builds at random moments: public/ is always
// exactly the old site or exactly the new one, and the next build leaves no temporary folder.
func TestKilledBuildLeavesOldOrNewSite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs builds in a subprocess")
	}
	root := t.TempDir()
	oldSrc, newSrc := filepath.Join(root, "old"), filepath.Join(root, "new")
	writeSite(t, oldSrc, "oldword", 600)
	writeSite(t, newSrc, "newword", 600)
	pub := filepath.Join(root, "site", "public")
	runBuild(t, newSrc, filepath.Join(root, "ref"))
	want := map[string]map[string]string{"new": snapshot(t, filepath.Join(root, "ref"))}
	took := runBuild(t, oldSrc, pub)
	want["old"] = snapshot(t, pub)
	rng := rand.New(rand.NewPCG(1, 2))
	sawOld, sawNew := false, false
	for i := range 6 {
		cmd := buildProcess(newSrc, pub)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(took)*5/4 + 1)))
		cmd.Process.Kill()
		cmd.Wait()
		got := snapshot(t, pub)
		switch {
		case equalTrees(got, want["old"]):
			sawOld = true
		case equalTrees(got, want["new"]):
			sawNew = true
			// Start over from the old site so later kills can land mid-build again.
			runBuild(t, oldSrc, pub)
		default:
			t.Fatalf("kill %d: public/ is neither the old nor the new site (%d files)", i, len(got))
		}
	}
	t.Logf("kills that left the old site: %v, the new one: %v", sawOld, sawNew)
	runBuild(t, newSrc, pub)
	if !equalTrees(snapshot(t, pub), want["new"]) {
		t.Fatal("final build is not the new site")
	}
	if m, _ := filepath.Glob(filepath.Join(root, "site", ".rahnuma-tmp-*")); len(m) > 0 {
		t.Errorf("temporary folders left after a successful build: %v", m)
	}
}

// TestFailedBuildKeepsPublic: a build with errors exits 1, names the problem and leaves public/.
func TestFailedBuildKeepsPublic(t *testing.T) {
	root := t.TempDir()
	writeSite(t, root, "good", 3)
	pub := filepath.Join(root, "public")
	var out, errb strings.Builder
	if code := run(context.Background(), []string{"build", "--src", root}, &out, &errb); code != 0 {
		t.Fatalf("good build failed: %s", errb.String())
	}
	before := snapshot(t, pub)
	os.WriteFile(filepath.Join(root, "content", "s00", "p0000.md"), []byte("---\ntitle: [unclosed\n---\n"), 0o644)
	os.WriteFile(filepath.Join(root, "content", "s01", "p0001.md"), []byte("---\ndtae: 2025-01-01\n---\n"), 0o644)
	errb.Reset()
	if code := run(context.Background(), []string{"build", "--src", root}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	msg := errb.String()
	for _, want := range []string{
		filepath.ToSlash(filepath.Join(root, "content/s00/p0000.md")) + ":2: front matter:",
		filepath.ToSlash(filepath.Join(root, "content/s01/p0001.md")) + `:2: front matter: unknown key "dtae" (did you mean "date"?)`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("output lacks %q:\n%s", want, msg)
		}
	}
	if !equalTrees(snapshot(t, pub), before) {
		t.Error("a failed build changed public/")
	}
}

// TestNewPage: `new` writes a page with its front matter filled in, into the default language's
// folder when the site has language folders, and refuses paths outside content/.
func TestNewPage(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.MkdirAll(filepath.Join("content", "en"), 0o755)
	var out strings.Builder
	if code := run(context.Background(), []string{"new", "tax/some-change.md"}, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	b, err := os.ReadFile(filepath.Join("content", "en", "tax", "some-change.md"))
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().Format("2006-01-02")
	for _, want := range []string{`title: "Some change"`, "reviewed: " + today, "sources: []"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("new page lacks %q:\n%s", want, b)
		}
	}
	if code := run(context.Background(), []string{"new", "tax/some-change.md"}, &out, &out); code == 0 {
		t.Error("new overwrote an existing page")
	}
	for _, bad := range []string{"../escape.md", "/abs.md", "tax/not-markdown.txt"} {
		if code := run(context.Background(), []string{"new", bad}, &out, &out); code == 0 {
			t.Errorf("new %s: accepted", bad)
		}
	}
	// The new page is a draft, so the site still builds and check lists it.
	out.Reset()
	if code := run(context.Background(), []string{"check"}, &out, &out); code != 0 || !strings.Contains(out.String(), "not published") {
		t.Errorf("check after new: exit %d\n%s", code, out.String())
	}
}

// TestBuildSavesHighlightCache: build saves the highlighted code of the pages it converted
// (before it lets the cache's memory go), and a rebuild with the cache gives the same site.
func TestBuildSavesHighlightCache(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	t.Setenv("RAHNUMA_CACHE", cache)
	page := filepath.Join(dir, "content", "code.md")
	os.MkdirAll(filepath.Dir(page), 0o755)
	if err := os.WriteFile(page, []byte("---\ntitle: Code\n---\n```go\nfunc main() {}\n```\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var trees []map[string]string
	for range 2 {
		out := filepath.Join(dir, "public")
		var stderr bytes.Buffer
		if code := run(context.Background(), []string{"build", "--src", dir, "--out", out}, io.Discard, &stderr); code != 0 {
			t.Fatalf("build: %s", stderr.String())
		}
		saved, err := os.ReadFile(filepath.Join(generator.SiteCacheDir(dir), "highlights.gob"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(saved, []byte(`class="kd"`)) {
			t.Errorf("the saved cache does not hold the page's highlighted code (%d bytes)", len(saved))
		}
		trees = append(trees, snapshot(t, out))
	}
	if !equalTrees(trees[0], trees[1]) {
		t.Error("the rebuild with the cache differs from the first build")
	}
}

// TestSitesKeepTheirOwnCache: building one site does not evict another's highlighted code
// (each site has its own cache), and caches of sites not built for a month are removed.
func TestSitesKeepTheirOwnCache(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RAHNUMA_CACHE", filepath.Join(dir, "cache"))
	forgotten := filepath.Join(dir, "cache", "sites", "0123456789abcdef")
	os.MkdirAll(forgotten, 0o755)
	old := time.Now().Add(-(generator.CacheDays + 1) * 24 * time.Hour)
	os.Chtimes(forgotten, old, old)
	sites := map[string]string{"a": "func alpha() {}", "b": "func beta() {}"}
	for _, name := range []string{"a", "b"} {
		src := filepath.Join(dir, name)
		os.MkdirAll(filepath.Join(src, "content"), 0o755)
		os.WriteFile(filepath.Join(src, "content", "code.md"), []byte("---\ntitle: Code\n---\n```go\n"+sites[name]+"\n```\n"), 0o644)
		var stderr bytes.Buffer
		if code := run(context.Background(), []string{"build", "--src", src}, io.Discard, &stderr); code != 0 {
			t.Fatalf("build %s: %s", name, stderr.String())
		}
	}
	for name, code := range sites {
		saved, err := os.ReadFile(filepath.Join(generator.SiteCacheDir(filepath.Join(dir, name)), "highlights.gob"))
		if err != nil {
			t.Fatal(err)
		}
		if fn := strings.Fields(code)[1]; !bytes.Contains(saved, []byte(strings.TrimSuffix(fn, "()"))) {
			t.Errorf("site %s: its cache lost its code after the other site was built", name)
		}
	}
	if _, err := os.Stat(forgotten); err == nil {
		t.Error("the cache of a site not built for a month is still there")
	}
}

// TestConcurrentBuildsIntoOneFolder runs a good build and a failing one (a layout that fails
// on every page, so it fails while writing) into one folder at once, several times: a build
// that exits 0 has left exactly its site, whatever ran beside it; one that does not has left
// the folder as it was; and no temporary folder survives.
func TestConcurrentBuildsIntoOneFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs builds in a subprocess")
	}
	root := t.TempDir()
	oldSrc, goodSrc, badSrc := filepath.Join(root, "old"), filepath.Join(root, "good"), filepath.Join(root, "bad")
	writeSite(t, oldSrc, "oldword", 300)
	writeSite(t, goodSrc, "newword", 300)
	writeSite(t, badSrc, "badword", 300)
	os.MkdirAll(filepath.Join(badSrc, "layouts"), 0o755)
	os.WriteFile(filepath.Join(badSrc, "layouts", "page.html"), []byte(`{{define "main"}}{{slice "abc" 5}}{{end}}`), 0o644)
	command := func(src, out string) (*exec.Cmd, *bytes.Buffer) {
		cmd := buildProcess(src, out)
		var b bytes.Buffer
		cmd.Stdout, cmd.Stderr = &b, &b
		return cmd, &b
	}
	build := func(src, out string) {
		t.Helper()
		cmd, b := command(src, out)
		if err := cmd.Run(); err != nil {
			t.Fatalf("build: %v\n%s", err, b)
		}
	}
	pub := filepath.Join(root, "site", "public")
	build(goodSrc, filepath.Join(root, "ref"))
	want := snapshot(t, filepath.Join(root, "ref"))
	build(oldSrc, pub)
	old := snapshot(t, pub)
	locked := 0
	for round := range 4 {
		before := snapshot(t, pub)
		good, goodOut := command(goodSrc, pub)
		bad, badOut := command(badSrc, pub)
		first, second := good, bad
		if round%2 == 1 {
			first, second = bad, good
		}
		if err := first.Start(); err != nil {
			t.Fatal(err)
		}
		if err := second.Start(); err != nil {
			t.Fatal(err)
		}
		badErr, goodErr := bad.Wait(), good.Wait()
		if badErr == nil {
			t.Fatalf("round %d: the failing build exited 0:\n%s", round, badOut)
		}
		got := snapshot(t, pub)
		if goodErr == nil {
			if !equalTrees(got, want) {
				t.Fatalf("round %d: the good build exited 0 but public/ is not its site (%d files, want %d)", round, len(got), len(want))
			}
		} else {
			if !strings.Contains(goodOut.String(), "another build is writing") {
				t.Fatalf("round %d: the good build failed: %v\n%s", round, goodErr, goodOut)
			}
			locked++
			if !equalTrees(got, before) {
				t.Fatalf("round %d: both builds failed and public/ changed", round)
			}
		}
		if strings.Contains(badOut.String(), "another build is writing") {
			locked++
		}
		if m, _ := filepath.Glob(filepath.Join(root, "site", ".rahnuma-tmp-*")); len(m) > 0 {
			t.Fatalf("round %d: temporary folders left: %v", round, m)
		}
		build(oldSrc, pub)
		if !equalTrees(snapshot(t, pub), old) {
			t.Fatalf("round %d: the old site did not come back", round)
		}
	}
	t.Logf("builds turned away by the lock: %d of 8", locked)
}

// TestBuildRefusesOutFolders: build refuses, before it builds anything, an output folder that
// is not its own, however often it runs, and changes nothing in it.
func TestBuildRefusesOutFolders(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "site")
	writeSite(t, src, "word", 3)
	docs := filepath.Join(root, "Documents")
	os.MkdirAll(filepath.Join(docs, "taxes"), 0o755)
	os.WriteFile(filepath.Join(docs, "taxes", "2025.txt"), []byte("mine"), 0o644)
	file := filepath.Join(root, "notes.txt")
	os.WriteFile(file, []byte("mine"), 0o644)
	for _, c := range []struct{ out, want string }{
		{docs, "not a Rahnuma output"},
		{src, "is the site's source folder"},
		{filepath.Join(src, "content"), "is the site's content/ folder"},
		{root, "holds the site's source folder"},
		{file, "not a folder"},
	} {
		before := snapshot(t, root)
		for range 2 {
			var stderr strings.Builder
			code := run(context.Background(), []string{"build", "--src", src, "--out", c.out}, io.Discard, &stderr)
			if code != 1 || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("--out %s: exit %d, %q; want exit 1 saying %q", c.out, code, stderr.String(), c.want)
			}
		}
		if !equalTrees(snapshot(t, root), before) {
			t.Errorf("--out %s: files changed", c.out)
		}
	}
}

// TestInterruptedBuildCleansUp sends SIGINT or SIGTERM to real builds at random moments: the
// build stops, public/ is exactly the old site or the new one, and no temporary folder is left
// (without another build to clear it).
func TestInterruptedBuildCleansUp(t *testing.T) {
	if testing.Short() || runtime.GOOS == "windows" {
		t.Skip("sends signals to builds in a subprocess")
	}
	root := t.TempDir()
	oldSrc, newSrc := filepath.Join(root, "old"), filepath.Join(root, "new")
	writeSite(t, oldSrc, "oldword", 400)
	writeSite(t, newSrc, "newword", 400)
	pub := filepath.Join(root, "site", "public")
	runBuild(t, newSrc, filepath.Join(root, "ref"))
	want := snapshot(t, filepath.Join(root, "ref"))
	took := runBuild(t, oldSrc, pub)
	old := snapshot(t, pub)
	rng := rand.New(rand.NewPCG(3, 4))
	stopped := 0
	for i := range 4 {
		cmd := buildProcess(newSrc, pub)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(took/4 + time.Duration(rng.Int64N(int64(took)*3/4)))
		sig := []os.Signal{os.Interrupt, syscall.SIGTERM}[i%2]
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		got := snapshot(t, pub)
		switch {
		case err != nil && equalTrees(got, old):
			stopped++
		case equalTrees(got, want):
			runBuild(t, oldSrc, pub)
		default:
			t.Fatalf("%v %d: exit %v, public/ is neither the old site nor the new one (%d files)", sig, i, err, len(got))
		}
		if m, _ := filepath.Glob(filepath.Join(root, "site", ".rahnuma-tmp-*")); len(m) > 0 {
			t.Fatalf("%v %d: temporary folders left: %v", sig, i, m)
		}
	}
	t.Logf("builds stopped before the swap: %d of 4", stopped)
}
