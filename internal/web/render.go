package web

import (
	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/views/layout"
)

// render writes component with status. It renders into a buffer first, so
// that a failing component becomes a clean error page instead of half a
// page sent with 200.
func (s *Server) render(c echo.Context, status int, component templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return writeHTML(c, status, buf.Bytes())
}

// meta returns the page frame's settings for the current request.
func (s *Server) meta(c echo.Context, title string) layout.Meta {
	m := layout.Meta{Title: title, CSS: s.assets.url("css/app.css"), Icon: s.assets.url("img/favicon.svg"), CSRF: csrfToken(c)}
	if u := currentUser(c); u != nil {
		m.User, m.Admin = u.Email, u.Admin
	}
	return m
}
