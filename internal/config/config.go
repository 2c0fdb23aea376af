// Package config reads rolefit's settings from flags and ROLEFIT_…
// environment variables. Flags win over the environment.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Config holds every setting of the server and the CLI.
type Config struct {
	Addr    string
	DB      string
	BaseURL string
	// EmbedOrigins may frame /embed/*; empty means any origin.
	EmbedOrigins []string
	// K is the smallest number of submissions a published figure may rest on.
	K             int
	RetentionDays int
	TLSCert       string
	TLSKey        string
	// TrustedProxies are the networks whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// SessionKeys overrides the keys kept in the database: hex, as
	// "hashKey:blockKey" pairs separated by commas (newest first).
	SessionKeys string
	LogLevel    string
	// MetricsAllow are the networks whose direct (not proxied) requests may
	// read /metrics; loopback by default, empty for nobody.
	MetricsAllow []netip.Prefix
	// SubmitRate is how many checks one client may submit per minute;
	// 0 turns the limit off.
	SubmitRate int

	proxies *string
	metrics *string
}

// Default returns the settings used when nothing is given.
func Default() Config {
	return Config{
		Addr:          "127.0.0.1:8080",
		DB:            "rolefit.db",
		K:             5,
		RetentionDays: 730,
		LogLevel:      "info",
		SubmitRate:    20,
		MetricsAllow:  []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
	}
}

// TLS reports whether the server terminates TLS itself.
func (c Config) TLS() bool { return c.TLSCert != "" && c.TLSKey != "" }

// FlagSet returns a flag set bound to c, defaults taken from getenv, so that
// every flag has a ROLEFIT_ environment variable of the same name.
func (c *Config) FlagSet(name string, getenv func(string) string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	env := func(key, def string) string {
		if v := getenv("ROLEFIT_" + key); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("ADDR", c.Addr), "listen address (ROLEFIT_ADDR)")
	fs.StringVar(&c.DB, "db", env("DB", c.DB), "database: a SQLite file, or a postgres:// URL (ROLEFIT_DB)")
	fs.StringVar(&c.BaseURL, "base-url", env("BASE_URL", c.BaseURL), "public URL of the site, for links and snippets (ROLEFIT_BASE_URL)")
	fs.Func("embed-origins", "comma-separated origins allowed to frame the widget; empty allows any (ROLEFIT_EMBED_ORIGINS)", func(s string) error {
		c.EmbedOrigins = splitList(s)
		return nil
	})
	c.EmbedOrigins = splitList(env("EMBED_ORIGINS", strings.Join(c.EmbedOrigins, ",")))
	fs.IntVar(&c.K, "k", atoi(env("K", ""), c.K), "smallest released base a dashboard share or mean is computed from, at least 2 (ROLEFIT_K)")
	fs.IntVar(&c.RetentionDays, "retention-days", atoi(env("RETENTION_DAYS", ""), c.RetentionDays), "days a submission is kept (ROLEFIT_RETENTION_DAYS)")
	fs.StringVar(&c.TLSCert, "tls-cert", env("TLS_CERT", c.TLSCert), "TLS certificate file (ROLEFIT_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env("TLS_KEY", c.TLSKey), "TLS key file (ROLEFIT_TLS_KEY)")
	proxies := env("TRUSTED_PROXIES", "")
	fs.StringVar(&proxies, "trusted-proxies", proxies, "comma-separated proxy addresses or CIDRs whose X-Forwarded-For is trusted (ROLEFIT_TRUSTED_PROXIES)")
	fs.StringVar(&c.SessionKeys, "session-keys", env("SESSION_KEYS", c.SessionKeys), "hex hashKey:blockKey pairs, newest first; default: kept in the database (ROLEFIT_SESSION_KEYS)")
	fs.StringVar(&c.LogLevel, "log-level", env("LOG_LEVEL", c.LogLevel), "debug, info, warn or error (ROLEFIT_LOG_LEVEL)")
	c.proxies = &proxies
	metrics := env("METRICS_ALLOW", "loopback")
	fs.StringVar(&metrics, "metrics-allow", metrics, `who may read /metrics: "loopback", "any", "none", or comma-separated addresses or CIDRs (ROLEFIT_METRICS_ALLOW)`)
	c.metrics = &metrics
	fs.IntVar(&c.SubmitRate, "submit-rate", atoi(env("SUBMIT_RATE", ""), c.SubmitRate), "checks one client may submit per minute; 0 for no limit (ROLEFIT_SUBMIT_RATE)")
	return fs
}

// Finish parses what flags hold as text and checks the whole configuration.
// Call it after FlagSet(...).Parse.
func (c *Config) Finish() error {
	if c.proxies != nil {
		c.TrustedProxies = nil
		for _, p := range splitList(*c.proxies) {
			pfx, err := parsePrefix(p)
			if err != nil {
				return fmt.Errorf("config: trusted proxy %q: %w", p, err)
			}
			c.TrustedProxies = append(c.TrustedProxies, pfx)
		}
	}
	if c.metrics != nil {
		allow, err := ParseMetricsAllow(*c.metrics)
		if err != nil {
			return err
		}
		c.MetricsAllow = allow
	}
	return c.Validate()
}

// Validate returns every problem with c, joined.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("config: addr %q: %w", c.Addr, err))
	}
	if c.DB == "" {
		errs = append(errs, errors.New("config: db must not be empty"))
	}
	if c.K < 2 {
		errs = append(errs, fmt.Errorf("config: k is %d; it must be at least 2", c.K))
	}
	if c.SubmitRate < 0 {
		errs = append(errs, fmt.Errorf("config: submit-rate is %d; it must be 0 (no limit) or more", c.SubmitRate))
	}
	if c.RetentionDays < 1 {
		errs = append(errs, fmt.Errorf("config: retention-days is %d; it must be at least 1", c.RetentionDays))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("config: tls-cert and tls-key go together"))
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("config: base-url %q is not an http(s) URL", c.BaseURL))
		}
	}
	for _, o := range c.EmbedOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
			errs = append(errs, fmt.Errorf("config: embed origin %q is not scheme://host[:port]", o))
		}
	}
	return errors.Join(errs...)
}

// ParseMetricsAllow reads the -metrics-allow setting. "loopback" is the
// default because metrics show traffic volumes, which are nobody else's
// business; "any" is for deployments that guard /metrics at the proxy.
func ParseMetricsAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range splitList(s) {
		switch strings.ToLower(p) {
		case "none":
		case "loopback":
			out = append(out, netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"))
		case "any":
			out = append(out, netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0"))
		default:
			pfx, err := parsePrefix(p)
			if err != nil {
				return nil, fmt.Errorf("config: metrics-allow %q: %w", p, err)
			}
			out = append(out, pfx)
		}
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.TrimRight(p, "/"))
		}
	}
	return out
}

func atoi(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// OriginHost is the host (with its port) of an origin, lower-case: what a
// widget submission records of an allow-listed embedding site.
func OriginHost(origin string) (string, bool) {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return "", false
	}
	return strings.ToLower(u.Host), true
}

// EmbedHosts are the hosts of EmbedOrigins: the embedding sites the
// dashboard breaks the widget's figures down by.
func (c Config) EmbedHosts() []string {
	var out []string
	for _, o := range c.EmbedOrigins {
		if h, ok := OriginHost(o); ok {
			out = append(out, h)
		}
	}
	return out
}
