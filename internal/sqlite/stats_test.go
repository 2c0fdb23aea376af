package sqlite

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rolefit/rolefit/internal/submission"
)

// randomSubmission is the i-th of a mix of checks of "pm" over 60 days,
// for the benchmarks (the store suite in internal/storage has its own).
func randomSubmission(rng *rand.Rand, i int, vid int64) *submission.Submission {
	h := sha256.Sum256([]byte(fmt.Sprint("token", i)))
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(60)).Format(time.DateOnly)
	s := &submission.Submission{TokenHash: h[:], RoleSlug: "pm", VersionID: vid, Mode: []string{"quick", "full"}[rng.IntN(2)],
		Channel: []string{"site", "embed"}[rng.IntN(2)], Day: day,
		Answers: map[string]float64{}, Fits: map[string]float64{}, Recommended: []string{"intermediate", "senior"}[rng.IntN(2)]}
	for _, id := range []string{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"} {
		if rng.IntN(4) > 0 {
			s.Answers[id] = float64(rng.IntN(5))
		}
	}
	s.Answers["yyyyyyyyyy"] = rng.Float64() * 30 // years, capped in its bucket
	s.Fits["intermediate"] = rng.Float64() * 100
	s.Fits["senior"] = float64(rng.IntN(101))
	return s
}
