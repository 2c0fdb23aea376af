package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
)

// captured is one response of rolefit, recorded so that the bare baseline
// can send exactly the same status, headers and bytes.
type captured struct {
	Path   string      `json:"path"`
	Status int         `json:"status"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body"`
	// request is the header set the response was captured with, which
	// the load generator sends to both servers.
	request http.Header
}

// runBare is `rolefit-bench bare`: a bare net/http server that answers
// each captured path with its captured response and does nothing else.
// It is the baseline rolefit's pages are measured against: the same bytes
// (already compressed when rolefit compressed them) and the same headers,
// with none of rolefit's work.
func runBare(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("rolefit-bench bare", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	spec := fs.String("spec", "", "JSON file of captured responses")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := os.ReadFile(*spec)
	if err != nil {
		return err
	}
	var list []captured
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("bare: %s: %w", *spec, err)
	}
	byPath := map[string]*captured{}
	for i := range list {
		byPath[list[i].Path] = &list[i]
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := byPath[r.URL.RequestURI()]
		if !ok {
			if r.URL.Path == "/healthz" {
				return
			}
			http.NotFound(w, r)
			return
		}
		dst := w.Header()
		for k, v := range c.Header {
			dst[k] = v
		}
		w.WriteHeader(c.Status)
		_, _ = w.Write(c.Body)
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
