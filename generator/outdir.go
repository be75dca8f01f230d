package generator

import (
	"fmt"
	"os"
	"path/filepath"
)

// SourceFolders are the folders of a site's source a build reads; an output folder may not be,
// hold or lie inside any of them, nor be or hold the source folder itself.
var SourceFolders = []string{"content", "layouts", "assets", "i18n", "static"}

// CheckOutDir refuses, before anything is built, an output folder a build must not replace:
// the file-system root, the user's home folder or one holding it, the source folder src or
// one holding it, one of its SourceFolders or a folder inside one, and any folder that is
// neither new, empty, nor an earlier Rahnuma output. Any other folder inside src (the
// default public/, or docs/) is fine. A symbolic link is judged by the folder it names.
func CheckOutDir(src, out string) error {
	target, err := resolveOut(out)
	if err != nil {
		return err
	}
	if filepath.Dir(target) == target {
		return refuse(out, "is the root of the file system")
	}
	srcAbs, err := filepath.Abs(src)
	if err != nil {
		return err
	}
	type guarded struct {
		path, what string
		inside     bool // whether an output inside it is refused too
	}
	var gs []guarded
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		gs = append(gs, guarded{home, "your home folder", false})
	}
	gs = append(gs, guarded{srcAbs, "the site's source folder", false})
	for _, d := range SourceFolders {
		gs = append(gs, guarded{filepath.Join(srcAbs, d), "the site's " + d + "/ folder", true})
	}
	for _, g := range gs {
		switch {
		case samePath(target, g.path):
			return refuse(out, "is "+g.what)
		case within(g.path, target):
			return refuse(out, "holds "+g.what)
		case g.inside && within(target, g.path):
			return refuse(out, "lies inside "+g.what)
		}
	}
	return checkOwned(target)
}

func refuse(out, why string) error {
	return fmt.Errorf("output: --out %s %s: a build replaces its output folder whole, so it must be a folder of its own (the default is public/ in the site's folder)", out, why)
}

// within reports whether p lies strictly inside folder dir: some folder above p is dir. Folders
// that exist are compared as files (which sees through links and letter case where the file
// system ignores it); others by name.
func within(p, dir string) bool {
	for up := filepath.Dir(p); up != p; p, up = up, filepath.Dir(up) {
		if samePath(up, dir) {
			return true
		}
	}
	return false
}

func samePath(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	return filepath.Clean(a) == filepath.Clean(b)
}
