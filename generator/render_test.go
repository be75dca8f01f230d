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

// markCurrentParts cuts a fragment where the attribute goes: at the link itself, not at a
// longer URL it prefixes or a mention of it outside an href.
func TestMarkCurrentParts(t *testing.T) {
	h := template.HTML(`<p>/tax/</p><a href="/tax/x/">x</a><a href="/tax/">t</a><a href="/">h</a>`)
	for _, c := range []struct {
		url, before, after string
	}{
		{"/tax/", `<p>/tax/</p><a href="/tax/x/">x</a><a href="/tax/"`, `>t</a><a href="/">h</a>`},
		{"/", `<p>/tax/</p><a href="/tax/x/">x</a><a href="/tax/">t</a><a href="/"`, `>h</a>`},
		{"/nowhere/", string(h), ""},
	} {
		m := markCurrentParts(h, &Page{RelPermalink: c.url}, "page")
		if string(m.Before) != c.before || string(m.After) != c.after {
			t.Errorf("%s: cut as %q | %q", c.url, m.Before, m.After)
		}
		if want := template.HTML(` aria-current="page"`); c.after != "" && m.Mark != want || c.after == "" && m.Mark != "" {
			t.Errorf("%s: mark %q", c.url, m.Mark)
		}
		if got := markCurrent(h, &Page{RelPermalink: c.url}, "page"); got != m.Before+m.Mark+m.After {
			t.Errorf("%s: markCurrent gives %q", c.url, got)
		}
	}
	if m := markCurrentParts(h, nil, "page"); m.Before != h || m.Mark != "" || m.After != "" {
		t.Errorf("nil page: %+v", m)
	}
}
