package generator

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// FrontMatter is the metadata block at the top of a content file.
type FrontMatter struct {
	Title, Description, Summary string
	Slug, URL, Layout           string
	TranslationKey              string
	Date, Lastmod               time.Time
	PublishDate, ExpiryDate     time.Time
	Reviewed, Effective         time.Time
	// Withdrawn is the day a rule stopped applying; Status says where a rule stands
	// (one of ruleStatuses) when the dates alone do not.
	Withdrawn time.Time
	Status    string
	Draft     bool
	Weight    int
	// SearchWeight scales how search ranks this page (0: the section's weight from site.toml).
	SearchWeight  float64
	Aliases, Tags []string
	Sources       []SourceRef
	// Changes is the page's history for readers: what changed in the guidance and when.
	Changes []Change
	Params  map[string]any

	// Lines maps each key to the line it was set on, for later diagnostics.
	Lines map[string]int
}

// SourceRef is one entry of `sources`: where a page's facts come from.
type SourceRef struct {
	Title, Publisher, URL string
	Date                  time.Time
}

// Change is one entry of `changes`: a dated note of what changed on the page.
type Change struct {
	Date time.Time
	Note string
}

// ruleStatuses are the values `status` takes.
var ruleStatuses = []string{"proposed", "in-force", "withdrawn", "replaced", "unsettled"}

var frontMatterKeys = []string{
	"title", "description", "date", "lastmod", "draft", "weight", "slug", "url", "aliases", "tags",
	"summary", "reviewed", "effective", "sources", "translationKey", "expiryDate", "publishDate",
	"params", "layout", "status", "withdrawn", "changes", "searchWeight",
}

var sourceKeys = []string{"title", "publisher", "date", "url"}

// splitFrontMatter separates a `---` (YAML) or `+++` (TOML) block from the body.
// bodyLine is the 1-based line where the body starts. A file without a block is all body.
func splitFrontMatter(src []byte) (format string, fm []byte, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	var delim string
	switch {
	case hasDelimLine(src, "---"):
		format, delim = "yaml", "---"
	case hasDelimLine(src, "+++"):
		format, delim = "toml", "+++"
	default:
		return "", nil, src, 1, nil
	}
	// Skip the opening line.
	rest := src[bytes.IndexByte(src, '\n')+1:]
	line := 2
	for off := 0; off <= len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if end < 0 {
			l = rest[off:]
		} else {
			l = rest[off : off+end]
		}
		if string(bytes.TrimRight(l, " \t\r")) == delim {
			fm = rest[:off]
			if end < 0 {
				return format, fm, nil, line + 1, nil
			}
			return format, fm, rest[off+end+1:], line + 1, nil
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	return format, nil, nil, 0, &Error{Line: 1, Msg: fmt.Sprintf("front matter: opening %q is never closed", delim)}
}

func hasDelimLine(src []byte, delim string) bool {
	nl := bytes.IndexByte(src, '\n')
	if nl < 0 {
		return false
	}
	return string(bytes.TrimRight(src[:nl], " \t\r")) == delim
}

// field is one decoded key with the line it came from (1-based within the file).
type field struct {
	key   string
	value any
	line  int
}

// parseFrontMatter decodes a front matter block. firstLine is the file line of the block's first
// line. Every problem is reported, each with its line.
func parseFrontMatter(format string, data []byte, firstLine int) (*FrontMatter, ErrorList) {
	var fields []field
	var errs ErrorList
	switch format {
	case "yaml":
		fields, errs = yamlFields(data, firstLine)
	case "toml":
		fields, errs = tomlFields(data, firstLine)
	}
	fm := &FrontMatter{Lines: map[string]int{}}
	for _, f := range fields {
		fm.Lines[f.key] = f.line
		if err := fm.set(f); err != "" {
			errs = append(errs, &Error{Line: f.line, Msg: "front matter: " + err})
		}
	}
	return fm, errs
}

func yamlFields(data []byte, firstLine int) ([]field, ErrorList) {
	var errs ErrorList
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, ErrorList{{Line: firstLine + yamlErrLine(err) - 1, Msg: "front matter: " + cleanYAMLErr(err)}}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if hasAlias(root) {
		return nil, ErrorList{{Line: firstLine, Msg: "front matter: YAML anchors and aliases are not allowed"}}
	}
	if root.Kind != yaml.MappingNode {
		return nil, ErrorList{{Line: firstLine + root.Line - 1, Msg: "front matter: want key: value pairs"}}
	}
	var fields []field
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		line := firstLine + k.Line - 1
		if prev, dup := seen[k.Value]; dup {
			errs.Add("", line, "front matter: duplicate key %q (first on line %d)", k.Value, prev)
			continue
		}
		seen[k.Value] = line
		var val any
		if err := v.Decode(&val); err != nil {
			errs.Add("", line, "front matter: %s: %s", k.Value, cleanYAMLErr(err))
			continue
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!timestamp" {
			val = v.Value // dates are parsed by our own rules
		}
		fields = append(fields, field{key: k.Value, value: val, line: line})
	}
	return fields, errs
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlErrLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n := 0
		fmt.Sscan(m[1], &n)
		if n > 0 {
			return n
		}
	}
	return 1
}

