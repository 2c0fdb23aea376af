package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// applicant walks rolefit's quick check as a browser would, without
// JavaScript: role page, start, every step (answered at random), result.
type applicant struct {
	base   string
	client *http.Client
	rng    *rand.Rand
	// latencies of each request, in order.
	latencies []time.Duration
}

func newApplicant(base string, tr http.RoundTripper, seed uint64) *applicant {
	jar, _ := cookiejar.New(nil)
	return &applicant{base: base, rng: rand.New(rand.NewPCG(seed, 7)), client: &http.Client{
		Transport: tr, Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends a request and returns the response with its body read.
func (a *applicant) do(method, path string, form url.Values) (*http.Response, []byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		return nil, nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	start := time.Now()
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	a.latencies = append(a.latencies, time.Since(start))
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode >= 500 {
		return nil, nil, fmt.Errorf("%s %s: status %d", method, path, resp.StatusCode)
	}
	return resp, b, nil
}

// page GETs path, expects 200 and parses it.
func (a *applicant) page(path string) (*goquery.Document, error) {
	resp, b, err := a.do(http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	return goquery.NewDocumentFromReader(strings.NewReader(string(b)))
}

// post sends a form and expects a 303; it returns where it points.
func (a *applicant) post(path string, form url.Values) (string, error) {
	resp, _, err := a.do(http.MethodPost, path, form)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("POST %s: status %d", path, resp.StatusCode)
	}
	return resp.Header.Get("Location"), nil
}

// quickCheck walks one quick check of slug and returns the result token.
func (a *applicant) quickCheck(slug string) (string, error) {
	if _, err := a.page("/roles/" + slug); err != nil {
		return "", err
	}
	next, err := a.post("/roles/"+slug+"/check", url.Values{"mode": {"quick"}})
	if err != nil {
		return "", err
	}
	for steps := 0; strings.HasPrefix(next, "/roles/"); steps++ {
		if steps > 100 {
			return "", fmt.Errorf("the check did not end after 100 steps")
		}
		if next, err = a.answer(next); err != nil {
			return "", err
		}
	}
	token, ok := strings.CutPrefix(next, "/results/")
	if !ok {
		return "", fmt.Errorf("the last step sent the applicant to %q, not a result", next)
	}
	if _, err := a.page(next); err != nil {
		return "", err
	}
	return token, nil
}

// answer GETs the step at path, answers every item at random, posts the
// form and returns where the 303 points.
func (a *applicant) answer(path string) (string, error) {
	doc, err := a.page(path)
	if err != nil {
		return "", err
	}
	form := url.Values{"action": {"next"}}
	f := doc.Find(`form[data-testid="step-form"]`)
	choices := map[string][]string{}
	var names []string
	f.Find("input").Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		switch in.AttrOr("type", "") {
		case "radio":
			if _, ok := choices[name]; !ok {
				names = append(names, name)
			}
			choices[name] = append(choices[name], in.AttrOr("value", ""))
		case "number":
			form.Set(name, strconv.Itoa(a.rng.IntN(10)))
		}
	})
	for _, n := range names {
		form.Set(n, choices[n][a.rng.IntN(len(choices[n]))])
	}
	return a.post(f.AttrOr("action", path), form)
}

// flowStats are the latencies of quick checks run at a fixed arrival rate.
type flowStats struct {
	Rate     float64 // applicants per second
	Checks   int
	Requests int
	Flow     [2]time.Duration // p50, p99 of a whole check, from its scheduled start
	Request  [2]time.Duration // p50, p99 of one request
	Tokens   []string
	Errors   int
	FirstErr error
	Elapsed  time.Duration
	// Verified is how many acknowledged results were found stored.
	Verified int
}

// quickChecks starts one applicant every 1/rate seconds for d (an open
// loop: a slow server does not slow the arrivals) and measures each whole
// check from its scheduled start, so that queueing counts.
func quickChecks(ctx context.Context, base, slug string, rate float64, d time.Duration) flowStats {
	// The transport asks for gzip and unpacks it, as a browser does.
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	defer tr.CloseIdleConnections()
	st := flowStats{Rate: rate}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		flow []time.Duration
		reqs []time.Duration
	)
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Until(at))
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			a := newApplicant(base, tr, uint64(i))
			token, err := a.quickCheck(slug)
			took := time.Since(at)
			mu.Lock()
			defer mu.Unlock()
			reqs = append(reqs, a.latencies...)
			if err != nil {
				st.Errors++
				if st.FirstErr == nil {
					st.FirstErr = err
				}
				return
			}
			st.Tokens = append(st.Tokens, token)
			flow = append(flow, took)
		}(i)
	}
	wg.Wait()
	st.Elapsed = time.Since(start)
	st.Checks, st.Requests = len(flow), len(reqs)
	st.Flow = [2]time.Duration{percentile(flow, 50), percentile(flow, 99)}
	st.Request = [2]time.Duration{percentile(reqs, 50), percentile(reqs, 99)}
	return st
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}
