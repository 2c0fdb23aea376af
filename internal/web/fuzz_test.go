package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gorilla/securecookie"

	"github.com/rolefit/rolefit/internal/score"
)

// The fuzz tests drive the real handler in-process (no sockets), so each
// input costs microseconds. Run one with, e.g.,
//
//	go test -run '^$' -fuzz FuzzCheckCookie -fuzztime 30s ./internal/web
//
// (task fuzz runs them all). As plain tests they run their seeds.

// fuzzServer is a server with a check started in the fixed session the
// fuzz inputs are sent with.
type fuzzServer struct {
	ts      *testServer
	h       http.Handler
	csrf    string
	cookies string // the CSRF and check cookies, as a Cookie header
	last    string // the last step's address
	state   string // a valid check state, in clear
}

func newFuzzServer(f *testing.F) *fuzzServer {
	f.Helper()
	ts := newTestServer(f)
	c := ts.client(f)
	last, _ := walkToLastStep(f, c)
	fs := &fuzzServer{ts: ts, h: ts.srv.Handler(), last: last}
	u, _ := url.Parse(ts.URL)
	var parts []string
	for _, ck := range c.hc.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
		if ck.Name == "rolefit_csrf" {
			fs.csrf = ck.Value
		}
	}
	fs.cookies = strings.Join(parts, "; ")
	e, _ := ts.cat.Get(embedSlug)
	fs.state = (&checkState{Slug: embedSlug, VersionID: e.VersionID, Mode: score.Quick, Specialty: -1, Reached: 1,
		Answers: []string{"3", "2", "1", "4", "0", "2.5", "1"}}).encode()
	return fs
}

// serve sends req through the server and fails on a 5xx or a panic.
func (fs *fuzzServer) serve(t *testing.T, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("%s %s panicked: %v", req.Method, req.URL, p)
		}
	}()
	fs.h.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s: status %d\n%.300s", req.Method, req.URL, rec.Code, rec.Body.String())
	}
	return rec
}

func (fs *fuzzServer) post(path, cookie, body string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Cookie", cookie)
	return req
}

// sealCheck seals plain as the check cookie's value, with the server's
// keys and serializer, as if rolefit had written it.
func (fs *fuzzServer) sealCheck(t *testing.T, plain string) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	rec := httptest.NewRecorder()
	sess, _ := fs.ts.srv.sessions.New(req, fs.ts.srv.checkCookieName())
	sess.Values = map[any]any{stateKey: plain}
	if err := sess.Save(req, rec); err != nil {
		t.Skip("too long for a cookie:", err)
	}
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == fs.ts.srv.checkCookieName() {
			return ck.Value
		}
	}
	t.Fatal("no check cookie written")
	return ""
}

