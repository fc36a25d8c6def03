package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/postgres"
	"github.com/chengxin/chengxin/storetest"
	"github.com/chengxin/chengxin/subject"
)

func open(tb testing.TB, dsn string) *postgres.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) platform.Store {
		return open(t, storetest.Postgres(t))
	})
}

// testRecords are valid records of n distinct people, as the platform
// validates them.
func testRecords(tb testing.TB, n int) []entry.Record {
	tb.Helper()
	cat, err := catalog.Parse(catalog.DefaultYAML())
	if err != nil {
		tb.Fatal(err)
	}
	list := cat.List("court.dishonest")
	now := time.Now()
	out := make([]entry.Record, n)
	for i := range out {
		rec, err := entry.Validate(entry.Draft{
			SourceRef: "x",
			Subject:   entry.Subject{Kind: subject.Person, IDType: subject.ResidentID, ID: storetest.PersonID(i), Name: storetest.PersonName(i)},
			Reason:    "有履行能力而拒不履行生效法律文书确定义务",
			Details:   map[string]string{"court": "贵阳市中级人民法院", "performance": "全部未履行", "amount": "人民币 58,000 元"},
		}, list, now, nil)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = rec
	}
	return out
}

// newChanges publishes recs under fresh references, as the platform does.
func newChanges(prefix string, recs []entry.Record, now time.Time) []*entry.Change {
	out := make([]*entry.Change, len(recs))
	for i := range recs {
		c, _ := entry.Publish("court.dishonest", fmt.Sprintf("（2024）黔%s执%d号", prefix, i), nil, recs[i], "gz-court", now)
		out[i] = &c
	}
	return out
}

