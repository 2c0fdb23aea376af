package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/report"
)

// TestEmbedHosts_Breakdown takes widget checks from two allow-listed sites
// and one that is not, and reads the dashboard's breakdown by embedding
// site as a recruiter would, through the API, the CSV file and the page,
// once the day is over.
func TestEmbedHosts_Breakdown(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Unix())
	ts := newClockedServer(t, &clock, func(c *config.Config) {
		c.EmbedOrigins = []string{"https://jobs.example.com", "https://careers.example.org"}
	})
	e, _ := ts.cat.Get(embedSlug)
	e.Role.ApplyURL = "https://jobs.example.com/apply"
	c := ts.client(t)
	widgetCheck := func(referer string) string {
		t.Helper()
		res := c.embedFinish(c.embedGet("/embed/"+embedSlug, referer), "3", "4")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("widget check from %q: %d\n%s", referer, res.StatusCode, res.Body)
		}
		token, _, _ := strings.Cut(strings.TrimPrefix(res.Header.Get("Location"), "/embed/"+embedSlug+"/result/"), "?")
		return token
	}
	type funnel struct{ started, completed, apply int }
	want := map[string]funnel{"jobs.example.com": {6, 6, 2}, "careers.example.org": {3, 3, 0}, "other": {2, 2, 0}}
	for i := range 6 {
		token := widgetCheck("https://jobs.example.com/careers/pm")
		if i < 2 {
			if r := c.get("/results/" + token + "/apply"); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("apply: %d", r.StatusCode)
			}
		}
	}
	for range 3 {
		widgetCheck("https://careers.example.org/open-roles")
	}
	for range 2 {
		widgetCheck("https://elsewhere.example.net/")
	}
	if diffs, err := ts.store.VerifyCounters(context.Background()); err != nil || len(diffs) > 0 {
		t.Fatalf("counters disagree with the submissions: %v %v", diffs, err)
	}

	clock.Add(24 * 3600)
	rc, token := ts.recruiter(t)
	const query = "from=2026-11-20&to=2026-11-21"
	before := published(t, rc, token, query)

	api := rc.bearer("/api/v1/roles/"+pmm+"/stats?"+query, token)
	var stats struct {
		Hosts []report.Host `json:"hosts"`
	}
	if err := json.Unmarshal([]byte(api.Body), &stats); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, h := range stats.Hosts {
		names = append(names, h.Host)
		w, ok := want[h.Host]
		if !ok {
			continue
		}
		for _, f := range []struct {
			name  string
			got   report.Count
			truth int
		}{{"started", h.Started, w.started}, {"completed", h.Completed, w.completed}, {"apply clicks", h.ApplyClicks, w.apply}} {
			// Noise: within twice the 95 % margin, or the figure is wrong.
			if f.got.Margin == 0 || abs(f.got.Value-f.truth) > 2*f.got.Margin {
				t.Errorf("%s %s = %d ± %d, truly %d", h.Host, f.name, f.got.Value, f.got.Margin, f.truth)
			}
		}
		if h.Completed.Value > h.Started.Value || h.ApplyClicks.Value > h.Completed.Value {
			t.Errorf("%s: the funnel rises: %+v", h.Host, h)
		}
	}
	if strings.Join(names, ",") != "careers.example.org,jobs.example.com,other" {
		t.Errorf("hosts %v, want the two allow-listed ones and other", names)
	}
	if strings.Contains(api.Body, "elsewhere") {
		t.Error("a site not on the allow-list is named")
	}

	res := rc.get("/dashboard/roles/" + pmm + ".csv?table=hosts&" + query)
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("hosts CSV: %d %v", res.StatusCode, err)
	}
	checkCSVTable(t, "hosts.csv", rows)
	if len(rows) != 4 || rows[1][0] != "careers.example.org" || rows[3][0] != "other" {
		t.Errorf("hosts CSV rows %v", rows)
	}

	page := rc.get("/dashboard/roles/" + pmm + "?" + query)
	var shown []string
	page.testID("table-hosts").Find("tbody th").Each(func(_ int, s *goquery.Selection) { shown = append(shown, s.Text()) })
	if strings.Join(shown, ",") != "careers.example.org,jobs.example.com,other" {
		t.Errorf("the page's sites %v", shown)
	}

	// A widget check finished today moves nothing that is published.
	widgetCheck("https://jobs.example.com/careers/pm")
	if after := published(t, rc, token, query); after != before {
		t.Error("a check finished today changed a published figure")
	}
}

// TestEmbedHosts_NoAllowList: with no allow-list the section says so.
func TestEmbedHosts_NoAllowList(t *testing.T) {
	ts := newTestServer(t)
	ts.seedChecks(t, 20, 7, 3)
	rc, _ := ts.recruiter(t)
	page := rc.get("/dashboard/roles/" + pmm + "?from=2026-11-20&to=2026-11-28")
	if got := page.testID("hosts-empty").Text(); got != "No embedding sites are on the allow-list (-embed-origins)." {
		t.Errorf("empty state %q", got)
	}
	if page.testID("table-hosts").Length() != 0 {
		t.Error("a table of sites with no allow-list")
	}
}

func abs(v int) int { return max(v, -v) }

// TestEmbedHosts_FilteredOut: a filter to the site's checks says the
// widget is left out rather than showing an empty table.
func TestEmbedHosts_FilteredOut(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) { c.EmbedOrigins = []string{"https://jobs.example.com"} })
	ts.seedChecks(t, 20, 7, 3)
	rc, _ := ts.recruiter(t)
	page := rc.get("/dashboard/roles/" + pmm + "?from=2026-11-20&to=2026-11-28&channel=site")
	if got := page.testID("hosts-empty").Text(); got != "This filter leaves the widget out." {
		t.Errorf("empty state %q", got)
	}
	all := rc.get("/dashboard/roles/" + pmm + "?from=2026-11-20&to=2026-11-28")
	if all.testID("hosts-empty").Length() != 0 || all.testID("table-hosts").Find("tbody tr").Length() != 2 {
		t.Errorf("unfiltered: the sites' table has %d rows, want jobs.example.com and other", all.testID("table-hosts").Find("tbody tr").Length())
	}
}
