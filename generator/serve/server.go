// Package serve is the dev server of `rahnuma serve`: an http.Handler over the in-memory site,
// a file watcher that batches events, and live reload over Server-Sent Events.
//
// Nothing is written to disk. The loaded site (a *generator.Site, immutable) sits behind an
// atomic pointer; every request renders its one file from that model with Site.Lookup, so a
// request sees one consistent version of the site and the cost of an edit does not grow with
// the site: a batch of changed files is handed to Site.Reload, which re-reads only those files
// and re-assembles navigation, lists and links from the cached pages; pages are rendered again
// only when the browser asks for them. No dependency tracking is needed for that.
//
// When a reload fails, the last good site keeps being served, the errors (with the source lines
// around them, read from disk) go to every open page as an overlay, and to the terminal once.
// Changes made while the site is broken are kept and re-applied with the next batch, so the
// first good save brings the site fully up to date.
//
// The reload client (assets/js/livereload.js) is an external script injected into HTML
// responses only by this server, so it never reaches build output and works under a strict CSP.
package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"rahnuma/generator"
)

// Config is what `rahnuma serve` was asked to do.
type Config struct {
	Dir        string           // site folder on disk (to watch)
	Source     generator.Source // what to load (site FS + embedded theme)
	Addr       string           // default "127.0.0.1:1313"
	Drafts     bool
	AllowHosts []string // extra Host header names to accept ("name" or "name:port")
	Stdout     io.Writer
	Stderr     io.Writer
	// Debounce is how long the watcher waits for a burst of file events to end; 0 means
	// DefaultDebounce.
	Debounce time.Duration
	// CacheDir keeps highlighted code between runs (generator.Options.CacheDir); "" for none.
	CacheDir string
	// RenderTimeout overrides site.toml's renderTimeout (generator.Options.RenderTimeout).
	RenderTimeout time.Duration
}

// DefaultAddr is where the server listens unless told otherwise.
const DefaultAddr = "127.0.0.1:1313"

// Paths the server answers itself, outside the site.
const (
	prefix       = "/__rahnuma/"
	clientPath   = prefix + "livereload.js"
	eventsPath   = prefix + "events"
	errorsPath   = prefix + "errors"
	clientAsset  = "js/livereload.js"
	overlayLines = 3 // source lines shown on each side of an error's line
)

// Server serves a site from memory and reloads it when its files change.
// It is an http.Handler; use New, then Load, then Watch (or Run for all of it).
type Server struct {
	src    generator.Source
	dir    string
	opts   generator.Options
	addr   string // configured listen address, for Host checks without a connection address
	allow  []string
	stdout io.Writer
	stderr io.Writer
	wait   time.Duration

	cur    atomic.Pointer[snapshot] // nil until the first load finished
	loaded chan struct{}            // closed when cur is first set
	hub    *hub
	csp    string // Content-Security-Policy to send, if any (tests use a strict one)

	reloadMu sync.Mutex // one reload at a time; guards the fields below
	good     *generator.Site
	pending  []string // paths changed since good was loaded, re-applied until a reload succeeds
	count    int      // successful loads
	instance string   // tells versions of different server runs apart

	errMu     sync.Mutex
	loadErrs  []Problem       // why the last reload failed; nil when it succeeded
	renderErr []Problem       // errors met while rendering the current version on request
	printed   map[string]bool // problems currently shown in the terminal
	warned    map[string]bool // warnings printed in this run
}

// snapshot is one consistent version of the site. Requests load it once and use only it.
type snapshot struct {
	site    *generator.Site // nil when the site has never loaded
	version string
	// ctx is done once a newer version replaced this one (see publish): its renders stop.
	ctx    context.Context
	retire context.CancelFunc
}

// retireGrace is how long renders of a replaced version may still run: a page takes
// milliseconds, so only a layout that loops (likely what the change fixed) is stopped.
const retireGrace = time.Second

// publish makes snap the version served, and stops what still renders the one it replaces
// after retireGrace.
func (s *Server) publish(snap *snapshot) {
	snap.ctx, snap.retire = context.WithCancel(context.Background())
	if old := s.cur.Swap(snap); old != nil && old.retire != nil {
		time.AfterFunc(retireGrace, old.retire)
	}
}

// renderContext is the context of a request's renders: done when the request ends or a newer
// version of the site replaces snap.
func renderContext(r *http.Request, snap *snapshot) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(r.Context())
	if snap.ctx == nil {
		return ctx, cancel
	}
	stop := context.AfterFunc(snap.ctx, cancel)
	return ctx, func() { stop(); cancel() }
}

