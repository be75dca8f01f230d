package markdown

import (
	"strings"
	"testing"
)

// TestTableAccessibility: an empty corner header cell is a td (a th must name something), and
// two tables on a page are regions with different names.
func TestTableAccessibility(t *testing.T) {
	src := "|   | 2024 | 2025 |\n|---|---|---|\n| Rate | 5% | 18% |\n\n| Item | Limit |\n|---|---|\n| Parcel | Rs500 |\n"
	doc := convert(t, Options{}, Context{}, src)
	for _, want := range []string{
		"<thead>\n<tr>\n<td></td>\n<th>2024</th>",
		`aria-label="Table: 2024, 2025"`,
		`aria-label="Table: Item, Limit"`,
	} {
		if !strings.Contains(doc.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, doc.HTML)
		}
	}
	if strings.Contains(doc.HTML, "<th></th>") {
		t.Errorf("empty header cell:\n%s", doc.HTML)
	}
}
