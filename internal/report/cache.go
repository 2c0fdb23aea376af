package report

import (
	"context"
	"strings"
	"sync"

	"github.com/rolefit/rolefit/internal/release"
)

// SumCache is a Store that keeps each node's released cells in memory once
// read, so that a view sums a few dozen short lists instead of reading
// every cell of every node again: a released node never changes. Only
// nodes that returned cells are kept, since a node that is not released
// yet reads as empty and will not stay so. When the cells kept pass
// Limit, nodes are dropped until they fit again.
type SumCache struct {
	Store Store
	// Limit bounds the cells kept (about 130 bytes each).
	Limit int

	mu    sync.Mutex
	nodes map[nodeKey][]release.Released
	cells int
}

// nodeKey names one node's cells of the given metrics ("" for all).
type nodeKey struct {
	slug    string
	node    release.Node
	metrics string
}

// DefaultSumCacheLimit holds the nodes of the default views of about ten
// roles (some 10,000 cells each), about 13 MB.
const DefaultSumCacheLimit = 100_000

// NewSumCache returns a cache over st with the default limit.
func NewSumCache(st Store) *SumCache {
	return &SumCache{Store: st, Limit: DefaultSumCacheLimit, nodes: map[nodeKey][]release.Released{}}
}

// ReleasedSums sums the released cells of a role over nodes, as Store
// does, reading from the store only the nodes it does not hold yet.
func (c *SumCache) ReleasedSums(ctx context.Context, slug string, nodes []release.Node, metrics ...string) ([]release.Released, error) {
	sums := map[release.Count]int{}
	var out []release.Released
	for _, n := range nodes {
		cells, err := c.node(ctx, slug, n, metrics)
		if err != nil {
			return nil, err
		}
		for _, r := range cells {
			k := r.Count
			k.N = 0
			i, ok := sums[k]
			if !ok {
				i = len(out)
				sums[k] = i
				out = append(out, release.Released{Count: k})
			}
			out[i].N += r.N
			out[i].Var += r.Var
		}
	}
	return out, nil
}

func (c *SumCache) node(ctx context.Context, slug string, n release.Node, metrics []string) ([]release.Released, error) {
	k := nodeKey{slug: slug, node: n, metrics: strings.Join(metrics, ",")}
	c.mu.Lock()
	cells, ok := c.nodes[k]
	c.mu.Unlock()
	if ok {
		return cells, nil
	}
	cells, err := c.Store.ReleasedSums(ctx, slug, []release.Node{n}, metrics...)
	if err != nil || len(cells) == 0 {
		return cells, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.nodes[k]; !ok {
		for old, kept := range c.nodes {
			if c.cells+len(cells) <= c.Limit {
				break
			}
			delete(c.nodes, old)
			c.cells -= len(kept)
		}
		c.nodes[k] = cells
		c.cells += len(cells)
	}
	return cells, nil
}
