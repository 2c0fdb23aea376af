package web

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/demo"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/report"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/submission"
)

// newClockedServer is newTestServer with a clock the test moves, so that
// checks are stored on chosen days through the real wizard.
func newClockedServer(t *testing.T, clock *atomic.Int64, opts ...func(*config.Config)) *testServer {
	t.Helper()
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "rolefit.db")
	cfg.SubmitRate = 0
	for _, o := range opts {
		o(&cfg)
	}
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

// seedChecks makes n synthetic applicants over the days days before the
// server's today with rolefit demo's generator (the store's real write
// path), and returns their result paths.
func (ts *testServer) seedChecks(t testing.TB, n, days int, seed uint64) []string {
	t.Helper()
	e, ok := ts.cat.Get(pmm)
	if !ok {
		t.Fatal("reference role missing")
	}
	paths, err := demo.Run(context.Background(), ts.store, e, demo.Options{Checks: n, Days: days, Now: ts.srv.Now(),
		Rand: rand.New(rand.NewPCG(seed, 7))})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// recruiter signs in a recruiter and makes an API token.
func (ts *testServer) recruiter(t *testing.T) (*client, string) {
	t.Helper()
	ts.addUser(t, "rita@example.com", false)
	token, hash := NewAPIToken()
	if _, err := ts.store.CreateAPIToken(context.Background(), "bi", hash, ""); err != nil {
		t.Fatal(err)
	}
	c := ts.client(t)
	c.login("rita@example.com")
	return c, token
}

// published is everything a recruiter can read about a role for a query:
// the API's answer, every CSV table and the page's figures.
func published(t *testing.T, c *client, token, query string) string {
	t.Helper()
	var b strings.Builder
	api := c.bearer("/api/v1/roles/"+pmm+"/stats?"+query, token)
	if api.StatusCode != http.StatusOK {
		t.Fatalf("api %s: status %d %s", query, api.StatusCode, api.Body)
	}
	b.WriteString(api.Body)
	for _, table := range report.CSVTables {
		res := c.get("/dashboard/roles/" + pmm + ".csv?table=" + table + "&" + query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("csv %s %s: status %d", table, query, res.StatusCode)
		}
		b.WriteString(res.Body)
	}
	page := c.get("/dashboard/roles/" + pmm + "?" + query)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("page %s: status %d", query, page.StatusCode)
	}
	b.WriteString(page.Doc.Find("main").Text())
	return b.String()
}

// apiStats is the part of the API's report the tests read.
type apiStats struct {
	Refused     string        `json:"refused"`
	Empty       string        `json:"empty"`
	Submissions *report.Count `json:"submissions"`
	Period      report.Period `json:"period"`
	Funnels     []report.Funnel
	Levels      []struct {
		Slug        string         `json:"slug"`
		Recommended report.Count   `json:"recommended"`
		Fits        []report.Count `json:"fit_histogram"`
	} `json:"levels"`
	Items []struct {
		ID     string          `json:"id"`
		Kind   string          `json:"kind"`
		Answer report.Count    `json:"answers"`
		Share  json.RawMessage `json:"share_meeting"`
		Mean   json.RawMessage `json:"mean"`
		Spread []struct {
			N report.Count `json:"n"`
		} `json:"spread"`
	} `json:"items"`
}

func readStats(t *testing.T, c *client, token, query string) apiStats {
	t.Helper()
	res := c.bearer("/api/v1/roles/"+pmm+"/stats?"+query, token)
	var st apiStats
	if err := json.Unmarshal([]byte(res.Body), &st); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("api %s: status %d, %v", query, res.StatusCode, err)
	}
	return st
}

// isFigure reports whether a share or mean is published as a number or
// {"value", "margin"}, not as the words saying why it is not.
func isFigure(raw json.RawMessage) bool {
	var v struct {
		Value  *float64 `json:"value"`
		Margin *float64 `json:"margin"`
	}
	if json.Unmarshal(raw, &v) == nil && v.Value != nil && v.Margin != nil {
		return true
	}
	var f float64
	return json.Unmarshal(raw, &f) == nil
}

