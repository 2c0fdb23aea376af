// Package groupcommit gathers the writes of many goroutines into groups
// for one writer, which commits each group as one transaction: a durable
// commit (an fsync) is then paid once per group instead of once per write.
// Both stores use it; what a group's transaction is, is theirs.
package groupcommit

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned for writes after Close.
var ErrClosed = errors.New("the database is closed")

// Request is one queued write.
type Request[W any] struct {
	// Ctx is the caller's context: a write whose context has ended before
	// its group runs is skipped with Ctx.Err().
	Ctx   context.Context
	Write W
	res   chan error
}

// Queue hands queued writes to a commit function in groups of at most
// max, one group at a time, and answers each caller with its write's
// error once the group's commit is done.
type Queue[W any] struct {
	commit func(batch []Request[W]) []error
	max    int
	writes chan Request[W]
	stop   chan struct{}
	done   chan struct{}
	// closing is held for reading while a write is queued (or run alone)
	// and for writing by Close, so no write can be queued after the
	// writer has drained the queue for the last time.
	closing sync.RWMutex
	closed  bool
	// observer is told each group's size and how long its commit took.
	observer atomic.Pointer[func(size int, took time.Duration)]
}

// New starts the writer. commit runs a group and returns each write's
// error (nil for one that is committed); it is never called concurrently.
func New[W any](max int, commit func(batch []Request[W]) []error) *Queue[W] {
	q := &Queue[W]{commit: commit, max: max, writes: make(chan Request[W], max),
		stop: make(chan struct{}), done: make(chan struct{})}
	go q.run()
	return q
}

// Do queues w and returns once its group is committed, with the error
// commit gave it. It waits for the commit even if ctx ends meanwhile: a
// caller must not report failure for a write that will land.
func (q *Queue[W]) Do(ctx context.Context, w W) error {
	req := Request[W]{Ctx: ctx, Write: w, res: make(chan error, 1)}
	q.closing.RLock()
	if q.closed {
		q.closing.RUnlock()
		return ErrClosed
	}
	// The writer keeps taking requests until Close, which waits for this
	// read lock, so the send ends.
	select {
	case q.writes <- req:
	case <-ctx.Done():
		q.closing.RUnlock()
		return ctx.Err()
	}
	q.closing.RUnlock()
	return <-req.res
}

// Alone runs fn outside any group, unless the queue is closed; Close
// waits for it. It is the one-transaction-per-write baseline.
func (q *Queue[W]) Alone(fn func() error) error {
	q.closing.RLock()
	defer q.closing.RUnlock()
	if q.closed {
		return ErrClosed
	}
	return fn()
}

// Close commits what was queued before it, stops the writer and waits for
// writes running alone. Later writes get ErrClosed. It reports whether
// this call closed the queue (false when it was closed already).
func (q *Queue[W]) Close() bool {
	q.closing.Lock()
	if q.closed {
		q.closing.Unlock()
		return false
	}
	q.closed = true
	q.closing.Unlock()
	close(q.stop)
	<-q.done
	return true
}

func (q *Queue[W]) run() {
	defer close(q.done)
	batch := make([]Request[W], 0, q.max)
	for {
		batch = batch[:0]
		select {
		case req := <-q.writes:
			batch = append(batch, req)
		case <-q.stop:
			// Drain what was queued before Close.
			for {
				select {
				case req := <-q.writes:
					batch = append(batch, req)
					if len(batch) == q.max {
						q.answer(batch)
						batch = batch[:0]
					}
				default:
					if len(batch) > 0 {
						q.answer(batch)
					}
					return
				}
			}
		}
	fill:
		for len(batch) < q.max {
			select {
			case req := <-q.writes:
				batch = append(batch, req)
			default:
				break fill
			}
		}
		q.answer(batch)
	}
}

// Observe has f told the size of every group and how long its commit
// took (for metrics).
func (q *Queue[W]) Observe(f func(size int, took time.Duration)) { q.observer.Store(&f) }

func (q *Queue[W]) answer(batch []Request[W]) {
	start := time.Now()
	errs := q.commit(batch)
	// Observe before answering: the answers then order the observer's
	// read after any assignment the callers made before writing.
	if f := q.observer.Load(); f != nil {
		(*f)(len(batch), time.Since(start))
	}
	for i, req := range batch {
		req.res <- errs[i]
	}
}
