package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"time"
)

// CacheDays is how long the highlight cache of a site not built meanwhile is kept.
const CacheDays = 30

// userCacheDir is where builds keep highlighted code between runs ("" disables it):
// $RAHNUMA_CACHE, else rahnuma/ in the user's cache folder.
func userCacheDir() string {
	if d := os.Getenv("RAHNUMA_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "rahnuma")
}

// SiteCacheDir is the highlight cache folder (Options.CacheDir) of the site in folder src: one
// per site, since a cache keeps only what its site's last build used (two sites sharing one
// would each evict the other's code). Caches of sites not built for CacheDays are removed on
// the way. It returns "" when there is no cache folder.
func SiteCacheDir(src string) string {
	base := userCacheDir()
	abs, err := filepath.Abs(src)
	if base == "" || err != nil {
		return ""
	}
	os.Remove(filepath.Join(base, highlightCache)) // the one shared cache of earlier versions
	sites := filepath.Join(base, "sites")
	if es, err := os.ReadDir(sites); err == nil {
		for _, e := range es {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > CacheDays*24*time.Hour {
				os.RemoveAll(filepath.Join(sites, e.Name()))
			}
		}
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(sites, hex.EncodeToString(sum[:8]))
}

// SaveAndReleaseCache saves the highlight cache (SaveCache), then frees its memory
// (ReleaseCache). A one-shot build calls it between Load and WriteDir: the pages are converted,
// so the cache is complete, and its memory is not held while the site renders (the build's
// peak). The cache is freed even when saving fails; the error is only a warning.
func (s *Site) SaveAndReleaseCache() error {
	defer s.ReleaseCache()
	return s.SaveCache()
}
