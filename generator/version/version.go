// Package version tells which build of rahnuma is running, from what the Go toolchain records
// in the binary (module version, commit, commit time, uncommitted changes).
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Release is the version a release build names, set by the release tool with
// -ldflags "-X rahnuma/generator/version.Release=v1.2.0". Empty in other builds.
var Release string

// Info describes one build.
type Info struct {
	Version   string // Release, else the main module's version, else "devel"
	Commit    string // vcs.revision; empty when built outside a checkout or with -buildvcs=false
	Time      string // vcs.time, the commit's time (RFC 3339)
	Modified  bool   // vcs.modified: built with uncommitted changes
	GoVersion string
	Platform  string // GOOS/GOARCH
}

// Get reads the running binary's build information.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuildInfo(bi, Release)
}

func fromBuildInfo(bi *debug.BuildInfo, release string) Info {
	info := Info{Version: "devel", GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			info.Version = v
		}
		if bi.GoVersion != "" {
			info.GoVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Commit = s.Value
			case "vcs.time":
				info.Time = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	if release != "" {
		info.Version = release
	}
	return info
}

// String is what `rahnuma version` prints.
func (i Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rahnuma %s\n", i.Version)
	if i.Commit != "" {
		fmt.Fprintf(&b, "commit  %s", i.Commit)
		if i.Time != "" {
			fmt.Fprintf(&b, " (%s)", i.Time)
		}
		if i.Modified {
			b.WriteString(" with uncommitted changes")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "go      %s %s\n", i.GoVersion, i.Platform)
	return b.String()
}
