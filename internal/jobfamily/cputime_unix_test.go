//go:build unix

package jobfamily

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time so far: unlike the wall clock, it does
// not grow while other programs on a shared machine hold the cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
