package web

import (
	"sync"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/score"
)

// planCache holds the plans of the roles being served. A plan depends only
// on the role version, the mode and the specialty, and nothing changes it
// once made, so every wizard request of a check shares one.
type planCache struct {
	mu    sync.Mutex
	plans map[planKey]*check.Plan
}

type planKey struct {
	entry     *catalog.Entry
	mode      score.Mode
	specialty int
}

// newPlanKey is the key of a check's plan. A specialty out of range makes
// the same plan as none, so it shares its key.
func newPlanKey(e *catalog.Entry, mode score.Mode, specialty int) planKey {
	if specialty < 0 || specialty >= len(e.Role.Specialties) {
		specialty = -1
	}
	return planKey{e, mode, specialty}
}

func newPlanCache() *planCache { return &planCache{plans: map[planKey]*check.Plan{}} }

// get returns the plan of a check of e. Plans of entries that have been
// replaced in the catalog are dropped when a new one is made.
func (pc *planCache) get(e *catalog.Entry, mode score.Mode, specialty int) *check.Plan {
	k := newPlanKey(e, mode, specialty)
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if p, ok := pc.plans[k]; ok {
		return p
	}
	for old := range pc.plans {
		if old.entry != e && old.entry.Role.Slug == e.Role.Slug {
			delete(pc.plans, old)
		}
	}
	p := check.NewPlan(e.Role, mode, k.specialty)
	pc.plans[k] = p
	return p
}
