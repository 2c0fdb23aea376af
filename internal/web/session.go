package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/score"
)

// SettingStore keeps server settings such as the session keys.
type SettingStore interface {
	Setting(ctx context.Context, key string) ([]byte, error)
	SetSettingOnce(ctx context.Context, key string, value []byte) ([]byte, error)
}

// sessionKeysSetting is the settings key under which the keys made on
// first start are kept, in the same text form as Config.SessionKeys.
const sessionKeysSetting = "session_keys"

// LoadSessionKeys returns the session cookie keys as hash/block pairs,
// newest first: the configured ones when given, else those kept in the
// database, made on first start so that restarts keep sessions.
func LoadSessionKeys(ctx context.Context, configured string, st SettingStore) ([][]byte, error) {
	if configured != "" {
		return ParseSessionKeys(configured)
	}
	v, err := st.Setting(ctx, sessionKeysSetting)
	if err != nil {
		return nil, err
	}
	if v == nil {
		if v, err = st.SetSettingOnce(ctx, sessionKeysSetting, []byte(newSessionKeys())); err != nil {
			return nil, err
		}
	}
	return ParseSessionKeys(string(v))
}

// newSessionKeys makes one pair: a 32-byte HMAC-SHA256 key and a 32-byte
// AES-256 key, hex encoded as "hash:block".
func newSessionKeys() string {
	return hex.EncodeToString(randomBytes(32)) + ":" + hex.EncodeToString(randomBytes(32))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on supported platforms.
		panic(err)
	}
	return b
}

// ParseSessionKeys reads "hashKey:blockKey" hex pairs separated by commas.
// The hash key authenticates (32 or 64 bytes), the block key encrypts
// (16, 24 or 32 bytes): a cookie can be neither read nor forged.
func ParseSessionKeys(s string) ([][]byte, error) {
	var out [][]byte
	for i, pair := range strings.Split(s, ",") {
		h, b, ok := strings.Cut(strings.TrimSpace(pair), ":")
		hk, err1 := hex.DecodeString(h)
		bk, err2 := hex.DecodeString(b)
		switch {
		case !ok || err1 != nil || err2 != nil:
			return nil, fmt.Errorf("session keys: pair %d is not hex hashKey:blockKey", i+1)
		case len(hk) != 32 && len(hk) != 64:
			return nil, fmt.Errorf("session keys: pair %d: the hash key must be 32 or 64 bytes, not %d", i+1, len(hk))
		case len(bk) != 16 && len(bk) != 24 && len(bk) != 32:
			return nil, fmt.Errorf("session keys: pair %d: the block key must be 16, 24 or 32 bytes, not %d", i+1, len(bk))
		}
		out = append(out, hk, bk)
	}
	return out, nil
}

// checkMaxAge is how long an unfinished check is kept in the browser.
const checkMaxAge = 30 * 24 * 3600

func (s *Server) newSessionStore() (*sessions.CookieStore, error) {
	keys := s.SessionKeys
	if len(keys) == 0 {
		// No keys given (tests, embedded use): sessions last as long as
		// the process.
		var err error
		if keys, err = ParseSessionKeys(newSessionKeys()); err != nil {
			return nil, err
		}
	}
	if len(keys)%2 != 0 {
		return nil, fmt.Errorf("web: session keys must come in hash/block pairs")
	}
	st := sessions.NewCookieStore(keys...)
	useStringSerializer(st)
	st.Options = &sessions.Options{Path: "/", MaxAge: checkMaxAge, HttpOnly: true,
		Secure: s.Config.TLS(), SameSite: http.SameSiteLaxMode}
	st.MaxAge(checkMaxAge)
	return st, nil
}

// checkCookieName is the cookie holding the applicant's unfinished check.
func (s *Server) checkCookieName() string {
	if s.Config.TLS() {
		return "__Host-rolefit_check"
	}
	return "rolefit_check"
}

// checkState is an applicant's unfinished check. It lives only in the
// encrypted cookie: nothing reaches the database before the final submit.
type checkState struct {
	Slug      string
	VersionID int64
	Mode      score.Mode
	// Specialty is the index of the chosen specialty in the role, or -1.
	Specialty int
	// Reached is the highest step completed so far, so that each step is
	// counted once for the dashboard.
	Reached int
	// Answers holds one value per question of the plan, by position: ""
	// when unanswered, else the canonical number ("3", "2.5", "1").
	Answers []string
}

// The cookie's value is one short string instead of a gob of maps, which
// keeps the full reference role's cookie near 500 bytes and a role of
// several hundred items under the 4 KB that browsers accept:
//
//	c1|slug|versionID|mode|specialty|reached|a0,a1,…
const stateFormat = "c1"

func (st *checkState) encode() string {
	n := len(st.Answers)
	for n > 0 && st.Answers[n-1] == "" {
		n--
	}
	return strings.Join([]string{stateFormat, st.Slug, strconv.FormatInt(st.VersionID, 10), string(st.Mode),
		strconv.Itoa(st.Specialty), strconv.Itoa(st.Reached), strings.Join(st.Answers[:n], ",")}, "|")
}

func decodeState(v string) (*checkState, bool) {
	f := strings.Split(v, "|")
	if len(f) != 7 || f[0] != stateFormat {
		return nil, false
	}
	st := &checkState{Slug: f[1], Mode: score.Mode(f[3])}
	var err1, err2, err3 error
	st.VersionID, err1 = strconv.ParseInt(f[2], 10, 64)
	st.Specialty, err2 = strconv.Atoi(f[4])
	st.Reached, err3 = strconv.Atoi(f[5])
	if err1 != nil || err2 != nil || err3 != nil || !st.Mode.Valid() {
		return nil, false
	}
	if f[6] != "" {
		st.Answers = strings.Split(f[6], ",")
	}
	return st, true
}

const stateKey = "c"

// loadCheck returns the check in the request's cookie, or nil. A cookie
// that cannot be read (old keys, tampering) counts as no check.
func (s *Server) loadCheck(c echo.Context) *checkState {
	sess, err := s.sessions.New(c.Request(), s.checkCookieName())
	if err != nil || sess.IsNew {
		return nil
	}
	v, _ := sess.Values[stateKey].(string)
	st, ok := decodeState(v)
	if !ok {
		return nil
	}
	return st
}

// saveCheck writes st to the cookie, or removes the cookie when st is nil.
func (s *Server) saveCheck(c echo.Context, st *checkState) error {
	sess, _ := s.sessions.New(c.Request(), s.checkCookieName())
	if st == nil {
		sess.Options.MaxAge = -1
		sess.Values = map[any]any{}
	} else {
		sess.Values = map[any]any{stateKey: st.encode()}
	}
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return fmt.Errorf("web: save check: %w", err)
	}
	return nil
}
