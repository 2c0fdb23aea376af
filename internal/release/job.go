package release

import (
	"context"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/google/differential-privacy/go/v3/noise"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/role"
)

// The noise of every released cell: Gaussian noise calibrated by the
// differential-privacy library so that one cell, for one person's
// contribution of 1, is (Epsilon, Delta)-differentially private. What that
// means, and the total for a person who appears in many cells, is in
// docs/privacy.md.
const (
	Epsilon = 3.0
	Delta   = 1e-6
)

// Sigma is the standard deviation of the noise of one released cell.
var Sigma = noise.SigmaForGaussian(1, 1, Epsilon, Delta)

// Params are the noise parameters a node was released with.
type Params struct {
	Epsilon, Delta, Sigma float64
}

// Store is the storage of counters and releases; *sqlite.DB implements it.
type Store interface {
	// RoleVersions returns every stored version of a role, oldest first,
	// with the role's current overrides.
	RoleVersions(ctx context.Context, slug string) ([]role.Version, error)
	// FirstDay returns the first day released for a role: the earlier of
	// its first import and its first counter; "" for a role not stored.
	FirstDay(ctx context.Context, slug string) (string, error)
	// ReleasedNodes returns the nodes of the role released so far.
	ReleasedNodes(ctx context.Context, slug string) ([]Node, error)
	// CounterSums returns the role's counters summed over the days from–to
	// per version, channel, mode, metric, key and bucket.
	CounterSums(ctx context.Context, slug, from, to string) ([]Count, error)
	// SaveRelease stores a node's noisy cells once: a node released
	// already is left as it is.
	SaveRelease(ctx context.Context, slug string, n Node, p Params, cells []Count) error
}

// Releaser releases the due nodes of roles. It is safe for concurrent use.
type Releaser struct {
	Store Store
	// Now is the clock.
	Now func() time.Time
	// Hosts are the allow-listed embedding hosts: with "other", the keys
	// of the widget's per-host cells of nodes released from now on.
	Hosts []string

	// work serialises releasing, one node at a time, so that a report
	// asking for a few nodes waits for one node, not for a backfill.
	work sync.Mutex
	mu   sync.Mutex
	// done holds each role's released nodes, read once from the store.
	done map[string]map[Node]bool
	// through is the last closed day each role is wholly released through.
	through map[string]string
}

// NewReleaser returns a releaser over st with the given clock.
func NewReleaser(st Store, now func() time.Time) *Releaser {
	return &Releaser{Store: st, Now: now, done: map[string]map[Node]bool{}, through: map[string]string{}}
}

// version is a role version with the days it may have counts on.
type version struct {
	id       int64
	from, to string // inclusive; "" is open
	shape    shape
}

// Release releases the role's nodes whose days are all over and that are
// not released yet: those among nodes, or with no nodes every due one. It
// is cheap when there is none.
func (r *Releaser) Release(ctx context.Context, slug string, nodes ...Node) error {
	last := LastClosed(r.Now())
	r.mu.Lock()
	whole := len(nodes) == 0
	if whole && r.through[slug] == last {
		r.mu.Unlock()
		return nil
	}
	done := r.done[slug]
	r.mu.Unlock()
	if done == nil {
		got, err := r.Store.ReleasedNodes(ctx, slug)
		if err != nil {
			return err
		}
		done = make(map[Node]bool, len(got))
		for _, n := range got {
			done[n] = true
		}
		r.mu.Lock()
		if r.done[slug] == nil {
			r.done[slug] = done
		}
		done = r.done[slug]
		r.mu.Unlock()
	}
	isDone := func(n Node) bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return done[n]
	}
	first, err := r.Store.FirstDay(ctx, slug)
	if err != nil || first == "" {
		return err
	}
	var todo []Node
	if whole {
		todo = Due(first, last)
	} else {
		for _, n := range nodes {
			if n.End() <= last && n.End() >= first {
				todo = append(todo, n)
			}
		}
	}
	var versions []version
	for _, n := range todo {
		if isDone(n) {
			continue
		}
		if versions == nil {
			vs, err := r.Store.RoleVersions(ctx, slug)
			if err != nil {
				return err
			}
			if versions, err = activeVersions(vs); err != nil {
				return err
			}
		}
		r.work.Lock()
		if !isDone(n) {
			err = r.releaseNode(ctx, slug, n, versions)
		}
		r.work.Unlock()
		if err != nil {
			return err
		}
		r.mu.Lock()
		done[n] = true
		r.mu.Unlock()
	}
	if whole {
		r.mu.Lock()
		r.through[slug] = last
		r.mu.Unlock()
	}
	return nil
}

