package web

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/report"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/sqlite"
)

// newClockedServer is newTestServer with a clock the test moves, so that
// checks are stored on chosen days through the real wizard.
func newClockedServer(t *testing.T, clock *atomic.Int64) *testServer {
	t.Helper()
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "rolefit.db")
	cfg.SubmitRate = 0
	store := mustOpenDB(t, cfg.DB)
	cat := catalog.New()
	if _, err := cat.Import(context.Background(), store, db.ReferenceRole, "product-manager-marketing.md"); err != nil {
		t.Fatalf("import reference role: %v", err)
	}
	srv, err := New(Deps{Config: cfg, Catalog: cat, Roles: store, Health: store, Submissions: store, Recruiters: store,
		Now: func() time.Time { return time.Unix(clock.Load(), 0).UTC() }})
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	ts := &testServer{Server: httptest.NewServer(srv.Handler()), srv: srv, store: store, cat: cat}
	t.Cleanup(ts.Close)
	return ts
}

// checksOn walks n quick checks through the wizard on day (noon UTC).
func (ts *testServer) checksOn(t *testing.T, clock *atomic.Int64, day string, n int) {
	t.Helper()
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	clock.Store(d.Add(12 * time.Hour).Unix())
	for i := range n {
		c := ts.client(t)
		rating := strconv.Itoa(i % 5)
		if res := finishCheck(t, c, startCheck(t, c, "quick"), answerAll(rating, "3", "yes")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("check on %s: status %d", day, res.StatusCode)
		}
	}
}

// figures are the completed checks and the period one view reports, read
// from the page, the funnel CSV and the API.
type figures struct {
	page, csv, api string
	csvFile        string
	reported       *report.DateRange
}

func readFigures(t *testing.T, c *client, token, query string) figures {
	t.Helper()
	var f figures
	page := c.get("/dashboard/roles/" + pmm + "?" + query)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("page %s: status %d", query, page.StatusCode)
	}
	f.page = page.testID("submissions").Text()
	if f.page == "" {
		f.page = "refused: " + page.testID("refused").Text()
	}
	res := c.get("/dashboard/roles/" + pmm + ".csv?table=funnel&" + query)
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("csv %s: status %d, %v", query, res.StatusCode, err)
	}
	f.csv = "refused: " + rows[len(rows)-1][0]
	for _, r := range rows {
		if r[0] == "Completed" {
			f.csv = csvLabel(r, map[string]int{"applicants": 1, "applicants_status": 2}, "applicants")
		}
	}
	f.csvFile = res.Header.Get("Content-Disposition")
	api := c.bearer("/api/v1/roles/"+pmm+"/stats?"+query, token)
	var rep struct {
		Refused     string `json:"refused"`
		Submissions any    `json:"submissions"`
		Period      struct {
			Requested report.DateRange  `json:"requested"`
			Reported  *report.DateRange `json:"reported"`
			Note      string            `json:"note"`
		} `json:"period"`
	}
	if err := json.Unmarshal([]byte(api.Body), &rep); err != nil || api.StatusCode != http.StatusOK {
		t.Fatalf("api %s: status %d, %v", query, api.StatusCode, err)
	}
	f.api = label(rep.Submissions)
	if rep.Refused != "" {
		f.api = "refused: " + rep.Refused
	}
	f.reported = rep.Period.Reported
	if rep.Period.Note == "" || page.testID("period").Text() == "" && page.testID("refused").Text() != rep.Period.Note {
		t.Errorf("%s: the period is not explained (api %q, page %q)", query, rep.Period.Note, page.testID("period").Text())
	}
	return f
}

// differ reports whether two published counts differ by 1..k-1: a view
// minus the other would then single out fewer than k applicants.
func differ(a, b string, k int) bool {
	x, errA := strconv.Atoi(a)
	y, errB := strconv.Atoi(b)
	if errA != nil || errB != nil {
		return false // a refused or hidden figure tells nothing
	}
	d := max(x-y, y-x)
	return d > 0 && d < k
}

