package generator

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A site is written on one system and checked out, built and served on others, so every name
// it holds or writes must work on Windows, macOS and Linux alike. These rules refuse the names
// one of them cannot hold, wherever the site is built.

// maxNameBytes is the longest file or folder name: Linux and macOS hold 255 bytes of UTF-8
// (Windows 255 UTF-16 units, never fewer characters).
const maxNameBytes = 255

// maxPathChars bounds paths inside the site folder and inside the output folder. Windows
// programs (Explorer, Git without core.longpaths, zip tools) fail past 260 characters for the
// whole path; 200 leaves 60 for the folder the site or its output sits in.
const maxPathChars = 200

// windowsDevices are the names Windows reserves for devices, with or without an extension.
var windowsDevices = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true,
	"COM0": true, "COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true,
	"COM7": true, "COM8": true, "COM9": true, "COM¹": true, "COM²": true, "COM³": true,
	"LPT0": true, "LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true,
	"LPT7": true, "LPT8": true, "LPT9": true, "LPT¹": true, "LPT²": true, "LPT³": true,
}

// unportableName says why one file or folder name cannot be held on every system, or returns
// "" when it can.
func unportableName(name string) string {
	if len(name) > maxNameBytes {
		return fmt.Sprintf("name %q is %d bytes long; file systems hold at most %d", abbreviate(name), len(name), maxNameBytes)
	}
	for i := 0; i < len(name); i++ { // bytes of multi-byte UTF-8 are all >= 0x80
		switch c := name[i]; {
		case c < 0x20 || c == 0x7f:
			return fmt.Sprintf("name %q contains the control character %U", name, rune(c))
		case windowsReserved[c]:
			return fmt.Sprintf("name %q contains %q, which Windows does not allow in names", name, rune(c))
		}
	}
	if strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") {
		return fmt.Sprintf("name %q ends in a dot or space, which Windows drops", name)
	}
	if isDevice(name) {
		return fmt.Sprintf("name %q is a device name on Windows (with any extension); rename it", name)
	}
	return ""
}

var windowsReserved = [256]bool{'<': true, '>': true, ':': true, '"': true, '\\': true, '|': true, '?': true, '*': true}

// isDevice reports whether Windows takes a name for a device. It reads "aux.md" and "con .txt"
// as the device too: the part before the first dot, without trailing spaces, decides.
func isDevice(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	base = strings.TrimRight(base, " ")
	if len(base) < 3 || len(base) > len("CONOUT$") {
		return false
	}
	return windowsDevices[strings.ToUpper(base)]
}

// mayNameDevice reports whether a name holds one of the letter runs every device name starts
// with, in any case: only such a name can become one when urlize drops its other characters.
func mayNameDevice(name string) bool {
	for i := 0; i+3 <= len(name); i++ {
		switch strings.ToLower(name[i : i+3]) {
		case "con", "prn", "aux", "nul", "com", "lpt":
			return true
		}
	}
	return false
}

// unportablePath says why a slash-separated relative path cannot be held on every system:
// one of its names, or its length.
func unportablePath(p string) string {
	for _, seg := range strings.Split(p, "/") {
		if msg := unportableName(seg); msg != "" {
			return msg
		}
	}
	if n := pathChars(p); len(p) > maxPathChars && n > maxPathChars { // never more units than bytes
		return fmt.Sprintf("path is %d characters long; keep paths within %d, as Windows programs fail on paths over 260 characters with the folder they are in", n, maxPathChars)
	}
	return ""
}

// pathChars counts characters as Windows does, in UTF-16 units.
func pathChars(p string) int {
	n := 0
	for _, r := range p {
		n += utf16.RuneLen(r)
	}
	return n
}

// unportableOutput checks the file a URL is written to, as unportablePath does; URLs made from
// names (urlize) and from front matter (url, aliases, slug) pass through it.
func unportableOutput(u string) string {
	msg := unportablePath(outputPath(u))
	if msg != "" {
		return "output path " + outputPath(u) + ": " + msg
	}
	return ""
}

func abbreviate(s string) string {
	r := []rune(s)
	if len(r) <= 40 {
		return s
	}
	return string(r[:20]) + "…" + string(r[len(r)-10:])
}

// nfc puts text in Unicode's composed form (NFC). macOS keeps file names as they were typed,
// often decomposed (NFD: "e" + combining accent); URLs are made from the composed form, so a
// page has one URL whichever way its name was saved. Text already composed is not copied.
func nfc(s string) string { return norm.NFC.String(s) }

// foldName is the form under which two names are the same file on a case-insensitive,
// normalisation-insensitive file system (Windows, macOS by default).
func foldName(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Map(func(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }, nfc(s))
		}
	}
	return strings.ToLower(s) // copies only when there is a capital
}

// nameClashes finds names that are distinct on Linux but one file on Windows and macOS. Paths
// are fed in walk order (a folder before its contents); a clash is reported once, at the
// first name that differs, not again for every file inside two clashing folders.
type nameClashes map[string]string // folded path → the first path seen

func (c nameClashes) check(p string) string {
	k := foldName(p)
	prev, ok := c[k]
	if !ok {
		c[k] = p
		return ""
	}
	if prev == p || path.Dir(prev) != path.Dir(p) {
		return ""
	}
	return fmt.Sprintf("%s and %s differ only in upper/lower case or Unicode normalisation; Windows and macOS hold them as one file", path.Base(prev), path.Base(p))
}
