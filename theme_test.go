package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rahnuma/generator/browsertest"
)

// themeServer serves the bundled site under the strict policy the site promises to work under.
func themeServer(t *testing.T) (string, string) {
	t.Helper()
	out := bundledSite(t)
	files := http.FileServer(http.Dir(out))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return out, srv.URL
}

// sitePages lists the URL paths of the built site's HTML pages (redirect stubs left out); with
// kind set, only the pages whose body has that kind class.
func sitePages(t *testing.T, out, kind string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		html := string(b)
		if strings.Contains(html, `http-equiv="refresh"`) || (kind != "" && !strings.Contains(html, `<body class="kind-`+kind+`"`)) {
			return nil
		}
		rel, _ := filepath.Rel(out, p)
		rel = "/" + filepath.ToSlash(rel)
		pages = append(pages, strings.TrimSuffix(rel, "index.html"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(pages)
	return pages
}

func evalIn[T any](t *testing.T, ctx context.Context, what, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func navigate(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
}

// waitUntil polls a JavaScript condition (chromedp.Poll needs eval, which the policy forbids).
func waitUntil(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !evalIn[bool](t, ctx, what, cond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestThemeAboveFold: on a 360×800 phone the answer (the page's summary) starts in the first
// screen of every guidance page, in both languages.
func TestThemeAboveFold(t *testing.T) {
	out, base := themeServer(t)
	pages := sitePages(t, out, "page")
	if len(pages) < 20 || !slices.Contains(pages, "/ur/tax/budget-2025/") {
		t.Fatalf("only %d guidance pages found: %q", len(pages), pages)
	}
	ctx, problems := browsertest.New(t, 360, 800)
	lowest := map[bool]float64{}
	for _, page := range pages {
		problems.Reset()
		navigate(t, ctx, base+page)
		top := evalIn[float64](t, ctx, page, `(() => { const s = document.querySelector('main .summary'); return s ? s.getBoundingClientRect().top + scrollY : -1 })()`)
		ur := strings.HasPrefix(page, "/ur/")
		lowest[ur] = max(lowest[ur], top)
		switch {
		case top < 0:
			t.Errorf("%s: no summary at the top of the page", page)
		case top >= 640:
			t.Errorf("%s: the summary starts at y = %.0f at 360×800, want < 640", page, top)
		}
		for _, p := range problems.List() {
			t.Errorf("%s: %s", page, p)
		}
	}
	t.Logf("lowest summary top at 360×800: English y = %.0f, Urdu y = %.0f", lowest[false], lowest[true])
}

// TestThemeMenu: on a phone the menu is a button that opens the full navigation without script
// and names the current section; on a desktop the navigation shows without a click.
func TestThemeMenu(t *testing.T) {
	_, base := themeServer(t)
	visible := `[...document.querySelectorAll('.site-nav a')].filter(a => a.checkVisibility()).length`
	for _, tc := range []struct {
		page, current string
	}{
		{"/tax/sales-tax-courier-imports/", "Tax"},
		{"/ur/tax/budget-2025/", "ٹیکس"},
		{"/faq/", ""},
	} {
		ctx, _ := browsertest.New(t, 360, 800)
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, base+tc.page)
		links := evalIn[int](t, ctx, "links", `document.querySelectorAll('.site-nav a').length`)
		if n := evalIn[int](t, ctx, "visible links", visible); n != 0 {
			t.Errorf("%s at 360 px: %d menu links show before the menu is opened", tc.page, n)
		}
		sum := evalIn[string](t, ctx, "summary", `(() => { const s = document.querySelector('details.menu summary'), r = s.getBoundingClientRect(); return r.bottom <= innerHeight && r.right <= innerWidth && r.left >= 0 ? s.textContent : 'off-screen' })()`)
		if !strings.Contains(sum, tc.current) {
			t.Errorf("%s at 360 px: the menu button reads %q, want the current section %q", tc.page, sum, tc.current)
		}
		if err := chromedp.Do(ctx, chromedp.Click("details.menu summary")); err != nil {
			t.Fatal(err)
		}
		if n := evalIn[int](t, ctx, "visible links", visible); n != links || n < 5 {
			t.Errorf("%s at 360 px: after a tap on the menu button %d of %d links show", tc.page, n, links)
		}
		// The breadcrumb under the header names the section in full (the button may cut it short).
		if tc.current != "" {
			crumb := evalIn[string](t, ctx, "breadcrumb", `[...document.querySelectorAll('.breadcrumbs a')].filter(a => a.checkVisibility() && a.getBoundingClientRect().bottom < 300).map(a => a.textContent).join('|')`)
			if !strings.Contains(crumb, tc.current) {
				t.Errorf("%s at 360 px: the breadcrumbs near the top show %q, want the section %q", tc.page, crumb, tc.current)
			}
		}
		if tc.current != "" {
			cur := evalIn[string](t, ctx, "current", `(document.querySelector('.site-nav [aria-current]') || {}).textContent || ''`)
			if !strings.Contains(cur, tc.current) {
				t.Errorf("%s: the menu marks %q as current, want %q", tc.page, cur, tc.current)
			}
		}
		// The search box is on the first screen: one tap away.
		if top := evalIn[float64](t, ctx, "search", `document.getElementById('search-input').getBoundingClientRect().bottom`); top > 160 {
			t.Errorf("%s at 360 px: the search box ends at y = %.0f", tc.page, top)
		}
	}
	ctx, _ := browsertest.New(t, 1280, 800)
	navigate(t, ctx, base+"/tax/budget-2025/")
	if n, all := evalIn[int](t, ctx, "visible links", visible), evalIn[int](t, ctx, "links", `document.querySelectorAll('.site-nav a').length`); n != all {
		t.Errorf("at 1280 px %d of %d navigation links show without a click", n, all)
	}
}

// TestThemeSearchPage: the results page lists every result, ten to a page, and the count it
// announces is the number of results the reader can reach through its pages; the box's
// dropdown shows the best of them and links to the page. Counts use the language's plural.
func TestThemeSearchPage(t *testing.T) {
	out, base := themeServer(t)
	ctx, problems := browsertest.New(t, 1280, 800)
	type result struct {
		Count string   `json:"count"`
		Hrefs []string `json:"hrefs"`
		Next  string   `json:"next"`
	}
	read := `(() => { const n = document.querySelector('#search-page .next');
	  return {count: document.querySelector('.search-count').textContent,
	    hrefs: [...document.querySelectorAll('.search-list a')].map(a => a.href), next: n.hidden ? '' : n.href} })()`
	// all follows the results pages from the first and returns the count and every result.
	all := func(q, lang string) (string, []string) {
		t.Helper()
		u := base + "/" + lang + "search/?q=" + url.QueryEscape(q)
		var hrefs []string
		count := ""
		for i := 0; u != ""; i++ {
			if i > 20 {
				t.Fatalf("%q: more than 20 result pages", q)
			}
			navigate(t, ctx, u)
			waitUntil(t, ctx, "results for "+q, `document.querySelector('.search-count').textContent != ''`)
			r := evalIn[result](t, ctx, "results", read)
			if count != "" && r.Count != count {
				t.Errorf("%q: page %d says %q, the first said %q", q, i+1, r.Count, count)
			}
			count = r.Count
			if len(r.Hrefs) > 10 {
				t.Errorf("%q: %d results on one page", q, len(r.Hrefs))
			}
			hrefs = append(hrefs, r.Hrefs...)
			u = r.Next
		}
		return count, hrefs
	}
	count, hrefs := all("tax", "")
	if len(hrefs) <= 10 {
		t.Fatalf(`"tax" gives %d results; the test needs more than one page`, len(hrefs))
	}
	if want := fmt.Sprintf("%d results", len(hrefs)); count != want {
		t.Errorf(`"tax": the page says %q but lists %d results (%q)`, count, len(hrefs), want)
	}
	seen := map[string]bool{}
	for _, h := range hrefs {
		if seen[h] {
			t.Errorf(`"tax": %s listed twice`, h)
		}
		seen[h] = true
	}
	if evalIn[bool](t, ctx, "all pages", `!document.querySelector('.all-pages').hidden`) {
		t.Error("the list of all pages shows under the results")
	}

	// The dropdown: the best 8 (the first 8 of the results page), the same count, a link to see all.
	navigate(t, ctx, base+"/tax/budget-2025/")
	if err := chromedp.Do(ctx, chromedp.SendKeys("#search-input", "tax")); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, ctx, "the dropdown", `document.querySelectorAll('#search-results [role=option]').length == 8 && document.querySelector('[role=status]').textContent != ''`)
	type drop struct {
		Status string   `json:"status"`
		Hrefs  []string `json:"hrefs"`
		See    string   `json:"see"`
		SeeURL string   `json:"seeURL"`
	}
	d := evalIn[drop](t, ctx, "dropdown", `({status: document.querySelector('[role=status]').textContent,
	  hrefs: [...document.querySelectorAll('#search-results [role=option]')].map(a => a.href.replace(/#.*/, '')),
	  see: document.querySelector('.search-see').hidden ? '' : document.querySelector('.search-see a').textContent,
	  seeURL: document.querySelector('.search-see a').href})`)
	if d.Status != count {
		t.Errorf("the dropdown announces %q, the results page %q", d.Status, count)
	}
	if want := fmt.Sprintf("See all %d results", len(hrefs)); d.See != want {
		t.Errorf("the dropdown's link reads %q, want %q", d.See, want)
	}
	var first []string
	for _, h := range hrefs[:8] {
		first = append(first, strings.SplitN(h, "#", 2)[0])
	}
	if !slices.Equal(d.Hrefs, first) {
		t.Errorf("the dropdown shows %q, the results page starts %q", d.Hrefs, first)
	}
	// Focus leaving the form closes the results.
	if err := chromedp.Do(ctx, chromedp.Focus("main")); err != nil {
		t.Fatal(err)
	}
	if !evalIn[bool](t, ctx, "closed", `document.getElementById('search-results').hidden && document.querySelector('.search-see').hidden`) {
		t.Error("the results stay open after focus left the search form")
	}
	// Enter without a chosen result goes to the results page for the query.
	if err := chromedp.Do(ctx, chromedp.Focus("#search-input")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys("#search-input", "\r")); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, ctx, "the results page", `location.pathname == '/search/' && document.readyState == 'complete' && document.querySelector('.search-count').textContent != ''`)
	if got := evalIn[string](t, ctx, "count", `document.querySelector('.search-count').textContent`); got != count {
		t.Errorf("Enter led to a page saying %q, want %q", got, count)
	}

	// Plurals: one result reads "1 result" / "1 نتیجہ". The query is a word found on one page
	// alone, so the test follows the content as it changes.
	for _, tc := range []struct{ lang, one string }{{"", "1 result"}, {"ur/", "1 نتیجہ"}} {
		found := false
		for _, q := range rareWords(t, out, tc.lang) {
			navigate(t, ctx, base+"/"+tc.lang+"search/?q="+url.QueryEscape(q+" "))
			waitUntil(t, ctx, "results for "+q, `document.querySelector('.search-count').textContent != ''`)
			r := evalIn[result](t, ctx, "results", read)
			if len(r.Hrefs) != 1 || r.Next != "" {
				continue
			}
			found = true
			if r.Count != tc.one {
				t.Errorf("%q (%s): the page says %q for one result, want %q", q, tc.lang, r.Count, tc.one)
			}
			break
		}
		if !found {
			t.Errorf("no word finds exactly one %s page: cannot check the singular", tc.lang)
		}
	}
	for _, p := range problems.List() {
		t.Error(p)
	}
}

// TestThemeNoScriptSearch: without script the search form leads to a page that says search
// needs JavaScript and lists every page.
func TestThemeNoScriptSearch(t *testing.T) {
	out, base := themeServer(t)
	var english int
	for _, p := range sitePages(t, out, "page") {
		if !strings.HasPrefix(p, "/ur/") {
			english++
		}
	}
	ctx, _ := browsertest.New(t, 360, 800)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, base+"/search/?q=tax")
	text := evalIn[string](t, ctx, "text", `document.querySelector('main').innerText`)
	if !strings.Contains(text, "Search needs JavaScript") {
		t.Errorf("the results page without script does not say search needs JavaScript:\n%s", text)
	}
	if n := evalIn[int](t, ctx, "links", `document.querySelectorAll('.all-pages li a').length`); n != english {
		t.Errorf("the results page without script lists %d pages, the site has %d", n, english)
	}
}

// TestThemeUrduMainThread reports how long the main thread is busy loading the Urdu page on a
// phone-sized window (Nastaliq shaping is the cost to watch); it fails only past 2 s.
func TestThemeUrduMainThread(t *testing.T) {
	_, base := themeServer(t)
	ctx, _ := browsertest.New(t, 360, 800)
	if _, err := chromedp.Call(ctx, performance.Enable, performance.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, base+"/ur/tax/budget-2025/")
	res, err := chromedp.Call(ctx, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics
	vals := map[string]float64{}
	for _, x := range m {
		vals[x.Name] = x.Value
	}
	b, _ := json.Marshal(map[string]float64{"TaskDuration": vals["TaskDuration"], "LayoutDuration": vals["LayoutDuration"], "RecalcStyleDuration": vals["RecalcStyleDuration"], "ScriptDuration": vals["ScriptDuration"]})
	t.Logf("/ur/tax/budget-2025/ at 360×800, seconds: %s", b)
	if vals["TaskDuration"] > 2 {
		t.Errorf("the main thread was busy %.2f s loading the Urdu page", vals["TaskDuration"])
	}
}

// axeSource reads axe-core from RAHNUMA_AXE (npm install axe-core@4; the path of axe.min.js).
// Without it the test is skipped, except under CI=true.
func axeSource(t *testing.T) string {
	t.Helper()
	p := os.Getenv("RAHNUMA_AXE")
	if p == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("RAHNUMA_AXE must name axe-core's axe.min.js under CI=true")
		}
		t.Skip("RAHNUMA_AXE not set: npm install --prefix DIR axe-core@4 and set it to DIR/node_modules/axe-core/axe.min.js")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type axeViolation struct {
	ID      string     `json:"id"`
	Impact  string     `json:"impact"`
	Help    string     `json:"help"`
	Targets [][]string `json:"targets"`
}

// runAxe injects axe-core into the page (from Go: the page's policy forbids inline script,
// so it is evaluated through the protocol) and returns its violations.
func runAxe(t *testing.T, ctx context.Context, src string) []axeViolation {
	t.Helper()
	evalIn[bool](t, ctx, "inject axe", "(() => { if (!window.axe) { "+src+"\n}; return true })()")
	const run = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, resultTypes: ['violations']})
	  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.map(String))})))`
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	return v
}

// TestThemeAxe: axe-core finds no violation on any page of the bundled site in either language,
// light and dark, and none with the search results open.
func TestThemeAxe(t *testing.T) {
	src := axeSource(t)
	out, base := themeServer(t)
	pages := sitePages(t, out, "")
	ctx, cancel := context.WithTimeout(browsertest.Tab(t, 1280, 800), 10*time.Minute)
	defer cancel()
	report := func(where string, vs []axeViolation) {
		t.Helper()
		for _, v := range vs {
			t.Errorf("%s: %s (%s): %s at %q", where, v.ID, v.Impact, v.Help, v.Targets)
		}
	}
	for _, scheme := range []string{"light", "dark"} {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		}); err != nil {
			t.Fatal(err)
		}
		for _, page := range append(pages, "/search/?q=tax", "/ur/search/?q=IBFT") {
			navigate(t, ctx, base+page)
			if strings.Contains(page, "?q=") {
				waitUntil(t, ctx, "results", `document.querySelector('.search-count').textContent != ''`)
			}
			report(scheme+" "+page, runAxe(t, ctx, src))
		}
		// With the search results open.
		for _, tc := range []struct{ page, q string }{{"/tax/budget-2025/", "tax"}, {"/ur/", "ٹیکس"}} {
			navigate(t, ctx, base+tc.page)
			if err := chromedp.Do(ctx, chromedp.SendKeys("#search-input", tc.q)); err != nil {
				t.Fatal(err)
			}
			waitUntil(t, ctx, "results", `!document.getElementById('search-results').hidden && document.querySelectorAll('#search-results [role=option]').length > 0`)
			// An option chosen with the arrow key, as a keyboard reader sees it.
			if err := chromedp.Do(ctx, chromedp.SendKeys("#search-input", kb.ArrowDown)); err != nil {
				t.Fatal(err)
			}
			report(scheme+" "+tc.page+" with results open", runAxe(t, ctx, src))
		}
	}
}

var (
	mainText = regexp.MustCompile(`(?s)<main[^>]*>(.*)</main>`)
	anyTag   = regexp.MustCompile(`<[^>]*>`)
)

// rareWords are words found on exactly one page of a language (lang "" or "ur/"), longest first:
// queries that should find one page.
func rareWords(t *testing.T, out, lang string) []string {
	t.Helper()
	df := map[string]int{}
	for _, p := range sitePages(t, out, "") {
		if strings.HasPrefix(p, "/ur/") != (lang == "ur/") || strings.Contains(p, "search/") || strings.Contains(p, "404") {
			continue
		}
		m := mainText.FindStringSubmatch(read(t, out, strings.TrimPrefix(p, "/")+map[bool]string{true: "", false: "index.html"}[strings.HasSuffix(p, ".html")]))
		if m == nil {
			continue
		}
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(anyTag.ReplaceAllString(m[1], " ")), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) }) {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	var words []string
	for w, n := range df {
		if n == 1 && len([]rune(w)) >= 6 {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	slices.SortStableFunc(words, func(a, b string) int { return len([]rune(b)) - len([]rune(a)) })
	return words[:min(len(words), 30)]
}

// TestBundledAnchorsHaveHref: every link in the built pages leads somewhere without script, so
// crawlers and readers without JavaScript can follow it (script may refine the address).
func TestBundledAnchorsHaveHref(t *testing.T) {
	out := bundledSite(t)
	anchor := regexp.MustCompile(`<a\b[^>]*>`)
	for _, page := range sitePages(t, out, "") {
		rel := strings.TrimPrefix(page, "/")
		if rel == "" || strings.HasSuffix(rel, "/") {
			rel += "index.html"
		}
		for _, a := range anchor.FindAllString(read(t, out, rel), -1) {
			if !strings.Contains(a, " href=") {
				t.Errorf("%s: %s has no href", page, a)
			}
		}
	}
}
