package web

import "github.com/labstack/echo/v4"

// User is a signed-in recruiter or admin.
type User struct {
	ID    int64
	Email string
	Admin bool
}

const userContext = "user"

// currentUser returns the signed-in user of the request, or nil.
func currentUser(c echo.Context) *User {
	u, _ := c.Get(userContext).(*User)
	return u
}
