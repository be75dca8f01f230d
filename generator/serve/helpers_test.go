package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"rahnuma/generator"
)

// repoRoot holds the theme: layouts/ and assets/.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func testSource(t testing.TB, dir string) generator.Source {
	return generator.Source{Site: os.DirFS(dir), Theme: os.DirFS(repoRoot(t))}
}

// baseSite is a small two-language site.
var baseSite = map[string]string{
	"site.toml": `title = "Test Guide"
[languages.en]
name = "English"
weight = 1
[languages.ur]
name = "اردو"
direction = "rtl"
weight = 2
`,
	"content/en/_index.md":       "---\ntitle: Home\n---\nWelcome to the test guide.\n",
	"content/en/guide/_index.md": "---\ntitle: Guide\n---\nThe guide section.\n",
	"content/en/guide/alpha.md":  "---\ntitle: Alpha\nweight: 1\n---\nAlpha text here.\n\nSee [beta](beta.md).\n",
	"content/en/guide/beta.md":   "---\ntitle: Beta\nweight: 2\n---\nBeta text here.\n",
	"content/ur/_index.md":       "---\ntitle: صفحہ اول\n---\nخوش آمدید\n",
}

// writeSite writes files (over baseSite when base is true) into a new temp folder.
func writeSite(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, data := range files {
		writeFile(t, dir, rel, data)
	}
	return dir
}

func withBase(extra map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range baseSite {
		m[k] = v
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// testServer is a loaded Server behind an httptest.Server.
type testServer struct {
	t      testing.TB
	dir    string
	s      *Server
	ts     *httptest.Server
	stdout *syncBuffer
	stderr *syncBuffer
	ctx    context.Context
}

type serverOpts struct {
	watch    bool
	debounce time.Duration
	csp      string // Content-Security-Policy header to send
}

func startServer(t testing.TB, dir string, o serverOpts) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	s := New(Config{
		Dir:    dir,
		Source: testSource(t, dir),
		Drafts: true, Stdout: out, Stderr: errOut, Debounce: o.debounce,
	})
	s.csp = o.csp
	var done <-chan struct{}
	if o.watch {
		var err error
		if done, err = s.Watch(ctx); err != nil {
			t.Fatal(err)
		}
	}
	s.Load(ctx)
	ts := httptest.NewServer(s)
	ts.Config.RegisterOnShutdown(s.hub.close)
	t.Cleanup(func() {
		s.hub.close()
		ts.Close()
		cancel()
		if done != nil {
			<-done
		}
	})
	return &testServer{t: t, dir: dir, s: s, ts: ts, stdout: out, stderr: errOut, ctx: ctx}
}

// get fetches a path without following redirects.
func (ts *testServer) get(path string) (int, http.Header, string) {
	ts.t.Helper()
	req, err := http.NewRequest("GET", ts.ts.URL+path, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	return ts.do(req)
}

func (ts *testServer) do(req *http.Request) (int, http.Header, string) {
	ts.t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

// eventually retries check until it returns "" (success) or the time runs out.
func (ts *testServer) eventually(what string, check func() string) {
	ts.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		msg := check()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			ts.t.Fatalf("%s: %s\nstderr:\n%s", what, msg, ts.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitText waits until path answers with status and a body containing text.
func (ts *testServer) waitText(path string, status int, text string) string {
	ts.t.Helper()
	var body string
	ts.eventually(fmt.Sprintf("GET %s: want %d with %q", path, status, text), func() string {
		code, _, b := ts.get(path)
		body = b
		if code != status || !strings.Contains(b, text) {
			return fmt.Sprintf("got %d, body has text: %v", code, strings.Contains(b, text))
		}
		return ""
	})
	return body
}

// errorsNow reads the errors endpoint.
func (ts *testServer) errorsNow() Event {
	ts.t.Helper()
	code, _, body := ts.get(errorsPath)
	if code != 200 {
		ts.t.Fatalf("GET %s: %d", errorsPath, code)
	}
	var ev Event
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		ts.t.Fatalf("errors endpoint: %v\n%s", err, body)
	}
	return ev
}

// rawRequest sends bytes as they are and reads one response: no client cleans the path.
func rawRequest(t testing.TB, addr, request string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%q: %v", request, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// sseClient reads events from a server's stream.
type sseClient struct {
	t      testing.TB
	events chan Event
	cancel context.CancelFunc
}

func (ts *testServer) subscribe() *sseClient {
	ts.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.ts.URL+eventsPath, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		ts.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		cancel()
		ts.t.Fatalf("events Content-Type %q", ct)
	}
	c := &sseClient{t: ts.t, events: make(chan Event, 64), cancel: cancel}
	go func() {
		defer resp.Body.Close()
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			data, ok := strings.CutPrefix(line, "data: ")
			if !ok {
				continue
			}
			var ev Event
			if err := json.Unmarshal([]byte(data), &ev); err != nil {
				ts.t.Errorf("bad event %q: %v", data, err)
				return
			}
			c.events <- ev
		}
	}()
	ts.t.Cleanup(cancel)
	return c
}

func (c *sseClient) next() Event {
	c.t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			c.t.Fatal("event stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		c.t.Fatal("no event within 10s")
		return Event{}
	}
}

// none checks that no event arrives for a while.
func (c *sseClient) none(d time.Duration) {
	c.t.Helper()
	select {
	case ev := <-c.events:
		c.t.Fatalf("unexpected event %+v", ev)
	case <-time.After(d):
	}
}
