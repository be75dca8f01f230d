package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"rahnuma/generator/browsertest"
)

// bundled builds the repository's own guidance site once for all tests in this file.
var bundled = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "rahnuma-bundled-")
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "public")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"build", "--out", out}, &stdout, &stderr); code != 0 {
		return "", &buildError{stderr.String()}
	}
	return out, nil
})

type buildError struct{ msg string }

func (e *buildError) Error() string { return "build failed:\n" + e.msg }

func bundledSite(t *testing.T) string {
	t.Helper()
	out, err := bundled()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func read(t *testing.T, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return string(b)
}

// TestBundledSiteFacts: each section exists and the key facts are on the pages meant to carry them.
func TestBundledSiteFacts(t *testing.T) {
	out := bundledSite(t)
	for _, tt := range []struct {
		page  string
		facts []string
	}{
		{"index.html", []string{"Start here"}},
		{"start-here/index.html", []string{"Amazon"}},
		{"registration/amazon-3p-1p/index.html", []string{"3P", "1P", "negotiat"}},
		{"registration/do-your-homework/index.html", []string{"blacklist"}},
		{"registration/alibaba-and-channel-partners/index.html", []string{"channel partner", "300,000"}},
		{"payments/paypal-myth/index.html", []string{"PayPal", "IBFT", `id="ibft"`, "callout-myth", "callout-fact"}},
		{"payments/micro-exports/index.html", []string{"courier", "export"}},
		{"payments/myths-vs-facts/index.html", []string{"callout-myth", "callout-fact"}},
		{"tax/budget-2025/index.html", []string{"18%", "5%", "Rs500", "Rs5,000", "26 June", "FBR", "<table>", "callout-warning"}},
		{"tax/sales-tax-courier-imports/index.html", []string{"18%"}},
		{"tax/digital-retailers-income-tax/index.html", []string{"5%"}},
		{"tax/duty-free-threshold/index.html", []string{"Rs500", "Rs5,000"}},
		{"training/amazon-seller-training/index.html", []string{"aster trainer"}},
		{"training/national-ecommerce-strategy/index.html", []string{"committee"}},
		{"faq/index.html", []string{"PayPal"}},
		{"updates/index.html", []string{"Alibaba"}},
		{"ur/index.html", []string{`lang="ur"`, `dir="rtl"`}},
		{"ur/payments/paypal-myth/index.html", []string{"IBFT", `dir="rtl"`}},
		{"ur/tax/budget-2025/index.html", []string{"18", "Rs500"}},
	} {
		html := read(t, out, tt.page)
		for _, f := range tt.facts {
			if !strings.Contains(html, f) {
				t.Errorf("%s does not contain %q", tt.page, f)
			}
		}
	}
	for _, f := range []string{"sitemap.xml", "feed.xml", "ur/feed.xml", "robots.txt", "404.html", "search/index.html", "search/en/manifest.json", "search/ur/manifest.json"} {
		read(t, out, f)
	}
}

// TestBundledPoliciesCiteSources: every policy page shows its sources and last-reviewed date.
func TestBundledPoliciesCiteSources(t *testing.T) {
	out := bundledSite(t)
	for _, section := range []string{"registration", "payments", "tax", "training"} {
		for _, lang := range []string{"", "ur/"} {
			pages, _ := filepath.Glob(filepath.Join(out, lang+section, "*", "index.html"))
			if lang == "" && len(pages) == 0 {
				t.Errorf("section %s has no pages", section)
			}
			for _, p := range pages {
				html := read(t, filepath.Dir(p), "index.html")
				if !strings.Contains(html, `class="sources"`) || !strings.Contains(html, `class="reviewed"`) {
					t.Errorf("%s: no sources list or no last-reviewed date", p)
				}
			}
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"check"}, &stdout, &stderr); code != 0 {
		t.Errorf("check failed (%d):\n%s%s", code, stdout.String(), stderr.String())
	}
}

var (
	inlineScript = regexp.MustCompile(`(?i)<script\b[^>]*>\s*[^<\s]`)
	scriptTag    = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	stylesheet   = regexp.MustCompile(`(?i)<link\b[^>]*rel="stylesheet"[^>]*>`)
	styleAttr    = regexp.MustCompile(`(?i)<[^>]+\sstyle=`)
)

// TestBundledCSP: no inline script or style anywhere, no javascript: URLs, SRI on every asset tag.
func TestBundledCSP(t *testing.T) {
	out := bundledSite(t)
	n := 0
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		n++
		b, _ := os.ReadFile(p)
		html := string(b)
		rel, _ := filepath.Rel(out, p)
		if inlineScript.MatchString(html) {
			t.Errorf("%s: inline script", rel)
		}
		if strings.Contains(strings.ToLower(html), "<style") || styleAttr.MatchString(html) {
			t.Errorf("%s: inline style", rel)
		}
		if strings.Contains(strings.ToLower(html), "javascript:") {
			t.Errorf("%s: javascript: URL", rel)
		}
		for _, tag := range append(scriptTag.FindAllString(html, -1), stylesheet.FindAllString(html, -1)...) {
			if !strings.Contains(tag, "integrity=\"sha384-") {
				t.Errorf("%s: %s has no integrity attribute", rel, tag)
			}
		}
		return nil
	})
	if n < 30 {
		t.Errorf("only %d HTML files checked", n)
	}
}

