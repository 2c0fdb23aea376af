package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/score"
)

func TestLoadSessionKeys(t *testing.T) {
	ctx := context.Background()
	store := mustOpenDB(t, filepath.Join(t.TempDir(), "keys.db"))
	t.Run("MadeOnceAndKept", func(t *testing.T) {
		first, err := LoadSessionKeys(ctx, "", store)
		if err != nil {
			t.Fatal(err)
		}
		if len(first) != 2 || len(first[0]) != 32 || len(first[1]) != 32 {
			t.Fatalf("keys %d, want one pair of 32-byte keys", len(first))
		}
		again, err := LoadSessionKeys(ctx, "", store)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first[0], again[0]) || !bytes.Equal(first[1], again[1]) {
			t.Error("a restart made new keys: sessions would be lost")
		}
	})
	t.Run("Configured", func(t *testing.T) {
		cfg := strings.Repeat("ab", 32) + ":" + strings.Repeat("cd", 32) + "," + strings.Repeat("01", 64) + ":" + strings.Repeat("02", 16)
		keys, err := LoadSessionKeys(ctx, cfg, store)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != 4 || keys[0][0] != 0xab || len(keys[2]) != 64 || len(keys[3]) != 16 {
			t.Errorf("parsed %d keys", len(keys))
		}
	})
	for _, bad := range []string{"zz:zz", strings.Repeat("ab", 32), strings.Repeat("ab", 10) + ":" + strings.Repeat("cd", 32), strings.Repeat("ab", 32) + ":" + strings.Repeat("cd", 20)} {
		if _, err := ParseSessionKeys(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCheckState_Encode(t *testing.T) {
	st := &checkState{Slug: "pm", VersionID: 7, Mode: score.Full, Specialty: -1, Reached: 2, Answers: []string{"3", "", "2.5", "1", "", ""}}
	got, ok := decodeState(st.encode())
	if !ok {
		t.Fatalf("%q does not decode", st.encode())
	}
	if got.Slug != "pm" || got.VersionID != 7 || got.Mode != score.Full || got.Specialty != -1 || got.Reached != 2 ||
		strings.Join(got.Answers, ",") != "3,,2.5,1" {
		t.Errorf("round trip gave %+v", got)
	}
	for _, bad := range []string{"", "c0|pm|1|quick|-1|0|", "c1|pm|x|quick|-1|0|", "c1|pm|1|slow|-1|0|"} {
		if _, ok := decodeState(bad); ok {
			t.Errorf("%q decoded", bad)
		}
	}
}

// TestSession_LongRole shows the cookie stays under 4 KB for a role far
// longer than the reference: 600 items, a tenth of them years with
// decimals.
func TestSession_LongRole(t *testing.T) {
	ts := newTestServer(t)
	st := &checkState{Slug: strings.Repeat("long-role-", 5), VersionID: 123456, Mode: score.Full, Specialty: 3, Reached: 40}
	for i := 0; i < 600; i++ {
		v := strconv.Itoa(i % 5)
		if i%10 == 0 {
			v = "59.75"
		}
		st.Answers = append(st.Answers, v)
	}
	rec := httptest.NewRecorder()
	c := ts.srv.echo.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
	if err := ts.srv.saveCheck(c, st); err != nil {
		t.Fatal(err)
	}
	ck := rec.Header().Get("Set-Cookie")
	t.Logf("600 answers: Set-Cookie is %d bytes", len(ck))
	if len(ck) >= 4096 {
		t.Errorf("cookie is %d bytes", len(ck))
	}
	// And it reads back.
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Cookie", strings.Split(ck, ";")[0])
	got := ts.srv.loadCheck(ts.srv.echo.NewContext(req, httptest.NewRecorder()))
	if got == nil || len(got.Answers) != 600 || got.Answers[10] != "59.75" {
		t.Fatal("the cookie does not read back")
	}
	// A cookie sealed with other keys counts as no check.
	other := newTestServer(t)
	if other.srv.loadCheck(other.srv.echo.NewContext(req, httptest.NewRecorder())) != nil {
		t.Error("a cookie sealed with other keys was accepted")
	}
}
