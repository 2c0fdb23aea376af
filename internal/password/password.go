// Package password hashes recruiters' passwords with argon2id and judges
// whether a new one is strong enough. Hashing is memory-hard on purpose,
// so a Hasher caps how many hashes run at once: a burst of sign-ins cannot
// exhaust the server's memory.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost settings.
type Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// Default follows OWASP's minimum for argon2id (19 MiB, 2 passes), which
// keeps a sign-in near 30 ms on a small server.
var Default = Params{Time: 2, Memory: 19 * 1024, Threads: 1}

// Hasher hashes and verifies passwords, at most a few at a time.
type Hasher struct {
	p   Params
	sem chan struct{}
}

// NewHasher returns a Hasher that runs at most concurrent hashes at once.
func NewHasher(p Params, concurrent int) *Hasher {
	if concurrent < 1 {
		concurrent = 1
	}
	return &Hasher{p: p, sem: make(chan struct{}, concurrent)}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Hash returns the encoded hash of pw, with a random salt, in the PHC
// string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	sum := argon2.IDKey([]byte(pw), salt, h.p.Time, h.p.Memory, h.p.Threads, 32)
	<-h.sem
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.p.Memory, h.p.Time, h.p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(sum)), nil
}

// ErrMalformed is a stored hash that cannot be read.
var ErrMalformed = errors.New("password: malformed hash")

// Verify reports whether pw matches the encoded hash. The parameters are
// read from the hash, so hashes made with older settings still verify.
func (h *Hasher) Verify(ctx context.Context, pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var v int
	var p Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Memory == 0 || p.Memory > 1<<20 || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return false, ErrMalformed
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, ErrMalformed
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	<-h.sem
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// MinLength and MaxLength bound a new password, in characters.
const (
	MinLength = 12
	MaxLength = 256
)

//go:embed common.txt
var commonList string

var common = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonList, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}()

// Weak returns why pw is not strong enough for an account of email, or ""
// when it is.
func Weak(pw, email string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return fmt.Sprintf("Use at least %d characters; this password has %d.", MinLength, n)
	case n > MaxLength:
		return fmt.Sprintf("Use at most %d characters.", MaxLength)
	case !utf8.ValidString(pw):
		return "The password is not valid text."
	}
	lower := strings.ToLower(pw)
	if common[lower] {
		return "This password is on lists of common passwords; choose another."
	}
	distinct := map[rune]bool{}
	for _, r := range lower {
		distinct[r] = true
	}
	if len(distinct) < 5 {
		return "This password repeats too few characters; choose one harder to guess."
	}
	for _, base := range []string{lower, strings.TrimRight(lower, "0123456789!?.")} {
		if common[base] || isSequence(base) {
			return "This password is a common word or sequence with small changes; choose another."
		}
	}
	if local, _, ok := strings.Cut(strings.ToLower(email), "@"); ok && len(local) >= 4 && strings.Contains(lower, local) {
		return "The password must not contain your e-mail address."
	}
	return ""
}

func isSequence(s string) bool {
	for _, seq := range []string{"abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiopasdfghjklzxcvbnm"} {
		if len(s) >= 6 && strings.Contains(seq+seq, s) {
			return true
		}
	}
	return false
}
