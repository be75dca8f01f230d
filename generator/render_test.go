package generator

import (
	"bytes"
	"html/template"
	"testing"
)

// escapeURLAttr must agree with html/template, or markCurrent misses links with such URLs.
func TestEscapeURLAttrMatchesHTMLTemplate(t *testing.T) {
	attr := template.Must(template.New("").Parse(`<a href="{{.}}">`))
	for _, u := range []string{"/tax/x/", "/ur/ٹیکس/شرح/", "/a b/", "/q?x=1&y=2", `/"quoted"/`, "/100%/", "/é/"} {
		var b bytes.Buffer
		attr.Execute(&b, u)
		want := b.String()[len(`<a href="`) : b.Len()-len(`">`)]
		if got := escapeURLAttr(u); got != want {
			t.Errorf("escapeURLAttr(%q) = %q, html/template gives %q", u, got, want)
		}
	}
}

func TestMarkCurrent(t *testing.T) {
	p := &Page{RelPermalink: "/ur/ٹیکس/"}
	h := template.HTML(`<a href="/ur/">a</a><a href="` + escapeURLAttr("/ur/ٹیکس/") + `">b</a>`)
	got := string(markCurrent(h, p, "page"))
	want := `<a href="/ur/">a</a><a href="` + escapeURLAttr("/ur/ٹیکس/") + `" aria-current="page">b</a>`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}