// Two nodes on one database: a change of the same entry at the same moment
// is a conflict for one of them, and numbering stays gap-free.
func TestTwoNodesConflict(t *testing.T) {
	dsn := storetest.Postgres(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx := t.Context()
	recs := testRecords(t, 3)
	now := time.Now()

	// The same new reference published on both nodes.
	ca := newChanges("01", recs[:1], now)
	cb := newChanges("01", recs[1:2], now)
	if err := a.SaveEntryChanges(ctx, ca); err != nil {
		t.Fatal(err)
	}
	err := b.SaveEntryChanges(ctx, cb)
	wantConflict(t, err)
	if cb[0].Entry.ID != 0 || cb[0].Entry.Seq != 0 {
		t.Errorf("a failed change keeps what the store assigned: id %d seq %d", cb[0].Entry.ID, cb[0].Entry.Seq)
	}

	// Both nodes read version 1 and change it.
	ea, _ := a.Entry(ctx, ca[0].Entry.ID, false)
	eb, _ := b.Entry(ctx, ca[0].Entry.ID, false)
	ma, _, _ := entry.Transition(ea, entry.MaskedC, "gz-court", "和解协议已履行", "settlement", now)
	rb, _, _ := entry.Transition(eb, entry.RemovedC, "gz-court", "错误纳入，撤销", "wrongful", now)
	if err := a.SaveEntryChanges(ctx, []*entry.Change{&ma}); err != nil {
		t.Fatal(err)
	}
	wantConflict(t, b.SaveEntryChanges(ctx, []*entry.Change{&rb}))

	// A bulk batch (COPY) that collides with the other node's entry.
	bulk := newChanges("01", testRecords(t, 200), now)
	wantConflict(t, b.SaveEntryChanges(ctx, bulk))

	next := newChanges("02", recs[2:], now)
	if err := b.SaveEntryChanges(ctx, next); err != nil {
		t.Fatal(err)
	}
	if next[0].Entry.Seq != 3 {
		t.Fatalf("seq after three conflicts = %d, want 3", next[0].Entry.Seq)
	}
	if e, _ := b.Entry(ctx, ca[0].Entry.ID, true); e.State != entry.Masked || len(e.Versions) != 2 {
		t.Fatalf("the losing change was stored: %s, %d versions", e.State, len(e.Versions))
	}
}

func wantConflict(t *testing.T, err error) {
	t.Helper()
	e := chengxin.AsError(err)
	if e.Kind != chengxin.KindConflict || e.Code != "concurrent_change" {
		t.Fatalf("err = %v, want a concurrent_change conflict", err)
	}
}

// Two nodes (two Store values, each with its pool) started together and
// writing entry changes, checks and feedback at once: the change seqs and
// the audit log indexes are each one contiguous run, with no duplicates.
func TestTwoNodesNumbering(t *testing.T) {
	dsn := storetest.Postgres(t)
	// Both migrate the empty database at once.
	nodes := make([]*postgres.Store, 2)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), dsn)
			if err != nil {
				t.Error(err)
				return
			}
			nodes[i] = s
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, s := range nodes {
		t.Cleanup(func() { s.Close() })
	}

	const workersPerNode, rounds = 3, 15
	sizes := []int{1, 7, 150} // the last goes in by COPY
	recs := testRecords(t, 150)
	now := time.Now()
	ctx := t.Context()
	errs := make(chan error, 2*workersPerNode)
	var mu sync.Mutex
	var checkIndexes []int64
	total := 0
	for n, s := range nodes {
		for w := range workersPerNode {
			var batches [][]*entry.Change
			for r := range rounds {
				size := sizes[(r+w)%len(sizes)]
				batches = append(batches, newChanges(fmt.Sprintf("%d-%d-%d", n, w, r), recs[:size], now))
				total += size
			}
			wg.Go(func() {
				for r, batch := range batches {
					if err := s.SaveEntryChanges(ctx, batch); err != nil {
						errs <- err
						return
					}
					// A state change of one of them, from this node.
					c, _, _ := entry.Transition(batch[0].Entry, entry.MaskedC, "gz-court", "依申请屏蔽", "applicant_request", now)
					if err := s.SaveEntryChanges(ctx, []*entry.Change{&c}); err != nil {
						errs <- err
						return
					}
					checks := make([]*check.Record, 1+r%3*40) // 1, 41 or 81: both insert paths
					for i := range checks {
						checks[i] = &check.Record{Org: "gz-caac", Item: "civil_aviation.ticket",
							Subject: check.Subject{IDType: subject.ResidentID, ID: storetest.PersonID(i), Name: storetest.PersonName(i)},
							Key:     "I" + storetest.PersonID(i), Outcome: catalog.Clear, Hits: []check.HitRecord{}, At: now}
					}
					if err := s.SaveChecks(ctx, checks); err != nil {
						errs <- err
						return
					}
					fb := &check.Feedback{CheckID: checks[0].ID, Org: "gz-caac", Action: check.Warned, At: now}
					if err := s.SaveFeedback(ctx, fb); err != nil {
						errs <- err
						return
					}
					mu.Lock()
					for _, c := range checks {
						checkIndexes = append(checkIndexes, c.LogIndex)
					}
					checkIndexes = append(checkIndexes, fb.LogIndex)
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	total += 2 * workersPerNode * rounds // the state changes

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	seqs := column(t, conn, `SELECT seq FROM entry_versions ORDER BY seq`)
	if len(seqs) != total {
		t.Fatalf("%d versions, want %d", len(seqs), total)
	}
	for i, s := range seqs {
		if s != int64(i+1) {
			t.Fatalf("seq %d at position %d: not 1…%d without gaps", s, i, total)
		}
	}
	leaves := column(t, conn, `SELECT log_index FROM entry_versions UNION ALL SELECT log_index FROM checks UNION ALL SELECT log_index FROM feedback ORDER BY 1`)
	for i, x := range leaves {
		if x != int64(i) {
			t.Fatalf("log index %d at position %d: not 0…%d without gaps or duplicates", x, i, len(leaves)-1)
		}
	}
	slices.Sort(checkIndexes)
	stored := column(t, conn, `SELECT log_index FROM checks UNION ALL SELECT log_index FROM feedback ORDER BY 1`)
	if !slices.Equal(checkIndexes, stored) {
		t.Fatal("the log indexes the writers were told differ from those stored")
	}
	// The entries each change left are in the change log in seq order, for
	// the follower on either node.
	page, err := nodes[1].Changes(ctx, 0, nil, total+10)
	if err != nil || len(page.Changes) != total || page.Next != int64(total) {
		t.Fatalf("Changes: %d, next %d, %v; want %d", len(page.Changes), page.Next, err, total)
	}
}

func column(t *testing.T, conn *pgx.Conn, q string) []int64 {
	t.Helper()
	rows, _ := conn.Query(t.Context(), q)
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A node hears of another node's commit, and keeps hearing after its
// listening connection is killed.
func TestChangeNotifications(t *testing.T) {
	dsn := storetest.Postgres(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch, err := b.ChangeNotifications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recs := testRecords(t, 2)
	publish := func(prefix string, i int) {
		t.Helper()
		if err := a.SaveEntryChanges(t.Context(), newChanges(prefix, recs[i:i+1], time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	expect := func(what string) {
		t.Helper()
		select {
		case _, ok := <-ch:
			if !ok {
				t.Fatalf("%s: channel closed", what)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no signal within 5 s", what)
		}
	}
	quiet := func(what string) {
		t.Helper()
		select {
		case <-ch:
			t.Fatalf("%s: unexpected signal", what)
		case <-time.After(200 * time.Millisecond):
		}
	}

	quiet("before any change")
	start := time.Now()
	publish("01", 0)
	expect("after a commit on the other node")
	t.Logf("signal %v after commit", time.Since(start))

	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	listeners := func() []int64 {
		return column(t, conn, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '%listener'`)
	}
	old := listeners()
	if len(old) != 1 {
		t.Fatalf("%d listening backends, want 1", len(old))
	}
	if _, err := conn.Exec(t.Context(), `SELECT pg_terminate_backend($1)`, old[0]); err != nil {
		t.Fatal(err)
	}
	// Changes may have been missed while it was down: it says so once.
	expect("after reconnecting")
	if now := listeners(); len(now) != 1 || now[0] == old[0] {
		t.Fatalf("listening backends after reconnect: %v (was %v)", now, old)
	}
	quiet("after the reconnect signal")
	publish("02", 1)
	expect("after a commit following the reconnect")

	cancel()
	select {
	case _, ok := <-ch:
		if ok {
			// A last signal may have been pending; the close follows.
			if _, ok := <-ch; ok {
				t.Fatal("channel still open after its context ended")
			}
		}
	case <-time.After(5 * time.Second):
		t.Fatal("channel not closed after its context ended")
	}

	// Close stops any listener still running.
	ch2, err := b.ChangeNotifications(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	select {
	case <-ch2:
		if _, ok := <-ch2; ok {
			t.Fatal("channel open after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("channel not closed by Close")
	}
}

// BenchmarkCopyIngest stores batches of 10,000 new entries, as a bulk
// publication does, and reports entries stored per second.
func BenchmarkCopyIngest(b *testing.B) {
	const batch = 10_000
	s := open(b, storetest.Postgres(b))
	recs := testRecords(b, batch)
	ctx := context.Background()
	var stored time.Duration
	n := 0
	for ; b.Loop(); n++ {
		b.StopTimer()
		changes := newChanges(fmt.Sprintf("%06d", n), recs, time.Now())
		b.StartTimer()
		start := time.Now()
		if err := s.SaveEntryChanges(ctx, changes); err != nil {
			b.Fatal(err)
		}
		stored += time.Since(start)
	}
	b.ReportMetric(float64(n*batch)/stored.Seconds(), "entries/s")
}
