package web

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// roleRoute is the role page's route, which serveRolePage also answers.
const roleRoute = "/roles/:slug"

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
	e.Use(s.securityHeaders)
	// A role page upload and the role editor, whose form holds every item,
	// have their own, larger cap (see the admin routes).
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "64K",
		Skipper: func(c echo.Context) bool {
			return strings.HasPrefix(c.Path(), "/admin/import") || c.Path() == "/admin/roles/:slug"
		}}))

	e.GET("/healthz", s.handleHealth)
	e.GET("/assets/*", s.handleAsset)
	e.GET("/favicon.ico", s.handleFavicon)
	e.GET("/metrics", s.handleMetrics())

	// The site's pages: forms guarded by the cross-origin check, the
	// signed-in recruiter (if any) loaded for the page's navigation.
	crossOrigin := s.crossOrigin()
	site := e.Group("", formOnly, crossOrigin, s.loadUser)
	site.GET("/", s.handleHome)
	site.GET(roleRoute, s.handleRole)

	// The applicant's check and result: personal, so never cached.
	site.POST("/roles/:slug/check", s.handleCheckStart, noStore)
	site.GET("/roles/:slug/check", s.handleCheckResume, noStore)
	site.GET("/roles/:slug/check/saved", s.handleCheckSaved, noStore)
	site.GET("/roles/:slug/check/:step", s.handleWizardStep, noStore)
	site.POST("/roles/:slug/check/:step", s.handleWizardPost, noStore, s.limitSubmissions)
	site.GET("/roles/:slug/resume", s.handleResumeLink, noStore)
	site.POST("/roles/:slug/resume", s.handleResumeTake, noStore)
	site.GET("/results/deleted", s.handleResultDeleted, noStore)
	site.GET("/results/:token", s.handleResult, noStore)
	site.GET("/results/:token/apply", s.handleResultApply, noStore)
	site.GET("/results/:token/delete", s.handleResultDeleteConfirm, noStore)
	site.POST("/results/:token/delete", s.handleResultDelete, noStore)
	site.POST("/results/:token/change", s.handleResultChange, noStore)

	// The widget: its script, for any site, and its frame's pages in their
	// own group, outside the cross-origin check: a POST from the frame is
	// cross-site by nature, and the sealed state in the form guards it.
	embedJS := newEmbedScript(s.assets.get("js/embed.js").body)
	e.GET("/embed.js", s.handleEmbedScript(embedJS, embedScriptMaxAge))
	e.GET("/embed.v1.js", s.handleEmbedScript(embedJS, embedVersionedCache))
	frame := e.Group("/embed", formOnly, s.embedFrame)
	frame.GET("/:slug", s.handleEmbed)
	frame.POST("/:slug", s.handleEmbedPost, s.limitSubmissions)
	frame.GET("/:slug/result/:token", s.handleEmbedResult)

	// Recruiters and admins: signed in, never cached, forms with a token
	// too. The API is read-only and bearer-authenticated, so it skips both
	// checks and loads no session.
	site.GET("/login", s.handleLoginForm, noStore, s.csrf)
	site.POST("/login", s.handleLogin, noStore, s.csrf)
	site.POST("/logout", s.handleLogout, noStore)
	site.GET("/password/:link", s.handlePasswordLinkForm, noStore, s.csrf)
	site.POST("/password/:link", s.handlePasswordLink, noStore, s.csrf)
	dash := e.Group("/dashboard", noStore, crossOrigin, s.loadUser, requireUser, formOnly, s.csrf)
	dash.GET("", s.handleDashboard)
	dash.GET("/roles/:slug", s.handleDashboardRole)
	dash.GET("/compare", s.handleDashboardCompare)
	dash.GET("/password", s.handleChangePasswordForm)
	dash.POST("/password", s.handleChangePassword)
	upload := middleware.BodyLimit("1M")
	adm := e.Group("/admin", noStore, crossOrigin, s.loadUser, requireAdmin, formOnly, s.csrf)
	adm.GET("", s.handleAdmin)
	adm.GET("/", s.handleAdmin)
	adm.GET("/import", s.handleImportForm)
	adm.POST("/import", s.handleImportPreview, importBodyLimits()...)
	adm.POST("/import/publish", s.handleImportPublish, upload)
	adm.GET("/roles/:slug", s.handleAdminRole)
	adm.POST("/roles/:slug", s.handleRoleEdit, upload)
	adm.GET("/roles/:slug/versions", s.handleVersions)
	adm.GET("/roles/:slug/archive", s.handleArchiveConfirm)
	adm.POST("/roles/:slug/apply-url", s.handleApplyURL)
	adm.POST("/roles/:slug/source-url", s.handleSourceURL)
	adm.POST("/roles/:slug/archive", s.handleArchive)
	adm.GET("/users", s.handleUsers)
	adm.POST("/users", s.handleInviteUser)
	adm.GET("/users/:id/delete", s.handleUserConfirm(true))
	adm.POST("/users/:id/delete", s.handleDeleteUser)
	adm.POST("/users/:id/admin", s.handleUserAdmin)
	adm.GET("/users/:id/reset", s.handleUserConfirm(false))
	adm.POST("/users/:id/reset", s.handleResetUser)
	adm.GET("/tokens", s.handleTokens)
	adm.POST("/tokens", s.handleAddToken)
	adm.POST("/tokens/:id/delete", s.handleDeleteToken)
	api := e.Group("/api/v1", s.requireToken)
	api.GET("/roles", s.handleAPIRoles)
	api.GET("/roles/:slug/stats", s.handleAPIStats)
}