func cleanYAMLErr(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = yamlLineRE.ReplaceAllString(strings.TrimPrefix(s, "unmarshal errors:\n  "), "")
	return strings.TrimLeft(s, ": ")
}

func tomlFields(data []byte, firstLine int) ([]field, ErrorList) {
	var m map[string]any
	if err := toml.Unmarshal(data, &m); err != nil {
		var de *toml.DecodeError
		line := firstLine
		if errors.As(err, &de) {
			row, _ := de.Position()
			line = firstLine + row - 1
		}
		return nil, ErrorList{{Line: line, Msg: "front matter: " + err.Error()}}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := bytes.Split(data, []byte("\n"))
	fields := make([]field, 0, len(keys))
	for _, k := range keys {
		line := firstLine
		for i, l := range lines {
			t := bytes.TrimSpace(l)
			if bytes.HasPrefix(t, []byte(k)) {
				r := bytes.TrimSpace(t[len(k):])
				if bytes.HasPrefix(r, []byte("=")) {
					line = firstLine + i
					break
				}
			}
			if string(t) == "["+k+"]" || string(t) == "[["+k+"]]" {
				line = firstLine + i
				break
			}
		}
		v := m[k]
		if lt, ok := v.(toml.LocalDate); ok {
			v = lt.String()
		}
		fields = append(fields, field{key: k, value: v, line: line})
	}
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].line < fields[j].line })
	return fields, nil
}

