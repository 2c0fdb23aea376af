package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/apperr"
)

func TestPasswordLinks(t *testing.T) {
	ctx := context.Background()
	d := mustOpenDB(t)
	now := time.Date(2026, 11, 29, 15, 0, 0, 0, time.UTC)
	expires := now.Add(72 * time.Hour)
	u, err := d.InviteUser(ctx, "rita@example.com", false, "locked", []byte("invite-1"), expires)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("ErrInviteTwice", func(t *testing.T) {
		if _, err := d.InviteUser(ctx, "RITA@example.com", true, "locked", []byte("invite-2"), expires); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("err %v, want a conflict", err)
		}
	})
	t.Run("Listed", func(t *testing.T) {
		users, err := d.ListUsers(ctx)
		if err != nil || len(users) != 1 || users[0].Link == nil || users[0].Link.Purpose != account.LinkInvite || !users[0].Link.Expires.Equal(expires) {
			t.Fatalf("users %+v, err %v", users, err)
		}
	})
	t.Run("Find", func(t *testing.T) {
		got, l, err := d.PasswordLinkUser(ctx, []byte("invite-1"))
		if err != nil || got.Email != "rita@example.com" || l.Purpose != account.LinkInvite || l.Expired(now) || !l.Expired(expires) {
			t.Errorf("user %+v link %+v err %v", got, l, err)
		}
		if _, _, err := d.PasswordLinkUser(ctx, []byte("nope")); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("unknown link: %v", err)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		if _, err := d.UsePasswordLink(ctx, []byte("invite-1"), expires, "new"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("expired link used: %v", err)
		}
	})
	t.Run("UseOnce", func(t *testing.T) {
		if err := d.SaveRecruiterSession(ctx, []byte("sess"), u.ID, []byte{}, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := d.UsePasswordLink(ctx, []byte("invite-1"), now, "new hash")
		if err != nil || got.PasswordHash != "new hash" {
			t.Fatalf("use: %+v %v", got, err)
		}
		if _, _, err := d.FindRecruiterSession(ctx, []byte("sess"), now); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a session outlived the new password: %v", err)
		}
		if _, err := d.UsePasswordLink(ctx, []byte("invite-1"), now, "again"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("used twice: %v", err)
		}
		if users, _ := d.ListUsers(ctx); users[0].Link != nil {
			t.Errorf("a used link is still listed: %+v", users[0].Link)
		}
	})
	t.Run("Reset", func(t *testing.T) {
		if err := d.SaveRecruiterSession(ctx, []byte("sess2"), u.ID, []byte{}, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := d.ResetUserPassword(ctx, u.ID, "locked again", []byte("reset-1"), expires); err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.FindRecruiterSession(ctx, []byte("sess2"), now); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a reset left a session: %v", err)
		}
		got, l, err := d.PasswordLinkUser(ctx, []byte("reset-1"))
		if err != nil || got.PasswordHash != "locked again" || l.Purpose != account.LinkReset {
			t.Errorf("after reset: %+v %+v %v", got, l, err)
		}
		// A second reset replaces the first link.
		if err := d.ResetUserPassword(ctx, u.ID, "locked", []byte("reset-2"), expires); err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.PasswordLinkUser(ctx, []byte("reset-1")); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a replaced link still works: %v", err)
		}
		if err := d.ResetUserPassword(ctx, 9999, "locked", []byte("reset-3"), expires); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("reset of no account: %v", err)
		}
	})
	t.Run("RemovedWithAccount", func(t *testing.T) {
		if err := d.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.PasswordLinkUser(ctx, []byte("reset-2")); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("a removed account's link still works: %v", err)
		}
	})
}
