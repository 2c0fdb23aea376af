package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/views/admin"
)

// The admin's accounts page: invite, reset, promote, remove. rolefit sends
// no e-mail: an invitation or reset is a one-time link, shown once for the
// admin to pass on.

func (s *Server) usersModel(c echo.Context) (admin.Users, error) {
	users, err := s.Recruiters.ListUsers(c.Request().Context())
	if err != nil {
		return admin.Users{}, err
	}
	me := currentUser(c)
	vm := admin.Users{Notice: map[string]string{"removed": "The account is removed; its sessions have ended.",
		"changed": "The account's rights are changed."}[c.QueryParam("notice")]}
	now := s.Now()
	for _, u := range users {
		vm.Users = append(vm.Users, admin.UserLine{ID: strconv.FormatInt(u.ID, 10), Email: u.Email, CreatedOn: u.CreatedOn,
			Admin: u.Admin, Me: u.ID == me.ID, Status: AccountStatus(u.Link, now)})
	}
	return vm, nil
}

func (s *Server) handleUsers(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, nil)
}

// renderUsers shows the accounts page, after a change with what change
// adds: the link just made (shown this once), or the form's errors.
func (s *Server) renderUsers(c echo.Context, status int, change func(*admin.Users)) error {
	vm, err := s.usersModel(c)
	if err != nil {
		return err
	}
	if change != nil {
		change(&vm)
	}
	return s.render(c, status, admin.UsersPage(s.meta(c, "Accounts"), vm))
}

// handleInviteUser makes an account that waits for its password, and the
// link with which the person sets it.
func (s *Server) handleInviteUser(c echo.Context) error {
	ctx := c.Request().Context()
	email := strings.TrimSpace(c.FormValue("email"))
	isAdmin := c.FormValue("admin") == "1"
	errs := map[string]string{}
	if msg := checkEmail(email); msg != "" {
		errs["email"] = msg
	}
	var link admin.NewLink
	if len(errs) == 0 {
		locked, err := s.rec.hasher.Locked(ctx)
		if err != nil {
			return err
		}
		addr, hash := NewPasswordLink(s.embedBase(c))
		expires := s.Now().Add(PasswordLinkLifetime)
		_, err = s.Recruiters.InviteUser(ctx, email, isAdmin, locked, hash, expires)
		if errors.Is(err, apperr.ErrConflict) {
			errs["email"] = "This e-mail has an account already. To let them choose a new password, use Reset password in the list."
		} else if err != nil {
			return err
		}
		link = admin.NewLink{URL: addr, Email: email, Expires: LinkExpiry(expires)}
	}
	if len(errs) > 0 {
		return s.renderUsers(c, http.StatusUnprocessableEntity, func(vm *admin.Users) {
			vm.Email, vm.Admin, vm.Errors = email, isAdmin, errs
		})
	}
	return s.renderUsers(c, http.StatusOK, func(vm *admin.Users) { vm.Link = &link })
}

// handleResetUser locks an account out, ends its sessions and makes a
// link with which its owner chooses a new password.
// handleUserConfirm asks before a password reset or a removal (remove).
func (s *Server) handleUserConfirm(remove bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := s.userToChange(c)
		if err != nil {
			return err
		}
		return s.renderUserConfirm(c, http.StatusOK, u, remove, "")
	}
}

func (s *Server) renderUserConfirm(c echo.Context, status int, u *account.User, remove bool, problem string) error {
	title := "Reset the password of " + u.Email + "?"
	if remove {
		title = "Remove " + u.Email + "?"
	}
	return s.render(c, status, admin.UserConfirmPage(s.meta(c, title),
		admin.UserConfirm{ID: strconv.FormatInt(u.ID, 10), Email: u.Email, Remove: remove, Error: problem}))
}

// userToChange reads the account named in the path (see userParam).
func (s *Server) userToChange(c echo.Context) (*account.User, error) {
	id, err := s.userParam(c)
	if err != nil {
		return nil, err
	}
	return s.Recruiters.UserByID(c.Request().Context(), id)
}

// confirmed reports whether the confirmation box of a reset or removal
// was ticked, and if not answers with the page again.
func (s *Server) confirmed(c echo.Context, u *account.User, remove bool) (bool, error) {
	if c.FormValue("confirm") == "1" {
		return true, nil
	}
	return false, s.renderUserConfirm(c, http.StatusUnprocessableEntity, u, remove, "Tick the box to confirm.")
}

func (s *Server) handleResetUser(c echo.Context) error {
	u, err := s.userToChange(c)
	if err != nil {
		return err
	}
	if ok, err := s.confirmed(c, u, false); !ok {
		return err
	}
	ctx := c.Request().Context()
	id := u.ID
	locked, err := s.rec.hasher.Locked(ctx)
	if err != nil {
		return err
	}
	addr, hash := NewPasswordLink(s.embedBase(c))
	expires := s.Now().Add(PasswordLinkLifetime)
	if err := s.Recruiters.ResetUserPassword(ctx, id, locked, hash, expires); err != nil {
		return err
	}
	return s.renderUsers(c, http.StatusOK, func(vm *admin.Users) {
		vm.Link = &admin.NewLink{URL: addr, Email: u.Email, Expires: LinkExpiry(expires), Reset: true}
	})
}

// checkEmail is a light check: the address is typed by an admin and only
// used to sign in, never mailed.
func checkEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || len(email) > 254 || strings.ContainsAny(email, " \t\r\n<>") {
		return "Enter an e-mail address such as name@example.com."
	}
	return ""
}

// userParam reads the account named in the path; an admin may not change
// their own account here, so that no one locks themselves out.
func (s *Server) userParam(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.NewHTTPError(http.StatusNotFound, "There is no such account.")
	}
	if id == currentUser(c).ID {
		return 0, echo.NewHTTPError(http.StatusUnprocessableEntity,
			"You cannot remove, demote or reset your own account; ask another admin. To change your password, use Change password.")
	}
	return id, nil
}

func (s *Server) handleDeleteUser(c echo.Context) error {
	u, err := s.userToChange(c)
	if err != nil {
		return err
	}
	if ok, err := s.confirmed(c, u, true); !ok {
		return err
	}
	if err := s.Recruiters.DeleteUser(c.Request().Context(), u.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?notice=removed")
}

func (s *Server) handleUserAdmin(c echo.Context) error {
	id, err := s.userParam(c)
	if err != nil {
		return err
	}
	var makeAdmin bool
	switch c.FormValue("admin") {
	case "1":
		makeAdmin = true
	case "0":
	default:
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "Choose admin or recruiter.")
	}
	if err := s.Recruiters.SetUserAdmin(c.Request().Context(), id, makeAdmin); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?notice=changed")
}
