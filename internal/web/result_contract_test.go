package web

import (
	"context"
	"crypto/sha256"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/submission"
)

// applicantAnswers answers as one applicant of the given ability would:
// ratings spread around it, some years, mostly yes. Abilities from 0.5 to
// 4 give results from "not yet" to strong fits, many of them capped by
// one item far short.
func applicantAnswers(rng *rand.Rand, ability float64) answerer {
	return func(kind string) string {
		switch kind {
		case "experience":
			return strconv.Itoa(rng.IntN(6))
		case "fact":
			if rng.IntN(5) == 0 {
				return "no"
			}
			return "yes"
		}
		v := int(ability + rng.NormFloat64()*0.9)
		return strconv.Itoa(min(max(v, 0), 4))
	}
}

// verdictStats counts what the applicants' results showed, so the test
// knows it saw every case the contract covers.
type verdictStats struct{ fit, closest, capped int }

// requireContract checks one result page, the site's or the widget's,
// against the markup contract: every level card carries its slug, its
// fit as shown and its band; the recommendation names a level and a
// verdict; the verdict is "fit" exactly when some card's band is good or
// strong, and then names the highest such level; and no words on the page
// say otherwise.
func requireContract(t *testing.T, name string, doc *goquery.Document, st *verdictStats) (level string) {
	t.Helper()
	cards := doc.Find(`[data-testid="level-fit"]`)
	if cards.Length() == 0 {
		t.Fatalf("%s: no level cards", name)
	}
	labels := map[string]string{"strong": "Strong fit", "good": "Good fit", "partial": "Partial fit", "not-yet": "Not yet"}
	highestGood, capped := "", false
	slugs := map[string]string{}
	cards.Each(func(_ int, s *goquery.Selection) {
		slug, _ := s.Attr("data-level")
		fit, _ := s.Attr("data-fit")
		band, _ := s.Attr("data-band")
		n, err := strconv.Atoi(fit)
		if slug == "" || err != nil || n < 0 || n > 100 || labels[band] == "" {
			t.Fatalf("%s: card %q data-fit=%q data-band=%q", name, slug, fit, band)
		}
		shown := strings.TrimSpace(s.Find(`[data-testid="fit"]`).Text() + " " + s.Find(`[data-testid="band"]`).Text())
		if shown != fit+" % "+labels[band] {
			t.Errorf("%s: card %s shows %q, markup %s %% %s", name, slug, shown, fit, band)
		}
		if (band == "strong" || band == "good") != (n >= 70) && s.Find(`[data-testid="capped"]`).Length() == 0 {
			t.Errorf("%s: card %s shows %d %% as %s with no reason given", name, slug, n, band)
		}
		if s.Find(`[data-testid="capped"]`).Length() > 0 {
			capped = true
			if band != "partial" || n < 70 {
				t.Errorf("%s: card %s capped at %s with %d %%", name, slug, band, n)
			}
		}
		if band == "strong" || band == "good" {
			highestGood = slug
		}
		slugs[slug] = band
	})
	rec := doc.Find(`[data-testid="recommendation"]`)
	if rec.Length() != 1 {
		t.Fatalf("%s: %d recommendations", name, rec.Length())
	}
	level, _ = rec.Attr("data-level")
	verdict, _ := rec.Attr("data-verdict")
	words := strings.Join(strings.Fields(rec.Text()), " ")
	switch {
	case slugs[level] == "":
		t.Errorf("%s: recommendation names %q, not a level card", name, level)
	case verdict == "fit" && level != highestGood:
		t.Errorf("%s: verdict fit for %s (%s), the highest good level is %q", name, level, slugs[level], highestGood)
	case verdict == "closest" && highestGood != "":
		t.Errorf("%s: verdict closest though %s is %s", name, highestGood, slugs[highestGood])
	case verdict != "fit" && verdict != "closest":
		t.Errorf("%s: data-verdict %q", name, verdict)
	}
	if said := strings.Contains(words, "No level is a good fit"); said != (verdict == "closest") {
		t.Errorf("%s: verdict %s, words %q", name, verdict, words)
	}
	if verdict == "fit" {
		st.fit++
	} else {
		st.closest++
	}
	if capped {
		st.capped++
	}
	return level
}

