package demo

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/sqlite"
)

// With the demo's clock, the checks fall on the past fortnight's days, more
// on recent ones, and unanswered hits of earlier days are overdue.
func TestLoadSpreadsChecksOverHistory(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	clock := new(Clock)
	p, err := platform.Open(ctx, store, platform.Options{Clock: clock.Now, ExpiryEvery: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.EnsureAdmin(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	admin, _ := p.Authenticate("t")
	ds := Generate(p.Catalog(), 3000, 7, p.Now())
	sum, err := Load(ctx, p, admin, ds, 1400, clock)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(p.Now()); d < -time.Second || d > time.Second {
		t.Fatalf("the clock was not returned to the present: off by %s", d)
	}
	now := p.Now()
	count := func(from, to time.Time) *platform.Overview {
		o, err := p.StatsOverview(ctx, admin, platform.StatsPeriod{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	all := count(now.AddDate(0, 0, -HistoryDays-1), now)
	oldest := count(now.AddDate(0, 0, -HistoryDays-1), now.AddDate(0, 0, -HistoryDays+2))
	recent := count(now.AddDate(0, 0, -3), now)
	if all.Checks != int64(sum.Checks) || oldest.Checks == 0 || recent.Checks <= oldest.Checks {
		t.Fatalf("checks %d in all (loaded %d), %d in the oldest three days, %d in the last three", all.Checks, sum.Checks, oldest.Checks, recent.Checks)
	}
	if all.FeedbackOverdue == 0 {
		t.Fatal("no overdue feedback: unanswered hits of earlier days should be overdue")
	}
}
