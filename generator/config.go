package generator

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/pelletier/go-toml/v2"
)

// Config is site.toml. Every field has a default, so a site without the file builds.
type Config struct {
	Title           string              `toml:"title"`
	BaseURL         string              `toml:"baseURL"`
	DefaultLanguage string              `toml:"defaultLanguage"`
	Languages       map[string]Language `toml:"languages"`
	// ReviewDays is how old a `reviewed` date may be before a page shows "may be out of date".
	ReviewDays int `toml:"reviewDays"`
	// PolicySections must cite sources and carry a reviewed date (`check`).
	PolicySections []string `toml:"policySections"`
	// UnsafeHTML lets raw HTML in Markdown through. Off by default.
	UnsafeHTML bool `toml:"unsafeHTML"`
	// FeedLimit is the number of entries in each Atom feed.
	FeedLimit int `toml:"feedLimit"`
	// SearchWeights scales how search ranks the pages of a section ("updates" = 0.5 puts
	// short news entries below the guides that explain the same thing). 1 is the default.
	SearchWeights map[string]float64 `toml:"searchWeights"`
	Params        map[string]any     `toml:"params"`
	// RenderTimeout is the time limit of one page's render, e.g. "10s" (DefaultRenderTimeout).
	RenderTimeout string `toml:"renderTimeout"`

	base          *url.URL
	renderTimeout time.Duration
}

// Language is one entry of [languages.<code>].
type Language struct {
	Code      string `toml:"-"`
	Name      string `toml:"name"`
	Title     string `toml:"title"`     // site title in this language; falls back to Config.Title
	Direction string `toml:"direction"` // "ltr" or "rtl"
	Weight    int    `toml:"weight"`
	// DateFormat is a Go layout; month names are translated for the language.
	DateFormat string `toml:"dateFormat"`
	// Digits writes dates and numbers in the theme with "latin" (default) or "urdu" digits
	// (Extended Arabic-Indic, ۰–۹).
	Digits string `toml:"digits"`
}

const configFile = "site.toml"

// parseConfig decodes site.toml (data may be nil) and fills in defaults.
func parseConfig(data []byte) (*Config, error) {
	cfg := &Config{}
	if data != nil {
		dec := toml.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(cfg); err != nil {
			return nil, configError(err)
		}
	}
	if cfg.Title == "" {
		cfg.Title = "Rahnuma"
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "/"
	}
	if cfg.ReviewDays == 0 {
		cfg.ReviewDays = 180
	}
	if cfg.FeedLimit == 0 {
		cfg.FeedLimit = 20
	}
	for _, sec := range sortedKeys(cfg.SearchWeights) {
		if w := cfg.SearchWeights[sec]; !validSearchWeight(w) {
			return nil, &Error{File: configFile, Msg: fmt.Sprintf("searchWeights.%s = %v: want a number above 0 and at most %v", sec, w, maxSearchWeight)}
		}
	}
	if cfg.PolicySections == nil {
		cfg.PolicySections = []string{"registration", "payments", "tax", "training"}
	}
	if len(cfg.Languages) == 0 {
		code := cfg.DefaultLanguage
		if code == "" {
			code = "en"
		}
		cfg.Languages = map[string]Language{code: {}}
	}
	for code, l := range cfg.Languages {
		l.Code = code
		if l.Name == "" {
			l.Name = code
		}
		if l.Direction == "" {
			l.Direction = "ltr"
		}
		if l.Direction != "ltr" && l.Direction != "rtl" {
			return nil, &Error{File: configFile, Msg: fmt.Sprintf("languages.%s.direction must be \"ltr\" or \"rtl\", not %q", code, l.Direction)}
		}
		if l.Title == "" {
			l.Title = cfg.Title
		}
		if l.Digits == "" {
			l.Digits = "latin"
		}
		if l.Digits != "latin" && l.Digits != "urdu" {
			return nil, &Error{File: configFile, Msg: fmt.Sprintf("languages.%s.digits must be \"latin\" or \"urdu\", not %q", code, l.Digits)}
		}
		if l.DateFormat == "" {
			l.DateFormat = "2 January 2006"
		}
		cfg.Languages[code] = l
	}
	if cfg.DefaultLanguage == "" {
		cfg.DefaultLanguage = cfg.LanguageList()[0].Code
	}
	if _, ok := cfg.Languages[cfg.DefaultLanguage]; !ok {
		return nil, &Error{File: configFile, Msg: fmt.Sprintf("defaultLanguage %q is not among [languages]", cfg.DefaultLanguage)}
	}
	if err := cfg.SetBaseURL(cfg.BaseURL); err != nil {
		return nil, &Error{File: configFile, Line: baseURLLine(data), Msg: err.Error()}
	}
	cfg.renderTimeout = DefaultRenderTimeout
	if cfg.RenderTimeout != "" {
		d, err := time.ParseDuration(cfg.RenderTimeout)
		if err != nil || d <= 0 {
			return nil, &Error{File: configFile, Msg: fmt.Sprintf("renderTimeout %q: want a duration such as \"10s\"", cfg.RenderTimeout)}
		}
		cfg.renderTimeout = d
	}
	return cfg, nil
}

