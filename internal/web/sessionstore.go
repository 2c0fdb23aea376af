package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/sessions"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/apperr"
)

// sessionUserKey holds the signed-in user's id in a session's values.
const sessionUserKey = "uid"

// dbSessionStore is a gorilla/sessions store that keeps recruiter sessions
// in SQLite: the cookie holds only a random id (256 bits), so signing out
// or removing an account ends a session at once, wherever its cookie is.
type dbSessionStore struct {
	db   account.SessionStore
	name string
	opts sessions.Options
	now  func() time.Time
}

var _ sessions.Store = (*dbSessionStore)(nil)

// hashSessionID is what the database keeps instead of the id, so that a
// copy of the database holds no usable session.
func hashSessionID(id string) []byte {
	h := sha256.Sum256([]byte(id))
	return h[:]
}

// Get returns the request's session. There is no per-request cache: the
// handlers read a session once.
func (st *dbSessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return st.New(r, name)
}

func (st *dbSessionStore) fresh() *sessions.Session {
	s := sessions.NewSession(st, st.name)
	opts := st.opts
	s.Options = &opts
	s.IsNew = true
	return s
}

// New returns the stored session named by the request's cookie, or a new
// one when there is none (or it has ended).
func (st *dbSessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	s := st.fresh()
	c, err := r.Cookie(name)
	if err != nil || len(c.Value) != 43 {
		return s, nil
	}
	uid, data, err := st.db.FindRecruiterSession(r.Context(), hashSessionID(c.Value), st.now())
	if errors.Is(err, apperr.ErrNotFound) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	values := map[any]any{}
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&values); err != nil {
		return s, nil
	}
	values[sessionUserKey] = uid
	s.Values, s.ID, s.IsNew = values, c.Value, false
	return s, nil
}

// Save stores the session and sets its cookie; a negative MaxAge deletes it.
func (st *dbSessionStore) Save(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	if s.Options.MaxAge < 0 {
		return st.destroy(r, w, s)
	}
	uid, _ := s.Values[sessionUserKey].(int64)
	if uid == 0 {
		return errors.New("web: a recruiter session must name its user")
	}
	if s.ID == "" {
		s.ID = base64.RawURLEncoding.EncodeToString(randomBytes(32))
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(s.Values); err != nil {
		return err
	}
	expires := st.now().Add(time.Duration(s.Options.MaxAge) * time.Second)
	if err := st.db.SaveRecruiterSession(r.Context(), hashSessionID(s.ID), uid, buf.Bytes(), expires); err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(s.Name(), s.ID, s.Options))
	return nil
}

// destroy ends a session on the server and clears its cookie.
func (st *dbSessionStore) destroy(r *http.Request, w http.ResponseWriter, s *sessions.Session) error {
	if s.ID != "" {
		if err := st.db.DeleteRecruiterSession(r.Context(), hashSessionID(s.ID)); err != nil {
			return err
		}
	}
	opts := *s.Options
	opts.MaxAge = -1
	http.SetCookie(w, sessions.NewCookie(s.Name(), "", &opts))
	s.ID = ""
	return nil
}