// TestRelease_LiveDay: a recruiter polls while applicants finish checks
// today. No figure of any page, CSV or API answer moves, whatever the
// period asked for, and a period of today alone is refused in words.
func TestRelease_LiveDay(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Unix())
	ts := newClockedServer(t, &clock)
	ts.seedChecks(t, 20, 14, 1)
	c, token := ts.recruiter(t)
	queries := []string{"", "from=2026-11-01&to=2026-11-20", "mode=full&from=2026-11-19&to=2026-11-20", "channel=site"}
	before := map[string]string{}
	for _, q := range queries {
		before[q] = published(t, c, token, q)
	}
	clock.Add(3600)
	for _, mode := range []string{"quick", "full"} {
		a := ts.client(t)
		if res := finishCheck(t, a, startCheck(t, a, mode), answerAll("4", "47", "yes")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a check today: status %d", res.StatusCode)
		}
	}
	for _, q := range queries {
		if after := published(t, c, token, q); after != before[q] {
			t.Errorf("query %q: two checks finished today moved a published figure", q)
		}
	}
	st := readStats(t, c, token, "from=2026-11-20&to=2026-11-20")
	if st.Refused == "" || st.Submissions != nil || !strings.Contains(st.Refused, "days that are over") {
		t.Errorf("today alone: refused %q, submissions %v", st.Refused, st.Submissions)
	}
	page := c.get("/dashboard/roles/" + pmm + "?from=2026-11-20&to=2026-11-20")
	if page.testID("refused").Length() != 1 || page.testID("submissions").Length() != 0 {
		t.Error("the page shows figures for today")
	}
}

// fullTarget stores one full assessment on day through the store, with
// answers unlike the crowd's (4s, 47 years, yes), and returns them.
func (ts *testServer) fullTarget(t *testing.T, day string) map[string]float64 {
	t.Helper()
	e, _ := ts.cat.Get(pmm)
	p := check.NewPlan(e.Role, score.Full, -1)
	a := score.Answers{}
	for _, q := range p.Questions {
		switch q.Kind {
		case role.KindExperience:
			a[q.ID] = 47
		case role.KindFact:
			a[q.ID] = 1
		default:
			a[q.ID] = 4
		}
	}
	res := score.Score(e.Role, score.Full, a)
	h := sha256.Sum256([]byte("target-" + day))
	sub := &submission.Submission{TokenHash: h[:], RoleSlug: pmm, VersionID: e.VersionID, Mode: "full", Channel: "site",
		Day: day, Answers: a, Fits: res.Fits(), Recommended: res.Recommended}
	if err := ts.store.CreateSubmission(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	return a
}

// fullOnly lists the items asked in the full assessment only.
func fullOnly(t *testing.T, ts *testServer) map[string]role.Kind {
	t.Helper()
	e, _ := ts.cat.Get(pmm)
	quick := check.NewPlan(e.Role, score.Quick, -1)
	out := map[string]role.Kind{}
	for _, q := range check.NewPlan(e.Role, score.Full, -1).Questions {
		if _, ok := quick.Position(q.ID); !ok {
			out[q.ID] = q.Kind
		}
	}
	if len(out) < 10 {
		t.Fatalf("only %d full-only items", len(out))
	}
	return out
}

// recovered guesses, from the difference of two reports, the released
// bucket of the target's answer to each item (the bucket that grew most)
// and counts the guesses that are right.
func recovered(items map[string]role.Kind, with, without apiStats) (right, total int) {
	spread := func(st apiStats, id string) []int {
		for _, it := range st.Items {
			if it.ID == id {
				out := make([]int, len(it.Spread))
				for i, s := range it.Spread {
					out[i] = s.N.Value
				}
				return out
			}
		}
		return nil
	}
	for id, kind := range items {
		a, b := spread(with, id), spread(without, id)
		if len(a) == 0 || len(a) != len(b) {
			continue
		}
		best := 0
		for i := range a {
			if a[i]-b[i] > a[best]-b[best] {
				best = i
			}
		}
		total++
		// The target answered 4, 47 years or yes: the top bucket.
		if best == release.AnswerBuckets(kind)-1 {
			right++
		}
	}
	return right, total
}

// TestRelease_TwoPeriodsOneApart: two periods one day apart, the day
// holding one full assessment. Before, every full-only answer of that
// applicant could be read off the difference; now the difference is the
// answer plus noise drawn for the nodes the periods do not share, and the
// guess is no better than a guess among few buckets.
func TestRelease_TwoPeriodsOneApart(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Unix())
	ts := newClockedServer(t, &clock)
	ts.seedChecks(t, 30, 14, 2)
	items := fullOnly(t, ts)
	right, total := 0, 0
	for _, day := range []string{"2026-11-12", "2026-11-15", "2026-11-18"} {
		ts.fullTarget(t, day)
	}
	c, token := ts.recruiter(t)
	for _, day := range []string{"2026-11-12", "2026-11-15", "2026-11-18"} {
		d, _ := time.Parse(time.DateOnly, day)
		prev := d.AddDate(0, 0, -1).Format(time.DateOnly)
		with := readStats(t, c, token, "mode=full&from=2026-11-06&to="+day)
		without := readStats(t, c, token, "mode=full&from=2026-11-06&to="+prev)
		r, n := recovered(items, with, without)
		right, total = right+r, total+n
	}
	t.Logf("full-only answers recovered from period differences: %d of %d", right, total)
	// Reading every answer off the difference, as the exact model allowed,
	// would be total of total; a noisy difference gets well under that.
	if total == 0 || float64(right) > 0.8*float64(total) {
		t.Errorf("recovered %d of %d full-only answers", right, total)
	}
}

