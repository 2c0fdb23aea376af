// Command rolefit-bench measures rolefit side by side with bare baselines
// on one machine, in one run, and writes BENCHMARKS.md. It exits non-zero
// when a performance goal of SPEC §9 is missed.
//
//	rolefit-bench [-quick] [-only PART] [-pg URL] [-bin PATH] [-out BENCHMARKS.md]
//	rolefit-bench seed -db FILE -n N [-days D]   (synthetic data)
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rolefit-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "seed":
			return runSeed(ctx, args[1:], stdout, stderr)
		case "bare":
			return runBare(ctx, args[1:])
		}
	}
	return runBench(ctx, args, stdout, stderr)
}
