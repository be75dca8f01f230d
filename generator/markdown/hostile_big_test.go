//go:build hostile

package markdown

import (
	"testing"
	"time"
)

// go test -tags hostile -run TestHostileBig -v ./generator/markdown/
func TestHostileBig(t *testing.T) {
	runHostile(t, 10<<20, 60*time.Second)
}
