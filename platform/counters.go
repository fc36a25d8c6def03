package platform

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/chengxin/chengxin/catalog"
)

// counters are what an operator watches, kept as atomics so that the check
// path pays a few nanoseconds and depends on no metrics library.
type counters struct {
	checks        [5]atomic.Int64 // by catalog.Action strength: clear … block
	commits       atomic.Int64    // group commits of checks
	committed     atomic.Int64    // checks in them
	commitNanos   atomic.Int64    // time spent committing
	commitFailed  atomic.Int64
	entryChanges  atomic.Int64
	feedbackTotal atomic.Int64
}

// Counters is a snapshot for metrics.
type Counters struct {
	ChecksByOutcome map[catalog.Action]int64
	CheckCommits    int64
	ChecksCommitted int64
	CommitSeconds   float64
	CommitFailures  int64
	EntryChanges    int64
	Feedback        int64
	IndexEntries    int
}

// Counters reads the counters.
func (p *Platform) Counters() Counters {
	c := Counters{ChecksByOutcome: map[catalog.Action]int64{}, CheckCommits: p.counters.commits.Load(),
		ChecksCommitted: p.counters.committed.Load(), CommitSeconds: time.Duration(p.counters.commitNanos.Load()).Seconds(),
		CommitFailures: p.counters.commitFailed.Load(), EntryChanges: p.counters.entryChanges.Load(),
		Feedback: p.counters.feedbackTotal.Load(), IndexEntries: p.index.Len()}
	for _, a := range []catalog.Action{catalog.Clear, catalog.Incentive, catalog.Warn, catalog.Restrict, catalog.Block} {
		c.ChecksByOutcome[a] = p.counters.checks[a.Strength()].Load()
	}
	return c
}

// LogState is the audit log's size and its newest checkpoint's size and age,
// for metrics.
func (p *Platform) LogState(ctx context.Context) (size, checkpointSize int64, checkpointAge time.Duration, err error) {
	if size, err = p.store.LogSize(ctx); err != nil {
		return
	}
	cp, err := p.store.LatestCheckpoint(ctx)
	if err != nil || cp == nil {
		return size, 0, 0, err
	}
	return size, int64(cp.Size), p.clock().Sub(cp.Time), nil
}
