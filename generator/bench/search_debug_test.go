package main

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"rahnuma/generator/browsertest"
)

func TestDebugPF(t *testing.T) {
	dir := os.Getenv("PFDIR")
	if dir == "" {
		t.Skip()
	}
	srv, _ := startServer(dir, map[string][]byte{harnessPath: []byte(harnessHTML)})
	defer srv.close()
	bctx, stop, err := startBrowser(context.Background(), browsertest.Path(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx, nl, cancel, _ := searchTab(bctx)
	defer cancel()
	searchLoad(ctx, nl, srv, harnessPath)
	m := srv.mark()
	nl.setPhase(1)
	chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`void window.__go("mafezapox")`))
	time.Sleep(3 * time.Second)
	for _, r := range nl.requests() {
		t.Logf("cdp %d %v %d %s", r.phase, r.done, r.bytes, r.url)
	}
	for _, r := range srv.since(m) {
		t.Logf("srv %d %d %s", r.raw, r.sent, r.path)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`[window.__t0, window.__t1, window.__err]`))
	t.Log(v, err)
}
