package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/storage"
)

func TestUserStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		u, err := st.CreateUser(ctx, "Ada@example.com", "hash", true)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("ErrConflict", func(t *testing.T) {
			if _, err := st.CreateUser(ctx, "ada@EXAMPLE.com", "hash", false); !errors.Is(err, apperr.ErrConflict) {
				t.Errorf("err %v", err)
			}
		})
		t.Run("ByEmail", func(t *testing.T) {
			got, err := st.UserByEmail(ctx, "ADA@example.com")
			if err != nil || got.ID != u.ID || !got.Admin {
				t.Errorf("%+v %v", got, err)
			}
			if _, err := st.UserByEmail(ctx, "bob@example.com"); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("unknown e-mail: %v", err)
			}
		})
		t.Run("Change", func(t *testing.T) {
			if err := st.SetUserAdmin(ctx, u.ID, false); err != nil {
				t.Fatal(err)
			}
			if err := st.SetUserPassword(ctx, u.ID, "new hash"); err != nil {
				t.Fatal(err)
			}
			got, err := st.UserByID(ctx, u.ID)
			if err != nil || got.Admin || got.PasswordHash != "new hash" || got.Email != u.Email {
				t.Errorf("after changes: %+v %v", got, err)
			}
			if err := st.SetUserAdmin(ctx, 9999, true); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("admin of no account: %v", err)
			}
			if err := st.SetUserAdmin(ctx, u.ID, true); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("SessionsEndWithAccount", func(t *testing.T) {
			now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
			id := []byte("0123456789abcdef0123456789abcdef")
			if err := st.SaveRecruiterSession(ctx, id, u.ID, []byte("x"), now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if uid, _, err := st.FindRecruiterSession(ctx, id, now); err != nil || uid != u.ID {
				t.Fatalf("find: %d %v", uid, err)
			}
			if _, _, err := st.FindRecruiterSession(ctx, id, now.Add(2*time.Hour)); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("expired session found: %v", err)
			}
			if err := st.DeleteUser(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.FindRecruiterSession(ctx, id, now); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("session outlived its account: %v", err)
			}
			if err := st.DeleteUser(ctx, u.ID); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("second delete: %v", err)
			}
			if users, err := st.ListUsers(ctx); err != nil || len(users) != 0 {
				t.Errorf("users after the delete: %+v %v", users, err)
			}
		})
	})
}

func TestSessionStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		u, err := st.CreateUser(ctx, "rita@example.com", "hash", false)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		save := func(id string, expires time.Time, data string) {
			t.Helper()
			if err := st.SaveRecruiterSession(ctx, []byte(id), u.ID, []byte(data), expires); err != nil {
				t.Fatal(err)
			}
		}
		save("short", now.Add(time.Minute), "a")
		save("long", now.Add(8*time.Hour), "b")
		save("ended", now.Add(-time.Second), "c")
		// Saving again replaces the data and the expiry.
		save("short", now.Add(2*time.Hour), "a2")
		if uid, data, err := st.FindRecruiterSession(ctx, []byte("short"), now.Add(time.Hour)); err != nil || uid != u.ID || string(data) != "a2" {
			t.Errorf("replaced session: %d %q %v", uid, data, err)
		}
		if _, _, err := st.FindRecruiterSession(ctx, []byte("ended"), now); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("ended session: %v", err)
		}
		// The sweep removes what ended by now and nothing else.
		n, err := st.DeleteExpiredSessions(ctx, now.Add(3*time.Hour))
		if err != nil || n != 2 {
			t.Errorf("swept %d sessions (%v), want 2", n, err)
		}
		if n, err := st.CountRows(ctx, "recruiter_sessions"); err != nil || n != 1 {
			t.Errorf("%d sessions kept, want 1 (%v)", n, err)
		}
		if _, data, err := st.FindRecruiterSession(ctx, []byte("long"), now.Add(3*time.Hour)); err != nil || string(data) != "b" {
			t.Errorf("live session after the sweep: %q %v", data, err)
		}
		if err := st.DeleteRecruiterSession(ctx, []byte("long")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.FindRecruiterSession(ctx, []byte("long"), now); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("signed-out session: %v", err)
		}
	})
}