// set assigns one field, returning a message when the key or its type is wrong.
func (fm *FrontMatter) set(f field) string {
	str := func(dst *string) string {
		s, ok := f.value.(string)
		if !ok {
			return fmt.Sprintf("%s: want text, got %s", f.key, describe(f.value))
		}
		*dst = s
		return ""
	}
	date := func(dst *time.Time) string {
		t, err := parseDate(f.value)
		if err != "" {
			return f.key + ": " + err
		}
		*dst = t
		return ""
	}
	list := func(dst *[]string) string {
		switch v := f.value.(type) {
		case []any:
			out := make([]string, 0, len(v))
			for _, x := range v {
				s, ok := x.(string)
				if !ok {
					return fmt.Sprintf("%s: want a list of text, found %s", f.key, describe(x))
				}
				out = append(out, s)
			}
			*dst = out
			return ""
		default:
			return fmt.Sprintf("%s: want a list like [a, b], got %s", f.key, describe(f.value))
		}
	}
	switch f.key {
	case "title":
		return str(&fm.Title)
	case "description":
		return str(&fm.Description)
	case "summary":
		return str(&fm.Summary)
	case "slug":
		return str(&fm.Slug)
	case "url":
		return str(&fm.URL)
	case "layout":
		return str(&fm.Layout)
	case "translationKey":
		return str(&fm.TranslationKey)
	case "date":
		return date(&fm.Date)
	case "lastmod":
		return date(&fm.Lastmod)
	case "publishDate":
		return date(&fm.PublishDate)
	case "expiryDate":
		return date(&fm.ExpiryDate)
	case "reviewed":
		return date(&fm.Reviewed)
	case "effective":
		return date(&fm.Effective)
	case "withdrawn":
		return date(&fm.Withdrawn)
	case "status":
		s, ok := f.value.(string)
		if !ok || !slices.Contains(ruleStatuses, s) {
			return fmt.Sprintf("status: want one of %s, got %s", strings.Join(ruleStatuses, ", "), describe(f.value))
		}
		fm.Status = s
	case "changes":
		items, ok := f.value.([]any)
		if !ok {
			return fmt.Sprintf("changes: want a list of {date, note}, got %s", describe(f.value))
		}
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok || len(m) != 2 {
				return fmt.Sprintf("changes[%d]: want {date, note}, got %s", i, describe(it))
			}
			var c Change
			var msg string
			if v, ok := m["date"]; !ok {
				msg = "missing date"
			} else {
				c.Date, msg = parseDate(v)
			}
			if note, ok := m["note"].(string); msg == "" && (!ok || strings.TrimSpace(note) == "") {
				msg = "want a note: text saying what changed"
			} else {
				c.Note = note
			}
			if msg != "" {
				return fmt.Sprintf("changes[%d]: %s", i, msg)
			}
			fm.Changes = append(fm.Changes, c)
		}
	case "draft":
		b, ok := f.value.(bool)
		if !ok {
			return fmt.Sprintf("draft: want true or false, got %s", describe(f.value))
		}
		fm.Draft = b
	case "weight":
		switch v := f.value.(type) {
		case int:
			fm.Weight = v
		case int64:
			fm.Weight = int(v)
		default:
			return fmt.Sprintf("weight: want a whole number, got %s", describe(f.value))
		}
	case "searchWeight":
		switch v := f.value.(type) {
		case int:
			fm.SearchWeight = float64(v)
		case int64:
			fm.SearchWeight = float64(v)
		case float64:
			fm.SearchWeight = v
		}
		if !validSearchWeight(fm.SearchWeight) {
			return fmt.Sprintf("searchWeight: want a number above 0 and at most %v, got %s", maxSearchWeight, describe(f.value))
		}
	case "aliases":
		return list(&fm.Aliases)
	case "tags":
		return list(&fm.Tags)
	case "params":
		m, ok := f.value.(map[string]any)
		if !ok {
			return fmt.Sprintf("params: want a map, got %s", describe(f.value))
		}
		fm.Params = m
	case "sources":
		items, ok := f.value.([]any)
		if !ok {
			return fmt.Sprintf("sources: want a list of {title, publisher, date, url}, got %s", describe(f.value))
		}
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				return fmt.Sprintf("sources[%d]: want {title, publisher, date, url}, got %s", i, describe(it))
			}
			var s SourceRef
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				v := m[k]
				if lt, ok := v.(toml.LocalDate); ok {
					v = lt.String()
				}
				var msg string
				switch k {
				case "title", "publisher", "url":
					text, ok := v.(string)
					if !ok {
						msg = fmt.Sprintf("%s: want text, got %s", k, describe(v))
					}
					switch k {
					case "title":
						s.Title = text
					case "publisher":
						s.Publisher = text
					case "url":
						s.URL = text
						if text != "" && !strings.HasPrefix(text, "https://") && !strings.HasPrefix(text, "http://") {
							msg = fmt.Sprintf("url: %q is not an http(s) address", text)
						}
					}
				case "date":
					if s.Date, msg = parseDate(v); msg != "" {
						msg = "date: " + msg
					}
				default:
					msg = fmt.Sprintf("unknown key %q%s", k, didYouMean(k, sourceKeys))
				}
				if msg != "" {
					return fmt.Sprintf("sources[%d]: %s", i, msg)
				}
			}
			if s.Title == "" {
				return fmt.Sprintf("sources[%d]: missing title", i)
			}
			fm.Sources = append(fm.Sources, s)
		}
	default:
		return fmt.Sprintf("unknown key %q%s", f.key, didYouMean(f.key, frontMatterKeys))
	}
	return ""
}

func parseDate(v any) (time.Time, string) {
	switch t := v.(type) {
	case toml.LocalDate:
		return parseDate(t.String())
	case time.Time:
		return t.UTC(), ""
	case string:
		for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
			if d, err := time.Parse(layout, strings.TrimSpace(t)); err == nil {
				return d.UTC(), ""
			}
		}
		return time.Time{}, fmt.Sprintf("%q is not a date (want YYYY-MM-DD)", t)
	default:
		return time.Time{}, fmt.Sprintf("want a date (YYYY-MM-DD), got %s", describe(v))
	}
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("text %q", x)
	case bool:
		return fmt.Sprintf("%v", x)
	case int, int64, uint64, float64:
		return fmt.Sprintf("the number %v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// didYouMean suggests the closest known key, if any is close.
func didYouMean(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(key), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
