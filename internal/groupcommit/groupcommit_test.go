package groupcommit

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestQueue: writes from many goroutines are all committed, in groups no
// larger than the bound, each caller gets its own write's error, and a
// write after Close is refused. Writes racing Close either land or are
// refused, never lost or left waiting.
func TestQueue(t *testing.T) {
	var committed atomic.Int64
	var mu sync.Mutex
	largest := 0
	q := New(8, func(batch []Request[int]) []error {
		mu.Lock()
		largest = max(largest, len(batch))
		mu.Unlock()
		errs := make([]error, len(batch))
		for i, r := range batch {
			if r.Write%10 == 0 {
				errs[i] = errors.New("refused")
				continue
			}
			committed.Add(1)
		}
		return errs
	})
	var observed atomic.Int64
	q.Observe(func(size int, _ time.Duration) { observed.Add(int64(size)) })
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := 1; i <= 200; i++ {
		wg.Go(func() {
			err := q.Do(context.Background(), i)
			if (err != nil) != (i%10 == 0) {
				t.Errorf("write %d: %v", i, err)
			}
			if err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if committed.Load() != 180 || failed.Load() != 20 {
		t.Errorf("%d committed and %d refused, want 180 and 20", committed.Load(), failed.Load())
	}
	if largest > 8 {
		t.Errorf("a group of %d, over the bound of 8", largest)
	}
	if observed.Load() != 200 {
		t.Errorf("the observer saw groups of %d writes in all, want 200", observed.Load())
	}

	var acked atomic.Int64
	for i := 1; i <= 100; i++ {
		wg.Go(func() {
			if err := q.Do(context.Background(), i*10+1); err == nil {
				acked.Add(1)
			} else if !errors.Is(err, ErrClosed) {
				t.Errorf("a write racing Close: %v", err)
			}
		})
	}
	if !q.Close() || q.Close() {
		t.Error("Close did not report closing the queue once")
	}
	wg.Wait()
	if got := committed.Load() - 180; got != acked.Load() {
		t.Errorf("%d writes acknowledged while closing, %d committed", acked.Load(), got)
	}
	if err := q.Do(context.Background(), 1); !errors.Is(err, ErrClosed) {
		t.Errorf("a write after Close: %v", err)
	}
	if err := q.Alone(func() error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("a write alone after Close: %v", err)
	}
}
