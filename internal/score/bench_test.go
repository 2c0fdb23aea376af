package score_test

import (
	"testing"

	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
)

// BenchmarkScoreFull scores a full assessment of the reference role with
// every item answered, as a submission does:
//
//	go test -run '^$' -bench . -benchmem ./internal/score
func BenchmarkScoreFull(b *testing.B) {
	r := reference(b)
	a := score.Answers{}
	for i, e := range items(r, score.Full) {
		switch e.Kind {
		case role.KindExperience:
			a[e.ID] = float64(i % 8)
		case role.KindFact:
			a[e.ID] = float64(i % 2)
		default:
			a[e.ID] = float64(i % (score.MaxRating + 1))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		res := score.Score(r, score.Full, a)
		if res.Recommended == "" {
			b.Fatal("no recommendation")
		}
	}
}
