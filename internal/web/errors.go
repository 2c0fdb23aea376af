package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/jobfamily"
	"github.com/rolefit/rolefit/views/errorpage"
)

// errorStatus is the one table from errors to HTTP statuses.
func errorStatus(err error) (int, string) {
	var he *echo.HTTPError
	var refused *jobfamily.RefusedError
	var invalid *apperr.Invalid
	switch {
	case errors.As(err, &he):
		msg, _ := he.Message.(string)
		if he.Code == http.StatusRequestEntityTooLarge {
			msg = "That request is larger than rolefit accepts."
		}
		return he.Code, msg
	case errors.Is(err, apperr.ErrNotFound):
		return http.StatusNotFound, "There is nothing at this address. It may have been deleted."
	case errors.Is(err, apperr.ErrGone):
		return http.StatusGone, "This was deleted for good at its owner's request."
	case errors.Is(err, apperr.ErrConflict):
		return http.StatusConflict, "That clashes with something that exists already."
	case errors.As(err, &invalid):
		return http.StatusUnprocessableEntity, invalid.Message
	case errors.As(err, &refused):
		return http.StatusUnprocessableEntity, refused.Error()
	}
	return http.StatusInternalServerError, ""
}

var statusTitles = map[int]string{
	http.StatusBadRequest:            "That request could not be understood",
	http.StatusUnauthorized:          "Please sign in",
	http.StatusForbidden:             "That request was refused",
	http.StatusNotFound:              "Page not found",
	http.StatusGone:                  "No longer here",
	http.StatusMethodNotAllowed:      "That action is not allowed here",
	http.StatusRequestEntityTooLarge: "Too much data",
	http.StatusUnsupportedMediaType:  "Unsupported form encoding",
	http.StatusUnprocessableEntity:   "Please check your input",
	http.StatusTooManyRequests:       "Too many attempts",
}

// handleError renders every error the same way: an HTML page, or JSON
// under /api/. Internal details are logged, never shown.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := errorStatus(err)
	if status >= 500 {
		s.Logger.Error("request failed", "method", c.Request().Method, "route", c.Path(), "err", err)
		msg = "Something went wrong on our side. Please try again in a moment."
	}
	title := statusTitles[status]
	if title == "" {
		title = http.StatusText(status)
	}
	if msg == "" || msg == http.StatusText(status) {
		msg = title + "."
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		err = c.JSON(status, map[string]string{"error": msg})
	} else if c.Request().Method == http.MethodHead {
		err = c.NoContent(status)
	} else {
		c.Response().Header().Set("Cache-Control", "no-store")
		err = s.render(c, status, errorpage.Page(s.meta(c, title), status, title, msg))
	}
	if err != nil {
		s.Logger.Error("error page failed", "err", err)
		_ = c.String(http.StatusInternalServerError, "Internal Server Error")
	}
}
