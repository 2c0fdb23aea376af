package role

import (
	"regexp"
	"strings"
)

// Edits are an admin's corrections to an imported page. They are kept with
// each version, so a version is its page and its edits, and a result made
// against it is scored by exactly what applied then.
type Edits struct {
	// Title replaces the page's title when set.
	Title string `json:"title,omitempty"`
	// Summary replaces the page's summary when set, even by "".
	Summary *string `json:"summary,omitempty"`
	// SourceURL is where the page is published, to resolve its relative
	// links against; "" keeps the one the role has.
	SourceURL string `json:"source_url,omitempty"`
	// Items are the per-item changes, by item id.
	Items []Override `json:"items,omitempty"`
}

// Empty reports whether the edits change nothing.
func (e Edits) Empty() bool {
	return e.Title == "" && e.Summary == nil && e.SourceURL == "" && len(e.Items) == 0
}

// ApplyEdits changes r as the edits say: its title, summary and items, and
// takes out the items left out.
func (r *Role) ApplyEdits(e Edits) {
	if e.Title != "" {
		r.Title = e.Title
	}
	if e.Summary != nil {
		r.Summary = *e.Summary
	}
	if e.SourceURL != "" {
		r.SourceURL = e.SourceURL
	}
	r.ApplyOverrides(e.Items)
	omit := map[string]bool{}
	for _, o := range e.Items {
		if o.Omit {
			omit[o.ItemID] = true
		}
	}
	if len(omit) == 0 {
		return
	}
	keep := func(items []Item) []Item {
		out := items[:0:0]
		for _, it := range items {
			if !omit[it.ID] {
				out = append(out, it)
			}
		}
		return out
	}
	r.eachGroup(func(resp, req *[]Item) {
		*resp, *req = keep(*resp), keep(*req)
	})
}

// eachGroup calls f with the item lists of the family, every specialty
// and every level.
func (r *Role) eachGroup(f func(resp, req *[]Item)) {
	f(&r.Family.Responsibilities, &r.Family.Requirements)
	for i := range r.Specialties {
		f(&r.Specialties[i].Responsibilities, &r.Specialties[i].Requirements)
	}
	for i := range r.Levels {
		f(&r.Levels[i].Responsibilities, &r.Levels[i].Requirements)
	}
}

// titleSuffix matches the words handbook pages add to a role's name in
// their titles ("Database Engineer Roles", "Marketing Job Family").
var titleSuffix = regexp.MustCompile(`(?i)[\s,:–-]+(roles?|job famil(y|ies)|jobs?|positions?)\s*$`)

// CleanTitle returns a page title as a role's name: without trailing
// "Roles", "Job Family" and the like, and trimmed.
func CleanTitle(title string) string {
	t := strings.TrimSpace(title)
	if c := strings.TrimSpace(titleSuffix.ReplaceAllString(t, "")); c != "" {
		return c
	}
	return t
}
