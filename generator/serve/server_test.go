package serve

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const scriptTag = `<script src="/__rahnuma/livereload.js"`

func TestServePages(t *testing.T) {
	ts := startServer(t, writeSite(t, baseSite), serverOpts{})
	_, _, home := ts.get("/")
	css := regexp.MustCompile(`href="(/css/site\.[0-9a-f]+\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatalf("home page links no fingerprinted stylesheet:\n%s", home)
	}
	tests := []struct {
		path     string
		status   int
		ctype    string
		location string
		contains []string
		inject   bool
	}{
		{path: "/", status: 200, ctype: "text/html", contains: []string{"Welcome to the test guide."}, inject: true},
		{path: "/guide/", status: 200, ctype: "text/html", contains: []string{"The guide section.", "Alpha", "Beta"}, inject: true},
		{path: "/guide/alpha/", status: 200, ctype: "text/html", contains: []string{"Alpha text here.", `href="/guide/beta/"`}, inject: true},
		{path: "/guide/alpha/index.html", status: 200, ctype: "text/html", contains: []string{"Alpha text here."}, inject: true},
		{path: "/guide/alpha/?q=1", status: 200, ctype: "text/html", contains: []string{"Alpha text here."}, inject: true},
		{path: "/guide/alpha", status: 302, location: "/guide/alpha/"},
		{path: "/guide/alpha?x=1&y=2", status: 302, location: "/guide/alpha/?x=1&y=2"},
		{path: "/guide", status: 302, location: "/guide/"},
		{path: "/ur/", status: 200, ctype: "text/html", contains: []string{`lang="ur"`, `dir="rtl"`, "خوش آمدید"}, inject: true},
		{path: "/ur", status: 302, location: "/ur/"},
		{path: "/nope/", status: 404, ctype: "text/html", contains: []string{`lang="en"`}, inject: true},
		{path: "/guide/gamma/", status: 404, ctype: "text/html", contains: []string{`lang="en"`}, inject: true},
		{path: "/ur/nope/", status: 404, ctype: "text/html", contains: []string{`lang="ur"`}, inject: true},
		{path: "/missing.png", status: 404, ctype: "text/html", inject: true},
		{path: css[1], status: 200, ctype: "text/css"},
		{path: "/sitemap.xml", status: 200, ctype: "application/xml", contains: []string{"/guide/alpha/"}},
		{path: "/robots.txt", status: 200, ctype: "text/plain"},
		{path: clientPath, status: 200, ctype: "text/javascript", contains: []string{"EventSource"}},
		{path: errorsPath, status: 200, ctype: "application/json", contains: []string{`"errors": []`}},
		{path: "/__rahnuma/other", status: 404},
		{path: "/content/en/guide/alpha.md", status: 404, ctype: "text/html", inject: true},
		{path: "/site.toml", status: 404, ctype: "text/html", inject: true},
		{path: "/layouts/baseof.html", status: 404, ctype: "text/html", inject: true},
	}
	for _, tc := range tests {
		code, h, body := ts.get(tc.path)
		if code != tc.status {
			t.Errorf("GET %s: status %d, want %d", tc.path, code, tc.status)
			continue
		}
		if got := h.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", tc.path, got)
		}
		if tc.ctype != "" && !strings.HasPrefix(h.Get("Content-Type"), tc.ctype) {
			t.Errorf("GET %s: Content-Type %q, want %s", tc.path, h.Get("Content-Type"), tc.ctype)
		}
		if tc.location != "" && h.Get("Location") != tc.location {
			t.Errorf("GET %s: Location %q, want %q", tc.path, h.Get("Location"), tc.location)
		}
		for _, c := range tc.contains {
			if !strings.Contains(body, c) {
				t.Errorf("GET %s: body lacks %q", tc.path, c)
			}
		}
		if got := strings.Count(body, scriptTag); got != map[bool]int{true: 1, false: 0}[tc.inject] {
			t.Errorf("GET %s: reload script injected %d times, want inject=%v", tc.path, got, tc.inject)
		}
		if tc.inject && !regexp.MustCompile(scriptTag+` data-version="[0-9a-z]+-1" defer></script>\n</body>`).MatchString(body) {
			t.Errorf("GET %s: script tag not right before </body>:\n%s", tc.path, tail(body, 200))
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

func TestMethods(t *testing.T) {
	ts := startServer(t, writeSite(t, baseSite), serverOpts{})
	req, _ := http.NewRequest("HEAD", ts.ts.URL+"/guide/alpha/", nil)
	code, h, body := ts.do(req)
	if code != 200 || body != "" || h.Get("Content-Length") == "" {
		t.Errorf("HEAD: %d, %d body bytes, Content-Length %q", code, len(body), h.Get("Content-Length"))
	}
	for _, m := range []string{"POST", "PUT", "DELETE", "OPTIONS"} {
		req, _ := http.NewRequest(m, ts.ts.URL+"/guide/alpha/", strings.NewReader("x"))
		if code, h, _ := ts.do(req); code != 405 || h.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: %d, Allow %q", m, code, h.Get("Allow"))
		}
	}
}

func TestBasePath(t *testing.T) {
	site := withBase(nil)
	site["site.toml"] = "title = \"Sub\"\nbaseURL = \"https://example.org/sub/\"\n"
	delete(site, "content/ur/_index.md")
	ts := startServer(t, writeSite(t, site), serverOpts{})
	for _, tc := range []struct {
		path     string
		status   int
		location string
		contains string
	}{
		{"/", 302, "/sub/", ""},
		{"/sub", 302, "/sub/", ""},
		{"/sub/", 200, "", "Welcome to the test guide."},
		{"/sub/guide/alpha/", 200, "", `href="/sub/guide/beta/"`},
		{"/sub/guide/alpha", 302, "/sub/guide/alpha/", ""},
		{"/guide/alpha/", 404, "", ""},
		{"/sub/nope/", 404, "", scriptTag},
	} {
		code, h, body := ts.get(tc.path)
		if code != tc.status || h.Get("Location") != tc.location || !strings.Contains(body, tc.contains) {
			t.Errorf("GET %s: %d Location %q, want %d %q with %q", tc.path, code, h.Get("Location"), tc.status, tc.location, tc.contains)
		}
	}
}

func TestInject(t *testing.T) {
	tag := `<script src="/__rahnuma/livereload.js" data-version="v1" defer></script>` + "\n"
	for _, tc := range []struct{ in, want string }{
		{"<html><body><p>x</p></body></html>", "<html><body><p>x</p>" + tag + "</body></html>"},
		{"<HTML><BODY>x</BODY></HTML>", "<HTML><BODY>x" + tag + "</BODY></HTML>"},
		{"<p>no body end</p>", "<p>no body end</p>" + tag},
		{"<body><pre>&lt;/body&gt;</pre></body>\n", "<body><pre>&lt;/body&gt;</pre>" + tag + "</body>\n"},
		{"<body>a</body> <!-- </body> -->", "<body>a</body> <!-- " + tag + "</body> -->"},
		{"", tag},
	} {
		if got := string(inject([]byte(tc.in), "v1")); got != tc.want {
			t.Errorf("inject(%q) =\n%q, want\n%q", tc.in, got, tc.want)
		}
	}
}

func TestHostAllowed(t *testing.T) {
	for _, tc := range []struct {
		host, local string
		allow       []string
		want        bool
	}{
		{"127.0.0.1:1313", "127.0.0.1:1313", nil, true},
		{"localhost:1313", "127.0.0.1:1313", nil, true},
		{"LOCALHOST:1313", "127.0.0.1:1313", nil, true},
		{"localhost.:1313", "127.0.0.1:1313", nil, true},
		{"[::1]:1313", "[::1]:1313", nil, true},
		{"[::1]:1313", "127.0.0.1:1313", nil, true},
		{"localhost:8080", "127.0.0.1:1313", nil, false},
		{"localhost", "127.0.0.1:1313", nil, false},
		{"localhost", "127.0.0.1:80", nil, true},
		{"evil.example:1313", "127.0.0.1:1313", nil, false},
		{"127.0.0.1.evil.example:1313", "127.0.0.1:1313", nil, false},
		{"localhost.evil.example:1313", "127.0.0.1:1313", nil, false},
		{"", "127.0.0.1:1313", nil, false},
		{"192.168.1.5:1313", "192.168.1.5:1313", nil, true},
		{"192.168.1.6:1313", "192.168.1.5:1313", nil, false},
		{"0.0.0.0:1313", "0.0.0.0:1313", nil, false},
		{"preview.test:1313", "127.0.0.1:1313", []string{"preview.test"}, true},
		{"preview.test", "127.0.0.1:1313", []string{"preview.test"}, true},
		{"Preview.Test:443", "127.0.0.1:1313", []string{"preview.test"}, true},
		{"preview.test:1313", "127.0.0.1:1313", []string{"preview.test:9999"}, false},
		{"preview.test:9999", "127.0.0.1:1313", []string{"preview.test:9999"}, true},
		{"other.test:1313", "127.0.0.1:1313", []string{"preview.test"}, false},
	} {
		if got := hostAllowed(tc.host, tc.local, tc.allow); got != tc.want {
			t.Errorf("hostAllowed(%q, %q, %q) = %v, want %v", tc.host, tc.local, tc.allow, got, tc.want)
		}
	}
}

func TestHostHeaderRejected(t *testing.T) {
	ts := startServer(t, writeSite(t, baseSite), serverOpts{})
	addr := ts.ts.Listener.Addr().String()
	_, port, _ := strings.Cut(addr, ":")
	for _, tc := range []struct {
		host   string
		status int
	}{
		{addr, 200},
		{"localhost:" + port, 200},
		{"evil.example:" + port, 403},
		{"evil.example", 403},
		{"localhost:1", 403},
	} {
		for _, p := range []string{"/guide/alpha/", eventsPath, errorsPath, clientPath} {
			req, _ := http.NewRequest("HEAD", ts.ts.URL+p, nil)
			req.Host = tc.host
			if code, _, _ := ts.do(req); code != tc.status {
				t.Errorf("Host %q %s: %d, want %d", tc.host, p, code, tc.status)
			}
		}
	}
	// A request without a Host header (HTTP/1.0) is refused too.
	if code, _ := rawRequest(t, addr, "GET /guide/alpha/ HTTP/1.0\r\n\r\n"); code != 403 {
		t.Errorf("no Host: %d, want 403", code)
	}
}

// badTarget is a request target that must never reach a file, and the status it gets.
type badTarget struct {
	status int
	target string // may hold {addr}
}

// badTargets reads testdata/paths.txt.
func badTargets(t testing.TB) []badTarget {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "paths.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []badTarget
	for i, l := range strings.Split(string(data), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		code, target, ok := strings.Cut(l, " ")
		if !ok || (code != "400" && code != "404") {
			t.Fatalf("testdata/paths.txt:%d: want STATUS TARGET", i+1)
		}
		out = append(out, badTarget{map[string]int{"400": 400, "404": 404}[code], target})
	}
	return out
}

func parseTarget(target string) (*url.URL, error) { return url.ParseRequestURI(target) }

func TestTraversalRaw(t *testing.T) {
	// Put a secret beside the site, and one in it outside content/, to make escapes visible.
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	for rel, data := range baseSite {
		writeFile(t, dir, rel, data)
	}
	writeFile(t, parent, "secret.txt", "TOP-SECRET-OUTSIDE\n")
	writeFile(t, dir, "secret.txt", "TOP-SECRET-INSIDE\n")
	ts := startServer(t, dir, serverOpts{})
	addr := ts.ts.Listener.Addr().String()
	for _, bt := range badTargets(t) {
		target := strings.ReplaceAll(bt.target, "{addr}", addr)
		req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
		code, body := rawRequest(t, addr, req)
		if code != bt.status {
			t.Errorf("GET %s: status %d, want %d", target, code, bt.status)
		}
		for _, leak := range []string{"TOP-SECRET", "root:x:0", "[languages", "title: Alpha"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s: response leaks %q", target, leak)
			}
		}
		// The checker alone agrees, whatever the HTTP server did before it.
		if u, err := parseTarget(target); err == nil {
			if _, ok := requestPath(u.Path, u.EscapedPath()); ok != (bt.status == 404) {
				t.Errorf("requestPath(%q) ok = %v, want %v", target, ok, bt.status == 404)
			}
		}
	}
}

func TestRequestPath(t *testing.T) {
	for _, tc := range []struct {
		target string
		ok     bool
	}{
		{"/", true},
		{"/guide/alpha/", true},
		{"/guide/alpha", true},
		{"/ur/%D8%B3%D9%84%D8%A7%D9%85/", true},
		{"/a%20b/", true},
		{"/a..b/", true},
		{"/.well-known/x", true},
		{"/../x", false},
		{"/a/../x", false},
		{"/a/./x", false},
		{"/a/..", false},
		{"/%2e%2e/x", false},
		{"/%2E%2E/x", false},
		{"/a%2fb", false},
		{"/a%2Fb", false},
		{"/a%5cb", false},
		{"/a\\b", false},
		{"/a%00", false},
		{"/a%0a", false},
		{"//etc/passwd", false},
		{"/a//b", false},
		{"/%ff/", false},
	} {
		u, err := parseTarget(tc.target)
		if err != nil {
			t.Fatalf("%q: %v", tc.target, err)
		}
		if _, ok := requestPath(u.Path, u.EscapedPath()); ok != tc.ok {
			t.Errorf("requestPath(%q) ok = %v, want %v", tc.target, ok, tc.ok)
		}
	}
}

func FuzzRequestPath(f *testing.F) {
	for _, bt := range badTargets(f) {
		f.Add(strings.ReplaceAll(bt.target, "{addr}", "127.0.0.1:1313"))
	}
	f.Add("/guide/alpha/")
	f.Fuzz(func(t *testing.T, target string) {
		u, err := parseTarget(target)
		if err != nil {
			return
		}
		p, ok := requestPath(u.Path, u.EscapedPath())
		if !ok {
			return
		}
		if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") || strings.Contains(p, "//") {
			t.Fatalf("accepted %q as %q", target, p)
		}
		for _, seg := range strings.Split(p, "/") {
			if seg == ".." || seg == "." {
				t.Fatalf("accepted %q as %q with a dot segment", target, p)
			}
		}
		if !filepath.IsLocal(strings.TrimPrefix(p, "/")) && p != "/" {
			t.Fatalf("accepted %q as %q, not local", target, p)
		}
	})
}

func TestBindWarning(t *testing.T) {
	for _, tc := range []struct {
		addr string
		warn bool
	}{
		{"127.0.0.1:1313", false},
		{"localhost:1313", false},
		{"[::1]:1313", false},
		{"0.0.0.0:1313", true},
		{":1313", true},
		{"[::]:1313", true},
		{"192.168.1.5:1313", false},
	} {
		w := bindWarning(tc.addr)
		if (w != "") != tc.warn || (tc.warn && !strings.Contains(w, tc.addr)) {
			t.Errorf("bindWarning(%q) = %q", tc.addr, w)
		}
	}
}

func TestRun(t *testing.T) {
	dir := writeSite(t, baseSite)
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Dir: dir, Source: testSource(t, dir), Addr: "127.0.0.1:0", Drafts: true,
			Stdout: out, Stderr: errOut, Debounce: 10 * time.Millisecond})
	}()
	urlRE := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == ""; {
		url = urlRE.FindString(out.String())
		if time.Now().After(deadline) {
			t.Fatalf("no URL printed; stdout %q stderr %q", out.String(), errOut.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	resp, err := http.Get(url + "guide/alpha/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET: %d", resp.StatusCode)
	}
	// An open event stream must not keep Run from returning.
	req, _ := http.NewRequest("GET", url+"__rahnuma/events", nil)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	// The watcher is running: an edit is served.
	writeFile(t, dir, "content/en/guide/alpha.md", "---\ntitle: Alpha\n---\nRun sees edits.\n")
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get(url + "guide/alpha/")
		if err != nil {
			t.Fatal(err)
		}
		b := new(strings.Builder)
		bufio.NewReader(resp.Body).WriteTo(b)
		resp.Body.Close()
		if strings.Contains(b.String(), "Run sees edits.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("edit not served")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if strings.Contains(errOut.String(), "warning") {
		t.Errorf("unexpected warning for 127.0.0.1: %s", errOut.String())
	}
}
