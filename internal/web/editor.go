package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/jobfamily"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/views/admin"
)

// The role editor: one form that corrects an imported page before it is
// published, and the same form for a published role. Its fields are named
// after the item ids ("kind.ITEM", "expect.ITEM.LEVEL"), and a section's
// bulk actions after the section ("bulk-kind.KEY").

// editorKinds are the kinds an admin chooses from.
var editorKinds = func() []string {
	out := make([]string, len(role.Kinds))
	for i, k := range role.Kinds {
		out[i] = string(k)
	}
	return out
}()

// editorSubject is what the editor works on: a page, parsed and with the
// settings it would be published under, before the admin's edits.
type editorSubject struct {
	src  []byte
	name string
	// includes are the other pages of a handbook the page extends.
	includes []role.Include
	res      *jobfamily.Result
	// raw is the parsed page with the role's stored item overrides: what
	// the edits are measured against.
	raw *role.Role
}

func newEditorSubject(src []byte, name string, includes []role.Include, res *jobfamily.Result, overrides []role.Override) *editorSubject {
	raw := res.Role.Clone()
	raw.ApplyOverrides(overrides)
	return &editorSubject{src: src, name: name, includes: includes, res: res, raw: raw}
}

// editorModel shows the subject with edits applied, except that items left
// out stay listed (ticked as left out) so they can be taken back.
func (es *editorSubject) editorModel(edits role.Edits) admin.Editor {
	shown := es.raw.Clone()
	kept := edits
	kept.Items = make([]role.Override, len(edits.Items))
	omit := map[string]bool{}
	for i, o := range edits.Items {
		omit[o.ItemID] = o.Omit
		o.Omit = false
		kept.Items[i] = o
	}
	shown.ApplyEdits(kept)

	vm := admin.Editor{Title: shown.Title, Summary: shown.Summary, SourceURL: edits.SourceURL, Kinds: editorKinds,
		Errors: map[string]string{}}
	ladder := score.Ladder(shown)
	// depth[id][level] is how far up the ladder the level inherits the item.
	depth := map[string]map[string]int{}
	for _, l := range ladder {
		vm.Levels = append(vm.Levels, admin.EditorLevel{Slug: l.Slug, Title: l.Title})
		for _, sec := range role.Sections {
			for _, e := range shown.EffectiveItems(l.Slug, sec) {
				if depth[e.ID] == nil {
					depth[e.ID] = map[string]int{}
				}
				depth[e.ID][l.Slug] = e.Depth
			}
		}
	}
	seen := map[string]bool{}
	addGroup := func(key, title, note string, g itemLister) {
		for _, sec := range role.Sections {
			eg := admin.EditorGroup{Key: key + "-" + string(sec), Title: title, Section: sectionName(sec), Note: note}
			for _, it := range g.Items(sec) {
				if seen[it.ID] {
					continue
				}
				seen[it.ID] = true
				ei := admin.EditorItem{ID: it.ID, Text: it.Text, Kind: string(it.Kind), Weight: num(it.W()), Line: it.Line,
					Bonus: it.Bonus, Omit: omit[it.ID]}
				if it.MinYears > 0 {
					ei.MinYears = num(it.MinYears)
				}
				for _, l := range ladder {
					// Only items rated 0–4 have an expected rating.
					d, ok := depth[it.ID][l.Slug]
					ok = ok && it.Kind.Rated()
					cell := admin.ExpectCell{Level: l.Slug, LevelTitle: l.Title, Applies: ok}
					if ok {
						cell.Default = num(score.Expected(it.Kind, d))
						if v := it.Expect[l.Slug]; v > 0 {
							cell.Value = num(v)
						}
					}
					ei.Expect = append(ei.Expect, cell)
				}
				eg.Items = append(eg.Items, ei)
			}
			if len(eg.Items) > 0 {
				vm.Groups = append(vm.Groups, eg)
			}
		}
	}
	addGroup("family", "Every level", "", &shown.Family)
	for _, l := range ladder {
		var note []string
		if l.Grade != nil {
			note = append(note, "Grade "+strconv.Itoa(*l.Grade)+".")
		}
		if p := shown.Level(l.Extends); p != nil {
			note = append(note, "Extends "+p.Title+".")
		}
		addGroup("level-"+l.Slug, l.Title, strings.Join(note, " "), l)
	}
	for i := range shown.Specialties {
		addGroup("specialty-"+strconv.Itoa(i), "Specialty: "+shown.Specialties[i].Name, "", &shown.Specialties[i])
	}
	for _, w := range es.res.Warnings {
		vm.Warnings = append(vm.Warnings, admin.Warning{Line: w.Line, Message: w.Message})
	}
	return vm
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// slugPattern is what a role's address may hold.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// readEditor puts the posted values into vm, applies the bulk actions and
// checks every field; it reports whether all are valid. withSlug is set
// for drafts, whose address and source URL are still open.
func readEditor(vm *admin.Editor, form url.Values, withSlug bool) bool {
	errs := vm.Errors
	vm.Title = strings.TrimSpace(form.Get("title"))
	if vm.Title == "" || utf8.RuneCountInString(vm.Title) > 200 {
		errs["title"] = "Enter the role's title (up to 200 characters)."
	}
	if withSlug {
		vm.Slug = strings.TrimSpace(form.Get("slug"))
		if len(vm.Slug) > 80 || !slugPattern.MatchString(vm.Slug) {
			errs["slug"] = "Enter an address of lower-case letters, digits and single hyphens (up to 80), such as database-engineer."
		}
	}
	vm.Summary = strings.TrimSpace(form.Get("summary"))
	if utf8.RuneCountInString(vm.Summary) > 1000 {
		errs["summary"] = "Keep the summary to 1,000 characters."
	}
	// A published role's source URL has its own form on the role's page.
	if withSlug {
		vm.SourceURL = strings.TrimSpace(form.Get("source_url"))
		if vm.SourceURL != "" && checkApplyURL(vm.SourceURL) != "" {
			errs["source_url"] = "Enter the page's full web address starting with https:// (or leave it empty)."
		}
	}
	for gi := range vm.Groups {
		g := &vm.Groups[gi]
		bulkKind, bulkBonus := form.Get("bulk-kind."+g.Key), form.Get("bulk-bonus."+g.Key)
		for ii := range g.Items {
			it := &g.Items[ii]
			it.Errors = map[string]string{}
			it.Kind, it.Weight = form.Get("kind."+it.ID), strings.TrimSpace(form.Get("weight."+it.ID))
			it.Bonus, it.Omit = form.Get("bonus."+it.ID) == "1", form.Get("omit."+it.ID) == "1"
			if bulkKind != "" {
				it.Kind = bulkKind
			}
			switch bulkBonus {
			case "1":
				it.Bonus = true
			case "0":
				it.Bonus = false
			}
			switch k := role.Kind(it.Kind); {
			case !k.Valid():
				it.Errors["kind"] = "Choose a kind."
			case k == role.KindExperience && it.MinYears == "":
				it.Errors["kind"] = "Only an item that states a number of years can be an experience item."
			}
			// Written so that NaN, which compares false with everything, fails.
			if w, err := strconv.ParseFloat(it.Weight, 64); err != nil || !(w >= 0.1 && w <= 10) {
				it.Errors["weight"] = "Enter a weight from 0.1 to 10."
			}
			for ci := range it.Expect {
				cell := &it.Expect[ci]
				if !cell.Applies {
					continue
				}
				cell.Value = strings.TrimSpace(form.Get("expect." + it.ID + "." + cell.Level))
				if v, err := strconv.ParseFloat(cell.Value, 64); cell.Value != "" && (err != nil || !(v >= 1 && v <= score.MaxRating)) {
					it.Errors["expect."+cell.Level] = "Enter an expected rating at " + cell.LevelTitle + " from 1 to 4, or leave it empty for the rule."
				}
			}
			if len(it.Errors) > 0 {
				errs["items"] = "Some items need a correction: see the messages beside them."
			}
		}
	}
	return len(errs) == 0
}

// editsFrom turns a valid editor's values into edits: only what differs
// from the page as parsed (with its stored overrides) is kept, so saving
// an unchanged form makes no new version.
func (es *editorSubject) editsFrom(vm admin.Editor) role.Edits {
	var e role.Edits
	if vm.Title != es.raw.Title {
		e.Title = vm.Title
	}
	if vm.Summary != es.raw.Summary {
		s := vm.Summary
		e.Summary = &s
	}
	e.SourceURL = vm.SourceURL
	raw := map[string]role.Item{}
	for _, p := range allItems(es.raw) {
		if _, ok := raw[p.ID]; !ok {
			raw[p.ID] = p
		}
	}
	for _, g := range vm.Groups {
		for _, it := range g.Items {
			r := raw[it.ID]
			o := role.Override{ItemID: it.ID, Omit: it.Omit}
			if k := role.Kind(it.Kind); k != r.Kind {
				o.Kind = k
			}
			if w, _ := strconv.ParseFloat(it.Weight, 64); w != r.W() {
				o.Weight = w
			}
			if it.Bonus != r.Bonus {
				b := it.Bonus
				o.Bonus = &b
			}
			for _, cell := range it.Expect {
				if v, err := strconv.ParseFloat(cell.Value, 64); cell.Applies && err == nil {
					if o.Expect == nil {
						o.Expect = map[string]float64{}
					}
					o.Expect[cell.Level] = v
				}
			}
			if o.Kind != "" || o.Weight != 0 || o.Bonus != nil || o.Omit || o.Expect != nil {
				e.Items = append(e.Items, o)
			}
		}
	}
	return e
}

// itemLister is a level, the family-wide lists or a specialty.
type itemLister interface {
	Items(role.Section) []role.Item
}

// allItems lists every item of a role, in every list it appears.
func allItems(r *role.Role) []role.Item {
	var out []role.Item
	groups := []interface {
		Items(role.Section) []role.Item
	}{&r.Family}
	for i := range r.Levels {
		groups = append(groups, &r.Levels[i])
	}
	for i := range r.Specialties {
		groups = append(groups, &r.Specialties[i])
	}
	for _, g := range groups {
		for _, sec := range role.Sections {
			out = append(out, g.Items(sec)...)
		}
	}
	return out
}

// draftEdits are the edits a draft starts with: those of the role the page
// belongs to, or for a new role its cleaned title and the parsed summary
// (the page's own, or its introduction's first paragraph).
func (s *Server) draftEdits(slug string, r *role.Role) role.Edits {
	if e, ok := s.Catalog.Get(slug); ok {
		return e.Edits
	}
	sum := r.Summary
	return role.Edits{Title: role.CleanTitle(r.Title), Summary: &sum}
}

// renderDraft shows a parsed page in the editor, before publishing.
func (s *Server) renderDraft(c echo.Context, src []byte, name string, res *jobfamily.Result) error {
	slug := s.Catalog.DefaultSlug(&res.Role)
	es, err := s.draftSubject(c, src, name, slug, res)
	if err != nil {
		return err
	}
	vm := es.editorModel(s.draftEdits(slug, es.raw))
	s.fillDraft(&vm, es, slug)
	return s.render(c, http.StatusOK, admin.EditorPage(s.meta(c, "Preview: "+vm.Title), vm))
}

// draftSubject parses a draft's page with the overrides of the role it
// would be published as, if that role exists.
func (s *Server) draftSubject(c echo.Context, src []byte, name, slug string, res *jobfamily.Result) (*editorSubject, error) {
	var overrides []role.Override
	if _, ok := s.Catalog.Get(slug); ok {
		v, err := s.Recruiters.CurrentRoleVersion(c.Request().Context(), slug)
		if err != nil {
			return nil, err
		}
		overrides = v.Overrides
	}
	return newEditorSubject(src, name, nil, res, overrides), nil
}

func (s *Server) fillDraft(vm *admin.Editor, es *editorSubject, slug string) {
	vm.Draft, vm.Markdown, vm.FileName, vm.Slug = true, string(es.src), es.name, slug
	if e, ok := s.Catalog.Get(slug); ok {
		vm.Replaces = e.Role.Title
	}
}

// handleImportPublish takes the draft editor's form: "update" shows the
// draft again with the bulk actions applied, "publish" stores it as the
// role's next version (version 1 of a new role).
func (s *Server) handleImportPublish(c echo.Context) error {
	form, err := postForm(c)
	if err != nil {
		return err
	}
	src, name := []byte(form.Get("markdown")), form.Get("filename")
	if strings.TrimSpace(string(src)) == "" || !utf8.Valid(src) || len(src) > maxRoleUpload {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "The draft lost its page. Start the import again.")
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), previewTimeout)
	defer cancel()
	res, err := jobfamily.ParseContext(ctx, src, name)
	if err != nil {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "The draft's page can no longer be read. Start the import again.")
	}
	slug := strings.TrimSpace(form.Get("slug"))
	if !slugPattern.MatchString(slug) {
		slug = s.Catalog.DefaultSlug(&res.Role)
	}
	es, err := s.draftSubject(c, src, name, slug, res)
	if err != nil {
		return err
	}
	vm := es.editorModel(s.draftEdits(slug, es.raw))
	s.fillDraft(&vm, es, slug)
	ok := readEditor(&vm, form, true)
	if e, exists := s.Catalog.Get(vm.Slug); exists {
		vm.Replaces = e.Role.Title
	} else {
		vm.Replaces = ""
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusUnprocessableEntity
	}
	if !ok || form.Get("action") != "publish" {
		return s.render(c, status, admin.EditorPage(s.meta(c, "Preview: "+vm.Title), vm))
	}
	e, err := s.Catalog.Publish(c.Request().Context(), s.Roles, src, vm.Slug, nil, es.editsFrom(vm))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/roles/"+e.Role.Slug+"?notice=imported")
}

