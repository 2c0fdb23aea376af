package web

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRolePage_BeforeEcho checks that the role page answered before Echo
// (a visitor with no cookie) is the response the route sends (a visitor
// with a cookie that is not rolefit's takes the route): same status,
// headers and bytes, for each encoding and for HEAD, and that it is
// counted in the metrics as the route's.
func TestRolePage_BeforeEcho(t *testing.T) {
	ts := newTestServer(t)
	do := func(method, accept, cookie string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+"/roles/"+refSlug, nil)
		req.Header.Set("Accept-Encoding", accept)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		res.Header.Del("Date")
		return res, body
	}
	do(http.MethodGet, "", "") // builds the page
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		for _, accept := range []string{"gzip, deflate, br, zstd", ""} {
			routed, want := do(method, accept, "other=1")
			fast, got := do(method, accept, "")
			if fast.StatusCode != http.StatusOK || routed.StatusCode != http.StatusOK {
				t.Fatalf("%s %q: status %d before Echo, %d through it", method, accept, fast.StatusCode, routed.StatusCode)
			}
			if diff := cmp.Diff(routed.Header, fast.Header); diff != "" {
				t.Errorf("%s %q: headers differ (-route +before Echo):\n%s", method, accept, diff)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s %q: %d bytes before Echo, %d through it", method, accept, len(got), len(want))
			}
		}
	}
	m := ts.client(t).get("/metrics").Body
	if want := `rolefit_http_requests_total{method="GET",route="/roles/:slug",status="200"} 9`; !strings.Contains(m, want) {
		t.Errorf("metrics lack %q", want)
	}
}