// TestResult_ContractFortyApplicants sends 40 applicants with varied
// answers through the real server, 20 on the site (quick and full) and 20
// in the widget, and holds every result page to the markup contract.
func TestResult_ContractFortyApplicants(t *testing.T) {
	// Forty checks from one address in a minute: no rate limit here.
	ts := newTestServer(t, func(c *config.Config) { c.SubmitRate = 0 })
	rng := rand.New(rand.NewPCG(11, 40))
	var site, widget verdictStats
	for i := 0; i < 20; i++ {
		ability := 0.5 + 3.5*float64(i)/19
		c := ts.client(t)
		mode := "quick"
		if i%2 == 1 {
			mode = "full"
		}
		res := finishCheck(t, c, startCheck(t, c, mode), applicantAnswers(rng, ability))
		page := c.get(res.Header.Get("Location"))
		if page.StatusCode != http.StatusOK {
			t.Fatalf("site result %d: %d", i, page.StatusCode)
		}
		name := "site " + strconv.Itoa(i) + " " + mode
		level := requireContract(t, name, page.Doc, &site)
		sub := ts.findResult(t, res.Header.Get("Location"))
		if sub.Recommended != level {
			t.Errorf("%s: stored recommendation %q, page %q", name, sub.Recommended, level)
		}
	}
	for i := 0; i < 20; i++ {
		ability := 0.5 + 3.5*float64(i)/19
		c := ts.client(t)
		page := c.embedGet("/embed/"+embedSlug, "https://jobs.example.com/careers")
		answer := applicantAnswers(rng, ability)
		// The widget asks a few questions per page.
		var res *response
		for p := 0; res == nil || res.StatusCode == http.StatusOK; p++ {
			if p > 10 {
				t.Fatalf("widget %d: no result after %d pages", i, p)
			}
			form := url.Values{"_state": {page.stateField()}}
			page.testID("item").Each(func(_ int, s *goquery.Selection) {
				id, _ := s.Attr("data-item")
				kind, _ := s.Attr("data-kind")
				form.Set(id, answer(kind))
			})
			res = c.embedPost("/embed/"+embedSlug, form)
			page = res
		}
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("widget %d: POST %d", i, res.StatusCode)
		}
		result := c.embedGet(res.Header.Get("Location"), "")
		if result.StatusCode != http.StatusOK {
			t.Fatalf("widget result %d: %d", i, result.StatusCode)
		}
		name := "widget " + strconv.Itoa(i)
		level := requireContract(t, name, result.Doc, &widget)
		// The full result on the site says the same.
		full, _ := result.testID("embed-full-result").Attr("href")
		if got := requireContract(t, name+" on the site", c.get(full).Doc, &verdictStats{}); got != level {
			t.Errorf("%s: the frame recommends %q, the site %q", name, level, got)
		}
	}
	// The applicants covered every case the rule has.
	for _, st := range []struct {
		name string
		verdictStats
	}{{"site", site}, {"widget", widget}} {
		if st.fit == 0 || st.closest == 0 || st.capped == 0 {
			t.Errorf("%s results: %d fit, %d closest, %d capped; want some of each", st.name, st.fit, st.closest, st.capped)
		}
	}
	t.Logf("site: %+v; widget: %+v", site, widget)
}

// findResult returns the stored submission of a result path.
func (ts *testServer) findResult(t *testing.T, path string) *submission.Submission {
	t.Helper()
	token := path[strings.LastIndex(path, "/")+1:]
	sum := sha256.Sum256([]byte(token))
	sub, err := ts.store.FindSubmission(context.Background(), sum[:])
	if err != nil {
		t.Fatalf("find %s: %v", path, err)
	}
	return sub
}
