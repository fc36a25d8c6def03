package demo

import (
	"sync/atomic"
	"time"
)

// Clock is the demo's clock: Load sets it back day by day while it
// simulates the past fortnight's checks, so the dashboard's trend shows a
// working platform, then returns it to the present.
type Clock struct{ offset atomic.Int64 }

// Now is the simulated time.
func (c *Clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func (c *Clock) set(offset time.Duration) { c.offset.Store(int64(offset)) }

// HistoryDays is how many past days the simulated checks are spread over.
const HistoryDays = 14
