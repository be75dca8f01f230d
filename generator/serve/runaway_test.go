package serve

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const (
	loopLayout    = "{{define \"main\"}}\n{{range 100000000000}}{{end}}{{end}}"
	recurseLayout = "{{define \"main\"}}{{partialCached \"partials/self.html\" .Lang .}}{{end}}"
)

// runawayServer serves dir and counts the requests whose handler is still running: a request
// whose render cannot be stopped never leaves.
func runawayServer(t *testing.T, dir string, cfg Config) (*Server, *httptest.Server, *atomic.Int64) {
	t.Helper()
	cfg.Dir, cfg.Source, cfg.Drafts = dir, testSource(t, dir), true
	s := New(cfg)
	s.Load(context.Background())
	var running atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		running.Add(1)
		defer running.Add(-1)
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return s, ts, &running
}

func get(t *testing.T, c *http.Client, url string) (int, string, error) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

func waitIdle(t *testing.T, running *atomic.Int64, what string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for running.Load() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%s: the render is still running 3s later", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRunawayRenderStopsWithRequest: a page whose layout loops stops rendering when the
// browser gives up on it, and other pages are still served.
func TestRunawayRenderStopsWithRequest(t *testing.T) {
	dir := writeSite(t, withBase(map[string]string{"layouts/page.html": loopLayout}))
	_, ts, running := runawayServer(t, dir, Config{})
	for range 3 {
		c := &http.Client{Timeout: 300 * time.Millisecond}
		if _, _, err := get(t, c, ts.URL+"/guide/alpha/"); err == nil {
			t.Fatal("the looping page answered")
		}
		waitIdle(t, running, "request ended")
	}
	if code, body, err := get(t, http.DefaultClient, ts.URL+"/"); err != nil || code != 200 || !strings.Contains(body, "Welcome") {
		t.Errorf("home page: %d %v", code, err)
	}
}

// TestRunawayRenderStopsOnReload: fixing the layout stops the renders of the old version, and
// the browser that waited gets the fixed page.
func TestRunawayRenderStopsOnReload(t *testing.T) {
	dir := writeSite(t, withBase(map[string]string{"layouts/page.html": loopLayout}))
	s, ts, running := runawayServer(t, dir, Config{})
	type response struct {
		code int
		body string
	}
	answer := make(chan response, 1)
	go func() {
		code, body, _ := get(t, http.DefaultClient, ts.URL+"/guide/alpha/")
		answer <- response{code, body}
	}()
	for running.Load() == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	writeFile(t, dir, "layouts/page.html", `{{define "main"}}<p>fixed</p>{{end}}`)
	s.Reload(context.Background(), []string{"layouts/page.html"})
	select {
	case a := <-answer:
		if a.code != 200 || !strings.Contains(a.body, "<p>fixed</p>") {
			t.Errorf("the waiting request got %d, want 200 with the fixed page:\n%s", a.code, a.body)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the render of the replaced version is still running 3s after the reload")
	}
	waitIdle(t, running, "after the reload")
	if ev := s.problems(); len(ev) > 0 {
		t.Errorf("a stopped render was reported as a problem: %v", ev)
	}
}

// TestRunawayLayoutsShowOverlay: recursion and a render past its time limit answer 500 with
// the problem at the layout's line, show in the overlay's list, and the server goes on serving.
func TestRunawayLayoutsShowOverlay(t *testing.T) {
	tests := []struct {
		name, layout, want string
	}{
		{"recursion", recurseLayout, "layouts/partials/self.html:2: template: template and partial calls nest deeper than 64"},
		{"time limit", loopLayout, "layouts/page.html:2: template: content/en/guide/alpha.md did not render within 300ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeSite(t, withBase(map[string]string{
				"layouts/page.html":          tc.layout,
				"layouts/partials/self.html": "<nav>\n{{partialCached \"partials/self.html\" .Lang .}}</nav>",
			}))
			s, ts, running := runawayServer(t, dir, Config{RenderTimeout: 300 * time.Millisecond})
			for range 2 {
				code, body, err := get(t, http.DefaultClient, ts.URL+"/guide/alpha/")
				if err != nil || code != http.StatusInternalServerError || !strings.Contains(body, tc.want) {
					t.Errorf("got %d %v:\n%s\nwant 500 with %q", code, err, body, tc.want)
				}
			}
			waitIdle(t, running, "after the error")
			found := false
			for _, p := range s.problems() {
				found = found || strings.Contains(p.Text, tc.want)
			}
			if !found {
				t.Errorf("the overlay's problems lack %q: %v", tc.want, s.problems())
			}
			if code, _, err := get(t, http.DefaultClient, ts.URL+"/"); err != nil || code != 200 {
				t.Errorf("home page after the error: %d %v", code, err)
			}
		})
	}
}
