package serve

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// revPage is a page whose every part names its revision: a torn or mixed response shows as
// two different numbers.
func revPage(rev int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Alpha rev %d\nweight: 1\n---\nStart marker rev-%d.\n\n", rev, rev)
	for i := range 200 {
		fmt.Fprintf(&b, "Paragraph %d of revision rev-%d, long enough to make the page a few pages long.\n\n", i, rev)
	}
	fmt.Fprintf(&b, "End marker rev-%d.\n", rev)
	return b.String()
}

var revRE = regexp.MustCompile(`rev[- ](\d+)`)

// checkPage returns the single revision a response shows, or why it is not a whole page.
func checkPage(code int, body string) (int, string) {
	if code != 200 {
		return 0, fmt.Sprintf("status %d", code)
	}
	if !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
		return 0, "does not end with </html>: " + tail(body, 80)
	}
	if strings.Count(body, scriptTag) != 1 {
		return 0, "reload script not injected once"
	}
	rev := -1
	for _, m := range revRE.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(m[1])
		if rev >= 0 && n != rev {
			return 0, fmt.Sprintf("mixes revisions %d and %d", rev, n)
		}
		rev = n
	}
	if rev < 0 {
		return 0, "no revision marker"
	}
	if !strings.Contains(body, fmt.Sprintf("End marker rev-%d.", rev)) {
		return 0, "torn: no end marker"
	}
	return rev, ""
}

func TestConsistentUnderLoad(t *testing.T) {
	t.Parallel()
	d := 1500 * time.Millisecond
	if testing.Short() {
		d = 500 * time.Millisecond
	}
	site := withBase(map[string]string{"content/en/guide/alpha.md": revPage(0)})
	ts := startServer(t, writeSite(t, site), serverOpts{watch: true, debounce: 5 * time.Millisecond})

	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the editor: saves a new revision every few milliseconds
		defer wg.Done()
		for rev := 1; ; rev++ {
			select {
			case <-stop:
				return
			case <-time.After(3 * time.Millisecond):
			}
			saveByRename(t, ts.dir, "content/en/guide/alpha.md", revPage(rev))
			written.Store(int64(rev))
			if rev%10 == 0 { // and now and then a page that comes and goes
				// Saved in one step: a plain create-then-write leaves an empty file for a moment, which
				// is reported as an error by design (the half-written-save test covers that case).
				saveByRename(t, ts.dir, "content/en/guide/extra.md", "---\ntitle: Extra\n---\nExtra.\n")
			}
		}
	}()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var requests, failures atomic.Int64
	var firstFail atomic.Value
	deadline := time.Now().Add(d)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := 0
			paths := []string{"/guide/alpha/", "/guide/"}
			for i := 0; time.Now().Before(deadline); i++ {
				path := paths[(g+i)%2]
				resp, err := client.Get(ts.ts.URL + path)
				if err != nil {
					failures.Add(1)
					firstFail.CompareAndSwap(nil, err.Error())
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				requests.Add(1)
				if err != nil {
					failures.Add(1)
					firstFail.CompareAndSwap(nil, err.Error())
					continue
				}
				if path == "/guide/" {
					if resp.StatusCode != 200 || !strings.HasSuffix(strings.TrimSpace(string(body)), "</html>") {
						failures.Add(1)
						firstFail.CompareAndSwap(nil, fmt.Sprintf("%s: status %d", path, resp.StatusCode))
					}
					continue
				}
				rev, msg := checkPage(resp.StatusCode, string(body))
				if msg == "" && rev < last {
					msg = fmt.Sprintf("went back from revision %d to %d", last, rev)
				}
				if msg != "" {
					failures.Add(1)
					firstFail.CompareAndSwap(nil, path+": "+msg)
					continue
				}
				last = rev
			}
		}()
	}
	time.Sleep(time.Until(deadline))
	close(stop)
	wg.Wait()
	if f := failures.Load(); f > 0 {
		t.Fatalf("%d of %d responses failed; first: %v", f, requests.Load(), firstFail.Load())
	}
	// After the last save, its revision is served.
	final := int(written.Load())
	ts.waitText("/guide/alpha/", 200, fmt.Sprintf("End marker rev-%d.", final))
	t.Logf("%d responses, %d revisions written, %d reloads", requests.Load(), final, strings.Count(ts.stdout.String(), "rebuilt"))
	if final < 10 {
		t.Errorf("only %d revisions written", final)
	}
	if s := ts.stderr.String(); s != "" {
		t.Errorf("stderr: %s", s)
	}
}
