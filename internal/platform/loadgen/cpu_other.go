//go:build !unix

package loadgen

import "time"

// cpuTime is zero where the process's CPU time is not read: Stats.CPU is
// then zero.
func cpuTime() time.Duration { return 0 }