// TestRelease_DeleteAndCompare: with 40 demo checks over 14 days, deleting
// one through its result page, and then a retention purge, moves no
// published figure; the deleted result's link is gone.
func TestRelease_DeleteAndCompare(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Unix())
	ts := newClockedServer(t, &clock)
	paths := ts.seedChecks(t, 40, 14, 3)
	c, token := ts.recruiter(t)
	queries := []string{"", "from=2026-11-06&to=2026-11-19", "mode=full", "channel=embed&from=2026-11-10&to=2026-11-19"}
	before := map[string]string{}
	for _, q := range queries {
		before[q] = published(t, c, token, q)
	}
	applicant := ts.client(t)
	page := applicant.get(paths[7])
	if page.StatusCode != http.StatusOK {
		t.Fatalf("result page: status %d", page.StatusCode)
	}
	if res := applicant.post(paths[7]+"/delete", url.Values{"_csrf": {page.csrf()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: status %d", res.StatusCode)
	}
	if res := applicant.get(paths[7]); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusGone {
		t.Errorf("the deleted result's link: status %d, want 404 or 410", res.StatusCode)
	}
	for _, q := range queries {
		if after := published(t, c, token, q); after != before[q] {
			t.Errorf("query %q: deleting one check moved a published figure", q)
		}
	}
	if _, err := ts.store.PurgeSubmissions(context.Background(), "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		if after := published(t, c, token, q); after != before[q] {
			t.Errorf("query %q: a purge moved a published figure", q)
		}
	}
}

// TestRelease_FilterInclusionExclusion: one widget check on a day of site
// checks. (all) − (site) over that day is the widget check, plus the
// noise of both views, which the released values keep: its answers are
// not read off.
func TestRelease_FilterInclusionExclusion(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Unix())
	ts := newClockedServer(t, &clock)
	ts.seedChecks(t, 30, 14, 4)
	e, _ := ts.cat.Get(pmm)
	quick := check.NewPlan(e.Role, score.Quick, -1)
	items := map[string]role.Kind{}
	for _, q := range quick.Questions {
		items[q.ID] = q.Kind
	}
	var right, total int
	c, token := ts.recruiter(t)
	for i, day := range []string{"2026-11-11", "2026-11-13", "2026-11-17"} {
		a := score.Answers{}
		for id, kind := range items {
			a[id] = map[role.Kind]float64{role.KindExperience: 47, role.KindFact: 1}[kind]
			if kind != role.KindExperience && kind != role.KindFact {
				a[id] = 4
			}
		}
		res := score.Score(e.Role, score.Quick, a)
		h := sha256.Sum256(fmt.Appendf(nil, "widget-target-%d", i))
		if err := ts.store.CreateSubmission(context.Background(), &submission.Submission{TokenHash: h[:], RoleSlug: pmm,
			VersionID: e.VersionID, Mode: "quick", Channel: "embed", EmbedHost: "other", Day: day, Answers: a,
			Fits: res.Fits(), Recommended: res.Recommended}); err != nil {
			t.Fatal(err)
		}
		all := readStats(t, c, token, "mode=quick&from="+day+"&to="+day)
		site := readStats(t, c, token, "mode=quick&channel=site&from="+day+"&to="+day)
		r, n := recovered(items, all, site)
		right, total = right+r, total+n
		// Asking again, or the same figures another way, gives the same
		// noise: it cannot be averaged away.
		if again := readStats(t, c, token, "mode=quick&from="+day+"&to="+day+"&sort=item"); again.Submissions == nil || *again.Submissions != *all.Submissions {
			t.Errorf("the same period asked twice: %v then %v", all.Submissions, again.Submissions)
		}
	}
	t.Logf("widget answers recovered by inclusion–exclusion: %d of %d", right, total)
	if total == 0 || float64(right) > 0.8*float64(total) {
		t.Errorf("recovered %d of %d answers by (all) − (site)", right, total)
	}
}