// New returns a server for cfg. It does no I/O: call Load next.
func New(cfg Config) *Server {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	if cfg.Dir == "" {
		cfg.Dir = "."
	}
	return &Server{
		src: cfg.Source, dir: cfg.Dir,
		opts: generator.Options{Drafts: cfg.Drafts, CacheDir: cfg.CacheDir, RenderTimeout: cfg.RenderTimeout},
		addr: cfg.Addr, allow: cfg.AllowHosts, stdout: cfg.Stdout, stderr: cfg.Stderr, wait: cfg.Debounce,
		loaded: make(chan struct{}), hub: newHub(),
		instance: strconv.FormatInt(time.Now().UnixNano()%(1<<40), 36),
		printed:  map[string]bool{}, warned: map[string]bool{},
	}
}

// Run serves the site at cfg.Addr until ctx is done, reloading it as its files change.
func Run(ctx context.Context, cfg Config) error {
	s := New(cfg)
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	s.addr = ln.Addr().String()
	if w := bindWarning(cfg.Addr); w != "" {
		fmt.Fprintln(s.stderr, w)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Watch before loading, so edits made while the site loads are not lost.
	watchDone, err := s.Watch(ctx)
	if err != nil {
		ln.Close()
		return fmt.Errorf("watch %s: %w", s.dir, err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute,
		ErrorLog: nil}
	srv.RegisterOnShutdown(s.hub.close)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	start := time.Now()
	s.Load(ctx)
	snap := s.cur.Load()
	where := siteURL(s.addr, snap)
	if snap.site != nil {
		fmt.Fprintf(s.stdout, "Serving %d pages at %s (loaded in %s). Press Ctrl+C to stop.\n",
			len(snap.site.Pages()), where, time.Since(start).Round(time.Millisecond))
	} else {
		fmt.Fprintf(s.stdout, "Serving at %s; the site does not load yet (see above), waiting for a fix. Press Ctrl+C to stop.\n", where)
	}

	select {
	case err = <-served:
	case <-ctx.Done():
		shut, stop := context.WithTimeout(context.Background(), 2*time.Second)
		err = srv.Shutdown(shut)
		stop()
		fmt.Fprintln(s.stdout, "Stopped.")
	}
	cancel()
	<-watchDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// bindWarning warns when addr listens beyond this machine.
func bindWarning(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return fmt.Sprintf("warning: listening on all network interfaces (%s): anyone who can reach this machine can read the site, drafts included. Use --addr 127.0.0.1:PORT to keep it local.", addr)
	}
	return ""
}

// siteURL is the URL to print: the bound address (localhost for all interfaces) and base path.
func siteURL(addr string, snap *snapshot) string {
	host, port, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	base := "/"
	if snap != nil && snap.site != nil {
		base = snap.site.Config().BasePath()
	}
	return "http://" + net.JoinHostPort(host, port) + base
}

// Load loads the whole site. When it fails, the server answers every page with the errors and
// the overlay, and the next change that fixes them loads the site.
func (s *Server) Load(ctx context.Context) {
	s.Reload(ctx, nil)
}

// Watch watches the site folder and reloads on each batch of changes until ctx is done. It
// returns once the watches are in place; done is closed when watching has stopped.
func (s *Server) Watch(ctx context.Context) (done <-chan struct{}, err error) {
	w, err := NewWatcher(ctx, s.dir, s.wait, func(err error) {
		fmt.Fprintln(s.stderr, "watch:", err)
	})
	if err != nil {
		return nil, err
	}
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		for batch := range w.Batches() {
			select {
			case <-s.loaded: // a batch before the first load is covered by that load or this one
			case <-ctx.Done():
				return
			}
			s.Reload(ctx, batch)
		}
	}()
	return ch, nil
}

// current waits for the first load and returns the version to serve.
func (s *Server) current(ctx context.Context) *snapshot {
	select {
	case <-s.loaded:
	case <-ctx.Done():
		return nil
	}
	return s.cur.Load()
}

// ServeHTTP serves the site, the reload client, its event stream and the error list.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if !s.hostAllowed(r) {
		http.Error(w, fmt.Sprintf("403 forbidden: Host %q is not this server; to allow it, start with --allow-host NAME", r.Host), http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p, ok := requestPath(r.URL.Path, r.URL.EscapedPath())
	if !ok {
		http.Error(w, "400 bad request: path not allowed", http.StatusBadRequest)
		return
	}
	if s.csp != "" {
		h.Set("Content-Security-Policy", s.csp)
	}
	switch p {
	case eventsPath:
		s.serveEvents(w, r)
		return
	case errorsPath:
		s.serveErrors(w, r)
		return
	case clientPath:
		s.serveClient(w, r)
		return
	}
	if strings.HasPrefix(p, prefix) {
		http.NotFound(w, r)
		return
	}
	snap := s.current(r.Context())
	if snap == nil {
		return // the client went away
	}
	if snap.site == nil {
		s.serveBroken(w, snap)
		return
	}
	s.servePage(w, r, snap, p)
}

// requestPath validates a request's path: it must be absolute and clean, with no dot segments,
// empty segments, backslashes, NUL or control characters, and no encoded slash or backslash
// (which would make the decoded path mean something else than the one checked).
func requestPath(decoded, escaped string) (string, bool) {
	if !strings.HasPrefix(decoded, "/") || !utf8.ValidString(decoded) {
		return "", false
	}
	low := strings.ToLower(escaped)
	if strings.Contains(low, "%2f") || strings.Contains(low, "%5c") || strings.Contains(low, "%00") {
		return "", false
	}
	for _, c := range decoded {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return "", false
		}
	}
	segs := strings.Split(decoded[1:], "/")
	for i, seg := range segs {
		if seg == "." || seg == ".." || (seg == "" && i != len(segs)-1) {
			return "", false
		}
	}
	return decoded, true
}

