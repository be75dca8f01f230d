package generator

import (
	"context"
	"io/fs"
	"strings"
	"sync"
)

// Lookup renders the single file at an output path ("tax/x/index.html", "css/site.1a2b.css"),
// on request, from the in-memory model. It is what the dev server serves: the cost of a request
// is the cost of that one file, whatever the size of the site. ok is false for no such file.
func (s *Site) Lookup(outPath string) (body []byte, ok bool, err error) {
	return s.LookupContext(context.Background(), outPath)
}

// LookupContext is Lookup that stops rendering a page when ctx is done (the request ended):
// the error is then ctx's, not a problem of the site.
func (s *Site) LookupContext(ctx context.Context, outPath string) (body []byte, ok bool, err error) {
	if p := s.byURL["/"+strings.TrimSuffix(outPath, "index.html")]; p != nil && outputPath(p.URL) == outPath {
		b, err := s.renderPage(ctx, p)
		return b, err == nil, err
	}
	if p := s.byURL["/"+outPath]; p != nil && outputPath(p.URL) == outPath { // e.g. /404.html
		b, err := s.renderPage(ctx, p)
		return b, err == nil, err
	}
	for _, a := range s.theme.assets {
		if a.Path == outPath {
			return a.Body, true, nil
		}
	}
	for _, f := range s.static {
		if strings.TrimPrefix(f.url, "/") == outPath {
			b, err := fs.ReadFile(s.src.Site, f.file)
			return b, err == nil, err
		}
	}
	if p := s.aliases["/"+strings.TrimSuffix(outPath, "index.html")]; p != nil {
		return aliasPage(p.Permalink), true, nil
	}
	s.extraOnce.Do(func() { s.extra, s.extraErr = s.extraFiles() })
	if b, ok := s.extra[outPath]; ok {
		return b, true, nil
	}
	if s.extraErr != nil && (strings.HasPrefix(outPath, "search/") || strings.HasSuffix(outPath, ".xml")) {
		return nil, false, s.extraErr
	}
	return nil, false, nil
}

// AssetByName returns a processed theme asset ("js/livereload.js"), including serve-only ones.
func (s *Site) AssetByName(name string) *Asset { return s.theme.assets[name] }

// lazy holds outputs computed at most once per Site, on first request.
type lazy struct {
	extraOnce sync.Once
	extra     map[string][]byte
	extraErr  error
	partials  sync.Map // partialKey → template.HTML, for partialCached
}

type partialKey struct {
	name string
	key  any
}