// activeVersions gives each version the days it served, the day of its
// import to the day of the next one's (both ends: a check started just
// before an import may finish on the new version's first day); the first
// version also covers the days before it, the last one those after.
func activeVersions(vs []role.Version) ([]version, error) {
	out := make([]version, len(vs))
	for i, v := range vs {
		e, err := catalog.Build(v)
		if err != nil {
			return nil, fmt.Errorf("release: %w", err)
		}
		out[i] = version{id: v.ID, shape: shapeOf(e.Role)}
		if i > 0 {
			out[i].from = v.ImportedAt.UTC().Format(time.DateOnly)
			out[i-1].to = out[i].from
		}
	}
	return out, nil
}

func (r *Releaser) releaseNode(ctx context.Context, slug string, n Node, versions []version) error {
	shapes := map[int64]shape{}
	whole := shape{items: map[string]role.Item{}}
	levels := map[string]bool{}
	for _, v := range versions {
		if (v.from != "" && v.from > n.End()) || (v.to != "" && v.to < n.Start) {
			continue
		}
		shapes[v.id] = v.shape
		for id, it := range v.shape.items {
			whole.items[id] = it
		}
		for _, l := range v.shape.levels {
			if !levels[l] {
				levels[l] = true
				whole.levels = append(whole.levels, l)
			}
		}
	}
	counts, err := r.Store.CounterSums(ctx, slug, n.Start, n.End())
	if err != nil {
		return err
	}
	truth := released(shapes, counts)
	var out []Count
	var noiseErr error
	draw := func(s Slice) func(Cell) {
		return func(c Cell) {
			v, err := noise.Gaussian().AddNoiseInt64(truth[s][c], 1, 1, Epsilon, Delta)
			if err != nil {
				noiseErr = err
			}
			out = append(out, Count{Slice: s, Cell: c, N: v})
		}
	}
	whole.cells(nil, draw(Slice{}))
	ids := make([]int64, 0, len(shapes))
	for id := range shapes {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		for _, c := range Checks {
			add := draw(Slice{VersionID: id, Channel: c.Channel, Mode: c.Mode})
			shapes[id].cells(&c, add)
			if c.Channel == "embed" {
				hostCells(r.Hosts, add)
			}
		}
	}
	if noiseErr != nil {
		return fmt.Errorf("release: noise: %w", noiseErr)
	}
	if err := r.Store.SaveRelease(ctx, slug, n, Params{Epsilon: Epsilon, Delta: Delta, Sigma: Sigma}, out); err != nil {
		return fmt.Errorf("release: %s %s: %w", slug, n, err)
	}
	return nil
}

// Run releases every role's due nodes now and then once a day, a minute
// after midnight UTC, until ctx ends. Failures are passed to report and
// tried again the next day (a report releases what it needs anyway).
func (r *Releaser) Run(ctx context.Context, roles func() []string, report func(error)) {
	for {
		for _, slug := range roles() {
			if err := r.Release(ctx, slug); err != nil && ctx.Err() == nil {
				report(err)
			}
		}
		now := r.Now().UTC()
		next := now.Truncate(24 * time.Hour).Add(24*time.Hour + time.Minute)
		t := time.NewTimer(next.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// Z95 is the two-sided 95 % quantile of the normal distribution: a
// released sum with noise variance v lies within Z95·√v of the true count
// 95 times out of 100.
var Z95 = math.Sqrt2 * math.Erfinv(0.95)
