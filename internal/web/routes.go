package web

import (
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes is the one list of rolefit's routes.
func (s *Server) routes() {
	e := s.echo
	s.metrics = newMetrics()
	if s.Config.SubmitRate > 0 {
		s.limiter = newRateLimiter(s.Config.SubmitRate, time.Now)
	}
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{
		Skipper: func(c echo.Context) bool { return c.Request().URL.Path == "/admin/" },
	}))
	e.Use(s.observe)
	e.Use(middleware.Recover())
	e.Use(s.requestLog)
	e.Use(securityHeaders)
	e.Use(middleware.BodyLimit("64K"))

	e.GET("/healthz", s.handleHealth)
	e.GET("/assets/*", s.handleAsset)
	e.GET("/metrics", s.handleMetrics())

	site := e.Group("", formOnly, s.csrf)
	site.GET("/", s.handleHome)
	site.GET("/roles/:slug", s.handleRole)

	// The applicant's check and result: personal, so never cached.
	site.POST("/roles/:slug/check", s.handleCheckStart, noStore)
	site.GET("/roles/:slug/check", s.handleCheckResume, noStore)
	site.GET("/roles/:slug/check/saved", s.handleCheckSaved, noStore)
	site.GET("/roles/:slug/check/:step", s.handleWizardStep, noStore)
	site.POST("/roles/:slug/check/:step", s.handleWizardPost, noStore, s.limitSubmissions)
	site.GET("/results/deleted", s.handleResultDeleted, noStore)
	site.GET("/results/:token", s.handleResult, noStore)
	site.GET("/results/:token/apply", s.handleResultApply, noStore)
	site.POST("/results/:token/delete", s.handleResultDelete, noStore)

	// The widget: its script, for any site, and its frame's pages in their
	// own group, outside the cookie-based CSRF check: a POST from the frame
	// is cross-site by nature, and the sealed state in the form guards it.
	embedJS := newEmbedScript(s.assets.get("js/embed.js").body)
	s.embedNonces = newNonceSet(200_000)
	e.GET("/embed.js", s.handleEmbedScript(embedJS, embedScriptMaxAge))
	e.GET("/embed.v1.js", s.handleEmbedScript(embedJS, embedVersionedCache))
	frame := e.Group("/embed", formOnly, s.embedFrame)
	frame.GET("/:slug", s.handleEmbed)
	frame.POST("/:slug", s.handleEmbedPost)
	frame.GET("/:slug/result/:token", s.handleEmbedResult)
}
