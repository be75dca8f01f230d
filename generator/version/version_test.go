package version

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "-trimpath", Value: "true"},
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-12-04T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	platform := runtime.GOOS + "/" + runtime.GOARCH
	for _, tt := range []struct {
		name    string
		bi      *debug.BuildInfo
		release string
		want    string
	}{
		{"no build info", nil, "", "rahnuma devel\ngo      " + runtime.Version() + " " + platform + "\n"},
		{"go run in a checkout", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "rahnuma", Version: "(devel)"}, Settings: vcs},
			"", "rahnuma devel\ncommit  0123456789abcdef0123456789abcdef01234567 (2026-12-04T10:00:00Z) with uncommitted changes\ngo      go1.26.8 " + platform + "\n"},
		{"go install at a tag", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "rahnuma", Version: "v1.2.0"}},
			"", "rahnuma v1.2.0\ngo      go1.26.8 " + platform + "\n"},
		{"release build", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "rahnuma", Version: "v0.0.0-20261204100000-0123456789ab"}, Settings: vcs[:4]},
			"v1.3.0", "rahnuma v1.3.0\ncommit  0123456789abcdef0123456789abcdef01234567 (2026-12-04T10:00:00Z)\ngo      go1.26.8 " + platform + "\n"},
	} {
		if got := fromBuildInfo(tt.bi, tt.release).String(); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// The test binary has build information of its own: Get reads it.
func TestGet(t *testing.T) {
	got := Get()
	if got.GoVersion != runtime.Version() || !strings.HasPrefix(got.String(), "rahnuma ") {
		t.Errorf("Get() = %+v", got)
	}
}
