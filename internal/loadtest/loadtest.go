// Package loadtest drives rolefit as many applicants at once would: each
// one fills in the quick check like a browser (role page, CSRF token,
// every step posted and its redirect followed, cookies kept) and records
// the result token it is sent to. The load tool (cmd/rolefit-load) and the
// crash, shutdown and backup tests use it against a real rolefit process.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// Options say what load to make.
type Options struct {
	// BaseURL is the server, e.g. http://127.0.0.1:8080.
	BaseURL string
	// OtherURL, when set, is a second instance on the same database: each
	// applicant's requests then go to the two in turn, as behind a proxy
	// that balances every request, so a check begun on one goes on on the
	// other.
	OtherURL string
	// Role is the slug of the role to check against.
	Role string
	// Mode is "quick" or "full".
	Mode string
	// Applicants is how many checks to complete, Concurrency how many at
	// a time.
	Applicants, Concurrency int
	// ForwardedFor sends each applicant's own X-Forwarded-For address
	// (10.x.y.z), so that a server trusting the load tool as a proxy sees
	// distinct clients, as it would behind a real proxy.
	ForwardedFor bool
	// Seed makes the answers repeatable.
	Seed uint64
	// OnAck, if set, is called with each acknowledged result token as soon
	// as it arrives (from many goroutines).
	OnAck func(token string)
}

// Report is what a run saw.
type Report struct {
	Applicants int
	// Tokens are the acknowledged results, in no particular order.
	Tokens []string
	// Requests counts every request, Status the answers by status code.
	Requests int
	Status   map[int]int
	// Failures counts applicants that did not reach a result; Errors keeps
	// the first few reasons.
	Failures int
	Errors   []string
	// Latencies are the times of every answered request.
	Latencies []time.Duration
	Elapsed   time.Duration
}

// ServerErrors counts the 5xx answers.
func (r *Report) ServerErrors() int {
	n := 0
	for code, c := range r.Status {
		if code >= 500 {
			n += c
		}
	}
	return n
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of the latencies.
func (r *Report) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	l := slices.Clone(r.Latencies)
	slices.Sort(l)
	i := int(float64(len(l))*p/100+0.5) - 1
	return l[min(max(i, 0), len(l)-1)]
}

// Summary is a one-paragraph account of the run.
func (r *Report) Summary() string {
	secs := r.Elapsed.Seconds()
	return fmt.Sprintf("%d applicants, %d acknowledged, %d failed; %d requests, %d 5xx; %.1f checks/s, %.0f requests/s; latency p50 %v, p99 %v, max %v; statuses %v",
		r.Applicants, len(r.Tokens), r.Failures, r.Requests, r.ServerErrors(),
		float64(len(r.Tokens))/secs, float64(r.Requests)/secs,
		r.Percentile(50).Round(time.Microsecond), r.Percentile(99).Round(time.Microsecond),
		r.Percentile(100).Round(time.Microsecond), r.Status)
}

// Run makes the load and returns what happened. It stops early, counting
// the rest as failures, when ctx ends.
func Run(ctx context.Context, o Options) *Report {
	if o.Role == "" {
		o.Role = "product-manager-marketing"
	}
	if o.Mode == "" {
		o.Mode = "quick"
	}
	o.Concurrency = max(o.Concurrency, 1)
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        o.Concurrency * 2,
		MaxIdleConnsPerHost: o.Concurrency * 2,
		IdleConnTimeout:     30 * time.Second,
	}
	defer tr.CloseIdleConnections()
	rep := &Report{Applicants: o.Applicants, Status: map[int]int{}}
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= o.Applicants {
					return
				}
				a := newApplicant(o, tr, i)
				token, err := a.run(ctx)
				if err == nil && o.OnAck != nil {
					o.OnAck(token)
				}
				mu.Lock()
				rep.Requests += len(a.latencies)
				rep.Latencies = append(rep.Latencies, a.latencies...)
				for code, n := range a.status {
					rep.Status[code] += n
				}
				if err != nil {
					rep.Failures++
					if len(rep.Errors) < 10 {
						rep.Errors = append(rep.Errors, fmt.Sprintf("applicant %d: %v", i, err))
					}
				} else {
					rep.Tokens = append(rep.Tokens, token)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	return rep
}

// applicant is one simulated person with their own cookies.
type applicant struct {
	o         Options
	hc        *http.Client
	rnd       *rand.Rand
	ip        string
	latencies []time.Duration
	status    map[int]int
	requests  int
}