// SetBaseURL validates and installs a base URL ("https://host/sub/" or "/sub/"). Its error
// names neither site.toml nor the flag: the caller knows where the value came from.
func (c *Config) SetBaseURL(raw string) error {
	u, err := parseBaseURL(raw)
	if err != nil {
		return err
	}
	c.BaseURL = u.String()
	c.base = u
	return nil
}

// parseBaseURL accepts http://host/path/, https://host/path/ (a host, no user, query or
// fragment) or a path starting with a single "/". Anything else could send every link, the
// sitemap and robots.txt to another site: "//evil.example/" is an address, not a path, and so
// is "/\evil.example/" to a browser.
func parseBaseURL(raw string) (*url.URL, error) {
	bad := func(why string) error {
		return fmt.Errorf("baseURL %q %s: want http://host/path/, https://host/path/ or /path/", raw, why)
	}
	for _, r := range raw {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) {
			return nil, bad(fmt.Sprintf("contains %q", r))
		}
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, bad("does not parse")
	case u.Scheme == "" && u.Host != "", strings.HasPrefix(raw, "//"):
		return nil, bad("is an address on another site (it starts with //)")
	case u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https", u.Opaque != "":
		return nil, bad("has a scheme other than http or https")
	case u.Scheme != "" && u.Hostname() == "":
		return nil, bad("has no host")
	case u.Scheme != "" && !validHost(u.Hostname()):
		return nil, bad("has a host name with characters a host name cannot have (write an international name in its xn-- form)")
	case u.User != nil:
		return nil, bad("has a user name")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(raw, "?#"):
		return nil, bad("has a query or fragment")
	case u.Scheme == "" && !strings.HasPrefix(u.Path, "/"):
		return nil, bad("is neither an http(s) address nor a path starting with /")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path
	}
	// Checked on the decoded path: "/%2F/evil.example/" would print as "//evil.example/".
	if u.Path != "/" {
		for _, seg := range strings.Split(u.Path[1:len(u.Path)-1], "/") {
			if seg == "" || seg == "." || seg == ".." {
				return nil, bad("has an empty, . or .. path segment")
			}
		}
	}
	return u, nil
}

// validHost accepts a DNS name (ASCII letters, digits, '-' and '.') or an IP address.
func validHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// baseURLLine finds the line of the top-level baseURL key in site.toml (0 when not found):
// the decoder gives no positions for values it accepted.
func baseURLLine(data []byte) int {
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			return 0 // a table: the key is not top-level past here
		}
		for _, k := range []string{"baseURL", `"baseURL"`, "'baseURL'"} {
			if rest, ok := strings.CutPrefix(t, k); ok && strings.HasPrefix(strings.TrimSpace(rest), "=") {
				return i + 1
			}
		}
	}
	return 0
}

// BasePath is the path part of the base URL, always with leading and trailing slash.
func (c *Config) BasePath() string { return c.base.Path }

// Absolute reports whether the base URL names a host (needed for feeds and sitemaps).
func (c *Config) Absolute() bool { return c.base.Host != "" }

// LanguageList returns languages by weight, then code; the default first on ties.
func (c *Config) LanguageList() []Language {
	out := make([]Language, 0, len(c.Languages))
	for _, l := range c.Languages {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Weight != out[j].Weight {
			return out[i].Weight < out[j].Weight
		}
		if (out[i].Code == c.DefaultLanguage) != (out[j].Code == c.DefaultLanguage) {
			return out[i].Code == c.DefaultLanguage
		}
		return out[i].Code < out[j].Code
	})
	return out
}

func configError(err error) error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return &Error{File: configFile, Line: row, Msg: de.Error()}
	}
	var se *toml.StrictMissingError
	if errors.As(err, &se) {
		var list ErrorList
		for _, e := range se.Errors {
			row, _ := e.Position()
			list.Add(configFile, row, "unknown key %q%s", strings.Join(e.Key(), "."), didYouMean(e.Key()[len(e.Key())-1], configKeys))
		}
		return list
	}
	return &Error{File: configFile, Msg: err.Error()}
}

var configKeys = []string{"title", "baseURL", "defaultLanguage", "languages", "reviewDays", "policySections", "unsafeHTML", "feedLimit", "searchWeights", "params", "renderTimeout", "name", "direction", "weight", "dateFormat", "digits"}

// maxSearchWeight bounds search weights: past it one page would drown every other match.
const maxSearchWeight = 4

func validSearchWeight(w float64) bool { return w > 0 && w <= maxSearchWeight }
