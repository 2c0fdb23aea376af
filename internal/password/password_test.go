package password

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var fast = Params{Time: 1, Memory: 1024, Threads: 1}

func TestHashVerify(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(fast, 2)
	enc, err := h.Hash(ctx, "a long passphrase here")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("encoding %q", enc)
	}
	if ok, err := h.Verify(ctx, "a long passphrase here", enc); !ok || err != nil {
		t.Errorf("right password refused: %v", err)
	}
	if ok, _ := h.Verify(ctx, "a long passphrase herE", enc); ok {
		t.Error("wrong password accepted")
	}
	if _, err := h.Verify(ctx, "x", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA"); err == nil {
		t.Error("absurd parameters accepted")
	}
}

// TestHasher_Cap: no more than the cap of hashes run at once.
func TestHasher_Cap(t *testing.T) {
	h := NewHasher(fast, 2)
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_ = h.acquire(context.Background())
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			<-h.sem
		})
	}
	wg.Wait()
	if peak.Load() > 2 {
		t.Errorf("%d hashes at once, cap 2", peak.Load())
	}
}

func TestWeak(t *testing.T) {
	tests := []struct {
		name, pw string
		weak     bool
	}{
		{"Short", "short1!", true},
		{"ElevenChars", "abcdefghijk", true},
		{"Common", "password1234", true},
		{"CommonPadded", "password1234!!", true},
		{"Repeated", "aaaaaaaaaaaaaaab", true},
		{"Sequence", "abcdefghijklm", true},
		{"ContainsEmail", "xx-ada.lovelace-xx", true},
		{"OK", "violet tram carries seven owls", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			why := Weak(tt.pw, "ada.lovelace@example.com")
			if (why != "") != tt.weak {
				t.Errorf("Weak(%q) = %q", tt.pw, why)
			}
		})
	}
}
