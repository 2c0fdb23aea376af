package web

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/internal/report"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/sqlite"
)

const pmm = "product-manager-marketing"

// addSubmissions stores n quick checks of the reference role with varied
// answers, scored as the wizard would, on days within the default period.
func (ts *testServer) addSubmissions(t testing.TB, n int, channel string, seed uint64) {
	t.Helper()
	e, _ := ts.cat.Get(pmm)
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range n {
		a := score.Answers{}
		for _, l := range e.Role.Levels {
			for _, it := range e.Role.EffectiveItems(l.Slug, role.Requirements) {
				switch it.Kind {
				case role.KindExperience:
					a[it.ID] = float64(rng.IntN(8))
				case role.KindFact:
					a[it.ID] = float64(rng.IntN(2))
				default:
					a[it.ID] = float64(rng.IntN(5))
				}
			}
		}
		res := score.Score(e.Role, score.Quick, a)
		h := sha256.Sum256(fmt.Appendf(nil, "%s-%d-%d", channel, seed, i))
		s := &sqlite.Submission{TokenHash: h[:], RoleSlug: pmm, VersionID: e.VersionID, Mode: "quick", Channel: channel,
			Day: fmt.Sprintf("2026-11-%02d", 1+i%28), Answers: a, Fits: res.Fits(), Recommended: res.Recommended}
		if err := ts.store.CreateSubmission(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		if err := ts.store.RecordEvent(context.Background(), sqlite.Event{Day: s.Day, RoleSlug: pmm, VersionID: e.VersionID,
			Channel: channel, Mode: "quick", Name: "started"}); err != nil {
			t.Fatal(err)
		}
	}
}

// checkCount fails if a published count is below k: it must be a number
// of at least k, or a suppression label.
func checkCount(t *testing.T, where string, v any, k int) {
	t.Helper()
	switch x := v.(type) {
	case float64:
		if x < float64(k) {
			t.Errorf("%s: count %v below k=%d published", where, x, k)
		}
	case string:
		if x != fmt.Sprintf("fewer than %d", k) && x != "hidden" {
			if n, err := fmt.Sscanf(x, "%d", new(int)); n == 1 && err == nil {
				var c int
				fmt.Sscanf(x, "%d", &c)
				if c < k {
					t.Errorf("%s: count %q below k=%d published", where, x, k)
				}
				return
			}
			t.Errorf("%s: unexpected label %q", where, x)
		}
	default:
		t.Errorf("%s: unexpected value %v", where, v)
	}
}

type apiItem struct {
	ID      string `json:"id"`
	Answers any    `json:"answers"`
	Spread  []struct {
		Value string `json:"value"`
		N     any    `json:"n"`
	} `json:"spread"`
	Below any `json:"below_expectation"`
	Meets any `json:"meeting_expectation"`
}

type apiReport struct {
	Refused     string    `json:"refused"`
	Submissions any       `json:"submissions"`
	Started     any       `json:"started"`
	Items       []apiItem `json:"items"`
	Levels      []struct {
		Slug        string `json:"slug"`
		Recommended any    `json:"recommended"`
		Assessed    any    `json:"assessed"`
		Fits        []any  `json:"fit_histogram"`
	} `json:"levels"`
	Weeks []struct {
		Started     any `json:"started"`
		Completed   any `json:"completed"`
		ApplyClicks any `json:"apply_clicks"`
	} `json:"weeks"`
}

func label(v any) string {
	if f, ok := v.(float64); ok {
		return fmt.Sprint(int(f))
	}
	return fmt.Sprint(v)
}

// csvLabel reads a figure of a CSV row as the API labels it: its number,
// or its status when it has none.
func csvLabel(row []string, col map[string]int, name string) string {
	if v := row[col[name]]; v != "" {
		return v
	}
	return row[col[name+"_status"]]
}

// TestDashboardSuppression: at k-1, k and k+1 submissions, every figure
// in the page, the CSV files and the API is at least k or hidden, and the
// three outputs agree cell for cell.
func TestDashboardSuppression(t *testing.T) {
	const k = 5
	for _, n := range []int{k - 1, k, k + 1} {
		t.Run(fmt.Sprintf("N%d", n), func(t *testing.T) {
			ts := newTestServer(t)
			ts.addUser(t, "rita@example.com", false)
			token, hash := NewAPIToken()
			if _, err := ts.store.CreateAPIToken(context.Background(), "bi", hash); err != nil {
				t.Fatal(err)
			}
			ts.addSubmissions(t, n, "site", uint64(n))
			c := ts.client(t)
			c.login("rita@example.com")

			apiRes := c.bearer("/api/v1/roles/"+pmm+"/stats", token)
			if apiRes.StatusCode != http.StatusOK {
				t.Fatalf("api status %d %s", apiRes.StatusCode, apiRes.Body)
			}
			var rep apiReport
			if err := json.Unmarshal([]byte(apiRes.Body), &rep); err != nil {
				t.Fatal(err)
			}
			page := c.get("/dashboard/roles/" + pmm)
			if page.StatusCode != http.StatusOK {
				t.Fatalf("page status %d", page.StatusCode)
			}
			csvRes := c.get("/dashboard/roles/" + pmm + ".csv?table=requirements")
			if csvRes.StatusCode != http.StatusOK || !strings.HasPrefix(csvRes.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("csv status %d type %q", csvRes.StatusCode, csvRes.Header.Get("Content-Type"))
			}
			rows, err := csv.NewReader(strings.NewReader(csvRes.Body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			index := c.get("/dashboard")

			if n < k {
				if rep.Refused == "" || page.testID("refused").Length() != 1 || rows[0][0] != "refused" {
					t.Errorf("a view of %d submissions was shown (api %q, page %d, csv %q)", n, rep.Refused, page.testID("refused").Length(), rows[0][0])
				}
				if got := index.testID("submissions").First().Text(); got != "fewer than 5" {
					t.Errorf("index shows %q", got)
				}
				if strings.Contains(apiRes.Body, `"items"`) {
					t.Error("the API sent figures with a refused view")
				}
				return
			}
			// One check a day: the figures cover whole groups of k days, the
			// days after the last whole group are held back.
			want := fmt.Sprint(n / k * k)
			if label(rep.Submissions) != want || page.testID("submissions").Text() != want || index.testID("submissions").First().Text() != want {
				t.Errorf("submissions: api %v page %q index %q, want %s", rep.Submissions, page.testID("submissions").Text(),
					index.testID("submissions").First().Text(), want)
			}
			// Every count in the API is k or more, or hidden.
			checkCount(t, "started", rep.Started, k)
			for _, l := range rep.Levels {
				checkCount(t, "recommended "+l.Slug, l.Recommended, k)
				checkCount(t, "assessed "+l.Slug, l.Assessed, k)
				for i, f := range l.Fits {
					checkCount(t, fmt.Sprintf("fit %s %d", l.Slug, i), f, k)
				}
			}
			for i, w := range rep.Weeks {
				for _, v := range []any{w.Started, w.Completed, w.ApplyClicks} {
					checkCount(t, fmt.Sprint("week ", i), v, k)
				}
			}
			byID := map[string]apiItem{}
			for _, it := range rep.Items {
				byID[it.ID] = it
				checkCount(t, it.ID+" answers", it.Answers, k)
				checkCount(t, it.ID+" below", it.Below, k)
				checkCount(t, it.ID+" meets", it.Meets, k)
				for _, sp := range it.Spread {
					checkCount(t, it.ID+" "+sp.Value, sp.N, k)
				}
			}
			if len(rep.Items) == 0 {
				t.Fatal("no items")
			}
			// CSV: same cells as the API.
			head := rows[0]
			col := map[string]int{}
			for i, h := range head {
				col[h] = i
			}
			for _, r := range rows[1:] {
				it, ok := byID[r[col["item_id"]]]
				if !ok {
					t.Fatalf("csv item %s not in the API", r[0])
				}
				if csvLabel(r, col, "answers") != label(it.Answers) || csvLabel(r, col, "below_expectation") != label(it.Below) || csvLabel(r, col, "meeting_expectation") != label(it.Meets) {
					t.Errorf("item %s: csv %v, api %+v", it.ID, r, it)
				}
				if len(it.Spread) == 5 {
					for i, sp := range it.Spread {
						if got := csvLabel(r, col, fmt.Sprint("rating_", i)); got != label(sp.N) {
							t.Errorf("item %s rating %d: csv %q, api %q", it.ID, i, got, label(sp.N))
						}
					}
				}
			}
			// Page: same spread as the API.
			page.testID("item-row").Each(func(_ int, s *goquery.Selection) {
				id, _ := s.Attr("data-item")
				it := byID[id]
				cells := s.Find(`[data-testid="cell"]`)
				if cells.Length() != len(it.Spread) {
					t.Errorf("item %s: %d cells on the page, %d in the API", id, cells.Length(), len(it.Spread))
					return
				}
				for i, sp := range it.Spread {
					if got := cells.Eq(i).Text(); got != label(sp.N) {
						t.Errorf("item %s cell %d: page %q, api %q", id, i, got, label(sp.N))
					}
				}
				if got := s.Find(`[data-testid="answers"]`).Text(); got != label(it.Answers) {
					t.Errorf("item %s answers: page %q, api %q", id, got, label(it.Answers))
				}
			})
			if page.Doc.Find(`svg[role="img"] title`).Length() == 0 {
				t.Error("no accessible SVG chart")
			}
			for _, table := range report.CSVTables {
				res := c.get("/dashboard/roles/" + pmm + ".csv?table=" + table)
				if res.StatusCode != http.StatusOK {
					t.Errorf("csv %s: status %d", table, res.StatusCode)
				}
			}
		})
	}
}

// TestDashboardFilters: a filter that narrows below k, directly or by
// what it leaves out, shows no figures.
func TestDashboardFilters(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", false)
	ts.addSubmissions(t, 8, "site", 1)
	ts.addSubmissions(t, 2, "embed", 2)
	c := ts.client(t)
	c.login("rita@example.com")
	tests := []struct {
		name, query string
		refused     bool
		status      int
	}{
		{"All", "", false, 200},
		{"EmbedBelowK", "?channel=embed", true, 200},
		{"SiteLeavesOutTwo", "?channel=site", true, 200},
		// Every filtered view waits for each channel × check group to
		// hold none or k: the two widget checks hold it back.
		{"ModeHeldBackByWidgetChecks", "?mode=quick", true, 200},
		{"ErrBadDate", "?from=yesterday", true, 422},
		{"ErrFromAfterTo", "?from=2026-11-20&to=2026-11-01", true, 422},
		{"ErrUnknownChannel", "?channel=fax", true, 422},
		{"ErrUnknownVersion", "?version=999", true, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.get("/dashboard/roles/" + pmm + tt.query)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if got := res.testID("refused").Length() == 1; got != tt.refused {
				t.Errorf("refused %v, want %v", got, tt.refused)
			}
			if tt.refused && res.testID("submissions").Length() != 0 {
				t.Error("figures shown with a refused view")
			}
		})
	}
	t.Run("Sort", func(t *testing.T) {
		res := c.get("/dashboard/roles/" + pmm + "?sort=item&dir=asc")
		var texts []string
		res.testID("item-row").Each(func(_ int, s *goquery.Selection) {
			texts = append(texts, strings.TrimSpace(s.Find("th").Contents().First().Text()))
		})
		for i := 1; i < len(texts); i++ {
			if texts[i-1] > texts[i] {
				t.Fatalf("not sorted by item: %q before %q", texts[i-1], texts[i])
			}
		}
	})
	_ = url.Values{}
}

// TestDashboardBadInput: a mistyped filter, table or role in the
// downloads and the comparison gets a clear message and a 4xx, never a
// file or a 500.
func TestDashboardBadInput(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", false)
	ts.addSubmissions(t, 12, "site", 1)
	c := ts.client(t)
	c.login("rita@example.com")
	tests := []struct {
		name, path string
		status     int
	}{
		{"XLSX", "/dashboard/roles/" + pmm + ".xlsx", 200},
		{"XLSXBadDate", "/dashboard/roles/" + pmm + ".xlsx?from=31.12.2026", 422},
		{"XLSXUnknownRole", "/dashboard/roles/nope.xlsx", 404},
		{"CSVUnknownTable", "/dashboard/roles/" + pmm + ".csv?table=people", 400},
		{"CSVBadVersion", "/dashboard/roles/" + pmm + ".csv?table=levels&version=x", 422},
		{"Compare", "/dashboard/compare?a=" + pmm, 200},
		{"CompareUnknownRole", "/dashboard/compare?a=" + pmm + "&b=nope", 422},
		{"CompareBadVersion", "/dashboard/compare?a=" + pmm + "&av=999", 422},
		{"CompareBadDate", "/dashboard/compare?a=" + pmm + "&from=2026-13-01", 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.get(tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %.200s", res.StatusCode, tt.status, res.Body)
			}
			if tt.status == 422 && strings.Contains(tt.path, "/compare") && res.testID("field-error").Length() == 0 {
				t.Error("no message says what to correct")
			}
			if tt.status >= 400 && strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
				t.Error("a file was sent for a mistake")
			}
		})
	}
	// The same role on both sides: every requirement is asked in both,
	// and the two agree.
	res := c.get("/dashboard/compare?a=" + pmm + "&b=" + pmm)
	rows := res.testID("compare-row")
	if rows.Length() < 20 {
		t.Fatalf("%d rows compared", rows.Length())
	}
	rows.Each(func(_ int, s *goquery.Selection) {
		a, b := s.Find(`[data-testid="a-share"]`).Text(), s.Find(`[data-testid="b-share"]`).Text()
		if d := s.Find(`[data-testid="difference"]`).Text(); a != b || (d != "0 points" && d != "—") {
			t.Errorf("%s: %q against %q, difference %q", s.AttrOr("data-item", ""), a, b, d)
		}
	})
}
