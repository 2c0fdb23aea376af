package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"github.com/rolefit/rolefit/internal/storage"
)

// settings size a run: -quick for a sanity check in under a minute, the
// default for BENCHMARKS.md.
type settings struct {
	Warm, Measure time.Duration // per server and page, per sample (whole seconds, for wrk)
	Rounds        int           // rolefit/bare sample pairs per page
	Conns         int           // load-generator connections
	Writers       int           // concurrent submitters
	DurableFor    time.Duration // per durable-submission run
	SmallN        int           // dashboard sizes
	LargeN        int
	DashReqs      int
	FlowRate      float64 // applicants per second
	FlowFor       time.Duration
	ColdRuns      int
}

var (
	fullSettings = settings{Warm: time.Second, Measure: 2 * time.Second, Rounds: 9, Conns: 16, Writers: 64,
		DurableFor: 4 * time.Second, SmallN: 10_000, LargeN: 1_000_000, DashReqs: 40,
		FlowRate: 20, FlowFor: 10 * time.Second, ColdRuns: 5}
	quickSettings = settings{Warm: time.Second, Measure: time.Second, Rounds: 3, Conns: 16, Writers: 64,
		DurableFor: time.Second, SmallN: 1_000, LargeN: 100_000, DashReqs: 10,
		FlowRate: 10, FlowFor: 3 * time.Second, ColdRuns: 2}
)

// bench is one run.
type bench struct {
	settings
	quick bool
	only  string
	// pg is the PostgreSQL server the database parts also run on, if any;
	// pgDBs are the databases made on it, dropped at the end.
	pg    string
	pgDBs []string
	dir   string
	bin   string
	self  string
	slug  string
	// browser is the header set every page request carries.
	browser http.Header
	// rssPeak is the highest resident memory seen under load.
	rssPeak int64
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rolefit-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quick := fs.Bool("quick", false, "a short run on smaller data, to check that the benchmark works (under a minute)")
	bin := fs.String("bin", "", "the rolefit binary to measure (default: go build ./cmd/rolefit)")
	out := fs.String("out", "", "write the report here (default BENCHMARKS.md, none with -quick)")
	keep := fs.Bool("keep", false, "keep the working folder with databases and server logs")
	only := fs.String("only", "", "run one part: server, durable or dashboard (for working on it; no report file)")
	pg := fs.String("pg", "", "a PostgreSQL URL, as a user that may create databases: the durable and dashboard parts run on it too, each on a new database dropped afterwards")
	if err := fs.Parse(args); err != nil {
		return err
	}
	userArgs := args
	if os.Getenv(pinnedEnv) != "" {
		userArgs = strings.Fields(os.Getenv(argsEnv))
	}
	if *bin == "" {
		// Built before pinning: the benchmark itself gets one core.
		dir, err := os.MkdirTemp("", "rolefit-bench-bin-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*bin = filepath.Join(dir, "rolefit")
		fmt.Fprintln(stderr, "building ./cmd/rolefit")
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", *bin, "./cmd/rolefit")
		cmd.Stdout, cmd.Stderr = stderr, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build rolefit: %w", err)
		}
		args = append(args, "-bin", *bin)
	}
	if parent, err := pinSelf(args, userArgs); parent || err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			os.Exit(ee.ExitCode())
		}
		return err
	}
	if *out == "" && !*quick && *only == "" {
		*out = "BENCHMARKS.md"
	}
	b := &bench{settings: fullSettings, quick: *quick, only: *only, pg: *pg, slug: "product-manager-marketing", bin: *bin,
		browser: http.Header{
			"Accept":          {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
			"Accept-Encoding": {"gzip, deflate, br, zstd"},
			"User-Agent":      {"rolefit-bench"},
		}}
	if *quick {
		b.settings = quickSettings
	}
	var err error
	if b.dir, err = os.MkdirTemp("", "rolefit-bench-"); err != nil {
		return err
	}
	if *keep {
		fmt.Fprintln(stderr, "working folder:", b.dir)
	} else {
		defer os.RemoveAll(b.dir)
	}
	if b.self, err = os.Executable(); err != nil {
		return err
	}
	defer b.dropPostgres(context.WithoutCancel(ctx), stderr)
	started := time.Now()
	rep, err := b.measure(ctx, stderr)
	if err != nil {
		return err
	}
	rep.Took = time.Since(started)
	rep.Command = strings.TrimSpace("rolefit-bench " + strings.Join(userArgs, " "))
	rep.Revision = revision(ctx)
	text := rep.markdown()
	fmt.Fprint(stdout, text)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(text), 0o644); err != nil {
			return err
		}
		fmt.Fprintln(stderr, "wrote", *out)
	}
	if missed := rep.missed(); len(missed) > 0 {
		return fmt.Errorf("goals missed: %s", strings.Join(missed, "; "))
	}
	return nil
}

