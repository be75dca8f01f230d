// Command release builds rahnuma's downloadable archives: for each platform, the binary and
// README.md in a .tar.gz (Linux, macOS) or .zip (Windows), and SHA256SUMS over them.
//
//	go run ./generator/internal/release -out dist [-version v1.2.0] [-targets linux/amd64,...]
//
// The same commit gives the same bytes on any machine with the same Go version: binaries are
// built with -trimpath, without cgo or a build id, and archive entries carry the commit's time
// (or SOURCE_DATE_EPOCH), fixed modes and owners, in sorted order.
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// targets are the platforms a release is built for, as GOOS/GOARCH.
var targets = []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"}

func main() {
	out := flag.String("out", "dist", "folder to write the archives and SHA256SUMS to")
	ver := flag.String("version", "", "version the binaries report (default: git describe --tags --always --dirty)")
	only := flag.String("targets", strings.Join(targets, ","), "comma-separated GOOS/GOARCH list")
	flag.Parse()
	root, err := moduleRoot()
	if err == nil {
		var names []string
		names, err = release(root, *out, *ver, strings.Split(*only, ","))
		for _, n := range names {
			fmt.Println(filepath.Join(*out, n))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

// release builds every target into out and writes SHA256SUMS; it returns the files written.
func release(root, out, version string, platforms []string) ([]string, error) {
	if version == "" {
		v, err := git(root, "describe", "--tags", "--always", "--dirty")
		if err != nil {
			return nil, fmt.Errorf("no version: pass -version (git describe: %v)", err)
		}
		version = v
	}
	mtime, err := sourceDate(root)
	if err != nil {
		return nil, err
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "rahnuma-release-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var names []string
	sums := map[string]string{}
	for _, t := range platforms {
		goos, goarch, ok := strings.Cut(strings.TrimSpace(t), "/")
		if !ok || goos == "" || goarch == "" {
			return nil, fmt.Errorf("target %q is not GOOS/GOARCH", t)
		}
		bin, err := build(root, tmp, goos, goarch, version)
		if err != nil {
			return nil, err
		}
		base := fmt.Sprintf("rahnuma_%s_%s_%s", version, goos, goarch)
		exe := "rahnuma"
		if goos == "windows" {
			exe += ".exe"
		}
		files := []file{
			{name: base + "/" + exe, mode: 0o755, data: bin},
			{name: base + "/README.md", mode: 0o644, data: readme},
		}
		var buf bytes.Buffer
		name := base + ".tar.gz"
		if goos == "windows" {
			name = base + ".zip"
			err = writeZip(&buf, files, mtime)
		} else {
			err = writeTarGz(&buf, files, mtime)
		}
		if err != nil {
			return nil, err
		}
		if err := writeFile(filepath.Join(out, name), buf.Bytes()); err != nil {
			return nil, err
		}
		sum := sha256.Sum256(buf.Bytes())
		sums[name] = hex.EncodeToString(sum[:])
		names = append(names, name)
	}
	if err := writeFile(filepath.Join(out, "SHA256SUMS"), sumsFile(sums)); err != nil {
		return nil, err
	}
	return append(names, "SHA256SUMS"), nil
}

// buildVCS is "auto": binaries record the commit (rahnuma version shows it), even where GOFLAGS
// turns that off. Tests set "false": files other tests write in the checkout would make
// vcs.modified differ between two builds.
var buildVCS = "auto"

// build compiles the rahnuma command for one platform and returns the binary.
func build(root, tmp, goos, goarch, version string) ([]byte, error) {
	bin := filepath.Join(tmp, goos+"-"+goarch)
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs="+buildVCS,
		"-ldflags=-s -w -buildid= -X rahnuma/generator/version.Release="+version, "-o", bin, ".")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build %s/%s: %v\n%s", goos, goarch, err, out)
	}
	return os.ReadFile(bin)
}

// sourceDate is the time archive entries carry: SOURCE_DATE_EPOCH when set, else the time of
// the commit being built, so that two builds of one commit agree.
func sourceDate(root string) (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		var err error
		if s, err = git(root, "log", "-1", "--format=%ct"); err != nil {
			return time.Time{}, fmt.Errorf("no date for the archive entries: set SOURCE_DATE_EPOCH (git log: %v)", err)
		}
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: %v", s, err)
	}
	return time.Unix(sec, 0).UTC(), nil
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			return "", errors.New(strings.TrimSpace(string(ee.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run it inside the rahnuma module")
	}
	return filepath.Dir(gomod), nil
}

// file is one archive entry.
type file struct {
	name string // slash-separated
	mode fs.FileMode
	data []byte
}

func sorted(files []file) []file {
	files = slices.Clone(files)
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.name, b.name) })
	return files
}

// writeTarGz writes files as a gzipped tar: entries sorted by name, owned by uid/gid 0 with no
// owner names, dated mtime; the gzip header carries no name and no time.
func writeTarGz(w io.Writer, files []file, mtime time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, f := range sorted(files) {
		hdr := &tar.Header{
			Typeflag: tar.TypeReg, Name: f.name, Size: int64(len(f.data)), Mode: int64(f.mode.Perm()),
			ModTime: mtime, Format: tar.FormatPAX,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(f.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// writeZip writes files as a zip: entries sorted by name, dated mtime (in UTC), with Unix modes.
func writeZip(w io.Writer, files []file, mtime time.Time) error {
	zw := zip.NewWriter(w)
	for _, f := range sorted(files) {
		hdr := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: mtime.UTC()}
		hdr.SetMode(f.mode)
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// sumsFile is SHA256SUMS in the format sha256sum -c reads, sorted by name.
func sumsFile(sums map[string]string) []byte {
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	slices.Sort(names)
	var b bytes.Buffer
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", sums[n], n)
	}
	return b.Bytes()
}

// writeFile replaces name whole: a reader never sees half an archive.
func writeFile(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