// TestRelease_Fakes: k−1 fake checks whose answers the attacker knows, and
// one real check, alone on a day. Subtracting the fakes leaves the target
// plus the released noise: asking again returns the same values, so the
// noise stays, and the released counts lie within their stated margins.
func TestRelease_Fakes(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Unix())
	ts := newClockedServer(t, &clock)
	items := fullOnly(t, ts)
	e, _ := ts.cat.Get(pmm)
	const day = "2026-11-16"
	fakes := 4
	fake := score.Answers{}
	for _, q := range check.NewPlan(e.Role, score.Full, -1).Questions {
		fake[q.ID] = 0
	}
	for i := range fakes {
		res := score.Score(e.Role, score.Full, fake)
		h := sha256.Sum256(fmt.Appendf(nil, "fake-%d", i))
		if err := ts.store.CreateSubmission(context.Background(), &submission.Submission{TokenHash: h[:], RoleSlug: pmm,
			VersionID: e.VersionID, Mode: "full", Channel: "site", Day: day, Answers: fake, Fits: res.Fits(),
			Recommended: res.Recommended}); err != nil {
			t.Fatal(err)
		}
	}
	ts.fullTarget(t, day)
	c, token := ts.recruiter(t)
	q := "from=" + day + "&to=" + day
	first := readStats(t, c, token, q)
	again := readStats(t, c, token, q+"&sort=mean&dir=desc")
	filtered := readStats(t, c, token, q+"&mode=full&channel=site")
	counts := func(st apiStats) map[string][]int {
		out := map[string][]int{}
		for _, it := range st.Items {
			for _, s := range it.Spread {
				out[it.ID] = append(out[it.ID], s.N.Value)
			}
		}
		return out
	}
	a, b := counts(first), counts(again)
	for id := range a {
		for i := range a[id] {
			if a[id][i] != b[id][i] {
				t.Fatalf("item %s: asked twice, %v then %v: the noise is drawn again", id, a[id], b[id])
			}
		}
	}
	// What the attacker learns: with the fakes (all 0) known, the target is
	// in the bucket that is not the fakes'.
	right, total := 0, 0
	within, cells := 0, 0
	for _, st := range []apiStats{first, filtered} {
		for _, it := range st.Items {
			// Rating items: the fakes' 0 leaves four buckets to guess among.
			kind, ok := items[it.ID]
			if !ok || release.AnswerBuckets(kind) != release.RatingTop+1 || len(it.Spread) == 0 {
				continue
			}
			top := release.AnswerBuckets(kind) - 1
			best := 1
			for i := 1; i < len(it.Spread); i++ {
				if it.Spread[i].N.Value > it.Spread[best].N.Value {
					best = i
				}
			}
			total++
			if best == top {
				right++
			}
			for i, s := range it.Spread {
				truth := 0
				switch i {
				case 0:
					truth = fakes
				case top:
					truth = 1
				}
				cells++
				if math.Abs(float64(s.N.Value-truth)) <= float64(s.N.Margin) {
					within++
				}
			}
		}
	}
	t.Logf("k−1 fakes: the target's full-only answers guessed %d of %d; %d of %d released cells within their margin", right, total, within, cells)
	if float64(right) > 0.8*float64(total) {
		t.Errorf("with k−1 fakes the target's answers are read off: %d of %d", right, total)
	}
	if float64(within) < 0.85*float64(cells) {
		t.Errorf("only %d of %d released cells lie within their stated margin", within, cells)
	}
}