// TestDashboardPeriod_TuesdayAttack: a recruiter who knows a candidate
// took the check on Tuesday asks for a period ending Tuesday and one
// ending Monday. Page, CSV and API must give the same figures for both or
// figures at least k apart; and one new check must not change them.
func TestDashboardPeriod_TuesdayAttack(t *testing.T) {
	const k = 5
	var clock atomic.Int64
	ts := newClockedServer(t, &clock)
	ts.addUser(t, "rita@example.com", false)
	token, hash := NewAPIToken()
	if _, err := ts.store.CreateAPIToken(context.Background(), "bi", hash); err != nil {
		t.Fatal(err)
	}
	ts.checksOn(t, &clock, "2026-11-02", 5) // Monday
	ts.checksOn(t, &clock, "2026-11-03", 1) // Tuesday: the candidate
	ts.checksOn(t, &clock, "2026-11-05", 4)
	ts.checksOn(t, &clock, "2026-11-09", 5)
	c := ts.client(t)
	c.login("rita@example.com")

	tue := readFigures(t, c, token, "from=2026-11-01&to=2026-11-03")
	mon := readFigures(t, c, token, "from=2026-11-01&to=2026-11-02")
	for _, p := range []struct{ what, tue, mon string }{{"page", tue.page, mon.page}, {"csv", tue.csv, mon.csv}, {"api", tue.api, mon.api}} {
		if differ(p.tue, p.mon, k) {
			t.Errorf("%s: up to Tuesday %s completed checks, up to Monday %s: Tuesday's candidate stands out", p.what, p.tue, p.mon)
		}
		if _, err := strconv.Atoi(p.tue); err != nil {
			t.Errorf("%s: the period up to Tuesday shows no figure (%s)", p.what, p.tue)
		}
	}
	// Monday's group is whole; Tuesday's check is reported with the rest of
	// its group, which closes on Thursday.
	if tue.page != "10" || mon.page != "5" || tue.reported == nil || *tue.reported != (report.DateRange{From: "2026-11-02", To: "2026-11-05"}) {
		t.Errorf("up to Tuesday: %s over %v; up to Monday: %s; want 10 over 2 – 5 Nov and 5", tue.page, tue.reported, mon.page)
	}
	if !strings.Contains(tue.csvFile, "2026-11-02-to-2026-11-05") {
		t.Errorf("the CSV file does not name the reported period: %s", tue.csvFile)
	}

	// One new check, on a new day, changes nothing until its group is whole.
	all := "from=2026-11-01&to=2026-11-30"
	before := readFigures(t, c, token, all)
	ts.checksOn(t, &clock, "2026-11-10", 1)
	c = ts.client(t) // the clock moved a day: sign in again
	c.login("rita@example.com")
	after := readFigures(t, c, token, all)
	if before != after && (before.page != after.page || before.csv != after.csv || before.api != after.api) {
		t.Errorf("one new check changed the figures: before %+v, after %+v", before, after)
	}
	ts.checksOn(t, &clock, "2026-11-11", k-1)
	c = ts.client(t)
	c.login("rita@example.com")
	if grown := readFigures(t, c, token, all); grown.page != "20" || grown.api != "20" || grown.csv != "20" {
		t.Errorf("a whole new group is not shown: %+v", grown)
	}

	// A period holding no whole group says so instead of showing figures.
	none := readFigures(t, c, token, "from=2026-11-20&to=2026-11-30")
	for _, v := range []string{none.page, none.csv, none.api} {
		if !strings.HasPrefix(v, "refused: No group") {
			t.Errorf("a period with no whole group: %q", v)
		}
	}
}

// storeEmbedChecks stores n widget checks on day through the storage's
// write path (the widget's own flow is tested in embed_test.go).
func (ts *testServer) storeEmbedChecks(t *testing.T, day string, n int) {
	t.Helper()
	e, _ := ts.cat.Get(pmm)
	for i := range n {
		a := score.Answers{}
		for _, l := range e.Role.Levels {
			for _, it := range e.Role.EffectiveItems(l.Slug, role.Requirements) {
				a[it.ID] = 1
			}
		}
		res := score.Score(e.Role, score.Quick, a)
		h := sha256.Sum256(fmt.Appendf(nil, "embed-%s-%d-%d", day, n, i))
		s := &sqlite.Submission{TokenHash: h[:], RoleSlug: pmm, VersionID: e.VersionID, Mode: "quick", Channel: "embed",
			Day: day, Answers: a, Fits: res.Fits(), Recommended: res.Recommended}
		if err := ts.store.CreateSubmission(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDashboardPeriod_Filters: (all, A) − (site, A) − (all, B) + (site, B)
// is the widget's checks over A∖B. A filtered view is cut only where the
// unfiltered blocks are, where every channel × check group holds none or
// at least k, so over any periods the site view reports, the unfiltered
// view reports the same periods and the widget's share is 0 or ≥ k.
func TestDashboardPeriod_Filters(t *testing.T) {
	const k = 5
	var clock atomic.Int64
	ts := newClockedServer(t, &clock)
	ts.addUser(t, "rita@example.com", false)
	token, hash := NewAPIToken()
	if _, err := ts.store.CreateAPIToken(context.Background(), "bi", hash); err != nil {
		t.Fatal(err)
	}
	ts.checksOn(t, &clock, "2026-11-02", 5)
	ts.storeEmbedChecks(t, "2026-11-02", 5)
	ts.checksOn(t, &clock, "2026-11-03", 4)
	ts.storeEmbedChecks(t, "2026-11-03", 1) // the widget check to single out
	ts.checksOn(t, &clock, "2026-11-04", 5)
	ts.checksOn(t, &clock, "2026-11-05", 1)
	ts.storeEmbedChecks(t, "2026-11-05", 4)
	c := ts.client(t)
	c.login("rita@example.com")

	type view struct {
		n     int
		from  string
		to    string
		shown bool
	}
	get := func(query string) view {
		f := readFigures(t, c, token, query)
		n, err := strconv.Atoi(f.api)
		if err != nil || f.reported == nil {
			return view{}
		}
		return view{n, f.reported.From, f.reported.To, true}
	}
	var widget []int
	for _, to := range []string{"2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"} {
		site := get("channel=site&from=2026-11-01&to=" + to)
		if !site.shown {
			continue
		}
		all := get("from=" + site.from + "&to=" + site.to)
		if !all.shown || all.from != site.from || all.to != site.to {
			t.Fatalf("site view over %s – %s, unfiltered view over the same dates: %+v", site.from, site.to, all)
		}
		widget = append(widget, all.n-site.n)
	}
	if len(widget) < 2 {
		t.Fatalf("too few site views shown to compare: %v", widget)
	}
	for i := range widget {
		for j := range widget {
			if d := widget[i] - widget[j]; d > 0 && d < k {
				t.Errorf("(all − site) over two site periods differ by %d widget checks: %v", d, widget)
			}
		}
	}
	// The index shows each role's reported period.
	index := c.get("/dashboard")
	if got := index.testID("period").First().Text(); got == "" {
		t.Error("the index shows no period")
	}
}
