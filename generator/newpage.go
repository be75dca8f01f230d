package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// CreatePage writes a new draft page (NewPage) for `rahnuma new` into the site in folder
// siteDir and returns its site-relative path. rel is relative to content/ ("content/" in front
// is dropped). A path that does not start with one of site.toml's language folders goes into
// the default language's folder when the site has one, else into content/ (where pages are in
// the default language). An existing file is never overwritten.
func CreatePage(siteDir, rel string, now time.Time) (string, error) {
	clean := strings.TrimPrefix(filepath.ToSlash(filepath.Clean(rel)), "content/")
	if !filepath.IsLocal(filepath.FromSlash(clean)) || !strings.HasSuffix(clean, ".md") {
		return "", fmt.Errorf("new: %q must be a .md path inside content/", rel)
	}
	data, err := os.ReadFile(filepath.Join(siteDir, configFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", &Error{File: configFile, Msg: err.Error()}
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return "", asList(err)
	}
	dest := path.Join("content", clean)
	first, _, nested := strings.Cut(clean, "/")
	if _, isLang := cfg.Languages[first]; !nested || !isLang {
		if st, err := os.Stat(filepath.Join(siteDir, "content", cfg.DefaultLanguage)); err == nil && st.IsDir() {
			dest = path.Join("content", cfg.DefaultLanguage, clean)
		}
	}
	file := filepath.Join(siteDir, filepath.FromSlash(dest))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("new: %w", err)
	}
	if _, err := f.Write(NewPage(clean, now)); err != nil {
		f.Close()
		os.Remove(file) // ours: created just now
		return "", err
	}
	return dest, f.Close()
}
