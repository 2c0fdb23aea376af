package web

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rolefit/rolefit/internal/browsertest"
)

// mixedAnswers answers like an applicant strong in some things and weak
// in others: the ratings cycle through 4, 3, 3, 1, 2, 3, the years are 1
// and yes/no items alternate.
func mixedAnswers() answerer {
	ratings := []string{"4", "3", "3", "1", "2", "3"}
	n := 0
	return func(kind string) string {
		n++
		switch kind {
		case "experience":
			return "1"
		case "fact":
			if n%2 == 0 {
				return "no"
			}
			return "yes"
		}
		return ratings[n%len(ratings)]
	}
}

// TestBrowserResultScreenshots shows a full assessment's result at
// desktop and phone sizes. The screenshots go to $ROLEFIT_SHOTS when set,
// else to a temporary directory.
func TestBrowserResultScreenshots(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	res := finishCheck(t, c, startCheck(t, c, "full"), mixedAnswers())
	b := browsertest.New(t)
	dir := os.Getenv("ROLEFIT_SHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, size := range []struct {
		name   string
		width  int64
		height int64
	}{{"1280x800", 1280, 800}, {"390x844", 390, 844}} {
		b.Viewport(size.width, size.height)
		b.Open(ts.URL + res.Header.Get("Location"))
		b.Screenshot(filepath.Join(dir, "result-"+size.name+".png"))
	}
}