// hostAllowed defends against DNS rebinding: a page on another site whose name resolves to
// this machine must not read the preview. Accepted: the address the request came in on,
// localhost, 127.0.0.1 and [::1] with that port, and the --allow-host names.
func (s *Server) hostAllowed(r *http.Request) bool {
	local := s.addr
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		local = a.String()
	}
	return hostAllowed(r.Host, local, s.allow)
}

func hostAllowed(host, local string, allow []string) bool {
	if host == "" {
		return false
	}
	name, port, err := net.SplitHostPort(host)
	if err != nil {
		name, port = strings.Trim(host, "[]"), "80"
	}
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	for _, a := range allow {
		a = strings.ToLower(a)
		if an, ap, err := net.SplitHostPort(a); err == nil {
			if an == name && ap == port {
				return true
			}
		} else if strings.Trim(a, "[]") == name {
			return true
		}
	}
	lname, lport, err := net.SplitHostPort(local)
	if err != nil || port != lport {
		return false
	}
	switch name {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	ip := net.ParseIP(lname)
	return lname != "" && !(ip != nil && ip.IsUnspecified()) && strings.EqualFold(lname, name)
}

// servePage maps a URL path to an output file and serves it.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, snap *snapshot, p string) {
	site := snap.site
	ctx, cancel := renderContext(r, snap)
	defer cancel()
	base := site.Config().BasePath()
	if !strings.HasPrefix(p, base) {
		if p+"/" == base || p == "/" {
			redirect(w, r, base)
			return
		}
		s.notFound(ctx, w, snap, "")
		return
	}
	rel := p[len(base):]
	out := rel
	if rel == "" || strings.HasSuffix(rel, "/") {
		out += "index.html"
	}
	body, ok, err := site.LookupContext(ctx, out)
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Nobody waits for this page any more, or a newer version replaced this one: no
		// problem of the site. A browser still waiting gets the page of the newer version.
		if next := s.cur.Load(); r.Context().Err() == nil && next != snap && next.site != nil {
			s.servePage(w, r, next, p)
			return
		}
		http.Error(w, "503 render stopped: the request ended or the site changed", http.StatusServiceUnavailable)
		return
	}
	if err != nil {
		s.renderFailed(w, snap, err)
		return
	}
	if !ok && !strings.HasSuffix(p, "/") {
		// A folder asked for without its slash: send the browser to the slash form, so the
		// page's relative links resolve as they will when published.
		if site.PageByURL("/"+rel+"/") != nil {
			redirect(w, r, p+"/")
			return
		}
		if _, ok, _ := site.LookupContext(ctx, rel+"/index.html"); ok {
			redirect(w, r, p+"/")
			return
		}
	}
	if !ok {
		s.notFound(ctx, w, snap, rel)
		return
	}
	s.write(w, http.StatusOK, out, body, snap.version)
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	// Not permanent: a browser keeps 301s, and the site may change under the preview.
	http.Redirect(w, r, to, http.StatusFound)
}

