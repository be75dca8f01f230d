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
	"path"
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

// historySection is a page's change history as the theme renders it.
var historySection = regexp.MustCompile(`(?s)<section class="history".*?</section>`)

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

// guidePages are the guidance pages outside tax and updates: home, start here, FAQ and the
// registration, payments and training sections, as paths under content/en.
func guidePages(t *testing.T) []string {
	t.Helper()
	pages := []string{"_index.md", "start-here.md", "faq.md"}
	for _, section := range []string{"registration", "payments", "training"} {
		matches, err := filepath.Glob(filepath.Join("content", "en", section, "*.md"))
		if err != nil || len(matches) == 0 {
			t.Fatalf("section %s: no pages (%v)", section, err)
		}
		for _, m := range matches {
			rel, _ := filepath.Rel(filepath.Join("content", "en"), m)
			pages = append(pages, filepath.ToSlash(rel))
		}
	}
	return pages
}

// builtPath is where a content file's page lands in the output: x/_index.md → x/index.html,
// x/y.md → x/y/index.html.
func builtPath(lang, rel string) string {
	prefix := ""
	if lang != "en" {
		prefix = lang + "/"
	}
	if rel == "_index.md" {
		return prefix + "index.html"
	}
	if dir, file := path.Split(rel); file == "_index.md" {
		return prefix + dir + "index.html"
	}
	return prefix + strings.TrimSuffix(rel, ".md") + "/index.html"
}

var (
	summaryLine  = regexp.MustCompile(`(?m)^summary: "(.+)"$`)
	reviewedLine = regexp.MustCompile(`(?m)^reviewed: (\d{4}-\d{2}-\d{2})$`)
	rupeesLatin  = regexp.MustCompile(`Rs ?[0-9]`)
	// attrEscaper matches what html/template does to text inside an attribute.
	attrEscaper = strings.NewReplacer("&", "&amp;", "'", "&#39;", `"`, "&#34;", "<", "&lt;", ">", "&gt;", "+", "&#43;")
)

