package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"testing"
	"time"
)

// page is a site with one content page whose layout is the given page.html.
func limitSite(layouts map[string]string, toml string) map[string][]byte {
	files := map[string][]byte{"content/a.md": []byte("---\ntitle: A\n---\nText.\n")}
	if toml != "" {
		files["site.toml"] = []byte(toml)
	}
	for name, text := range layouts {
		files["layouts/"+name] = []byte(text)
	}
	return files
}

// TestTemplateLimits: layouts that recurse or loop without end fail the build with a problem at
// the template's line, promptly, instead of crashing the process with a stack overflow or
// hanging it.
func TestTemplateLimits(t *testing.T) {
	const fast = `renderTimeout = "300ms"` + "\n"
	tests := []struct {
		name    string
		layouts map[string]string
		toml    string
		want    string
	}{
		{"template calls itself", map[string]string{
			"page.html": "{{define \"main\"}}\n{{template \"main\" .}}{{end}}",
		}, "", "layouts/page.html:2: template: template and partial calls nest deeper than 64"},
		{"partialCached calls itself", map[string]string{
			"page.html":       `{{define "main"}}{{partialCached "partials/x.html" .Lang .}}{{end}}`,
			"partials/x.html": "<p>\n\n{{partialCached \"partials/x.html\" .Lang .}}",
		}, "", "layouts/partials/x.html:3: template: template and partial calls nest deeper than 64"},
		{"partials call each other", map[string]string{
			"page.html":       `{{define "main"}}{{template "partials/x.html" .}}{{end}}`,
			"partials/x.html": "{{partialCached \"partials/y.html\" .Lang .}}",
			"partials/y.html": "\n{{template \"partials/x.html\" .}}",
		}, "", "layouts/partials/x.html:1: template: template and partial calls nest deeper than 64"},
		{"partialCached with a computed name", map[string]string{
			"page.html":       `{{define "main"}}{{template "partials/x.html" .}}{{end}}`,
			"partials/x.html": "{{partialCached (printf \"partials/%s.html\" \"x\") .Lang .}}",
		}, "", "layouts/partials/x.html:1: template: template and partial calls nest deeper than 64"},
		{"range over a huge number", map[string]string{
			"page.html": "{{define \"main\"}}\n\n{{range 100000000000}}{{end}}{{end}}",
		}, fast, "layouts/page.html:3: template: content/a.md did not render within 300ms (a loop that does not end? renderTimeout in site.toml sets the limit)"},
		{"nested ranges", map[string]string{
			"page.html": "{{define \"main\"}}{{range 100000}}{{range 100000}}{{.}}{{end}}{{end}}{{end}}",
		}, fast, "layouts/page.html:1: template: content/a.md did not render within 300ms"},
		{"calls that double at each level", map[string]string{
			"page.html": `{{define "main"}}{{template "t" 0}}{{end}}` + "\n" +
				`{{define "t"}}{{if lt . 60}}{{template "t" (add . 1)}}{{template "t" (add . 1)}}{{end}}{{end}}`,
		}, fast, "layouts/page.html:2: template: content/a.md did not render within 300ms"},
		{"loop that prints", map[string]string{
			"page.html": `{{define "main"}}{{range 100000000000}}` + strings.Repeat("x", 1000) + `{{end}}{{end}}`,
		}, "", "content/a.md: template: the page's output passed 64 MB with layout layouts/page.html (a loop that does not end?)"},
		{"loop that prints in a partial", map[string]string{
			"page.html":       `{{define "main"}}{{partialCached "partials/x.html" .Lang .}}{{end}}`,
			"partials/x.html": `{{range 100000000000}}{{"` + strings.Repeat("y", 1000) + `"}}{{end}}`,
		}, "", "content/a.md: template: the page's output passed 64 MB with layout layouts/page.html"},
		{"loop in a partial", map[string]string{
			"page.html":       `{{define "main"}}{{partialCached "partials/x.html" .Lang .}}{{end}}`,
			"partials/x.html": "{{range 100000000000}}x{{end}}",
		}, fast, "layouts/partials/x.html:1: template: content/a.md did not render within 300ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A guard against hanging, not a speed test: the limits end these in well under a
			// second on an idle machine, and a shared one may be many times slower.
			done := make(chan error, 1)
			go func() {
				_, _, err := buildFS(t, mapFS(limitSite(tc.layouts, tc.toml)), Options{})
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				t.Fatal("the build did not end")
			}
			if err == nil {
				t.Fatal("build succeeded")
			}
			if got := err.Error(); !strings.Contains(got, tc.want) {
				t.Errorf("got:\n%s\nwant it to contain:\n%s", got, tc.want)
			}
			if len(err.Error()) > 1000 {
				t.Errorf("message of %d bytes: each level of the recursion repeats it?", len(err.Error()))
			}
		})
	}
}

