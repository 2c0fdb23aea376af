package web

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rolefit/rolefit/internal/browsertest"
)

// handbookFiles are two pages of a handbook, one extending the other, and
// a page that is refused.
var handbookFiles = map[string]string{
	"engineering/backend-engineer.md":        "---\ntitle: Backend Engineer\n---\n## Responsibilities\n- Build services\n## Requirements\n- Go in production\n",
	"engineering/senior-backend-engineer.md": "---\ntitle: Senior Backend Engineer\n---\n## Responsibilities\n- Extends the Backend Engineer role\n- Lead designs\n",
	"engineering/_index.md":                  "---\ntitle: Engineering\n---\nSee the pages of the [team](/engineering/).\n",
	"README.txt":                             "not markdown",
}

func tarGz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: "handbook/" + name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	return buf.Bytes()
}

// uploadFile posts a file to the import form as the browser would.
func (c *client) uploadFile(csrf, name string, data []byte) *response {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("_csrf", csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/admin/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

func TestAdminImportArchive(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	c := ts.client(t)
	c.login("ada@example.com")
	csrf := c.get("/admin/import").csrf()

	for _, tc := range []struct {
		name string
		data []byte
	}{{"handbook.tar.gz", tarGz(t, handbookFiles)}, {"handbook.zip", zipOf(t, handbookFiles)}} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.uploadFile(csrf, tc.name, tc.data)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d %s", res.StatusCode, res.Body)
			}
			if got := res.testID("import-file").Length(); got != 3 {
				t.Errorf("%d files listed, want the 3 markdown files", got)
			}
			if counts := res.testID("import-counts").Text(); !strings.Contains(counts, "2 imported") || !strings.Contains(counts, "1 refused") {
				t.Errorf("counts %q", counts)
			}
			e, ok := ts.cat.Get("senior-backend-engineer")
			if !ok || len(e.Role.Levels) != 2 || e.Role.Levels[1].Extends != e.Role.Levels[0].Slug {
				t.Fatalf("the senior role does not extend the brought-in level: %+v", e)
			}
		})
	}
	t.Run("Unchanged", func(t *testing.T) {
		res := c.uploadFile(csrf, "handbook.tar.gz", tarGz(t, handbookFiles))
		if counts := res.testID("import-counts").Text(); !strings.Contains(counts, "(2 unchanged)") {
			t.Errorf("re-import counts %q", counts)
		}
	})
	t.Run("ErrNotAnArchive", func(t *testing.T) {
		res := c.uploadFile(csrf, "broken.zip", []byte("not a zip"))
		if res.StatusCode != http.StatusUnprocessableEntity || res.testID("field-error").Length() != 1 {
			t.Errorf("status %d", res.StatusCode)
		}
	})
	t.Run("ErrPastedPageTooLarge", func(t *testing.T) {
		// The file field's larger limit does not let a pasted page past 1 MB.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("_csrf", csrf)
		_ = mw.WriteField("markdown", "- "+strings.Repeat("x", 1<<20))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, c.base+"/admin/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res := c.do(req)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.testID("field-error").Text(), "larger than 1 MB") {
			t.Errorf("status %d", res.StatusCode)
		}
	})
	t.Run("ErrNoMarkdown", func(t *testing.T) {
		res := c.uploadFile(csrf, "empty.zip", zipOf(t, map[string]string{"a.txt": "x"}))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.testID("field-error").Text(), "no markdown") {
			t.Errorf("status %d", res.StatusCode)
		}
	})
}

// TestBrowserImportArchive uploads a handbook archive through the import
// form in Chromium and checks the form and the summary with axe-core.
func TestBrowserImportArchive(t *testing.T) {
	browsertest.NeedAxe(t)
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	b := browsertest.New(t)
	archive := filepath.Join(t.TempDir(), "handbook.tar.gz")
	if err := os.WriteFile(archive, tarGz(t, handbookFiles), 0o644); err != nil {
		t.Fatal(err)
	}
	signIn(t, b, ts.URL, "ada@example.com", testPassword)
	b.Open(ts.URL + "/admin/import")
	requireAxeBoth(t, b, "import form")
	b.Do("choose the archive", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{archive}))
	b.ClickNav(browsertest.TestID("preview"))
	if got := b.Count(browsertest.TestID("import-file")); got != 3 {
		t.Fatalf("summary lists %d files, want 3 (at %s)", got, b.Location())
	}
	requireAxeBoth(t, b, "import summary")
	if dir := os.Getenv("ROLEFIT_SHOTS"); dir != "" {
		b.Screenshot(filepath.Join(dir, "import-summary.png"))
	}
}
