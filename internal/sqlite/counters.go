package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/submission"
)

// The counters' bucket shapes. MaxAnswerBucket caps the whole-number
// bucket an answer is counted in: ratings are 0–4 and yes/no 0–1, so only
// years reach it ("20 or more"). The fit bands are the released ones.
const (
	MaxAnswerBucket = 20
	FitBands        = release.FitBands
)

// AnswerBucket is the whole-number bucket of an answer: years are counted
// in whole years (rounded down, so "1.5 years" does not meet a bar of 2),
// capped at MaxAnswerBucket.
func AnswerBucket(v float64) int {
	if math.IsNaN(v) || v < 0 {
		return 0
	}
	return int(math.Min(math.Floor(v), MaxAnswerBucket))
}

// FitBand is the 10-point band (0–9) of a fit in [0, 100].
func FitBand(fit float64) int {
	if math.IsNaN(fit) || fit < 0 {
		return 0
	}
	return int(math.Min(math.Floor(fit/10), FitBands-1))
}

// RecordEvent adds one to the day's counter for ev.
func (d *DB) RecordEvent(ctx context.Context, ev submission.Event) error {
	key := ""
	switch ev.Name {
	case submission.MetricStarted, submission.MetricApply:
	case submission.MetricStep:
		if ev.Step < 1 {
			return fmt.Errorf("sqlite: record event: step %d", ev.Step)
		}
		key = strconv.Itoa(ev.Step)
	default:
		return fmt.Errorf("sqlite: record event: unknown event %q", ev.Name)
	}
	if _, err := time.Parse(time.DateOnly, ev.Day); err != nil {
		return fmt.Errorf("sqlite: record event: day %q: %w", ev.Day, err)
	}
	dims := counterDims{Role: ev.RoleSlug, Day: ev.Day, VersionID: ev.VersionID, Channel: ev.Channel, Mode: ev.Mode}
	cells := []counterCell{{Metric: ev.Name, Key: key}}
	if m, ok := hostMetrics[ev.Name]; ok && ev.Channel == "embed" {
		cells = append(cells, counterCell{Metric: m, Key: hostKey(ev.Host)})
	}
	err := d.write(ctx, func(tx *sql.Tx) error {
		return bumpCounters(tx, dims, cells, 1)
	})
	if err != nil {
		return fmt.Errorf("sqlite: record event: %w", err)
	}
	return nil
}

// counterDims are the dimensions every counter row is kept per.
type counterDims struct {
	Role, Day     string
	VersionID     int64
	Channel, Mode string
}

// counterCell is one counter of a day.
type counterCell struct {
	Metric, Key string
	Bucket      int
}

// submissionCells lists the counters a submission adds one to. The same
// function serves the live counters and their verification.
func submissionCells(s *submission.Submission) []counterCell {
	cells := make([]counterCell, 0, 3+len(s.Answers)+len(s.Fits))
	cells = append(cells, counterCell{Metric: submission.MetricCompleted}, counterCell{Metric: submission.MetricRecommended, Key: s.Recommended})
	if h := hostOf(s); h != "" {
		cells = append(cells, counterCell{Metric: submission.MetricHostCompleted, Key: h})
	}
	for id, v := range s.Answers {
		cells = append(cells, counterCell{Metric: submission.MetricAnswer, Key: id, Bucket: AnswerBucket(v)})
	}
	for lvl, fit := range s.Fits {
		// Banded as stored (one decimal), so that the live counter and a
		// recomputation from the row agree at a band's edge.
		cells = append(cells, counterCell{Metric: submission.MetricFit, Key: lvl, Bucket: FitBand(math.Round(fit*10) / 10)})
	}
	return cells
}

// hostMetrics are the per-host counters of the widget's funnel events.
var hostMetrics = map[string]string{submission.MetricStarted: submission.MetricHostStarted, submission.MetricApply: submission.MetricHostApply}

// hostKey is the counters' key of an embedding host: a widget event or
// submission that names none counts as "other", like an unlisted site.
func hostKey(host string) string {
	if host == "" {
		return release.OtherHost
	}
	return host
}

// hostOf is the host key a submission is counted under: "" on the site.
func hostOf(s *submission.Submission) string {
	if s.Channel != "embed" {
		return ""
	}
	return hostKey(s.EmbedHost)
}

// addSubmissionCounters adds sign (+1 or -1) times the submission to the
// day's aggregate counters, inside the transaction that stores or deletes
// it, so that counters and rows never disagree.
func addSubmissionCounters(tx *sql.Tx, s *submission.Submission, sign int) error {
	dims := counterDims{Role: s.RoleSlug, Day: s.Day, VersionID: s.VersionID, Channel: s.Channel, Mode: s.Mode}
	return bumpCounters(tx, dims, submissionCells(s), sign)
}

func bumpCounters(tx *sql.Tx, dims counterDims, cells []counterCell, delta int) error {
	stmt, err := tx.Prepare(`INSERT INTO counters (role_slug, day, metric, key, bucket, version_id, channel, mode, n)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET n = n + excluded.n`)
	if err != nil {
		return fmt.Errorf("counters: %w", err)
	}
	defer stmt.Close()
	for _, c := range cells {
		if _, err := stmt.Exec(dims.Role, dims.Day, c.Metric, c.Key, c.Bucket, dims.VersionID, dims.Channel, dims.Mode, delta); err != nil {
			return fmt.Errorf("counters: %s %s: %w", c.Metric, c.Key, err)
		}
	}
	return nil
}
