package report

import "math"

// Change is b − a for two released counts of periods that do not overlap:
// their noise is independent, so the margin is the root of the sum of
// the squared margins. Like any post-processing of released figures, it
// costs no privacy.
func Change(a, b Count) Count {
	return Count{Value: b.Value - a.Value, Margin: int(math.Ceil(math.Hypot(float64(a.Margin), float64(b.Margin))))}
}

// ShareChange is b − a for two shares released from disjoint data (two
// roles, two versions, two periods), or nil when either is not given.
func ShareChange(a, b *Share) *Share {
	if a == nil || b == nil || a.Hidden != "" || b.Hidden != "" {
		return nil
	}
	return &Share{V: b.V - a.V, Margin: math.Min(2, math.Hypot(a.Margin, b.Margin))}
}
