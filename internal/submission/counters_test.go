package submission

import "testing"

func TestBuckets(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want int
	}{{0, 0}, {1.9, 1}, {2, 2}, {4, 4}, {25, MaxAnswerBucket}, {-1, 0}} {
		if got := AnswerBucket(tt.v); got != tt.want {
			t.Errorf("AnswerBucket(%v) = %d, want %d", tt.v, got, tt.want)
		}
	}
	for _, tt := range []struct {
		v    float64
		want int
	}{{0, 0}, {9.99, 0}, {10, 1}, {89.9, 8}, {90, 9}, {100, 9}} {
		if got := FitBand(tt.v); got != tt.want {
			t.Errorf("FitBand(%v) = %d, want %d", tt.v, got, tt.want)
		}
	}
}
