package search

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"rahnuma/generator/browsertest"
)

const csp = "default-src 'self'"

// testSite writes an index per language, search.js and a page for every
// document (plus /guide/ and the /guide/search/ fallback) under dir/guide.
type testSite struct {
	dir       string
	searchers map[string]*Searcher
}

type siteLang struct {
	lang, home string
	docs       []Doc
	none, cnt  string
}

var siteLangs = []siteLang{
	{"en", "/guide/", englishDocs(), "No results", "{n} results"},
	{"ur", "/guide/ur/", urduDocs(), "کوئی نتیجہ نہیں", "{n} نتائج"},
}

func writeSite(t *testing.T) *testSite {
	t.Helper()
	ts := &testSite{dir: t.TempDir(), searchers: map[string]*Searcher{}}
	write := func(name string, data []byte) {
		p := filepath.Join(ts.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The pages load search.js minified, as the generator ships it.
	_, min := clientSource(t)
	write("guide/js/search.js", min)
	for _, sl := range siteLangs {
		ix, s := mustBuild(t, sl.docs, sl.lang)
		ts.searchers[sl.lang] = s
		for name, data := range ix.Files {
			write("guide/search/"+sl.lang+"/"+name, data)
		}
		var opts strings.Builder
		seen := map[string]bool{}
		for _, d := range sl.docs {
			if d.SectionKey != "" && !seen[d.SectionKey] {
				seen[d.SectionKey] = true
				fmt.Fprintf(&opts, `<option value="%s">%s</option>`, html.EscapeString(d.SectionKey), html.EscapeString(d.Section))
			}
		}
		form := fmt.Sprintf(`<form role="search" class="search" action="%ssearch/" data-index="/guide/search/%s/%s" data-lang="%s"
      data-msg-none="%s" data-msg-count="%s" data-msg-loading="Searching…">
  <label for="search-input" class="visually-hidden">Search the guidance</label>
  <input type="search" id="search-input" name="q" placeholder="Search…" autocomplete="off"
         role="combobox" aria-expanded="false" aria-controls="search-results" aria-autocomplete="list">
  <select name="section" aria-label="Section"><option value="">All sections</option>%s</select>
  <p class="search-status visually-hidden" role="status" aria-live="polite"></p>
  <ul id="search-results" role="listbox" hidden></ul>
</form>`, sl.home, sl.lang, ix.Manifest, sl.lang, sl.none, sl.cnt, opts.String())
		page := func(title string) []byte {
			return []byte(`<!doctype html><html lang="` + sl.lang + `"><head><meta charset="utf-8"><title>` + html.EscapeString(title) +
				`</title><script src="/guide/js/search.js" defer></script></head><body>` + form +
				`<main><h1>` + html.EscapeString(title) + `</h1><p>Text.</p></main></body></html>`)
		}
		write(strings.TrimPrefix(sl.home, "/")+"index.html", page("Home"))
		write(strings.TrimPrefix(sl.home, "/")+"search/index.html", page("Search"))
		for _, d := range sl.docs {
			write(strings.TrimPrefix(d.URL, "/")+"index.html", page(d.Title))
		}
	}
	// A page that breaks the policy, to prove violations are noticed.
	write("guide/csp-probe/index.html", []byte(`<!doctype html><html><head><meta charset="utf-8"><title>probe</title></head><body><p style="color:red">x</p></body></html>`))
	// A page outside the policy for evaluating the client's internals.
	write("harness/index.html", []byte(`<!doctype html><html><head><meta charset="utf-8"><title>harness</title></head><body></body></html>`))
	return ts
}

// uiState is what the reader sees of a search form.
type uiState struct {
	Status string   `json:"status"`
	Hidden bool     `json:"hidden"`
	Items  []uiItem `json:"items"`
}

type uiItem struct {
	Href     string   `json:"href"`
	Title    string   `json:"title"`
	Section  string   `json:"section"`
	Excerpt  string   `json:"excerpt"`
	Marks    []string `json:"marks"`
	Selected string   `json:"selected"`
}

const readState = `(() => {
  const f = document.querySelector('form[role=search]'), ul = f.querySelector('[role=listbox]')
  return {status: f.querySelector('[role=status]').textContent, hidden: ul.hidden,
    items: [...ul.querySelectorAll('[role=option]')].map(li => ({href: li.href,
      title: li.querySelector('.search-title').textContent, section: li.querySelector('.search-section').textContent,
      excerpt: li.querySelector('.search-excerpt').textContent, marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
      selected: li.getAttribute('aria-selected')}))}
})()`

// expected is the state the client must show for a query, from the Go engine.
func expected(t *testing.T, s *Searcher, sl siteLang, origin, q, sec string) uiState {
	t.Helper()
	r, err := s.Search(q, sec)
	if err != nil {
		t.Fatal(err)
	}
	st := uiState{Status: sl.none, Hidden: len(r.Hits) == 0, Items: []uiItem{}}
	if r.Total > 0 {
		st.Status = strings.ReplaceAll(sl.cnt, "{n}", fmt.Sprint(r.Total))
	}
	for _, h := range r.Hits {
		sec := h.Section
		if h.Heading != "" {
			sec += " › " + h.Heading
		}
		marks := h.Marks
		if marks == nil {
			marks = []string{}
		}
		st.Items = append(st.Items, uiItem{Href: origin + h.URL, Title: h.Title, Section: sec, Excerpt: h.Excerpt, Marks: marks, Selected: "false"})
	}
	return st
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", expr, err)
	}
	return v
}

// waitFor polls cond (a JavaScript expression) from Go: chromedp.Poll builds
// its predicate with new Function, which the page's policy forbids.
func waitFor(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !eval[bool](t, ctx, cond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitState polls the form until it shows want.
func waitState(t *testing.T, ctx context.Context, what string, want uiState, problems func() []string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := eval[uiState](t, ctx, readState)
		if reflect.DeepEqual(got, want) {
			return
		}
		if time.Now().After(deadline) {
			g, _ := json.MarshalIndent(got, "", "  ")
			w, _ := json.MarshalIndent(want, "", "  ")
			t.Fatalf("%s: the page shows\n%s\nbut the Go engine gives\n%s\nconsole: %q", what, g, w, problems())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBrowser(t *testing.T) {
	ctx := browsertest.Tab(t, 1024, 768)
	site := writeSite(t)
	files := http.FileServer(http.Dir(site.dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/harness/") {
			w.Header().Set("Content-Security-Policy", csp)
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()

	var mu sync.Mutex
	var problems, requests []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+(&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, fmt.Sprintf("log %s/%s: %s %s", e.Entry.Source, e.Entry.Level, e.Entry.Text, e.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			requests = append(requests, strings.TrimPrefix(e.Request.URL, srv.URL))
		}
	}); err != nil {
		t.Fatal(err)
	}
	takeProblems := func() []string {
		mu.Lock()
		defer mu.Unlock()
		p := problems
		problems = nil
		return p
	}
	searchRequests := func() []string {
		mu.Lock()
		defer mu.Unlock()
		var r []string
		for _, u := range requests {
			if strings.Contains(u, "/search/en/") || strings.Contains(u, "/search/ur/") {
				r = append(r, u)
			}
		}
		return r
	}
	nav := func(path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path)); err != nil {
			t.Fatal(err)
		}
	}

	// The detector must see a violation of the policy.
	nav("/guide/csp-probe/")
	deadline := time.Now().Add(3 * time.Second)
	for {
		p := takeProblems()
		if slices.ContainsFunc(p, func(s string) bool { return strings.Contains(s, "Content Security Policy") }) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the inline style of the probe page was not reported as a policy violation; saw %q", p)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The client's text analysis equals Go's: evaluate its internals on a page
	// outside the policy, from the source with its closure opened.
	t.Run("analysis", func(t *testing.T) {
		nav("/harness/")
		src, err := os.ReadFile(clientPath)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.TrimSpace(string(src))
		if !strings.HasSuffix(body, "})()") {
			t.Fatal("search.js no longer ends with its closure's call; update this test")
		}
		body = strings.TrimSuffix(body, "})()") + "return {norm, seg, stem, loose}})()"
		eval[bool](t, ctx, "(window.rahnumaTest = "+body+", true)")

		words := testdataLines(t, "stemwords.txt")
		wj, _ := json.Marshal(words)
		stems := eval[[]string](t, ctx, "JSON.parse("+jsString(string(wj))+").map(w => rahnumaTest.stem(w))")
		for i, w := range words {
			if want := key(w, "en"); stems[i] != want {
				t.Errorf("stem(%q): client %q, Go %q", w, stems[i], want)
			}
		}
		lines := testdataLines(t, "terms.txt")
		for _, l := range lines {
			for _, lang := range []string{"en", "ur"} {
				expr := fmt.Sprintf(`(() => { const T = rahnumaTest, s = %s
				  return T.seg(T.norm(s)).filter(t => t[0].length <= 48).map(t => %q == 'en' && /^[a-z]+$/.test(t[0]) ? T.stem(t[0]) : t[0]) })()`, jsString(l), lang)
				got := eval[[]string](t, ctx, expr)
				want := Terms(l, lang)
				if want == nil {
					want = []string{}
				}
				if !slices.Equal(got, want) {
					t.Errorf("Terms(%q, %q): client %q, Go %q", l, lang, got, want)
				}
			}
			gotLoose := eval[[]string](t, ctx, fmt.Sprintf(`rahnumaTest.seg(rahnumaTest.norm(%s)).map(t => rahnumaTest.loose(t[0]))`, jsString(l)))
			var wantLoose []string
			for _, tk := range segment(normalize(l)) {
				wantLoose = append(wantLoose, loose(tk.word))
			}
			if wantLoose == nil {
				wantLoose = []string{}
			}
			if !slices.Equal(gotLoose, wantLoose) {
				t.Errorf("loose(%q): client %q, Go %q", l, gotLoose, wantLoose)
			}
		}
	})
	globals := eval[[]string](t, ctx, "Object.getOwnPropertyNames(window)")

	en, ur := siteLangs[0], siteLangs[1]
	nav("/guide/")
	waitFor(t, ctx, "the page to load", "document.readyState == 'complete'")
	if r := searchRequests(); len(r) > 0 {
		t.Fatalf("index files fetched before the search box was focused: %q", r)
	}
	if extra := eval[[]string](t, ctx, fmt.Sprintf("Object.getOwnPropertyNames(window).filter(n => !%s.includes(n))", mustJSON(globals))); len(extra) > 0 {
		t.Errorf("search.js added globals: %q", extra)
	}

	// "/" focuses the box, which fetches the manifest and nothing else.
	press(t, ctx, "/", "Slash", 191, "/")
	waitFor(t, ctx, "focus on the search box", "document.activeElement && document.activeElement.id == 'search-input'")
	waitFor(t, ctx, "the manifest request", "performance.getEntriesByType('resource').some(e => e.name.includes('/search/en/manifest-'))")
	if r := searchRequests(); len(r) != 1 || !strings.Contains(r[0], "manifest-") {
		t.Fatalf("focus fetched %q, want only the manifest", r)
	}
	if v := eval[string](t, ctx, "document.getElementById('search-input').value"); v != "" {
		t.Fatalf(`"/" was typed into the box: %q`, v)
	}

	// Typing shows the Go engine's results.
	if err := chromedp.Do(ctx, chromedp.SendKeys("#search-input", "sales tax")); err != nil {
		t.Fatal(err)
	}
	want := expected(t, site.searchers["en"], en, srv.URL, "sales tax", "")
	if len(want.Items) == 0 || want.Items[0].Href != srv.URL+"/guide/tax/sales-tax/" {
		t.Fatalf(`Go ranks %+v first for "sales tax"`, want.Items)
	}
	waitState(t, ctx, `typing "sales tax"`, want, takeProblems)
	if n := eval[int](t, ctx, "document.querySelectorAll('#search-results mark').length"); n == 0 {
		t.Error("no <mark> in the results")
	}
	if v := eval[string](t, ctx, "document.getElementById('search-input').getAttribute('aria-expanded')"); v != "true" {
		t.Errorf("aria-expanded = %q with results shown", v)
	}

	setQuery := func(q string) {
		eval[bool](t, ctx, fmt.Sprintf(`(() => { const i = document.getElementById('search-input'); i.value = %s; i.dispatchEvent(new Event('input')); return true })()`, jsString(q)))
	}
	setSection := func(k string) {
		eval[bool](t, ctx, fmt.Sprintf(`(() => { const s = document.querySelector('select[name=section]'); s.value = %s; s.dispatchEvent(new Event('change')); return true })()`, jsString(k)))
	}
	queries := []string{
		"sales tax ", "regis", "registering ", "Rs 500", "rs500", "18%", "3P", "IBFT", "courier", "curiers ",
		"refnuds ", `"sales tax"`, `"tax sales"`, `"sales tax`, "tax: return", "pay:cash", "cash", "inventory",
		"zzzzzz", "wallet", "withholding tax", "the", "FBR’s IRIS", "SALES-TAX", "seller's", "x",
	}
	for _, q := range queries {
		setQuery(q)
		waitState(t, ctx, fmt.Sprintf("query %q", q), expected(t, site.searchers["en"], en, srv.URL, q, ""), takeProblems)
	}
	setSection("pay")
	setQuery("cash")
	waitState(t, ctx, `"cash" in section pay`, expected(t, site.searchers["en"], en, srv.URL, "cash", "pay"), takeProblems)
	setSection("")

	// A query that arrives in one input event after a pause (a paste) is answered at once;
	// the 100 ms wait is only for keystrokes in quick succession. changes types the values
	// one after another in one go and returns when the list changed, in ms after the first.
	changes := func(qs ...string) []float64 {
		qj, _ := json.Marshal(qs)
		eval[bool](t, ctx, fmt.Sprintf(`(() => { const i = document.getElementById('search-input'), ul = document.getElementById('search-results'), t0 = performance.now()
		  window.__mt = []
		  if (window.__mo) window.__mo.disconnect()
		  window.__mo = new MutationObserver(() => window.__mt.push(performance.now() - t0))
		  window.__mo.observe(ul, {childList: true})
		  for (const q of %s) { i.value = q; i.dispatchEvent(new Event('input')) }
		  return true })()`, qj))
		waitFor(t, ctx, fmt.Sprintf("results for %q", qs), "window.__mt.length > 0")
		time.Sleep(300 * time.Millisecond)
		return eval[[]float64](t, ctx, "window.__mt")
	}
	// A debounced box could never answer in under 100 ms; one run under that (of three, for
	// a busy machine) shows it searched at once.
	var first []float64
	for _, q := range []string{"couriers", "cash", "inventory"} {
		time.Sleep(150 * time.Millisecond)
		first = append(first, changes(q)[0])
	}
	if slices.Min(first) >= 100 {
		t.Errorf("a pasted query took %v ms to show results: the box waited instead of searching at once", first)
	}
	// "cas" after a pause runs at once; "cash" right after it waits, so the list changes last
	// no sooner than 100 ms after.
	time.Sleep(150 * time.Millisecond)
	if mt := changes("cas", "cash"); slices.Max(mt) < 100 {
		t.Errorf("a keystroke right after another showed its results after %v ms, before the 100 ms wait", mt)
	}
	waitState(t, ctx, `"cash" typed quickly after "cas"`, expected(t, site.searchers["en"], en, srv.URL, "cash", ""), takeProblems)

	// Keyboard: arrows move the selection, Escape closes, Enter follows.
	setQuery("couriers")
	want = expected(t, site.searchers["en"], en, srv.URL, "couriers", "")
	waitState(t, ctx, `query "couriers"`, want, takeProblems)
	if len(want.Items) < 2 {
		t.Fatalf(`want two results for "couriers", Go gives %d`, len(want.Items))
	}
	active := `(() => { const i = document.getElementById('search-input'), a = i.getAttribute('aria-activedescendant'),
	  li = a && document.getElementById(a); return li ? [...i.form.querySelectorAll('[role=option]')].indexOf(li) + ':' + li.getAttribute('aria-selected') : 'none' })()`
	press(t, ctx, "ArrowDown", "ArrowDown", 40, "")
	press(t, ctx, "ArrowDown", "ArrowDown", 40, "")
	press(t, ctx, "ArrowUp", "ArrowUp", 38, "")
	if got := eval[string](t, ctx, active); got != "0:true" {
		t.Errorf("after Down, Down, Up the active option is %s, want 0:true", got)
	}
	press(t, ctx, "Escape", "Escape", 27, "")
	if !eval[bool](t, ctx, "document.getElementById('search-results').hidden") {
		t.Error("Escape did not close the results")
	}
	if v := eval[string](t, ctx, "document.getElementById('search-input').getAttribute('aria-expanded')"); v != "false" {
		t.Errorf("aria-expanded = %q with the results closed", v)
	}
	press(t, ctx, "ArrowDown", "ArrowDown", 40, "")
	if got := eval[string](t, ctx, active); got != "0:true" {
		t.Errorf("after Escape and Down the active option is %s, want 0:true", got)
	}
	press(t, ctx, "Enter", "Enter", 13, "\r")
	waitFor(t, ctx, "navigation to the first result", fmt.Sprintf("location.href == %s && document.readyState == 'complete'", jsString(want.Items[0].Href)))

	// The fallback page runs the query in its URL.
	nav("/guide/search/?q=ibft")
	waitState(t, ctx, "the fallback page with ?q=ibft", expected(t, site.searchers["en"], en, srv.URL, "ibft", ""), takeProblems)

	// Urdu: folds, lenient matching of contested letters, Urdu digits.
	nav("/guide/ur/")
	waitFor(t, ctx, "the Urdu page to load", "document.readyState == 'complete'")
	if err := chromedp.Do(ctx, chromedp.Focus("#search-input")); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"کتاب", "كتاب ", "آم", "ام", "کوئی", "کوی", "کی", "۱۸٪", "18%", "سیلز ٹیکس", "ٹیک", "ريكارڈ", "رجسٹریشن", "رجسٹریشین "} {
		setQuery(q)
		waitState(t, ctx, fmt.Sprintf("Urdu query %q", q), expected(t, site.searchers["ur"], ur, srv.URL, q, ""), takeProblems)
	}

	if p := takeProblems(); len(p) > 0 {
		t.Errorf("console errors or policy violations:\n%s", strings.Join(p, "\n"))
	}
}

// press types one key as a real keyboard does: one keyDown carrying its text
// (so that preventDefault on keydown stops the text), then keyUp.
func press(t *testing.T, ctx context.Context, key, code string, vk int64, text string) {
	t.Helper()
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeRawKeyDown, Key: key, Code: code, WindowsVirtualKeyCode: vk}
	if text != "" {
		down.Type, down.Text, down.UnmodifiedText = input.DispatchKeyEventTypeKeyDown, text, text
	}
	up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: key, Code: code, WindowsVirtualKeyCode: vk}
	for _, p := range []input.DispatchKeyEventParams{down, up} {
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
			t.Fatalf("key %s: %v", key, err)
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
