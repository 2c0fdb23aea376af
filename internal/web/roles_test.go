package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestHome(t *testing.T) {
	ts := newTestServer(t)
	res := ts.client(t).get("/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got := res.testID("roles").Find("a").First().Text(); got != "Product Manager - Marketing" {
		t.Errorf("first role %q", got)
	}
}

func TestRolePage(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	t.Run("OK", func(t *testing.T) {
		res := c.get("/roles/product-manager-marketing")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		if got := res.testID("role-title").Text(); got != "Product Manager - Marketing" {
			t.Errorf("title %q", got)
		}
		levels := res.testID("level")
		if levels.Length() != 2 {
			t.Fatalf("%d levels, want 2", levels.Length())
		}
		if got := strings.TrimSpace(levels.Eq(0).Find(`[data-testid="grade"]`).Text()); got != "Grade 8" {
			t.Errorf("intermediate grade %q", got)
		}
		senior := levels.Eq(1)
		if senior.Find(`[data-testid="extends"]`).Length() != 1 {
			t.Error("senior does not say it builds on intermediate")
		}
		// Senior lists its own 9 + 3 items, and says how many it inherits
		// instead of repeating them.
		if got := senior.Find(`[data-testid="item"]`).Length(); got != 12 {
			t.Errorf("senior shows %d own items, want 12", got)
		}
		if got := senior.Find(`[data-testid="inherited"]`).Length(); got != 2 {
			t.Errorf("senior has %d inherited notes, want 2", got)
		}
		if got := res.testID("bonus").Length(); got != 2 {
			t.Errorf("%d bonus badges, want 2", got)
		}
		if got := res.testID("hiring-process").Find("li").Length(); got != 5 {
			t.Errorf("%d hiring steps, want 5", got)
		}
		if res.testID("start-quick").Length() != 1 || res.testID("start-full").Length() != 1 {
			t.Error("the page does not offer both checks")
		}
		if res.Header.Get("Content-Security-Policy") == "" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("CSP %q", res.Header.Get("Content-Security-Policy"))
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		res := c.get("/roles/no-such-role")
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("status %d", res.StatusCode)
		}
		if res.testID("error").Length() != 1 {
			t.Error("no friendly error page")
		}
	})
}

func TestHealth(t *testing.T) {
	ts := newTestServer(t)
	res := ts.client(t).get("/healthz")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"database":"ok"`) {
		t.Fatalf("status %d body %s", res.StatusCode, res.Body)
	}
}

// TestHead answers HEAD like GET without a body, as monitors expect.
func TestHead(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/", "/roles/product-manager-marketing", "/healthz"} {
		req, _ := http.NewRequest(http.MethodHead, ts.URL+path, nil)
		res := ts.client(t).do(req)
		if res.StatusCode != http.StatusOK || res.Body != "" {
			t.Errorf("HEAD %s: status %d, %d bytes of body", path, res.StatusCode, len(res.Body))
		}
	}
	req, _ := http.NewRequest(http.MethodHead, ts.URL+"/roles/nope", nil)
	if res := ts.client(t).do(req); res.StatusCode != http.StatusNotFound {
		t.Errorf("HEAD of an unknown role: %d", res.StatusCode)
	}
}
