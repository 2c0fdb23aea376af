// Package demo fills a database with synthetic applicants of a role over
// past days, through the same store methods the web app writes with, so
// that counters and releases are exactly as in production.
package demo

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"strconv"
	"time"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/submission"
)

// Setting marks a database whose submissions rolefit demo made.
const Setting = "demo_data"

// Store is the storage demo writes through; every rolefit database implements it.
type Store interface {
	CreateSubmission(ctx context.Context, s *submission.Submission) error
	RecordEvent(ctx context.Context, ev submission.Event) error
	CountSubmissions(ctx context.Context, slug string) (int, error)
	Setting(ctx context.Context, key string) ([]byte, error)
	SetSettingOnce(ctx context.Context, key string, value []byte) ([]byte, error)
}

// Options say what to make.
type Options struct {
	// Checks is how many completed checks to make; Days how many days
	// before today they spread over.
	Checks, Days int
	// Force adds demo checks to a database holding real ones.
	Force bool
	// Now is today's clock; Rand draws the applicants (nil: random).
	Now  time.Time
	Rand *mrand.Rand
}

// ErrNotDemo refuses a database that holds submissions demo did not make.
var ErrNotDemo = errors.New("the database holds checks that rolefit demo did not make; add --force to add demo checks anyway")

// Run makes opts.Checks completed checks of e (and the abandoned checks,
// steps and apply clicks around them) and returns each one's result path,
// /results/TOKEN.
func Run(ctx context.Context, st Store, e *catalog.Entry, opts Options) ([]string, error) {
	if opts.Checks < 1 || opts.Days < 1 {
		return nil, errors.New("demo: --checks and --days must be at least 1")
	}
	mark, err := st.Setting(ctx, Setting)
	if err != nil {
		return nil, err
	}
	if n, err := st.CountSubmissions(ctx, ""); err != nil {
		return nil, err
	} else if n > 0 && mark == nil && !opts.Force {
		return nil, ErrNotDemo
	} else if n == 0 {
		if _, err := st.SetSettingOnce(ctx, Setting, []byte("rolefit demo")); err != nil {
			return nil, err
		}
	}
	rng := opts.Rand
	if rng == nil {
		rng = mrand.New(mrand.NewPCG(mrand.Uint64(), mrand.Uint64()))
	}
	today := opts.Now.UTC().Truncate(24 * time.Hour)
	var paths []string
	for range opts.Checks {
		a := newApplicant(e.Role, rng)
		a.day = today.AddDate(0, 0, -1-rng.IntN(opts.Days)).Format(time.DateOnly)
		// About one in three gives up before the end, as real visitors do.
		for rng.IntN(3) == 0 {
			quitter := newApplicant(e.Role, rng)
			quitter.day = a.day
			if err := quitter.walk(ctx, st, e, 1+rng.IntN(max(1, quitter.steps()))); err != nil {
				return nil, err
			}
		}
		if err := a.walk(ctx, st, e, a.steps()); err != nil {
			return nil, err
		}
		token, err := a.submit(ctx, st, e)
		if err != nil {
			return nil, err
		}
		paths = append(paths, "/results/"+token)
		if e.Role.ApplyURL != "" && rng.IntN(3) == 0 {
			if err := st.RecordEvent(ctx, a.event("apply", 0)); err != nil {
				return nil, err
			}
		}
	}
	return paths, nil
}

// applicant is one synthetic person: how they reached the check and how
// senior they are, which sets how they answer.
type applicant struct {
	slug, channel, day string
	mode               score.Mode
	specialty          int
	seniority          float64 // 0 (new) to 1 (the top level)
	plan               *check.Plan
	versionID          int64
	rng                *mrand.Rand
}

func newApplicant(r *role.Role, rng *mrand.Rand) *applicant {
	a := &applicant{channel: "site", mode: score.Quick, specialty: -1, seniority: rng.Float64(), rng: rng}
	// One in five comes through the widget and one in five takes the
	// quick check on the site; the rest take the full assessment, which
	// a role's own page invites and which asks every item.
	switch rng.IntN(5) {
	case 0:
		a.channel = "embed"
	case 1:
	default:
		a.mode = score.Full
		if len(r.Specialties) > 0 && rng.IntN(2) == 0 {
			a.specialty = rng.IntN(len(r.Specialties))
		}
	}
	a.plan = check.NewPlan(r, a.mode, a.specialty)
	return a
}

// steps is how many steps the applicant's check has: the widget asks on
// one page.
func (a *applicant) steps() int {
	if a.channel == "embed" {
		return 1
	}
	return len(a.plan.Steps)
}

func (a *applicant) event(name string, step int) submission.Event {
	return submission.Event{Day: a.day, RoleSlug: a.slug, VersionID: a.versionID, Channel: a.channel, Mode: string(a.mode), Name: name, Step: step}
}

// walk records the start and the first n steps of the check.
func (a *applicant) walk(ctx context.Context, st Store, e *catalog.Entry, n int) error {
	a.slug, a.versionID = e.Role.Slug, e.VersionID
	if err := st.RecordEvent(ctx, a.event("started", 0)); err != nil {
		return err
	}
	for s := 1; s <= n; s++ {
		if err := st.RecordEvent(ctx, a.event("step", s)); err != nil {
			return err
		}
	}
	return nil
}

// answer is how the applicant answers a question: a more senior person
// rates higher and has more years, with some spread either way.
func (a *applicant) answer(q check.Question) string {
	switch q.Kind {
	case role.KindExperience:
		years := a.seniority*12 + a.rng.NormFloat64()*2
		return strconv.Itoa(int(math.Max(0, math.Round(years))))
	case role.KindFact:
		if a.rng.Float64() < 0.5+a.seniority/2 {
			return "1"
		}
		return "0"
	}
	r := math.Round(a.seniority*score.MaxRating + a.rng.NormFloat64())
	return strconv.Itoa(int(math.Min(score.MaxRating, math.Max(0, r))))
}

// submit stores the completed check as the wizard does and returns its
// result token.
func (a *applicant) submit(ctx context.Context, st Store, e *catalog.Entry) (string, error) {
	raw := make([]string, len(a.plan.Questions))
	for i, q := range a.plan.Questions {
		raw[i] = a.answer(q)
	}
	answers := a.plan.Scored(raw)
	res := score.Score(e.Role, a.mode, answers)
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("demo: token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(token))
	sub := &submission.Submission{TokenHash: sum[:], RoleSlug: e.Role.Slug, VersionID: e.VersionID, Mode: string(a.mode),
		Channel: a.channel, Day: a.day, Answers: answers, Fits: res.Fits(), Recommended: res.Recommended}
	if a.channel == "embed" {
		sub.EmbedHost = "other"
	}
	if a.specialty >= 0 {
		sub.Specialty = e.Role.Specialties[a.specialty].Name
	}
	if err := st.CreateSubmission(ctx, sub); err != nil {
		return "", err
	}
	return token, nil
}