// revision names the commit measured, and whether the checkout had
// changes beyond it.
func revision(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	rev := strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		rev += " with uncommitted changes"
	}
	return rev
}

// sqliteDB names a new SQLite file in the working folder.
func (b *bench) sqliteDB(name string) (string, error) {
	return filepath.Join(b.dir, name+".db"), nil
}

// postgresDB creates a new database on the -pg server and returns its URL.
func (b *bench) postgresDB(name string) (string, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, b.pg)
	if err != nil {
		return "", fmt.Errorf("-pg: %w", err)
	}
	defer conn.Close(ctx)
	db := fmt.Sprintf("rolefit_bench_%s_%d", strings.ReplaceAll(name, "-", "_"), time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		return "", fmt.Errorf("-pg: %w", err)
	}
	b.pgDBs = append(b.pgDBs, db)
	u, err := url.Parse(b.pg)
	if err != nil {
		return "", fmt.Errorf("-pg: %w", err)
	}
	u.Path = "/" + db
	return u.String(), nil
}

// dropPostgres drops the databases postgresDB made.
func (b *bench) dropPostgres(ctx context.Context, log io.Writer) {
	if len(b.pgDBs) == 0 {
		return
	}
	conn, err := pgx.Connect(ctx, b.pg)
	if err != nil {
		fmt.Fprintln(log, "drop the bench's databases:", err)
		return
	}
	defer conn.Close(ctx)
	for _, db := range b.pgDBs {
		if _, err := conn.Exec(ctx, "DROP DATABASE "+db+" WITH (FORCE)"); err != nil {
			fmt.Fprintln(log, "drop", db+":", err)
		}
	}
}

// startRolefit serves dbPath with the binary under test.
func (b *bench) startRolefit(ctx context.Context, dbPath string) (*server, error) {
	s, _, err := b.spawnRolefit(ctx, dbPath)
	return s, err
}

func (b *bench) spawnRolefit(ctx context.Context, dbPath string) (*server, time.Duration, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	// No per-client submission limit: every applicant comes from 127.0.0.1.
	return spawn(ctx, filepath.Join(b.dir, "rolefit.log"), addr, []string{"ROLEFIT_SUBMIT_RATE=0"},
		b.bin, "serve", "-addr", addr, "-db", dbPath)
}

// The parts of a run; -only picks one while working on it.
const (
	partServer    = "server" // start-up, pages, sizes, memory, quick checks
	partDurable   = "durable"
	partDashboard = "dashboard"
)

