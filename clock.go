package chengxin

import "time"

// Clock tells the time; terms, expiry and overdue feedback run on it so tests
// can move time instead of waiting.
type Clock func() time.Time

// SystemClock is the wall clock.
func SystemClock() time.Time { return time.Now() }
