package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var (
	commitTime = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	entries    = []file{
		{name: "rahnuma_v1_linux_amd64/rahnuma", mode: 0o755, data: bytes.Repeat([]byte("binary "), 1000)},
		{name: "rahnuma_v1_linux_amd64/README.md", mode: 0o644, data: []byte("# Rahnuma\n")},
	}
	reversed = []file{entries[1], entries[0]}
)

// Archives depend only on their entries and the given time: not on the order the entries come
// in, the clock, or who runs the build.
func TestArchivesReproducible(t *testing.T) {
	for _, w := range []struct {
		name  string
		write func(io.Writer, []file, time.Time) error
		read  func(t *testing.T, data []byte) []entry
	}{
		{"tar.gz", writeTarGz, readTarGz},
		{"zip", writeZip, readZip},
	} {
		var a, b bytes.Buffer
		if err := w.write(&a, entries, commitTime); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1100 * time.Millisecond) // a clock that leaked in would differ
		if err := w.write(&b, reversed, commitTime); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two writes of the same files differ", w.name)
		}
		got := w.read(t, a.Bytes())
		want := []entry{
			{"rahnuma_v1_linux_amd64/README.md", 0o644, commitTime, "# Rahnuma\n"},
			{"rahnuma_v1_linux_amd64/rahnuma", 0o755, commitTime, string(entries[0].data)},
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, want %d", w.name, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: entry %d = %v %v %v, want %v %v %v", w.name, i, got[i].name, got[i].mode, got[i].mtime, want[i].name, want[i].mode, want[i].mtime)
			}
		}
	}
}

type entry struct {
	name  string
	mode  fs.FileMode
	mtime time.Time
	data  string
}

func readTarGz(t *testing.T, data []byte) []entry {
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !gz.ModTime.IsZero() || gz.Name != "" {
		t.Errorf("gzip header carries %v %q", gz.ModTime, gz.Name)
	}
	tr := tar.NewReader(gz)
	var out []entry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: owner %d/%d %q/%q", h.Name, h.Uid, h.Gid, h.Uname, h.Gname)
		}
		b, _ := io.ReadAll(tr)
		out = append(out, entry{h.Name, fs.FileMode(h.Mode), h.ModTime.UTC(), string(b)})
	}
}

func readZip(t *testing.T, data []byte) []entry {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out = append(out, entry{f.Name, f.Mode().Perm(), f.Modified.UTC(), string(b)})
	}
	return out
}

func TestSumsFile(t *testing.T) {
	got := string(sumsFile(map[string]string{"b.zip": "22", "a.tar.gz": "11"}))
	if want := "11  a.tar.gz\n22  b.zip\n"; got != want {
		t.Errorf("SHA256SUMS = %q, want %q", got, want)
	}
}

// A real release of one platform, twice: the same bytes, sums that sha256sum accepts, and a
// binary that reports the version it was given.
func TestReleaseReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command twice")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1764842400")
	buildVCS = "false"
	defer func() { buildVCS = "auto" }()
	target := runtime.GOOS + "/" + runtime.GOARCH
	a, b := t.TempDir(), t.TempDir()
	for _, out := range []string{a, b} {
		if _, err := release(root, out, "v0.0.0-test", []string{target}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"SHA256SUMS", archiveName(target)} {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two releases of one commit", name)
		}
	}
	if sha, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command(sha, "-c", "SHA256SUMS")
		cmd.Dir = a
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, out)
		}
	}
	// Unpack the binary and ask it its version.
	data, _ := os.ReadFile(filepath.Join(a, archiveName(target)))
	var bin []byte
	var es []entry
	if runtime.GOOS == "windows" {
		es = readZip(t, data)
	} else {
		es = readTarGz(t, data)
	}
	for _, e := range es {
		if strings.HasSuffix(e.name, "/rahnuma") || strings.HasSuffix(e.name, "/rahnuma.exe") {
			bin = []byte(e.data)
		}
	}
	exe := filepath.Join(t.TempDir(), "rahnuma"+map[bool]string{true: ".exe"}[runtime.GOOS == "windows"])
	if err := os.WriteFile(exe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(exe, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "rahnuma v0.0.0-test\n") || !strings.Contains(string(out), target) {
		t.Errorf("rahnuma version printed %q", out)
	}
}

func archiveName(target string) string {
	goos, goarch, _ := strings.Cut(target, "/")
	if goos == "windows" {
		return "rahnuma_v0.0.0-test_" + goos + "_" + goarch + ".zip"
	}
	return "rahnuma_v0.0.0-test_" + goos + "_" + goarch + ".tar.gz"
}