// notFound serves the 404 page of the language the path is in, with status 404.
func (s *Server) notFound(ctx context.Context, w http.ResponseWriter, snap *snapshot, rel string) {
	site := snap.site
	candidates := []string{"404.html"}
	first, _, _ := strings.Cut(rel, "/")
	for _, l := range site.Languages() {
		if l.Code == first && l.Code != site.DefaultLanguage() {
			candidates = append([]string{l.Code + "/404.html"}, candidates...)
		}
	}
	for _, c := range candidates {
		body, ok, err := site.LookupContext(ctx, c)
		if err == nil && ok {
			s.write(w, http.StatusNotFound, c, body, snap.version)
			return
		}
	}
	s.write(w, http.StatusNotFound, "404.txt", []byte("404 page not found\n"), snap.version)
}

// write sends one file. HTML gets the reload client injected.
func (s *Server) write(w http.ResponseWriter, status int, name string, body []byte, version string) {
	ctype := contentType(name)
	if strings.HasPrefix(ctype, "text/html") {
		body = inject(body, version)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// inject adds the reload client before </body> (or at the end when there is none).
func inject(page []byte, version string) []byte {
	tag := `<script src="` + clientPath + `" data-version="` + version + `" defer></script>`
	i := lastIndexFold(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag)+1)
	out = append(out, page[:i]...)
	out = append(out, tag...)
	out = append(out, '\n')
	return append(out, page[i:]...)
}

func lastIndexFold(s, sep []byte) int {
	for i := len(s) - len(sep); i >= 0; i-- {
		if s[i] == '<' && bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}

// contentTypes covers what a site holds; anything else goes to the system table, then sniffing.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
	".js": "text/javascript; charset=utf-8", ".json": "application/json",
	".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
	".woff2": "font/woff2", ".woff": "font/woff", ".pdf": "application/pdf",
	".webmanifest": "application/manifest+json", ".map": "application/json",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// serveClient serves the reload script: the site's processed asset, or the raw file when the
// site has not loaded yet.
func (s *Server) serveClient(w http.ResponseWriter, r *http.Request) {
	var body []byte
	if snap := s.current(r.Context()); snap != nil && snap.site != nil {
		if a := snap.site.AssetByName(clientAsset); a != nil {
			body = a.Body
		}
	}
	if body == nil {
		body = s.readSource("assets/" + clientAsset)
	}
	if body == nil {
		http.Error(w, "404 assets/"+clientAsset+" not found in the site or theme", http.StatusNotFound)
		return
	}
	s.write(w, http.StatusOK, clientAsset, body, "")
}

// readSource reads a site file from disk, or from the theme when the site does not have it.
func (s *Server) readSource(name string) []byte {
	for _, fsys := range []fs.FS{s.src.Site, s.src.Theme} {
		if fsys == nil {
			continue
		}
		if b, err := readLimited(fsys, name); err == nil {
			return b
		}
	}
	return nil
}

// serveBroken answers pages while the site has never loaded: the errors, and the client that
// shows them and reloads once they are fixed.
func (s *Server) serveBroken(w http.ResponseWriter, snap *snapshot) {
	var b bytes.Buffer
	b.WriteString("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Site does not load</title></head><body><h1>The site does not load</h1>\n<pre>")
	for _, p := range s.problems() {
		b.WriteString(html.EscapeString(p.Text))
		b.WriteString("\n")
	}
	b.WriteString("</pre>\n<p>Fix the files above; this page reloads by itself.</p></body></html>\n")
	s.write(w, http.StatusInternalServerError, "error.html", b.Bytes(), snap.version)
}

// renderFailed answers a page that failed to render: a 500 naming the error; the overlay shows it
// on every page until a reload replaces this version.
func (s *Server) renderFailed(w http.ResponseWriter, snap *snapshot, err error) {
	probs := s.noteRenderError(snap, err)
	var b bytes.Buffer
	b.WriteString("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Render error</title></head><body><h1>This page does not render</h1>\n<pre>")
	for _, p := range probs {
		b.WriteString(html.EscapeString(p.Text))
		b.WriteString("\n")
	}
	b.WriteString("</pre></body></html>\n")
	s.write(w, http.StatusInternalServerError, "error.html", b.Bytes(), snap.version)
}

// exists reports whether a site file is on disk (for naming it from where the user stands).
func exists(p string) bool { _, err := os.Stat(p); return err == nil }
