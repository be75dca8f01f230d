package generator

import (
	"context"
	"sync"
)

// Lookup renders the single file at an output path ("tax/x/index.html", "css/site.1a2b.css"),
// on request, from the in-memory model. It is what the dev server serves: the cost of a request
// is the cost of that one file, whatever the size of the site. ok is false for no such file.
// It answers exactly the paths a build writes (the output registry), with the same bytes.
func (s *Site) Lookup(outPath string) (body []byte, ok bool, err error) {
	return s.LookupContext(context.Background(), outPath)
}

// LookupContext is Lookup that stops rendering a page when ctx is done (the request ended):
// the error is then ctx's, not a problem of the site.
func (s *Site) LookupContext(ctx context.Context, outPath string) (body []byte, ok bool, err error) {
	pr := s.outputs.lookup(outPath)
	switch {
	case pr == nil:
		return nil, false, nil
	case pr.kind == outPage:
		b, err := s.renderPage(ctx, s.byURL[pr.key])
		return b, err == nil, err
	case pr.kind == outSitemap, pr.kind == outFeed, pr.kind == outRobots, pr.kind == outSearch:
		// Made from the whole site (the search index above all): once per version.
		s.extraOnce.Do(func() { s.extra, s.extraErr = s.extraFiles() })
		if b, ok := s.extra[outPath]; ok {
			return b, true, nil
		}
		return nil, false, s.extraErr
	}
	b, err := s.produce(pr)
	return b, err == nil, err
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
