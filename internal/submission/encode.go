package submission

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/rolefit/rolefit/internal/role"
)

// Every store keeps a submission's answers and fits as compact JSON objects
// with sorted keys, such as {"1a2b3c4d5e":3,"6f7a8b9c0d":2.5} (item id →
// rating, years, or 1/0 for yes/no) and {"intermediate":87.5} (level slug →
// fit, rounded to one decimal), and the overrides of its check as a JSON
// array sorted by item: the same text in every store, so a copy between
// them keeps one snapshot per distinct set.

// Row is a submission in the form a store keeps it.
type Row struct {
	// ID is a new random row id.
	ID            int64
	Answers, Fits string
	Overrides     string
}

// RowOf checks s and returns its stored form with a new random id.
func RowOf(s *Submission) (Row, error) {
	if len(s.TokenHash) != 32 {
		return Row{}, fmt.Errorf("token hash must be 32 bytes")
	}
	if _, err := time.Parse(time.DateOnly, s.Day); err != nil {
		return Row{}, fmt.Errorf("day %q: %w", s.Day, err)
	}
	var r Row
	var err error
	if r.Answers, err = encodeValues(s.Answers, false); err != nil {
		return Row{}, fmt.Errorf("answers: %w", err)
	}
	if r.Fits, err = encodeValues(s.Fits, true); err != nil {
		return Row{}, fmt.Errorf("fits: %w", err)
	}
	if r.Overrides, err = EncodeOverrides(s.Overrides); err != nil {
		return Row{}, fmt.Errorf("overrides: %w", err)
	}
	// Privacy: the row id is random, not the next number, so the order of
	// rows cannot be matched against anything timed, such as request logs.
	if r.ID, err = randomID(); err != nil {
		return Row{}, err
	}
	return r, nil
}

// DecodeValues sets s's answers and fits from their stored form (see
// RowOf).
func (s *Submission) DecodeValues(answers, fits string) error {
	if err := json.Unmarshal([]byte(answers), &s.Answers); err != nil {
		return fmt.Errorf("answers of submission %d: %w", s.ID, err)
	}
	if err := json.Unmarshal([]byte(fits), &s.Fits); err != nil {
		return fmt.Errorf("fits of submission %d: %w", s.ID, err)
	}
	return nil
}

func encodeValues(m map[string]float64, round bool) (string, error) {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", fmt.Errorf("value of %q is not a number", k)
		}
		if round {
			v = math.Round(v*10) / 10
		}
		out[k] = v
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// randomID returns a positive random 63-bit row id.
func randomID() (int64, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, err
	}
	if id := int64(binary.BigEndian.Uint64(b[:]) >> 1); id != 0 {
		return id, nil
	}
	return 1, nil
}

// storedOverride is an override as a snapshot keeps it.
type storedOverride struct {
	Item   string   `json:"item"`
	Kind   string   `json:"kind"`
	Weight *float64 `json:"weight"`
	Bonus  *bool    `json:"bonus"`
	// Omit and Expect are left out when unset, so that overrides without
	// them keep the text, and the snapshot, they had before these existed.
	Omit   bool               `json:"omit,omitempty"`
	Expect map[string]float64 `json:"expect,omitempty"`
}

// EncodeOverrides is the stored form of ovs: sorted by item, so that the
// same overrides always give the same text and share one snapshot.
func EncodeOverrides(ovs []role.Override) (string, error) {
	out := make([]storedOverride, 0, len(ovs))
	for _, o := range ovs {
		so := storedOverride{Item: o.ItemID, Kind: string(o.Kind), Bonus: o.Bonus, Omit: o.Omit, Expect: o.Expect}
		if o.Weight > 0 {
			w := o.Weight
			so.Weight = &w
		}
		out = append(out, so)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Item < out[j].Item })
	b, err := json.Marshal(out)
	return string(b), err
}

// DecodeOverrides reads what EncodeOverrides wrote.
func DecodeOverrides(text string) ([]role.Override, error) {
	var in []storedOverride
	if err := json.Unmarshal([]byte(text), &in); err != nil {
		return nil, err
	}
	var out []role.Override
	for _, so := range in {
		o := role.Override{ItemID: so.Item, Kind: role.Kind(so.Kind), Bonus: so.Bonus, Omit: so.Omit, Expect: so.Expect}
		if so.Weight != nil {
			o.Weight = *so.Weight
		}
		out = append(out, o)
	}
	return out, nil
}
