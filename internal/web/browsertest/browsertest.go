// Package browsertest drives Debian's chromium (apt-get install -y
// chromium; .ci/run installs it) for the console's and the portal's browser
// tests. In CI (CI set) a missing chromium fails the test; elsewhere the
// test skips, saying how to install it. With LOYAL_SCREENSHOTS set, Shot
// refreshes docs/screenshots/.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Viewports of the screenshots and journeys.
var (
	Desktop = [2]int64{1280, 900}
	Phone   = [2]int64{390, 844}
)

// Chromium finds the browser or ends the test as described above.
func Chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed: apt-get install -y chromium (.ci/run does this)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); browser tests skipped outside CI")
	return ""
}

// Tab opens a fresh headless chromium (its own profile) at a viewport; the
// phone viewport is emulated as a mobile device at scale 2.
func Tab(t *testing.T, size [2]int64) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(size[0]), int(size[1])),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	// A journey takes a few seconds alone; CI runs other packages' tests
	// beside it on two cores, so the bound is generous: it is there to end
	// a hung browser, not to time the pages.
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	var mobile []chromedp.EmulateViewportOption
	if size == Phone {
		mobile = append(mobile, chromedp.EmulateMobile, chromedp.EmulateScale(2))
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1], mobile...)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Shot saves a full-page screenshot as docs/screenshots/<name>.png when
// LOYAL_SCREENSHOTS is set, else in a temporary directory.
func Shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := t.TempDir()
	if os.Getenv("LOYAL_SCREENSHOTS") != "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "docs", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), img, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Text is the trimmed text of the visible node sel. A live page may
// replace the node between finding and reading it (the dashboard swaps its
// figures in): the read then runs once more, as in Do.
func Text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	read := func() (string, error) {
		return chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	}
	s, err := read()
	if replaced(err) {
		time.Sleep(100 * time.Millisecond)
		s, err = read()
	}
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Do runs steps, ending the test at the first that fails (or when they
// have not finished in a minute and a half), saying what page the tab
// shows. chromedp finds a node, then acts on it by its id: a document
// replaced in between (a redirect still landing) voids the id before the
// action happened. Such a failure — and only it — runs the steps once
// more, on the document shown by then.
func Do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	run := func() error {
		sctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		return chromedp.Do(sctx, steps...)
	}
	err := run()
	if replaced(err) {
		time.Sleep(300 * time.Millisecond)
		err = run()
	}
	if err != nil {
		t.Fatalf("%v\n%s", err, Page(ctx))
	}
}

// Page says which page the tab shows and the start of its text, for a
// failing step's message; it waits a few seconds at most.
func Page(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(the page could not be read: " + err.Error() + ")"
	}
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	text := strings.Join(strings.Fields(body), " ")
	return "the page at " + url + " reads: " + text[:min(1500, len(text))] + errText(err)
}

// replaced says whether err is chromedp's report that the node it had
// found left the document before it acted on it (the browser words it in
// two ways, depending on the command).
func replaced(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "Could not find node with given id") ||
		strings.Contains(err.Error(), "No node with given id found"))
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return " (" + err.Error() + ")"
}