// TestBundledGuideFacts: the facts established for the guidance pages are on the built pages
// in both languages, superseded wording is gone, every page shows its summary, and every
// English page has an Urdu translation reviewed no earlier than the original.
func TestBundledGuideFacts(t *testing.T) {
	out := bundledSite(t)
	for _, tt := range []struct {
		page        string
		facts, gone []string
	}{
		{"index.html", []string{"May 2021", "Start here", "Seller Wallet"}, []string{"Taxes on goods bought from foreign platforms"}},
		{"ur/index.html", []string{"مئی 2021", `dir="rtl"`, "سیلر والیٹ"}, []string{"ڈیجیٹل ریٹیلرز پر ٹیکس۔"}},
		{"registration/amazon-3p-1p/index.html", []string{"May 2021", "6 May 2021", "3P", "1P", "negotiation", "November 2021"}, []string{"Not yet", "not yet", "newest source on Amazon and Pakistan"}},
		{"ur/registration/amazon-3p-1p/index.html", []string{"مئی 2021", "3P", "1P", "بدر خوشنود", "عبدالرزاق داؤد"}, nil},
		{"registration/alibaba-and-channel-partners/index.html", []string{"300,000", "products", "10 July 2025", "channel partner", "more than 3,000", "16 September 2022"}, []string{"We do not know."}},
		{"ur/registration/alibaba-and-channel-partners/index.html", []string{"300,000", "مصنوعات", "10 جولائی 2025", "جیمز ڈونگ", "چینل پارٹنر", "3,000 سے زیادہ", "16 ستمبر 2022"}, []string{"ہمیں معلوم نہیں۔"}},
		{"registration/do-your-homework/index.html", []string{"blacklist", "2021", "13,000"}, []string{"Honest sellers there"}},
		{"ur/registration/do-your-homework/index.html", []string{"بلیک لسٹ", "2021"}, nil},
		{"payments/paypal-myth/index.html", []string{"Amazon Currency Converter", "IBFT", "60 days", "$5,000 a month", "callout-myth", "callout-fact", "Seller Wallet"}, []string{"You need a local bank account", "Amazon can pay into a bank account in Pakistan"}},
		{"ur/payments/paypal-myth/index.html", []string{"Amazon Currency Converter", "IBFT", "60 دن", "5,000 ڈالر", "بدر خوشنود"}, nil},
		{"payments/micro-exports/index.html", []string{"13 November 2020", "$5,000", "60 days", "WeBOC", "thenews.com.pk/print/743432"}, []string{"set up this route", "dawn.com/news/1590314"}},
		{"ur/payments/micro-exports/index.html", []string{"13 نومبر 2020", "5,000 ڈالر", "60 دن", "WeBOC"}, nil},
		{"ur/payments/index.html", []string{`id="micro-exports"`}, []string{"ایکسپورٹر"}},
		{"ur/payments/myths-vs-facts/index.html", []string{"callout-myth", "callout-fact", "نومبر 2020", "یکم جولائی 2025"}, nil},
		{"payments/myths-vs-facts/index.html", []string{"1 July 2025", "foreign vendors"}, []string{"digital-retailers-income-tax"}},
		{"training/national-ecommerce-strategy/index.html", []string{"10 July 2025", "Policy 2.0", "1 October 2019", "committee"}, []string{"until the committee reports", "still stands", "is in force"}},
		{"ur/training/national-ecommerce-strategy/index.html", []string{"10 جولائی 2025", "پالیسی 2.0", "یکم اکتوبر 2019", "شہباز شریف"}, nil},
		{"training/amazon-seller-training/index.html", []string{"master trainers", "DigiSkills", "May 2020", "September 2024", "June 2025"}, nil},
		{"training/index.html", []string{"September 2024", "June 2025"}, []string{"have run since 2018", "since August 2018, including"}},
		{"ur/training/index.html", []string{"ستمبر 2024", "جون 2025"}, []string{"2018 سے چل رہے ہیں"}},
		{"ur/training/amazon-seller-training/index.html", []string{"ماسٹر ٹرینرز", "ڈیجی اسکلز", "مئی 2020", "ستمبر 2024"}, nil},
		{"training/alibaba-training/index.html", []string{"10 July 2025", "2017"}, nil},
		{"ur/training/alibaba-training/index.html", []string{"10 جولائی 2025", "2017"}, nil},
		{"faq/index.html", []string{"May 2021", "November 2020", "300,000", "3,000 Pakistani sellers", "1 July 2025", "September 2024"}, []string{"Nothing changes for sellers until", "Nobody has published a count", "It changed taxes on goods"}},
		{"ur/faq/index.html", []string{"مئی 2021", "نومبر 2020", `id="budget-2025"`, `id="need-paypal"`, "3,000 سے زیادہ", "یکم جولائی 2025"}, []string{"ڈیجیٹل ریٹیلرز پر ٹیکس بدلے"}},
	} {
		html := read(t, out, tt.page)
		for _, f := range tt.facts {
			if !strings.Contains(html, f) {
				t.Errorf("%s does not contain %q", tt.page, f)
			}
		}
		// The page's history may quote what was corrected; the guidance itself must not say it.
		body := historySection.ReplaceAllString(html, "")
		for _, f := range tt.gone {
			if strings.Contains(body, f) {
				t.Errorf("%s still contains %q", tt.page, f)
			}
		}
	}

	for _, rel := range guidePages(t) {
		en := filepath.Join("content", "en", filepath.FromSlash(rel))
		ur := filepath.Join("content", "ur", filepath.FromSlash(rel))
		reviewed := map[string]string{}
		for lang, src := range map[string]string{"en": en, "ur": ur} {
			b, err := os.ReadFile(src)
			if err != nil {
				t.Errorf("%s: %v (every English guide page needs an Urdu translation)", src, err)
				continue
			}
			html := read(t, out, builtPath(lang, rel))
			m := summaryLine.FindSubmatch(b)
			if m == nil {
				t.Errorf("%s: no summary in the front matter", src)
				continue
			}
			// The page's description meta shows the summary's start (the theme shortens it).
			start := []rune(string(m[1]))
			start = start[:min(len(start), 40)]
			if want := attrEscaper.Replace(string(start)); !strings.Contains(html, `content="`+want) {
				t.Errorf("%s: the built page does not show the summary %q", src, want)
			}
			if r := reviewedLine.FindSubmatch(b); r != nil {
				reviewed[lang] = string(r[1])
			}
			if lang == "ur" {
				body, _, _ := strings.Cut(html, `class="sources"`)
				if loc := rupeesLatin.FindStringIndex(body); loc != nil {
					t.Errorf("%s: amount in Latin rupees %q; write it as \"… روپے\"", src, body[loc[0]:min(len(body), loc[1]+4)])
				}
				for _, name := range []string{"Khushnood", "Shehbaz", "James Dong", "Dawood"} {
					if strings.Contains(body, name) {
						t.Errorf("%s: person name %q in Latin script in the Urdu text", src, name)
					}
				}
			}
		}
		if reviewed["ur"] < reviewed["en"] {
			t.Errorf("%s: Urdu reviewed %q is older than English %q", ur, reviewed["ur"], reviewed["en"])
		}
	}
}