// roleEditor is the editor of a published role's current version.
func (s *Server) roleEditor(c echo.Context, e *catalog.Entry) (*editorSubject, admin.Editor, error) {
	v, err := s.Recruiters.CurrentRoleVersion(c.Request().Context(), e.Role.Slug)
	if err != nil {
		return nil, admin.Editor{}, err
	}
	res, err := catalog.ParseVersion(v)
	if err != nil {
		return nil, admin.Editor{}, err
	}
	es := newEditorSubject(v.Source, v.Slug+".md", v.Includes, res, v.Overrides)
	vm := es.editorModel(v.Edits)
	vm.Slug, vm.Version = v.Slug, strconv.Itoa(v.Number)
	return es, vm, nil
}

// handleRoleEdit saves the editor of a published role as its next
// version. Results keep the version they were made with, so nothing an
// applicant was shown moves.
func (s *Server) handleRoleEdit(c echo.Context) error {
	e, err := s.adminRole(c)
	if err != nil {
		return err
	}
	form, err := postForm(c)
	if err != nil {
		return err
	}
	es, vm, err := s.roleEditor(c, e)
	if err != nil {
		return err
	}
	if form.Get("version") != vm.Version {
		return echo.NewHTTPError(http.StatusConflict, "The role was saved by someone else since you opened it, as version "+vm.Version+". Open it again to see their changes.")
	}
	if !readEditor(&vm, form, false) {
		page, err := s.roleAdminModel(c, e)
		if err != nil {
			return err
		}
		page.Editor = vm
		return s.render(c, http.StatusUnprocessableEntity, admin.RolePage(s.meta(c, "Admin: "+e.Role.Title), page))
	}
	edits := es.editsFrom(vm)
	if catalog.VersionHash(es.src, edits) == e.Hash {
		return c.Redirect(http.StatusSeeOther, "/admin/roles/"+e.Role.Slug+"?notice=unchanged")
	}
	ne, err := s.Catalog.Publish(c.Request().Context(), s.Roles, es.src, e.Role.Slug, es.includes, edits)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/roles/"+ne.Role.Slug+"?notice=saved")
}