// TestTemplateRecursionWithinLimit: a template may call itself, as a tree of sections does, as
// long as it ends within the depth limit.
func TestTemplateRecursionWithinLimit(t *testing.T) {
	layouts := map[string]string{"page.html": `{{define "main"}}{{template "count" 0}}{{end}}` +
		`{{define "count"}}[{{.}}{{if lt . 60}}{{template "count" (add . 1)}}{{end}}]{{end}}`}
	out, _, err := buildFS(t, mapFS(limitSite(layouts, "")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Files["a/index.html"], []byte("[59[60]]")) {
		t.Error("recursion 60 deep did not render")
	}
}

// TestHiddenFunctionsNotCallable: a theme cannot call the functions that enforce the limits
// (one that lowers the depth count would let recursion overflow the stack again).
func TestHiddenFunctionsNotCallable(t *testing.T) {
	for _, name := range []string{rangeFunc, rangePairFunc, tickFunc, enterFunc, leaveFunc} {
		layouts := map[string]string{"page.html": `{{define "main"}}{{` + name + `}}{{end}}`}
		_, _, err := buildFS(t, mapFS(limitSite(layouts, "")), Options{})
		if err == nil || !strings.Contains(err.Error(), `function "`+name+`" not defined`) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestRenderTimeoutSetting: renderTimeout in site.toml and Options.RenderTimeout set the limit;
// a bad value is a problem of site.toml.
func TestRenderTimeoutSetting(t *testing.T) {
	loop := map[string]string{"page.html": `{{define "main"}}{{range 100000000000}}{{end}}{{end}}`}
	_, _, err := buildFS(t, mapFS(limitSite(loop, `renderTimeout = "10m"`)), Options{RenderTimeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "did not render within 200ms") {
		t.Errorf("Options.RenderTimeout did not override site.toml: %v", err)
	}
	for _, bad := range []string{`"often"`, `"-1s"`, `"0s"`} {
		_, _, err := buildFS(t, mapFS(limitSite(nil, "renderTimeout = "+bad)), Options{})
		if err == nil || !strings.Contains(err.Error(), "site.toml: renderTimeout "+bad+`: want a duration such as "10s"`) {
			t.Errorf("renderTimeout = %s: %v", bad, err)
		}
	}
	cfg, err := parseConfig(nil)
	if err != nil || cfg.renderTimeout != DefaultRenderTimeout {
		t.Errorf("default limit %v, %v", cfg.renderTimeout, err)
	}
}

// TestCancelStopsRender: cancelling a build stops a render that loops, and the build returns
// the cancellation, not a problem of the site.
func TestCancelStopsRender(t *testing.T) {
	loop := map[string]string{"page.html": `{{define "main"}}{{range 100000000000}}{{end}}{{end}}`}
	s, err := Load(context.Background(), Source{Site: mapFS(limitSite(loop, "")), Theme: themeFS()}, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.Render(ctx)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("cancelled render took %v", took)
	}
	var list ErrorList
	if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &list) {
		t.Errorf("got %v, want the context's error", err)
	}
}

// TestGuardPrintsNothing: the hidden calls change no byte of the output, in every context
// html/template escapes for, in ranges over every kind of value and around template calls
// that recurse or fan out.
func TestGuardPrintsNothing(t *testing.T) {
	const text = `{{define "x"}}<b title={{.}}>{{.}}</b>{{end}}` +
		`{{define "tree"}}({{.}}{{if lt . 3}}{{template "tree" (add . 1)}}{{template "tree" (add . 2)}}{{end}}){{end}}` +
		`{{define "f0"}}{{template "f1" .}}{{template "f1" .}}{{end}}{{define "f1"}}{{template "f2" .}}{{template "f2" .}}{{end}}` +
		`{{define "f2"}}{{template "f3" .}}{{template "f3" .}}{{end}}{{define "f3"}}{{template "f4" .}}{{template "f4" .}}{{end}}` +
		`{{define "f4"}}{{template "f5" .}}{{template "f5" .}}{{end}}{{define "f5"}}{{template "f6" .}}{{template "f6" .}}{{end}}` +
		`{{define "f6"}}{{template "f7" .}}{{template "f7" .}}{{end}}{{define "f7"}}.{{end}}` +
		`{{with .S}}<a href={{range .}}{{.}}{{end}} title="{{range .}}{{template "x" .}}{{end}}" data-x={{range .}}{{end}}>` +
		`{{range $i, $e := .}}{{$i}}{{template "x" $e}}{{else}}none{{end}}</a>` +
		`<script>var v = [{{range .}}{{.}},{{end}}]; var w = {{range .}}{{end}};</script>` +
		`<style>p { color: {{range .}}{{.}}{{end}} }</style>` +
		`<p {{range .}}{{end}}>{{range .}}{{if .}}{{template "x" .}}{{end}}{{break}}{{end}}</p>{{end}}` +
		`{{range .N}}{{.}}{{end}}|{{range $i := .N}}{{$i}}{{continue}}{{end}}|{{range $i = .N}}{{end}}{{$i}}|` +
		`{{range .Missing}}x{{else}}none{{end}}|{{range .M}}{{.}}{{end}}|{{range $k, $v := .M}}{{$k}}={{$v}}{{end}}|` +
		`{{range .P}}{{.}}{{end}}|{{range .U}}{{.}}{{end}}|{{template "tree" 0}}|{{template "f0"}}`
	n := 7
	for _, data := range []map[string]any{
		{"S": nil, "N": 0, "M": map[string]int(nil), "P": []int(nil), "U": uint8(0)},
		{"S": []string{"a<b", "javascript:x", "red"}, "N": 3, "M": map[string]int{"b": 2, "a": 1}, "P": &n, "U": uint8(4)},
		{"S": []any{1, "x"}, "N": int64(-2), "M": map[int]string{2: "two"}, "P": []int{5}, "U": uintptr(2)},
		{"S": []int{}, "N": 1500, "M": map[string]int{}, "P": []int{}, "U": uint16(1100)}, // iterators, not slices
	} {
		plain := template.Must(template.New("t").Funcs(template.FuncMap{"add": func(a, b int) int { return a + b }}).Parse(`{{$i := 0}}` + text))
		var want bytes.Buffer
		if err := plain.Execute(&want, data); err != nil {
			t.Fatal(err)
		}
		guarded := template.Must(template.New("t").Funcs(template.FuncMap{"add": func(a, b int) int { return a + b }}).Parse(`{{$i := 0}}` + text))
		guardSet(guarded)
		r := &runner{ctx: context.Background()}
		guarded.Funcs(r.funcs())
		r.deadline = time.Now().Add(time.Hour)
		var got bytes.Buffer
		if err := guarded.Execute(&got, data); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("data %v:\nguarded: %s\nplain:   %s", data, got.String(), want.String())
		}
		if r.depth != 0 {
			t.Errorf("depth %d after the render", r.depth)
		}
	}
}

// TestGuardPlacement: hidden calls go where work can pile up, and nowhere else: the theme's
// calls of partials that do not recurse get none.
func TestGuardPlacement(t *testing.T) {
	set := template.Must(template.New("t").Parse(`{{template "leaf" .}}{{template "rec" 3}}{{template "wide" .}}` +
		`{{define "leaf"}}{{range .}}{{.}}{{end}}{{end}}` +
		`{{define "rec"}}{{if .}}{{template "rec" 0}}{{end}}{{end}}` +
		`{{define "wide"}}{{template "w1" .}}{{template "w1" .}}{{end}}` +
		`{{define "w1"}}{{template "w2" .}}{{template "w2" .}}{{end}}{{define "w2"}}{{template "w3" .}}{{template "w3" .}}{{end}}` +
		`{{define "w3"}}{{template "w4" .}}{{template "w4" .}}{{end}}{{define "w4"}}{{template "w5" .}}{{template "w5" .}}{{end}}` +
		`{{define "w5"}}{{template "w6" .}}{{template "w6" .}}{{end}}{{define "w6"}}{{template "leaf" .}}{{end}}`))
	guardSet(set)
	want := map[string]string{
		"t":    `{{template "leaf" .}}{{template "rec" 3}}{{template "wide" .}}`,
		"leaf": `{{range . | _rahnumaRange "t:1:87"}}{{.}}{{end}}`,
		"wide": `{{if _rahnumaTick}}{{end}}{{template "w1" .}}{{if _rahnumaTick}}{{end}}{{template "w1" .}}`,
		"w2":   `{{template "w3" .}}{{template "w3" .}}`,
		"rec":  `{{if .}}{{if _rahnumaEnter}}{{end}}{{template "rec" 0}}{{if _rahnumaLeave}}{{end}}{{end}}`,
		"w6":   `{{template "leaf" .}}`,
	}
	for name, w := range want {
		if got := set.Lookup(name).Tree.Root.String(); got != w {
			t.Errorf("%s:\ngot  %s\nwant %s", name, got, w)
		}
	}
}

// BenchmarkGuardedRange: what the hidden calls cost a range of 1000 over a slice and over an
// integer.
//
//	go test ./generator -run '^$' -bench GuardedRange
func BenchmarkGuardedRange(b *testing.B) {
	for _, over := range []any{make([]int, 1000), 1000} {
		for _, guard := range []bool{false, true} {
			b.Run(fmt.Sprintf("%T/guarded=%v", over, guard), func(b *testing.B) {
				t := template.Must(template.New("t").Parse(`{{range .}}{{end}}`))
				if guard {
					guardSet(t)
				}
				t.Funcs((&runner{ctx: context.Background(), deadline: time.Now().Add(time.Hour)}).funcs())
				for b.Loop() {
					if err := t.Execute(&bytes.Buffer{}, over); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