func (b *bench) measure(ctx context.Context, log io.Writer) (*report, error) {
	rep := &report{Quick: b.quick, Settings: b.settings, Machine: machine(), Pinned: canPin(), Ran: map[string]bool{}, PG: b.pg != ""}
	for _, part := range []string{partServer, partDurable, partDashboard} {
		if b.only != "" && b.only != part {
			continue
		}
		rep.Ran[part] = true
		var err error
		switch part {
		case partServer:
			err = b.measureServer(ctx, log, rep)
		case partDurable:
			fmt.Fprintln(log, "== durable submissions")
			rep.Durable, err = durableSubmissions(ctx, b.sqliteDB, b.Writers, b.DurableFor)
			if err == nil && rep.PG {
				fmt.Fprintln(log, "== durable submissions on PostgreSQL")
				rep.DurablePG, err = durableSubmissions(ctx, b.postgresDB, b.Writers, b.DurableFor)
			}
		case partDashboard:
			fmt.Fprintf(log, "== dashboard at %d and %d submissions\n", b.SmallN, b.LargeN)
			rep.Dash, err = b.dashboard(ctx, b.sqliteDB)
			if err == nil && rep.PG {
				fmt.Fprintln(log, "== dashboard on PostgreSQL")
				rep.DashPG, err = b.dashboard(ctx, b.postgresDB)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", part, err)
		}
	}
	return rep, nil
}

// measureServer times start-up, serves the pages beside the bare
// baseline, measures sizes and memory, and walks quick checks.
func (b *bench) measureServer(ctx context.Context, log io.Writer, rep *report) error {
	step := func(s string) { fmt.Fprintf(log, "== %s\n", s) }
	step("cold start")
	mainDB := filepath.Join(b.dir, "main.db")
	var first, again []time.Duration
	for i := 0; i < b.ColdRuns; i++ {
		path := mainDB
		if i < b.ColdRuns-1 {
			path = filepath.Join(b.dir, fmt.Sprintf("fresh-%d.db", i))
		}
		s, took, err := b.spawnRolefit(ctx, path)
		if err != nil {
			return err
		}
		s.stop()
		first = append(first, took)
	}
	for i := 0; i < b.ColdRuns; i++ {
		s, took, err := b.spawnRolefit(ctx, mainDB)
		if err != nil {
			return err
		}
		s.stop()
		again = append(again, took)
	}
	rep.ColdFirst, rep.ColdAgain = percentile(first, 50), percentile(again, 50)

	srv, err := b.startRolefit(ctx, mainDB)
	if err != nil {
		return err
	}
	defer srv.stop()
	base := "http://" + srv.addr

	step("capture pages")
	pages, err := b.capture(base)
	if err != nil {
		return err
	}
	rep.Sizes, rep.ThirdParty, err = b.sizes(base, pages)
	if err != nil {
		return err
	}
	time.Sleep(time.Second)
	rep.RSSIdle = srv.rss()

	spec := filepath.Join(b.dir, "bare.json")
	js, _ := json.Marshal([]captured{pages.role, pages.step})
	if err := os.WriteFile(spec, js, 0o644); err != nil {
		return err
	}
	bareAddr, err := freeAddr()
	if err != nil {
		return err
	}
	bare, _, err := spawn(ctx, filepath.Join(b.dir, "bare.log"), bareAddr, nil, b.self, "bare", "-addr", bareAddr, "-spec", spec)
	if err != nil {
		return err
	}
	defer bare.stop()

	for _, pg := range []struct {
		name string
		c    captured
		dst  *pageRatio
	}{{"role page", pages.role, &rep.Role}, {"wizard step", pages.step, &rep.Step}} {
		step(pg.name + " throughput")
		pr, err := b.ratio(ctx, srv, bare, pg.c)
		if err != nil {
			return fmt.Errorf("%s: %w", pg.name, err)
		}
		*pg.dst = pr
	}
	bare.stop()

	step("quick checks at a fixed arrival rate")
	stopRSS := make(chan struct{})
	peak := srv.rssPeak(stopRSS)
	rep.Flow = quickChecks(ctx, base, b.slug, b.FlowRate, b.FlowFor)
	close(stopRSS)
	b.rssPeak = max(b.rssPeak, <-peak)
	rep.RSSLoad = b.rssPeak
	srv.stop()
	rep.Flow.Verified, err = verifyTokens(ctx, mainDB, rep.Flow.Tokens)
	return err
}

// pages are the captured responses the baselines replay.
type pages struct {
	role, step captured
	// html holds the uncompressed pages by name, for sizes and checks.
	html map[string][]byte
}

// capture records the role page as a visitor with no check under way
// sees it (the common case: no cookie at all), then walks to
// the second step of a quick check and records it with the check cookie,
// each exactly as rolefit sends it to that browser.
func (b *bench) capture(base string) (*pages, error) {
	jar, _ := cookiejar.New(nil)
	a := newApplicant(base, http.DefaultTransport, 3)
	a.client.Jar = jar
	u, _ := url.Parse(base)
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (captured, error) {
		var cookies []string
		for _, ck := range jar.Cookies(u) {
			cookies = append(cookies, ck.Name+"="+ck.Value)
		}
		h := b.browser.Clone()
		if len(cookies) > 0 { // as a browser, no Cookie header without one
			h.Set("Cookie", strings.Join(cookies, "; "))
		}
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header = h.Clone()
		resp, err := raw.Do(req)
		if err != nil {
			return captured{}, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return captured{}, err
		}
		if resp.StatusCode != http.StatusOK {
			return captured{}, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
		hdr := resp.Header.Clone()
		hdr.Del("Date")
		return captured{Path: path, Status: resp.StatusCode, Header: hdr, Body: body, request: h}, nil
	}

	p := &pages{html: map[string][]byte{}}
	var err error
	if p.role, err = get("/roles/" + b.slug); err != nil {
		return nil, err
	}
	next, err := a.post("/roles/"+b.slug+"/check", url.Values{"mode": {"quick"}})
	if err != nil {
		return nil, err
	}
	stepPath := next
	if after, err := a.answer(next); err == nil && strings.HasPrefix(after, "/roles/") {
		stepPath = after // the second step, with the first one's answers in the cookie
	}
	if p.step, err = get(stepPath); err != nil {
		return nil, err
	}
	return p, nil
}

// pageRatio is a page's throughput beside its bare baseline.
type pageRatio struct {
	Path          string
	Rolefit, Bare float64 // requests per second, medians
	Ratio         float64 // median of the per-round ratios
	// Low and High are the lowest and highest round's ratio: the noise.
	Low, High float64
	// CPURatio compares requests per CPU second of each server (median of
	// the rounds): the ratio with each server on a core of its own.
	CPURatio  float64
	ClientCPU float64 // highest share of a core the load generator used
	Bytes     int
	Encoding  string
}

// ratio measures rolefit and the bare server on the same request in
// alternating rounds; each round gives one ratio, and the median of those
// is reported, so that a noisy moment skews one round, not the figure.
func (b *bench) ratio(ctx context.Context, srv, bare *server, c captured) (pageRatio, error) {
	h := c.request
	pr := pageRatio{Path: c.Path, Bytes: len(c.Body), Encoding: c.Header.Get("Content-Encoding")}
	if pr.Encoding == "" {
		pr.Encoding = "identity"
	}
	for _, s := range []*server{srv, bare} {
		if err := sameResponse(s.addr, c); err != nil {
			return pr, err
		}
		if _, err := hammer(ctx, s, c.Path, h, b.Conns, b.Warm); err != nil {
			return pr, fmt.Errorf("warm-up: %w", err)
		}
	}
	var rs, bs, ratios, cpuRatios []float64
	for i := 0; i < b.Rounds; i++ {
		stop := make(chan struct{})
		peak := srv.rssPeak(stop)
		r, err := hammer(ctx, srv, c.Path, h, b.Conns, b.Measure)
		close(stop)
		b.rssPeak = max(b.rssPeak, <-peak)
		if err != nil {
			return pr, fmt.Errorf("rolefit: %w", err)
		}
		bb, err := hammer(ctx, bare, c.Path, h, b.Conns, b.Measure)
		if err != nil {
			return pr, fmt.Errorf("bare: %w", err)
		}
		rs, bs = append(rs, r.RPS()), append(bs, bb.RPS())
		ratios = append(ratios, r.RPS()/bb.RPS())
		cpuRatios = append(cpuRatios, r.PerCPUSecond()/bb.PerCPUSecond())
		pr.ClientCPU = max(pr.ClientCPU, r.ClientCPU, bb.ClientCPU)
	}
	pr.Rolefit, pr.Bare, pr.Ratio, pr.CPURatio = median(rs), median(bs), median(ratios), median(cpuRatios)
	pr.Low, pr.High = slices.Min(ratios), slices.Max(ratios)
	return pr, nil
}

// sameResponse fails unless the server at addr answers c's request with
// c's status and body: the load would otherwise measure another page.
func sameResponse(addr string, c captured) error {
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+c.Path, nil)
	req.Header = c.request.Clone()
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != c.Status || !bytes.Equal(body, c.Body) {
		return fmt.Errorf("GET %s on %s: status %d with %d bytes, not the captured %d with %d bytes", c.Path, addr, resp.StatusCode, len(body), c.Status, len(c.Body))
	}
	return nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// sizeStats are the transfer sizes the goals bound.
type sizeStats struct {
	EmbedJS       int // gzipped; -1 when the widget is not there
	Frame         int // the widget's frame with all its assets, gzipped
	FrameParts    []string
	WizardHTML    int // uncompressed
	WizardCSS     int // uncompressed
	WizardGz      int // HTML and CSS as sent (gzipped)
	RolePageBytes int // uncompressed
}

// sizes measures the widget and the wizard page, and lists any request a
// page would make to another host.
func (b *bench) sizes(base string, p *pages) (sizeStats, []string, error) {
	st := sizeStats{EmbedJS: -1, Frame: -1}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}
	fetch := func(path string) (raw, plain []byte, status int, err error) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, 0, err
		}
		defer resp.Body.Close()
		if raw, err = io.ReadAll(resp.Body); err != nil {
			return nil, nil, 0, err
		}
		plain = raw
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				return nil, nil, 0, err
			}
			if plain, err = io.ReadAll(zr); err != nil {
				return nil, nil, 0, err
			}
		}
		return raw, plain, resp.StatusCode, nil
	}
	// assets are a page's stylesheets, scripts and images.
	assets := func(html []byte) []string {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(html))
		if err != nil {
			return nil
		}
		var out []string
		doc.Find(`link[rel="stylesheet"], script[src], img[src]`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, s.AttrOr("href", s.AttrOr("src", "")))
		})
		return out
	}
	var third []string
	checkThird := func(page string, html []byte) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(html))
		if err != nil {
			return
		}
		doc.Find("[src], link[href], form[action], iframe, object, embed").Each(func(_ int, s *goquery.Selection) {
			for _, attr := range []string{"src", "href", "action", "data"} {
				v := s.AttrOr(attr, "")
				if strings.HasPrefix(v, "//") || strings.Contains(v, "://") {
					third = append(third, page+": "+v)
				}
			}
		})
	}

	for name, c := range map[string]captured{"role page": p.role, "wizard step": p.step} {
		_, plain, _, err := fetchPlain(c)
		if err != nil {
			return st, nil, err
		}
		p.html[name] = plain
		checkThird(name, plain)
	}
	st.RolePageBytes = len(p.html["role page"])
	st.WizardHTML = len(p.html["wizard step"])
	st.WizardGz = len(p.step.Body)
	for _, a := range assets(p.html["wizard step"]) {
		raw, plain, _, err := fetch(a)
		if err != nil {
			return st, nil, err
		}
		if strings.HasSuffix(a, ".css") {
			st.WizardCSS += len(plain)
			st.WizardGz += len(raw)
		}
	}

	raw, _, status, err := fetch("/embed.js")
	if err != nil {
		return st, nil, err
	}
	if status == http.StatusOK {
		st.EmbedJS = len(raw)
	}
	raw, plain, status, err := fetch("/embed/" + b.slug)
	if err != nil {
		return st, nil, err
	}
	if status == http.StatusOK {
		checkThird("widget frame", plain)
		st.Frame = len(raw)
		st.FrameParts = append(st.FrameParts, fmt.Sprintf("frame %d", len(raw)))
		for _, a := range assets(plain) {
			raw, _, _, err := fetch(a)
			if err != nil {
				return st, nil, err
			}
			st.Frame += len(raw)
			st.FrameParts = append(st.FrameParts, fmt.Sprintf("%s %d", filepath.Base(a), len(raw)))
		}
	}
	return st, third, nil
}

// fetchPlain returns a captured body uncompressed.
func fetchPlain(c captured) ([]byte, []byte, int, error) {
	if c.Header.Get("Content-Encoding") != "gzip" {
		return c.Body, c.Body, c.Status, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(c.Body))
	if err != nil {
		return nil, nil, 0, err
	}
	plain, err := io.ReadAll(zr)
	return c.Body, plain, c.Status, err
}

// verifyTokens counts how many of the acknowledged results are stored.
func verifyTokens(ctx context.Context, path string, tokens []string) (int, error) {
	store, err := storage.Open(ctx, path)
	if err != nil {
		return 0, err
	}
	defer store.Close()
	n := 0
	for _, t := range tokens {
		sum := sha256.Sum256([]byte(t))
		if _, err := store.FindSubmission(ctx, sum[:]); err == nil {
			n++
		}
	}
	return n, nil
}