// handleVersions lists a role's versions and compares two of them.
func (s *Server) handleVersions(c echo.Context) error {
	e, err := s.adminRole(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, err := s.Recruiters.RoleVersionList(ctx, e.Role.Slug)
	if err != nil {
		return err
	}
	vm := admin.Versions{Slug: e.Role.Slug, Title: e.Role.Title, A: c.QueryParam("a"), B: c.QueryParam("b")}
	for _, v := range list {
		vm.List = append(vm.List, admin.VersionLine{Number: strconv.Itoa(v.Number), Date: v.ImportedAt.UTC().Format("2006-01-02 15:04"),
			Hash: v.Hash[:min(12, len(v.Hash))], Current: v.ID == e.VersionID})
	}
	if vm.A == "" && vm.B == "" {
		return s.render(c, http.StatusOK, admin.VersionsPage(s.meta(c, "Versions: "+e.Role.Title), vm))
	}
	a, errA := s.versionRole(c, e.Role.Slug, vm.A)
	b, errB := s.versionRole(c, e.Role.Slug, vm.B)
	if errA != nil || errB != nil {
		if err := errors.Join(errA, errB); !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		vm.Error = "Choose two versions from the list."
		return s.render(c, http.StatusUnprocessableEntity, admin.VersionsPage(s.meta(c, "Versions: "+e.Role.Title), vm))
	}
	d := role.Compare(a, b)
	vm.Diff = diffModel(d)
	return s.render(c, http.StatusOK, admin.VersionsPage(s.meta(c, "Versions: "+e.Role.Title), vm))
}

// versionRole builds version n of a role as it applies (page and edits).
func (s *Server) versionRole(c echo.Context, slug, n string) (*role.Role, error) {
	num, err := strconv.Atoi(n)
	if err != nil || num < 1 {
		return nil, apperr.ErrNotFound
	}
	v, err := s.Recruiters.RoleVersionByNumber(c.Request().Context(), slug, num)
	if err != nil {
		return nil, err
	}
	return s.Catalog.RoleAt(v, v.Overrides)
}

func diffModel(d role.Diff) *admin.VersionDiff {
	out := &admin.VersionDiff{}
	if d.Title != nil {
		out.Title = *d.Title
	}
	if d.Summary != nil {
		out.Summary = *d.Summary
	}
	for _, p := range d.Added {
		out.Added = append(out.Added, admin.DiffItem{Text: p.Item.Text, Where: p.Where})
	}
	for _, p := range d.Removed {
		out.Removed = append(out.Removed, admin.DiffItem{Text: p.Item.Text, Where: p.Where})
	}
	for _, r := range d.Reworded {
		out.Reworded = append(out.Reworded, admin.Reworded{Where: r.Where, From: r.From.Text, To: r.To.Text})
	}
	for _, ch := range d.Changed {
		out.Changed = append(out.Changed, admin.ChangedItem{Text: ch.Item.Text, Where: ch.Where, Changes: ch.Changes})
	}
	return out
}

// handleArchiveConfirm asks before a role is archived.
func (s *Server) handleArchiveConfirm(c echo.Context) error {
	e, err := s.adminRole(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, admin.ArchivePage(s.meta(c, "Archive "+e.Role.Title+"?"), admin.Archive{Slug: e.Role.Slug, Title: e.Role.Title}))
}