func gzipSize(t *testing.T, data string) int {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write([]byte(data))
	w.Close()
	return b.Len()
}

var assetRef = regexp.MustCompile(`(?:href|src)="/((?:css|js)/[^"]+)"`)

// TestBundledPageWeight: a typical guidance page costs at most 20 KB gzip on first visit (HTML,
// CSS and JS) and at most 8 KB for the next page (CSS and JS cached).
func TestBundledPageWeight(t *testing.T) {
	out := bundledSite(t)
	for _, page := range []string{"tax/budget-2025/index.html", "payments/paypal-myth/index.html", "ur/tax/budget-2025/index.html", "faq/index.html"} {
		html := read(t, out, page)
		total := gzipSize(t, html)
		for _, m := range assetRef.FindAllStringSubmatch(html, -1) {
			total += gzipSize(t, read(t, out, m[1]))
		}
		if total > 20*1024 {
			t.Errorf("%s: first visit %d B gzip, budget 20 KB", page, total)
		}
		if next := gzipSize(t, html); next > 8*1024 {
			t.Errorf("%s: next page %d B gzip, budget 8 KB", page, next)
		}
		t.Logf("%s: first visit %d B, next %d B (gzip)", page, total, gzipSize(t, html))
	}
}

// TestBundledLayoutInBrowser loads pages at phone and desktop widths under a strict CSP and fails
// on any console error, CSP violation or horizontal overflow.
func TestBundledLayoutInBrowser(t *testing.T) {
	out := bundledSite(t)
	files := http.FileServer(http.Dir(out))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	for _, width := range []int{360, 1280} {
		ctx, problems := browsertest.New(t, width, 800)
		for _, page := range []string{"/", "/tax/budget-2025/", "/payments/paypal-myth/", "/faq/", "/ur/", "/ur/tax/budget-2025/", "/search/", "/404.html"} {
			problems.Reset()
			var overflow bool
			var dir string
			err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page))
			if err == nil {
				overflow, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`))
			}
			if err == nil {
				dir, err = chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('main')).direction`))
			}
			if err != nil {
				t.Fatalf("%d px %s: %v", width, page, err)
			}
			if overflow {
				t.Errorf("%d px %s: the page overflows horizontally", width, page)
			}
			if want := map[bool]string{true: "rtl", false: "ltr"}[strings.HasPrefix(page, "/ur/")]; dir != want {
				t.Errorf("%d px %s: main direction %q, want %q", width, page, dir, want)
			}
			// The heading's text hugs the start edge of the main column: the right edge in Urdu.
			var gap float64
			gap, err = chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => {
				const m = document.querySelector('main'), h = m.querySelector('h1'), cs = getComputedStyle(m);
				const r = document.createRange(); r.selectNodeContents(h);
				const rs = [...r.getClientRects()], b = m.getBoundingClientRect();
				return cs.direction == 'rtl' ? (b.right - parseFloat(cs.paddingRight)) - Math.max(...rs.map(x => x.right))
				                             : Math.min(...rs.map(x => x.left)) - (b.left + parseFloat(cs.paddingLeft));
			})()`))
			if err != nil {
				t.Fatalf("%d px %s: %v", width, page, err)
			}
			if gap < -1 || gap > 2 {
				t.Errorf("%d px %s: heading text starts %.1f px from the main column's start edge", width, page, gap)
			}
			for _, p := range problems.List() {
				t.Errorf("%d px %s: %s", width, page, p)
			}
		}
	}
}
