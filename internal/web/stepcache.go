package web

import (
	"bytes"
	"net/http"
	"sort"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/views/wizard"
)

// stepPages holds the wizard's steps as parts rendered once per role
// version: a step's page is the same for every applicant but for each
// item's answer, so it is kept as the constant stretches between the
// items, and each item's fieldset is kept per answer.
// A request only joins them. Steps with error messages, and pages for
// signed-in recruiters, are rendered in full.
type stepPages struct {
	mu    sync.Mutex
	pages map[stepKey]*stepPage
	items map[itemKey]string
}

type stepKey struct {
	plan planKey
	step int
}

type itemKey struct {
	plan  planKey
	q     int // position in the plan
	value string
}

// stepItemsMax bounds the kept fieldsets: answers in years take many
// values; beyond it, fieldsets are rendered per request.
const stepItemsMax = 20_000

// stepPage is a step's page cut at its variable places.
type stepPage struct {
	segs [][]byte
	// slots[i] follows segs[i]: slotProgress is the applicant's progress,
	// k ≥ 0 the step's k-th item.
	slots []int
	size  int
}

// slotProgress is the slot of a step's page that is not an item.
const slotProgress = -1

// progressMarker stands in for the progress in the page rendered once.
const progressMarker = "\x00rolefit-progress\x00"

func newStepPages() *stepPages {
	return &stepPages{pages: map[stepKey]*stepPage{}, items: map[itemKey]string{}}
}

// itemMarker stands in for a step's k-th item in the page rendered once.
func itemMarker(k int) string { return "\x00rolefit-item-" + strconv.Itoa(k) + "\x00" }

// write sends step n of the applicant's check with their answers.
func (sp *stepPages) write(c echo.Context, s *Server, cc *checkContext, n int, values map[int]string) error {
	key := stepKey{plan: newPlanKey(cc.entry, cc.state.Mode, cc.state.Specialty), step: n}
	page, err := sp.page(c, s, cc, key)
	if err != nil {
		return err
	}
	step := cc.plan.Steps[n-1]
	buf := pagePool.Get().(*bytes.Buffer)
	defer pagePool.Put(buf)
	buf.Reset()
	buf.Grow(page.size + 2048*len(step.Questions))
	for i, seg := range page.segs {
		buf.Write(seg)
		if i == len(page.slots) {
			break
		}
		switch k := page.slots[i]; k {
		case slotProgress:
			vm := wizard.Step{Number: n, Total: len(cc.plan.Steps),
				Answered: check.Answered(cc.state.Answers), Questions: len(cc.plan.Questions)}
			if err := wizard.Progress(vm).Render(c.Request().Context(), buf); err != nil {
				return err
			}
		default:
			q := step.Questions[k]
			html, err := sp.item(c, cc, key.plan, step, q, values[q])
			if err != nil {
				return err
			}
			buf.WriteString(html)
		}
	}
	return writeHTML(c, http.StatusOK, buf.Bytes())
}

// page returns the step's parts, rendering them on first use.
func (sp *stepPages) page(c echo.Context, s *Server, cc *checkContext, key stepKey) (*stepPage, error) {
	sp.mu.Lock()
	p, ok := sp.pages[key]
	sp.mu.Unlock()
	if ok {
		return p, nil
	}
	m, vm := s.stepPage(c, cc, key.step, nil, nil)
	vm.ProgressHTML = progressMarker
	for k := range vm.Items {
		vm.Items[k].Rendered = itemMarker(k)
	}
	var buf bytes.Buffer
	if err := wizard.Page(m, vm).Render(c.Request().Context(), &buf); err != nil {
		return nil, err
	}
	p = cutPage(buf.Bytes(), len(vm.Items))
	sp.mu.Lock()
	defer sp.mu.Unlock()
	for old := range sp.pages {
		if old.plan.entry != key.plan.entry && old.plan.entry.Role.Slug == key.plan.entry.Role.Slug {
			delete(sp.pages, old)
		}
	}
	for old := range sp.items {
		if old.plan.entry != key.plan.entry && old.plan.entry.Role.Slug == key.plan.entry.Role.Slug {
			delete(sp.items, old)
		}
	}
	sp.pages[key] = p
	return p, nil
}

// cutPage cuts a page rendered with items item markers at each of them.
func cutPage(page []byte, items int) *stepPage {
	type mark struct{ at, slot, size int }
	var marks []mark
	find := func(marker string, slot int) {
		for from := 0; ; {
			i := bytes.Index(page[from:], []byte(marker))
			if i < 0 {
				return
			}
			marks = append(marks, mark{from + i, slot, len(marker)})
			from += i + len(marker)
		}
	}
	find(progressMarker, slotProgress)
	for k := 0; k < items; k++ {
		find(itemMarker(k), k)
	}
	sort.Slice(marks, func(i, j int) bool { return marks[i].at < marks[j].at })
	p := &stepPage{}
	last := 0
	for _, m := range marks {
		p.segs = append(p.segs, page[last:m.at])
		p.slots = append(p.slots, m.slot)
		last = m.at + m.size
	}
	p.segs = append(p.segs, page[last:])
	for _, s := range p.segs {
		p.size += len(s)
	}
	return p
}

// item returns question q's fieldset with value, rendering it on first use.
func (sp *stepPages) item(c echo.Context, cc *checkContext, plan planKey, step check.Step, q int, value string) (string, error) {
	key := itemKey{plan, q, value}
	sp.mu.Lock()
	html, ok := sp.items[key]
	sp.mu.Unlock()
	if ok {
		return html, nil
	}
	var buf bytes.Buffer
	if err := wizard.Question(stepItem(cc.plan.Questions[q], step, value, "")).Render(c.Request().Context(), &buf); err != nil {
		return "", err
	}
	html = buf.String()
	sp.mu.Lock()
	if len(sp.items) < stepItemsMax {
		sp.items[key] = html
	}
	sp.mu.Unlock()
	return html, nil
}