// FuzzCheckCookie sends arbitrary check cookies, forged ones and ones
// that authenticate but hold arbitrary state (as if rolefit had a bug
// writing them), to every step of the check: never a 5xx or a panic, and
// nothing stored unless the answer is the redirect to a result.
func FuzzCheckCookie(f *testing.F) {
	fs := newFuzzServer(f)
	f.Add(false, "", "1", "")
	f.Add(false, "garbage", "1", "action=next")
	f.Add(false, strings.Repeat("A", 5000), "2", "")
	f.Add(true, fs.state, "1", "action=next")
	f.Add(true, fs.state, "2", "action=back")
	f.Add(true, "c1|"+embedSlug+"|1|quick|-1|0|", "1", "action=save")
	f.Add(true, "c1|"+embedSlug+"|999|full|99|-5|9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9", "3", "action=next")
	f.Add(true, "c1|"+embedSlug+"|1|quick|2147483647|2147483647|x,,y", "2", "")
	f.Add(true, "c1|other-role|1|quick|-1|0|3", "1", "")
	f.Add(true, "c1|"+embedSlug+"|-1|quick|-1|0|NaN,Inf,-1,1e308", "2", "action=next")
	f.Fuzz(func(t *testing.T, sealed bool, value, step, body string) {
		if sealed {
			value = fs.sealCheck(t, value)
		}
		cookie := "rolefit_csrf=" + fs.csrf + "; " + fs.ts.srv.checkCookieName() + "=" + value
		path := "/roles/" + embedSlug + "/check/" + url.PathEscape(step)
		before := fs.ts.submissionCount(t)
		get := httptest.NewRequest(http.MethodGet, path, nil)
		get.Header.Set("Cookie", cookie)
		fs.serve(t, get)
		for _, p := range []string{path, "/roles/" + embedSlug + "/check", "/roles/" + embedSlug + "/check/saved"} {
			req := fs.post(p, cookie, "_csrf="+fs.csrf+"&"+body)
			if p != path {
				req = httptest.NewRequest(http.MethodGet, p, nil)
				req.Header.Set("Cookie", cookie)
			}
			rec := fs.serve(t, req)
			stored := fs.ts.submissionCount(t) - before
			if stored > 0 && !(rec.Code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/results/")) {
				t.Fatalf("%d submissions stored, answered %d %q", stored, rec.Code, rec.Header().Get("Location"))
			}
			before += stored
		}
	})
}

// FuzzStepForm posts arbitrary form bodies to the last step of a real
// check: the decoder must refuse or accept, never fail.
func FuzzStepForm(f *testing.F) {
	fs := newFuzzServer(f)
	f.Add("action=next")
	f.Add("action=back&x=1&x=2")
	f.Add("%ff%fe=%00&action=save")
	f.Add("a=b&&&==&;&action=next")
	f.Add(strings.Repeat("k=v&", 3000))
	f.Add("action=" + strings.Repeat("n", 10000))
	f.Fuzz(func(t *testing.T, body string) {
		fs.serve(t, fs.post(fs.last, fs.cookies, "_csrf="+fs.csrf+"&"+body))
	})
}

// FuzzEmbedState sends the widget's form with arbitrary sealed state:
// forged values, and ones that authenticate but say anything (an old
// format, another role, a time far off, a reused nonce).
func FuzzEmbedState(f *testing.F) {
	fs := newFuzzServer(f)
	e, _ := fs.ts.cat.Get(embedSlug)
	ver := strconv.FormatInt(e.VersionID, 10)
	f.Add(false, "", "")
	f.Add(false, "not-sealed", "x=1")
	f.Add(true, "e1|"+embedSlug+"|"+ver+"|quick|https://jobs.example.com|1795964645|n1|0", "")
	f.Add(true, "e1|"+embedSlug+"|"+ver+"|quick||1795964645|n2|1", "a=3&b=yes")
	f.Add(true, "e1|"+embedSlug+"|"+ver+"|full||1795964645|n3|1", "")
	f.Add(true, "e1|"+embedSlug+"|-7|quick|javascript:alert(1)|-99999999999|n4|1", "")
	f.Add(true, "e1|"+embedSlug+"|"+ver+"|quick|%00|9223372036854775807||1", "")
	f.Add(true, "e1|nope|1|quick||0|n|0", "")
	f.Fuzz(func(t *testing.T, sealed bool, state, body string) {
		if sealed {
			var err error
			if state, err = securecookie.EncodeMulti(embedStateName, state, fs.ts.srv.sessions.Codecs...); err != nil {
				t.Skip()
			}
		}
		before := fs.ts.submissionCount(t)
		req := httptest.NewRequest(http.MethodPost, "/embed/"+embedSlug, strings.NewReader("_state="+url.QueryEscape(state)+"&"+body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		rec := fs.serve(t, req)
		if stored := fs.ts.submissionCount(t) - before; stored > 0 && rec.Code != http.StatusSeeOther {
			t.Fatalf("%d submissions stored, answered %d", stored, rec.Code)
		}
	})
}
