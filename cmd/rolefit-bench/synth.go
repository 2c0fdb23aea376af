package main

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"time"

	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/submission"
)

// synth makes synthetic submissions that look like the real write path's:
// answers to every item a check of the mode asks, scored by the real
// scorer, with the fits and recommendation the web layer would store.
type synth struct {
	r         *role.Role
	versionID int64
	rng       *rand.Rand
	asked     map[score.Mode][]role.Effective
	steps     map[score.Mode]int
	// seq numbers the token hashes so that they never collide.
	seq uint64
	// pool holds ready-made answer sets, scored once: scoring a million
	// answer sets would cost more than writing them.
	pool []pooled
}

type pooled struct {
	mode        score.Mode
	answers     map[string]float64
	fits        map[string]float64
	recommended string
}

func newSynth(r *role.Role, versionID int64, seed uint64) *synth {
	g := &synth{r: r, versionID: versionID, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		asked: map[score.Mode][]role.Effective{}, steps: map[score.Mode]int{}}
	// The questions and steps are the real check's.
	for _, m := range []score.Mode{score.Quick, score.Full} {
		p := check.NewPlan(r, m, -1)
		for _, q := range p.Questions {
			g.asked[m] = append(g.asked[m], q.Effective)
		}
		g.steps[m] = len(p.Steps)
	}
	for i := 0; i < 2000; i++ {
		g.pool = append(g.pool, g.fresh(g.mode()))
	}
	return g
}

// mode picks the quick check seven times in ten.
func (g *synth) mode() score.Mode {
	if g.rng.IntN(10) < 7 {
		return score.Quick
	}
	return score.Full
}

// fresh answers every question of mode as one applicant of a random
// ability would, and scores the answers.
func (g *synth) fresh(m score.Mode) pooled {
	ability := g.rng.Float64()*3 + 0.5
	a := score.Answers{}
	for _, e := range g.asked[m] {
		switch e.Kind {
		case role.KindExperience:
			a[e.ID] = float64(g.rng.IntN(13))
		case role.KindFact:
			if g.rng.IntN(10) < 8 {
				a[e.ID] = 1
			} else {
				a[e.ID] = 0
			}
		default:
			v := int(ability + g.rng.NormFloat64())
			a[e.ID] = float64(min(max(v, 0), score.MaxRating))
		}
	}
	res := score.Score(g.r, m, a)
	return pooled{mode: m, answers: a, fits: res.Fits(), recommended: res.Recommended}
}

// fill makes s the next synthetic submission, on day, through channel.
func (g *synth) fill(s *submission.Submission, day string, fresh bool) {
	var p pooled
	if fresh {
		p = g.fresh(g.mode())
	} else {
		p = g.pool[g.rng.IntN(len(g.pool))]
	}
	g.seq++
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], g.seq)
	binary.BigEndian.PutUint64(b[8:], g.rng.Uint64())
	sum := sha256.Sum256(b[:])
	*s = submission.Submission{TokenHash: sum[:], RoleSlug: g.r.Slug, VersionID: g.versionID, Mode: string(p.mode),
		Channel: "site", Day: day, Answers: p.answers, Fits: p.fits, Recommended: p.recommended}
	if g.rng.IntN(5) == 0 {
		s.Channel, s.EmbedHost = "embed", "other"
	}
}

// days returns the n UTC dates that end today, oldest first.
func days(now time.Time, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = now.UTC().AddDate(0, 0, i-n+1).Format(time.DateOnly)
	}
	return out
}
