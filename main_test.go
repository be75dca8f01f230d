package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rahnuma/generator"
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
		{"tax/index.html", []string{"12 June 2026", "1.25%", "1%", "2%", "Rs1,000", "withdrawn"}},
		{"tax/budget-2025/index.html", []string{"18%", "5%", "Rs500", "Rs5,000", "Rs1,000", "26 June", "1 July 2025", "SRO 1366(I)/2025", "FBR", "<table>", "callout-warning", "from within Pakistan", "1.25%"}},
		{"tax/sales-tax-courier-imports/index.html", []string{"18%", "Rs1,000", "could not confirm", "2%", "from within Pakistan"}},
		{"tax/digital-presence-proceeds-tax/index.html", []string{"5%", "Digital Presence Proceeds Tax", "foreign vendors", "SRO 1366(I)/2025", "1 July 2025", "31 July 2025", "12 June 2026", `href="https://www.fbr.gov.pk/"`}},
		{"tax/digital-retailers-income-tax/index.html", []string{`url=https://rahnuma.example.org/tax/digital-presence-proceeds-tax/`}},
		{"tax/duty-free-threshold/index.html", []string{"Rs1,000", "Rs5,000", "Rs500", "1 July 2025", "post or courier"}},
		{"tax/online-sellers-tax/index.html", []string{"1%", "2%", "NTN", "1 July 2025", "cash on delivery", "Rs200,000", "11 February 2026", "Tier-1", "1.25%", `href="https://www.fbr.gov.pk/"`}},
		{"training/amazon-seller-training/index.html", []string{"aster trainer"}},
		{"training/national-ecommerce-strategy/index.html", []string{"committee"}},
		{"faq/index.html", []string{"PayPal"}},
		{"updates/index.html", []string{"Alibaba", "dppt-withdrawn", "budget-2026-27", "online-seller-tax-regime", "duty-free-limit-rs1000"}},
		{"updates/dppt-withdrawn/index.html", []string{"SRO 1366(I)/2025", "1 July 2025", "30 July 2025", "31 July 2025"}},
		{"updates/duty-free-limit-rs1000/index.html", []string{"Rs1,000", "Rs500"}},
		{"updates/online-seller-tax-regime/index.html", []string{"1%", "2%", "register", "11 February 2026"}},
		{"updates/budget-2026-27/index.html", []string{"12 June 2026", "FY2026-27", "1.25%", "June 2029", "Rs1,000", "unconfirmed"}},
		{"ur/index.html", []string{`lang="ur"`, `dir="rtl"`}},
		{"ur/payments/paypal-myth/index.html", []string{"IBFT", `dir="rtl"`}},
		{"ur/tax/index.html", []string{"12 جون 2026", "1.25 فیصد", "1,000 روپے"}},
		{"ur/tax/budget-2025/index.html", []string{"18 فیصد", "1,000 روپے", "5,000 روپے", "500 روپے", "1366", "ایف بی آر", "1.25 فیصد", `dir="rtl"`}},
		{"ur/tax/digital-presence-proceeds-tax/index.html", []string{"5 فیصد", "ڈیجیٹل پریزنس پروسیڈز ٹیکس", "1366", "1 جولائی 2025", "31 جولائی 2025"}},
		{"ur/tax/duty-free-threshold/index.html", []string{"1,000 روپے", "5,000 روپے", "500 روپے", "1 جولائی 2025"}},
		{"ur/tax/online-sellers-tax/index.html", []string{"1 فیصد", "2 فیصد", "ایف بی آر", "1 جولائی 2025", "200,000 روپے", "11 فروری 2026", "1.25 فیصد"}},
		{"ur/tax/sales-tax-courier-imports/index.html", []string{"18 فیصد", "1,000 روپے", "2 فیصد", "پاکستان کے اندر سے"}},
		{"ur/updates/dppt-withdrawn/index.html", []string{"1366", "1 جولائی 2025", "30 جولائی 2025"}},
		{"ur/updates/online-seller-tax-regime/index.html", []string{"11 فروری 2026"}},
		{"ur/updates/budget-2026-27/index.html", []string{"12 جون 2026", "1.25 فیصد", "جون 2029", "1,000 روپے"}},
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
				if strings.Contains(html, `http-equiv="refresh"`) {
					continue // an alias: the old URL of a renamed page redirects to it
				}
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

// TestBundledPolicyPagesComplete: every policy page in every language answers up front (summary);
// tax pages, which describe rules, say when the rule took effect and cite dated, titled sources,
// the newest within the review period of the page's review (a rule page reviewed today on old
// sources may describe a rule that has since moved); and the tax and updates sections exist in
// Urdu page for page, reviewed no earlier than English and citing the same sources.
func TestBundledPolicyPagesComplete(t *testing.T) {
	site, err := generator.Load(context.Background(), source("."), generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	policies := 0
	have := map[string]bool{} // lang + "\x00" + key
	for _, p := range site.Pages() {
		if p.File == "" {
			continue
		}
		have[p.Lang+"\x00"+p.Key] = true
		if !p.IsPolicy() {
			continue
		}
		policies++
		if strings.TrimSpace(p.Summary) == "" {
			t.Errorf("%s: no summary", p.File)
		}
		if p.Section == "tax" && p.Effective.IsZero() {
			t.Errorf("%s: rule page without `effective`", p.File)
		}
		if p.Section != "tax" {
			continue
		}
		for _, s := range p.Sources {
			if s.Title == "" || s.Publisher == "" || s.Date.IsZero() || strings.Contains(s.Title, "[Untitled]") {
				t.Errorf("%s: source %q lacks a real title, a publisher or a date", p.File, s.Title)
			}
		}
		if age := p.Reviewed.Sub(p.NewestSource()); age > time.Duration(site.ReviewDays())*24*time.Hour {
			t.Errorf("%s: reviewed %s but its newest source is from %s: look for a current source on the page's topic", p.File, p.Reviewed.Format("2006-01-02"), p.NewestSource().Format("2006-01-02"))
		}
	}
	if policies < 10 {
		t.Errorf("only %d policy pages found", policies)
	}
	for _, p := range site.Pages() {
		if p.File == "" || p.Lang != "en" || (p.Section != "tax" && p.Section != "updates") {
			continue
		}
		if !have["ur\x00"+p.Key] {
			t.Errorf("%s has no Urdu translation", p.File)
		}
		for _, u := range p.Translations {
			if u.Lang != "ur" {
				continue
			}
			if u.Reviewed.Before(p.Reviewed) {
				t.Errorf("%s: reviewed %s, before its original %s (%s)", u.File, u.Reviewed.Format("2006-01-02"), p.File, p.Reviewed.Format("2006-01-02"))
			}
			if en, ur := sourceList(p), sourceList(u); en != ur {
				t.Errorf("%s cites other sources than %s:\n en: %s\n ur: %s", u.File, p.File, en, ur)
			}
		}
	}
}

// sourceList names a page's sources in order (title, date, URL), to compare translations.
func sourceList(p *generator.Page) string {
	var b strings.Builder
	for _, s := range p.Sources {
		fmt.Fprintf(&b, "%s|%s|%s; ", s.Title, s.Date.Format("2006-01-02"), s.URL)
	}
	return b.String()
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
