package web

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/views/home"
	"github.com/rolefit/rolefit/views/rolepage"
)

func (s *Server) handleHome(c echo.Context) error {
	var list []home.Role
	for _, e := range s.Catalog.List() {
		if e.Archived {
			continue
		}
		list = append(list, home.Role{Slug: e.Role.Slug, Title: e.Role.Title, Summary: e.Role.Summary, Levels: len(e.Role.Levels)})
	}
	return s.render(c, 200, home.Page(s.meta(c, "Roles"), list))
}

// publishedRole returns the role named in the path, a 404 for an unknown
// one, or a 410 for an archived one: old links to it then say why.
func (s *Server) publishedRole(c echo.Context) (*catalog.Entry, error) {
	e, ok := s.Catalog.Get(c.Param("slug"))
	if !ok {
		return nil, echo.NewHTTPError(404, "There is no role at this address. It may have been renamed.")
	}
	if e.Archived {
		return nil, echo.NewHTTPError(410, "This role is closed: it no longer takes applicants' checks. Results already given still open at their own links.")
	}
	return e, nil
}

func (s *Server) handleRole(c echo.Context) error {
	e, err := s.publishedRole(c)
	if err != nil {
		return err
	}
	resume := s.resume(c, e)
	if resume == nil && currentUser(c) == nil {
		// Anonymous visitors with no check under way all see the same
		// page: it is rendered once.
		return s.writeRolePage(c, e, func() templ.Component { return s.rolePage(c, e, nil) })
	}
	return s.render(c, 200, s.rolePage(c, e, resume))
}

func (s *Server) rolePage(c echo.Context, e *catalog.Entry, resume *rolepage.Resume) templ.Component {
	m := s.meta(c, e.Role.Title)
	m.Description = e.Role.Summary
	vm := rolePageModel(e.Role)
	vm.Resume = resume
	return rolepage.Page(m, vm)
}

func rolePageModel(r *role.Role) rolepage.Model {
	vm := rolepage.Model{
		Slug: r.Slug, Title: r.Title, Summary: r.Summary, IntroHTML: r.Intro,
		PerformanceIndicators: r.PerformanceIndicators, HiringProcess: r.HiringProcess,
		StartURL: "/roles/" + r.Slug + "/check",
		Quick:    checkSize(score.Quick.Count(r)),
		Full:     checkSize(score.Full.Count(r)),
	}
	for _, sp := range r.Specialties {
		vm.Specialties = append(vm.Specialties, sp.Name)
	}
	for _, sec := range role.Sections {
		if items := r.Family.Items(sec); len(items) > 0 {
			vm.Family = append(vm.Family, rolepage.Section{Name: sectionName(sec), Items: viewItems(items)})
		}
	}
	for _, l := range score.Ladder(r) {
		lv := rolepage.Level{Slug: l.Slug, Title: l.Title, ReportsTo: l.ReportsTo}
		if l.Grade != nil {
			lv.Grade = strconv.Itoa(*l.Grade)
		}
		if p := r.Level(l.Extends); p != nil {
			lv.ExtendsTitle = p.Title
		}
		for _, sec := range role.Sections {
			own := l.Items(sec)
			inherited := 0
			for _, eff := range r.EffectiveItems(l.Slug, sec) {
				if eff.Owner != l.Slug && eff.Owner != "" {
					inherited++
				}
			}
			if len(own) == 0 && inherited == 0 {
				continue
			}
			ps := rolepage.Section{Name: sectionName(sec), Items: viewItems(own), InheritedCount: inherited}
			if inherited > 0 {
				ps.InheritedFrom = lv.ExtendsTitle
			}
			lv.Sections = append(lv.Sections, ps)
		}
		vm.Levels = append(vm.Levels, lv)
	}
	return vm
}

func checkSize(items int) rolepage.Check {
	return rolepage.Check{Items: items, Minutes: check.Minutes(items)}
}

func sectionName(s role.Section) string {
	if s == role.Responsibilities {
		return "Responsibilities"
	}
	return "Requirements"
}

func viewItems(items []role.Item) []rolepage.Item {
	out := make([]rolepage.Item, len(items))
	for i, it := range items {
		out[i] = rolepage.Item{HTML: it.Display(), Bonus: it.Bonus, Kind: string(it.Kind), Details: it.DetailsHTML}
	}
	return out
}