func TestPasswordLinks(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 29, 15, 0, 0, 0, time.UTC)
		expires := now.Add(72 * time.Hour)
		u, err := st.InviteUser(ctx, "rita@example.com", false, "locked", []byte("invite-1"), expires)
		if err != nil {
			t.Fatal(err)
		}

		t.Run("ErrInviteTwice", func(t *testing.T) {
			if _, err := st.InviteUser(ctx, "RITA@example.com", true, "locked", []byte("invite-2"), expires); !errors.Is(err, apperr.ErrConflict) {
				t.Errorf("err %v, want a conflict", err)
			}
		})
		t.Run("Listed", func(t *testing.T) {
			users, err := st.ListUsers(ctx)
			if err != nil || len(users) != 1 || users[0].Link == nil || users[0].Link.Purpose != account.LinkInvite || !users[0].Link.Expires.Equal(expires) {
				t.Fatalf("users %+v, err %v", users, err)
			}
		})
		t.Run("Find", func(t *testing.T) {
			got, l, err := st.PasswordLinkUser(ctx, []byte("invite-1"))
			if err != nil || got.Email != "rita@example.com" || l.Purpose != account.LinkInvite || l.Expired(now) || !l.Expired(expires) {
				t.Errorf("user %+v link %+v err %v", got, l, err)
			}
			if _, _, err := st.PasswordLinkUser(ctx, []byte("nope")); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("unknown link: %v", err)
			}
		})
		t.Run("ErrExpired", func(t *testing.T) {
			if _, err := st.UsePasswordLink(ctx, []byte("invite-1"), expires, "new"); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("expired link used: %v", err)
			}
		})
		t.Run("UseOnce", func(t *testing.T) {
			if err := st.SaveRecruiterSession(ctx, []byte("sess"), u.ID, []byte{}, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			got, err := st.UsePasswordLink(ctx, []byte("invite-1"), now, "new hash")
			if err != nil || got.PasswordHash != "new hash" {
				t.Fatalf("use: %+v %v", got, err)
			}
			if _, _, err := st.FindRecruiterSession(ctx, []byte("sess"), now); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("a session outlived the new password: %v", err)
			}
			if _, err := st.UsePasswordLink(ctx, []byte("invite-1"), now, "again"); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("used twice: %v", err)
			}
			if users, _ := st.ListUsers(ctx); users[0].Link != nil {
				t.Errorf("a used link is still listed: %+v", users[0].Link)
			}
		})
		t.Run("Reset", func(t *testing.T) {
			if err := st.SaveRecruiterSession(ctx, []byte("sess2"), u.ID, []byte{}, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := st.ResetUserPassword(ctx, u.ID, "locked again", []byte("reset-1"), expires); err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.FindRecruiterSession(ctx, []byte("sess2"), now); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("a reset left a session: %v", err)
			}
			got, l, err := st.PasswordLinkUser(ctx, []byte("reset-1"))
			if err != nil || got.PasswordHash != "locked again" || l.Purpose != account.LinkReset {
				t.Errorf("after reset: %+v %+v %v", got, l, err)
			}
			// A second reset replaces the first link.
			if err := st.ResetUserPassword(ctx, u.ID, "locked", []byte("reset-2"), expires); err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.PasswordLinkUser(ctx, []byte("reset-1")); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("a replaced link still works: %v", err)
			}
			if err := st.ResetUserPassword(ctx, 9999, "locked", []byte("reset-3"), expires); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("reset of no account: %v", err)
			}
		})
		t.Run("RemovedWithAccount", func(t *testing.T) {
			if err := st.DeleteUser(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.PasswordLinkUser(ctx, []byte("reset-2")); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("a removed account's link still works: %v", err)
			}
		})
	})
}

func TestAPITokenStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		h := tokenHash("secret")
		tok, err := st.CreateAPIToken(ctx, "BI", h, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := st.APITokenByHash(ctx, h); err != nil || got.Name != "BI" || got.ExpiresOn != "" || got.LastUsedOn != "" {
			t.Fatalf("%+v %v", got, err)
		}
		if err := st.MarkAPITokenUsed(ctx, tok.ID, "2026-12-01"); err != nil {
			t.Fatal(err)
		}
		h2 := tokenHash("other")
		if _, err := st.CreateAPIToken(ctx, "CRM", h2, "2027-03-01"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateAPIToken(ctx, "bad", tokenHash("third"), "next week"); err == nil {
			t.Error("an expiry that is not a date was stored")
		}
		if _, err := st.CreateAPIToken(ctx, "copy", h2, ""); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("a second token with the same hash: %v, want a conflict", err)
		}
		list, err := st.ListAPITokens(ctx)
		if err != nil || len(list) != 2 {
			t.Fatalf("list %+v %v", list, err)
		}
		if got := list[0]; got.Name != "CRM" || got.ExpiresOn != "2027-03-01" || !got.Expired("2027-03-01") || got.Expired("2027-02-28") {
			t.Errorf("expiring token %+v", got)
		}
		if got := list[1]; got.LastUsedOn != "2026-12-01" || got.Expired("2999-01-01") {
			t.Errorf("used token %+v", got)
		}
		if err := st.DeleteAPIToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.APITokenByHash(ctx, h); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("revoked token found: %v", err)
		}
	})
}
