package generator

import "testing"

func TestIgnoredName(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"page.md", false},
		{"_index.md", false},
		{"tax", false},
		{".page.md.swp", true},
		{"page.md.swp", true},
		{"page.md~", true},
		{"#page.md#", true},
		{".git", true},
		{".DS_Store", true},
		{"upload.tmp", true},
	} {
		if got := IgnoredName(tc.name); got != tc.want {
			t.Errorf("IgnoredName(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
