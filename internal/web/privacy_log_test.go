package web

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/loadtest"
)

// syncBuffer is a log destination that tests read while servers write.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestApplicantActions_CountedNotLogged completes checks, views a result,
// clicks apply and deletes a result: none of these writes a log line, and
// /metrics counts each.
func TestApplicantActions_CountedNotLogged(t *testing.T) {
	ts := newTestServer(t)
	var logs syncBuffer
	ts.srv.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	e, _ := ts.cat.Get(embedSlug)
	e.Role.ApplyURL = "https://jobs.example.com/apply"
	rep := loadtest.Run(t.Context(), loadtest.Options{BaseURL: ts.URL, Applicants: 2, Concurrency: 1})
	if len(rep.Tokens) != 2 {
		t.Fatalf("two checks: %s %v", rep.Summary(), rep.Errors)
	}
	c := ts.client(t)
	c.get("/") // a page that is logged, to show the log is written
	res := c.get("/results/" + rep.Tokens[0])
	if res.StatusCode != http.StatusOK {
		t.Fatalf("result: %d", res.StatusCode)
	}
	if r := c.get("/results/" + rep.Tokens[0] + "/apply"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d", r.StatusCode)
	}
	if r := c.post("/results/"+rep.Tokens[1]+"/delete", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", r.StatusCode, r.Body)
	}
	log := logs.String()
	if !strings.Contains(log, `route=/ `) {
		t.Fatalf("the home page was not logged; the test cannot see the log:\n%s", log)
	}
	for _, private := range []string{"/roles/:slug/check", "/results/", "/embed/"} {
		if strings.Contains(log, private) {
			t.Errorf("the log has a line for %s:\n%s", private, log)
		}
	}
	m := c.get("/metrics").Body
	for _, want := range []string{
		`rolefit_submissions_created_total 2`,
		`rolefit_applicant_actions_total{action="result_view"} 1`,
		`rolefit_applicant_actions_total{action="apply_click"} 1`,
		`rolefit_applicant_actions_total{action="deletion"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "rolefit test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestTLS_NoAddressLoggedAndHSTS runs rolefit over real TLS and sends it
// what net/http logs with the client's address: plain HTTP on the TLS
// port, handshakes cut short or refused. The log must hold those errors
// but no address; and every HTTPS answer carries HSTS.
func TestTLS_NoAddressLoggedAndHSTS(t *testing.T) {
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "rolefit.db")
	cfg.TLSCert, cfg.TLSKey = selfSigned(t)
	store := mustOpenDB(t, cfg.DB)
	cat := catalog.New()
	if _, err := cat.Import(t.Context(), store, db.ReferenceRole, "product-manager-marketing.md"); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	srv, err := New(Deps{Config: cfg, Catalog: cat, Roles: store, Health: store, Submissions: store, Recruiters: store,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer(ln)
	go hs.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
	t.Cleanup(func() { hs.Close() })
	addr := ln.Addr().String()

	// Plain HTTP on the TLS port.
	if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
		res.Body.Close()
	}
	// A handshake cut short, and one that is not TLS at all.
	for _, junk := range []string{"", "\x16\x03\x01\x00\x05junk!", "\x00\x01\x02\x03\x04\x05\x06\x07"} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.Write([]byte(junk))
		conn.Close()
	}
	// A client that refuses the certificate.
	if res, err := http.Get("https://" + addr + "/healthz"); err == nil {
		res.Body.Close()
		t.Fatal("an untrusted self-signed certificate was accepted")
	}
	// A client that trusts it.
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	for _, path := range []string{"/healthz", "/roles/" + embedSlug, "/no-such-page"} {
		res, err := hc.Get("https://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
			t.Errorf("GET %s over TLS: Strict-Transport-Security %q", path, got)
		}
	}

	// net/http logs from the connections' goroutines; wait for the lines.
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(logs.String(), "TLS handshake error") < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	log := logs.String()
	if n := strings.Count(log, "TLS handshake error"); n < 3 {
		t.Fatalf("%d handshake errors logged, want at least 3; the test cannot see them:\n%s", n, log)
	}
	for _, leak := range []string{"127.0.0.1", "[::1]"} {
		if strings.Contains(log, leak) {
			t.Errorf("the log holds the address %s:\n%s", leak, log)
		}
	}
}

// TestHSTS_OnlyUnderTLS: a plain-HTTP rolefit (behind a proxy, or local)
// sends no HSTS, which would otherwise lock browsers out of it.
func TestHSTS_OnlyUnderTLS(t *testing.T) {
	ts := newTestServer(t)
	if got := ts.client(t).get("/healthz").Header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("Strict-Transport-Security %q without TLS", got)
	}
}