func newApplicant(o Options, tr http.RoundTripper, i int) *applicant {
	jar, _ := cookiejar.New(nil)
	return &applicant{o: o, rnd: rand.New(rand.NewPCG(o.Seed, uint64(i))), status: map[int]int{},
		ip: fmt.Sprintf("10.%d.%d.%d", (i>>16)&255, (i>>8)&255, i&255),
		hc: &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// errStatus is an answer other than the one a browser would expect.
type errStatus struct {
	method, path string
	code         int
	body         string
}

func (e *errStatus) Error() string {
	return fmt.Sprintf("%s %s: status %d: %s", e.method, e.path, e.code, e.body)
}

func (a *applicant) do(ctx context.Context, method, path string, form url.Values) (*http.Response, *goquery.Document, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	base := a.o.BaseURL
	if a.requests++; a.o.OtherURL != "" && a.requests%2 == 0 {
		base = a.o.OtherURL
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, body)
	if err != nil {
		return nil, nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if a.o.ForwardedFor {
		req.Header.Set("X-Forwarded-For", a.ip)
	}
	start := time.Now()
	res, err := a.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	a.latencies = append(a.latencies, time.Since(start))
	a.status[res.StatusCode]++
	want := http.StatusOK
	if method == http.MethodPost {
		want = http.StatusSeeOther
	}
	if res.StatusCode != want {
		msg := strings.Join(strings.Fields(string(b)), " ")
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return res, nil, &errStatus{method, path, res.StatusCode, msg}
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	return res, doc, err
}

// run completes one check and returns its result token.
func (a *applicant) run(ctx context.Context) (string, error) {
	_, page, err := a.do(ctx, http.MethodGet, "/roles/"+a.o.Role, nil)
	if err != nil {
		return "", err
	}
	start := page.Find(`form.start-form`).First()
	action, ok := start.Attr("action")
	if !ok {
		return "", errors.New("the role page has no start form")
	}
	form := a.fill(start)
	form.Set("mode", a.o.Mode)
	res, _, err := a.do(ctx, http.MethodPost, action, form)
	if err != nil {
		return "", err
	}
	loc := res.Header.Get("Location")
	for step := 0; step < 100; step++ {
		if token, ok := strings.CutPrefix(loc, "/results/"); ok {
			return token, nil
		}
		_, page, err := a.do(ctx, http.MethodGet, loc, nil)
		if err != nil {
			return "", err
		}
		f := page.Find(`form[data-testid="step-form"]`).First()
		action, ok := f.Attr("action")
		if !ok {
			return "", fmt.Errorf("%s has no step form", loc)
		}
		form := a.fill(f)
		form.Set("action", "next")
		res, _, err := a.do(ctx, http.MethodPost, action, form)
		if err != nil {
			return "", err
		}
		loc = res.Header.Get("Location")
	}
	return "", errors.New("no result after 100 steps")
}

// fill answers a form as a person would: hidden fields kept, one choice
// per radio group, a number of years, the first option of a list.
func (a *applicant) fill(f *goquery.Selection) url.Values {
	v := url.Values{}
	radios := map[string][]string{}
	var order []string
	f.Find("input, select").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" {
			return
		}
		value, _ := s.Attr("value")
		switch typ, _ := s.Attr("type"); {
		case goquery.NodeName(s) == "select":
			opt, _ := s.Find("option").First().Attr("value")
			v.Set(name, opt)
		case typ == "hidden":
			v.Set(name, value)
		case typ == "radio":
			if radios[name] == nil {
				order = append(order, name)
			}
			radios[name] = append(radios[name], value)
		case typ == "number":
			v.Set(name, strconv.Itoa(a.rnd.IntN(9)))
		}
	})
	for _, name := range order {
		opts := radios[name]
		v.Set(name, opts[a.rnd.IntN(len(opts))])
	}
	return v
}

// Verify opens every result page and returns an error naming those that
// do not answer 200.
func Verify(ctx context.Context, baseURL string, tokens []string, concurrency int) error {
	hc := &http.Client{Timeout: 30 * time.Second}
	var mu sync.Mutex
	var missing []string
	var wg sync.WaitGroup
	ch := make(chan string)
	for range max(concurrency, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for tok := range ch {
				code := 0
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/results/"+tok, nil)
				if res, err := hc.Do(req); err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					code = res.StatusCode
				}
				if code != http.StatusOK {
					mu.Lock()
					missing = append(missing, fmt.Sprintf("%s… (%d)", tok[:min(8, len(tok))], code))
					mu.Unlock()
				}
			}
		}()
	}
	for _, t := range tokens {
		ch <- t
	}
	close(ch)
	wg.Wait()
	if len(missing) > 0 {
		return fmt.Errorf("%d of %d acknowledged results do not open, e.g. %v", len(missing), len(tokens), missing[:min(5, len(missing))])
	}
	return nil
}