// TestRelease_UsefulAtTwenty: with rolefit demo's 20 checks over 14 days,
// the role's page, CSV and API show the completed checks, every level's
// recommendation count and fit distribution, a figure for at least 80 %
// of requirement items, and funnels that never rise.
func TestRelease_UsefulAtTwenty(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("Seed", seed), func(t *testing.T) {
			var clock atomic.Int64
			clock.Store(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Unix())
			ts := newClockedServer(t, &clock)
			ts.seedChecks(t, 20, 14, seed)
			c, token := ts.recruiter(t)
			st := readStats(t, c, token, "")
			if st.Refused != "" || st.Submissions == nil || st.Submissions.Margin == 0 {
				t.Fatalf("no completed-checks figure: refused %q, %v", st.Refused, st.Submissions)
			}
			e, _ := ts.cat.Get(pmm)
			if len(st.Levels) < len(score.Ladder(e.Role)) {
				t.Errorf("%d levels, want every one of %d", len(st.Levels), len(score.Ladder(e.Role)))
			}
			for _, l := range st.Levels {
				if l.Slug != "" && len(l.Fits) != report.FitBands {
					t.Errorf("level %s: %d fit bands", l.Slug, len(l.Fits))
				}
			}
			shown := 0
			for _, it := range st.Items {
				if isFigure(it.Share) || isFigure(it.Mean) {
					shown++
				}
			}
			t.Logf("completed checks %+v; items with a figure: %d of %d", *st.Submissions, shown, len(st.Items))
			if float64(shown) < 0.8*float64(len(st.Items)) {
				t.Errorf("a figure for %d of %d items, want at least 80%%", shown, len(st.Items))
			}
			if len(st.Funnels) != len(release.Checks) {
				t.Errorf("%d funnels, want one per kind of check", len(st.Funnels))
			}
			for _, f := range st.Funnels {
				stages := []int{f.Started.Value}
				for _, s := range f.Steps {
					stages = append(stages, s.Reached.Value)
				}
				stages = append(stages, f.Completed.Value, f.ApplyClicks.Value)
				for i := 1; i < len(stages); i++ {
					if stages[i] > stages[i-1] {
						t.Errorf("funnel %s/%s rises: %v", f.Mode, f.Channel, stages)
					}
				}
				if f.Mode == "quick" && f.Channel == "embed" && len(f.Steps) != 1 {
					t.Errorf("the widget's funnel has %d steps, want 1", len(f.Steps))
				}
			}
			page := c.get("/dashboard/roles/" + pmm)
			if got := page.testID("submissions").Text(); !strings.HasPrefix(got, "about ") {
				t.Errorf("page: completed checks %q", got)
			}
			if page.testID("empty").Length() != 0 || page.testID("funnel").Length() != len(release.Checks) {
				t.Errorf("page: empty state %q, %d funnels", page.testID("empty").Text(), page.testID("funnel").Length())
			}
			rows := readCSV(t, c, "requirements")
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			csvShown := 0
			for _, r := range rows[1:] {
				if r[col["share_meeting_fraction"]] != "" {
					csvShown++
				}
			}
			if csvShown != shown {
				t.Errorf("CSV: a share for %d items, API a figure for %d", csvShown, shown)
			}
			levels := readCSV(t, c, "levels")
			if len(levels) < 1+len(score.Ladder(e.Role)) {
				t.Errorf("CSV levels: %d rows", len(levels))
			}
		})
	}
}

func readCSV(t *testing.T, c *client, table string) [][]string {
	t.Helper()
	res := c.get("/dashboard/roles/" + pmm + ".csv?table=" + table)
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil || res.StatusCode != http.StatusOK || len(rows) < 2 {
		t.Fatalf("csv %s: status %d, %d rows, %v", table, res.StatusCode, len(rows), err)
	}
	return rows
}

// TestRelease_EmptyState: a role no one has taken says so in words, in
// the page and the API, instead of a wall of zeros.
func TestRelease_EmptyState(t *testing.T) {
	ts := newTestServer(t)
	c, token := ts.recruiter(t)
	st := readStats(t, c, token, "")
	if st.Empty != "No completed checks yet in this period." || st.Submissions == nil || st.Submissions.Value != 0 {
		t.Errorf("api: empty %q, submissions %v", st.Empty, st.Submissions)
	}
	page := c.get("/dashboard/roles/" + pmm)
	if got := page.testID("empty").Text(); got != "No completed checks yet in this period." {
		t.Errorf("page: empty state %q", got)
	}
	if page.testID("table-requirements").Length() != 0 {
		t.Error("page: a requirements table of noise with no checks")
	}
}
