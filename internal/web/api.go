package web

import (
	"crypto/sha256"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/report"
)

// requireToken lets through requests with a valid bearer token. The token
// is looked up by its SHA-256, the only form the database keeps.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		refuse := func(msg string) error {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="rolefit"`)
			return echo.NewHTTPError(http.StatusUnauthorized, msg)
		}
		auth := c.Request().Header.Get("Authorization")
		scheme, token, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return refuse("Send an API token as Authorization: Bearer TOKEN.")
		}
		if s.Recruiters == nil {
			return refuse("That API token is not valid.")
		}
		sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
		ctx := c.Request().Context()
		t, err := s.Recruiters.APITokenByHash(ctx, sum[:])
		if errors.Is(err, apperr.ErrNotFound) {
			return refuse("That API token is not valid. It may have been revoked.")
		} else if err != nil {
			return err
		}
		today := s.today()
		if t.Expired(today) {
			return refuse("That API token expired on " + t.ExpiresOn + ". Ask an admin for a new one.")
		}
		if t.LastUsedOn != today {
			if err := s.Recruiters.MarkAPITokenUsed(ctx, t.ID, today); err != nil {
				return err
			}
		}
		return next(c)
	}
}

type apiRole struct {
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Archived bool   `json:"archived"`
	Version  int64  `json:"version"`
	Levels   int    `json:"levels"`
	StatsURL string `json:"stats_url"`
}

func (s *Server) handleAPIRoles(c echo.Context) error {
	out := []apiRole{}
	for _, e := range s.Catalog.List() {
		out = append(out, apiRole{Slug: e.Role.Slug, Title: e.Role.Title, Archived: e.Archived, Version: e.VersionID,
			Levels: len(e.Role.Levels), StatsURL: "/api/v1/roles/" + e.Role.Slug + "/stats"})
	}
	return c.JSON(http.StatusOK, map[string]any{"roles": out})
}

// handleAPIStats serves the same report as the dashboard page, with the
// same query parameters (from, to, channel, mode, version, sort, dir): each
// count is {"value", "margin"}, a share or mean not shown is the words
// saying why.
func (s *Server) handleAPIStats(c echo.Context) error {
	e, ok := s.Catalog.Get(c.Param("slug"))
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "There is no role with that slug.")
	}
	f, _, errs, err := s.dashFilter(c, e.Role.Slug)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return c.JSON(http.StatusUnprocessableEntity, map[string]any{"error": firstError(errs), "fields": errs})
	}
	r, err := s.reports.Build(c.Request().Context(), e.Role, f)
	if err != nil {
		return err
	}
	by, dir := itemOrder(c)
	report.SortItems(r.Items, by, dir)
	return c.JSON(http.StatusOK, r)
}
