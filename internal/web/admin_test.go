package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/db"
)

func TestAdminImport(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	c := ts.client(t)
	c.login("ada@example.com")
	csrf := c.get("/admin/import").csrf()
	src := strings.Replace(string(db.ReferenceRole), "Product Manager - Marketing", "Product Manager - Growth", 1)

	t.Run("UploadPreview", func(t *testing.T) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("_csrf", csrf)
		fw, _ := mw.CreateFormFile("file", "growth.md")
		fw.Write([]byte(src))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, c.base+"/admin/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res := c.do(req)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d %s", res.StatusCode, res.Body)
		}
		if res.testID("edit-group").Length() < 2 || res.testID("edit-item").Length() == 0 || res.testID("bonus").Filter("[checked]").Length() == 0 {
			t.Errorf("preview lacks sections, items or bonus flags")
		}
		if _, ok := ts.cat.Get("product-manager-growth"); ok {
			t.Error("the preview published the role")
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		res := c.post("/admin/import", url.Values{"_csrf": {csrf}, "markdown": {"  "}})
		if res.StatusCode != http.StatusUnprocessableEntity || res.testID("field-error").Length() != 1 {
			t.Errorf("status %d", res.StatusCode)
		}
	})
	t.Run("ErrRefusedPage", func(t *testing.T) {
		res := c.post("/admin/import", url.Values{"_csrf": {csrf}, "markdown": {"# Nothing\n\nJust text.\n"}})
		if res.StatusCode != http.StatusUnprocessableEntity || res.testID("import-error").Length() != 1 {
			t.Errorf("status %d", res.StatusCode)
		}
	})
	t.Run("Publish", func(t *testing.T) {
		preview := c.post("/admin/import", url.Values{"_csrf": {csrf}, "markdown": {src}})
		form := editorValues(preview)
		form.Set("action", "publish")
		res := c.post("/admin/import/publish", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d %s", res.StatusCode, res.Body)
		}
		if _, ok := ts.cat.Get("product-manager-growth"); !ok {
			t.Fatal("not published")
		}
	})
	t.Run("SettingsAndOverride", func(t *testing.T) {
		page := c.get("/admin/roles/" + pmm)
		if page.Doc.Find("#embed").Length() != 1 {
			t.Error("no embed section")
		}
		if res := c.post("/admin/roles/"+pmm+"/apply-url", url.Values{"_csrf": {csrf}, "apply_url": {"javascript:alert(1)"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad apply URL: status %d", res.StatusCode)
		}
		if res := c.post("/admin/roles/"+pmm+"/apply-url", url.Values{"_csrf": {csrf}, "apply_url": {"https://jobs.example.com/1"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("apply URL: status %d", res.StatusCode)
		}
		if e, _ := ts.cat.Get(pmm); e.Role.ApplyURL != "https://jobs.example.com/1" {
			t.Errorf("apply URL %q", e.Role.ApplyURL)
		}
		if res := c.post("/admin/roles/"+pmm+"/archive", url.Values{"_csrf": {csrf}, "archived": {"1"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("archive without confirming: status %d", res.StatusCode)
		}
		if res := c.get("/roles/" + pmm); res.StatusCode != http.StatusOK {
			t.Fatalf("role archived without confirmation: %d", res.StatusCode)
		}
		if res := c.post("/admin/roles/"+pmm+"/archive", url.Values{"_csrf": {csrf}, "archived": {"1"}, "confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("archive: status %d", res.StatusCode)
		}
		if res := c.get("/roles/" + pmm); res.StatusCode != http.StatusGone || !strings.Contains(res.Body, "This role is closed") {
			t.Errorf("archived role: status %d", res.StatusCode)
		}
	})
	t.Run("Token", func(t *testing.T) {
		res := c.post("/admin/tokens", url.Values{"_csrf": {csrf}, "name": {"BI"}})
		tok := res.testID("token").Text()
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(tok, "rf_") {
			t.Fatalf("status %d token %q", res.StatusCode, tok)
		}
		if res := c.bearer("/api/v1/roles", tok); res.StatusCode != http.StatusOK {
			t.Errorf("new token refused: %d", res.StatusCode)
		}
		if c.get("/admin/tokens").testID("token").Length() != 0 {
			t.Error("the token is shown again")
		}
	})
}
