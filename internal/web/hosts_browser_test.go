package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/browsertest"
	"github.com/rolefit/rolefit/internal/config"
)

// TestBrowserDashboardHosts reads a role's "By embedding site" table in a
// browser, with an allow-list of one site and the demo's widget checks
// from unlisted ones: the listed site and "other" have a row each, and the
// page passes axe in both colour schemes. With ROLEFIT_SHOTS=DIR the
// section is saved as DIR/hosts.png.
func TestBrowserDashboardHosts(t *testing.T) {
	browsertest.NeedAxe(t)
	ts := newTestServer(t, func(c *config.Config) { c.EmbedOrigins = []string{"https://jobs.example.com"} })
	ts.seedChecks(t, 40, 14, 6)
	ts.addUser(t, "rita@example.com", false)
	b := browsertest.New(t)
	signIn(t, b, ts.URL, "rita@example.com", testPassword)
	b.Open(ts.URL + "/dashboard/roles/" + pmm + "#hosts")
	rows := b.Text(browsertest.TestID("table-hosts") + " tbody")
	if !strings.Contains(rows, "jobs.example.com") || !strings.Contains(rows, "other") || !strings.Contains(rows, "±") {
		t.Errorf("the sites' table reads %q", rows)
	}
	requireAxeBoth(t, b, "role dashboard with embedding sites")
	if shots := os.Getenv("ROLEFIT_SHOTS"); shots != "" {
		b.Viewport(1280, 800)
		b.Open(ts.URL + "/dashboard/roles/" + pmm + "#hosts")
		b.ScreenshotViewport(filepath.Join(shots, "hosts.png"))
	}
}
