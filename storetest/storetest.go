// Package storetest is the one test suite every platform.Store engine must
// pass: SQLite always, PostgreSQL in CI. The suite pins down what the Store
// interface documents (numbering, snapshots, errors) so that engines cannot
// drift apart.
package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/feed"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
)

// Run runs every scenario against a fresh store. open must return a new,
// empty store and close it when the test ends (t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) platform.Store) {
	for _, tc := range []struct {
		name string
		fn   func(*fixture)
	}{
		{"EntryLifecycle", testEntryLifecycle},
		{"OrgSubjectKeys", testOrgSubjectKeys},
		{"EntriesByRef", testEntriesByRef},
		{"ScanActiveAndDueToExpire", testScanActiveAndDueToExpire},
		{"SeqGapFreeAfterFailure", testSeqGapFreeAfterFailure},
		{"LogIndexShared", testLogIndexShared},
		{"Changes", testChanges},
		{"ChangesEmpty", testChangesEmpty},
		{"ChangesKeysAsOfChange", testChangesKeysAsOfChange},
		{"ChecksAndFeedback", testChecksAndFeedback},
		{"Orgs", testOrgs},
		{"Catalog", testCatalog},
		{"Subscriptions", testSubscriptions},
		{"AccessLog", testAccessLog},
		{"ConcurrentWriters", testConcurrentWriters},
		{"AuditLog", testAuditLog},
		{"StatsAndPublic", testStatsAndPublic},
		{"ConsoleQueries", testConsoleQueries},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(newFixture(t, open(t))) })
	}
}

// A new entry, an update and state changes: IDs and seqs assigned, the
// record stored once and kept by state changes, every version with who,
// when and why, and EntryAt giving each version's state and record.
func testEntryLifecycle(f *fixture) {
	t := f.t
	ref := CaseRef(123)
	c1 := f.publish(courtList, nil, personDraft(ref, 1), base)
	if c1.Entry.ID != 0 {
		t.Fatal("a new entry reaches the store with ID 0")
	}
	f.save(c1)
	id := c1.Entry.ID
	if id <= 0 || c1.Entry.Seq != 1 || c1.Version.Seq != 1 {
		t.Fatalf("new entry: id %d seq %d/%d, want an ID and seq 1", id, c1.Entry.Seq, c1.Version.Seq)
	}
	got := f.entry(id, false)
	if got.ID != id || got.List != courtList || got.SourceRef != ref || got.State != entry.Active || got.Version != 1 || got.Seq != 1 || got.Versions != nil {
		t.Fatalf("entry = %+v", got)
	}
	sameRecord(t, "new", &got.Record, &c1.Entry.Record)
	sameKeys(t, "new", &got.Record, &c1.Entry.Record)
	sameTime(t, "created_at", got.CreatedAt, base)
	sameTime(t, "updated_at", got.UpdatedAt, base)

	// An update sets a new record.
	d2 := personDraft(ref, 1)
	d2.Reason = "违反财产报告制度"
	d2.Details["amount"] = "人民币 96,500 元"
	t2 := base.Add(time.Hour)
	c2 := f.publish(courtList, got, d2, t2)
	f.save(c2)
	if c2.Entry.ID != id || c2.Entry.Seq != 2 || c2.Version.Version != 2 {
		t.Fatalf("update: id %d seq %d version %d", c2.Entry.ID, c2.Entry.Seq, c2.Version.Version)
	}

	// A state change keeps the record in force.
	t3 := base.Add(2 * time.Hour)
	c3 := f.transition(f.entry(id, false), entry.MaskedC, "被执行人已履行全部义务", "performed", t3)
	f.save(c3)
	got = f.entry(id, true)
	if got.State != entry.Masked || got.Version != 3 || got.Seq != 3 {
		t.Fatalf("masked entry: state %s version %d seq %d", got.State, got.Version, got.Seq)
	}
	sameRecord(t, "masked", &got.Record, &c2.Entry.Record)
	sameKeys(t, "masked", &got.Record, &c2.Entry.Record)
	sameTime(t, "created_at", got.CreatedAt, base)
	sameTime(t, "updated_at", got.UpdatedAt, t3)

	want := []struct {
		change  entry.ChangeType
		state   entry.State
		at      time.Time
		reason  string
		code    string
		record  *entry.Record
		inForce *entry.Record
	}{
		{entry.Published, entry.Active, base, "", "", &c1.Entry.Record, &c1.Entry.Record},
		{entry.Updated, entry.Active, t2, "", "", &c2.Entry.Record, &c2.Entry.Record},
		{entry.MaskedC, entry.Masked, t3, "被执行人已履行全部义务", "performed", nil, &c2.Entry.Record},
	}
	if len(got.Versions) != len(want) {
		t.Fatalf("%d versions, want %d", len(got.Versions), len(want))
	}
	for i, w := range want {
		v := got.Versions[i]
		if v.Version != i+1 || v.Seq != int64(i+1) || v.Change != w.change || v.State != w.state || v.Actor != court || v.Reason != w.reason || v.ReasonCode != w.code {
			t.Errorf("version %d = %+v", i+1, v)
		}
		sameTime(t, fmt.Sprintf("version %d at", i+1), v.At, w.at)
		sameRecord(t, fmt.Sprintf("version %d", i+1), v.Record, w.record)

		at, err := f.s.EntryAt(f.ctx, id, i+1)
		if err != nil {
			t.Fatalf("EntryAt %d: %v", i+1, err)
		}
		if at.ID != id || at.List != courtList || at.SourceRef != ref || at.Version != i+1 || at.Seq != int64(i+1) || at.State != w.state {
			t.Errorf("EntryAt %d = %+v", i+1, at)
		}
		sameRecord(t, fmt.Sprintf("EntryAt %d", i+1), &at.Record, w.inForce)
		sameKeys(t, fmt.Sprintf("EntryAt %d", i+1), &at.Record, w.inForce)
		sameTime(t, fmt.Sprintf("EntryAt %d updated_at", i+1), at.UpdatedAt, w.at)
		sameTime(t, fmt.Sprintf("EntryAt %d created_at", i+1), at.CreatedAt, base)
	}

	// Restoring makes it active again with the same record; a later
	// publish naming another person changes the keys, and EntryAt still
	// gives each version the keys of its own record.
	c4 := f.transition(got, entry.Restored, "错误屏蔽，予以恢复", "data_error", base.Add(3*time.Hour))
	f.save(c4)
	c5 := f.publish(courtList, c4.Entry, personDraft(ref, 2), base.Add(4*time.Hour))
	f.save(c5)
	got = f.entry(id, false)
	if got.State != entry.Active || got.Version != 5 || got.Seq != 5 {
		t.Fatalf("after restore and update: %+v", got)
	}
	sameKeys(t, "current", &got.Record, &c5.Entry.Record)
	at1, err := f.s.EntryAt(f.ctx, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, "EntryAt 1 after subject change", &at1.Record, &c1.Entry.Record)
	if at1.Record.Key == got.Record.Key {
		t.Error("the corrected subject should have another key")
	}

	_, err = f.s.EntryAt(f.ctx, id, 6)
	wantError(t, err, chengxin.KindNotFound, "not_found")
	_, err = f.s.EntryAt(f.ctx, id+1000, 1)
	wantError(t, err, chengxin.KindNotFound, "not_found")
	_, err = f.s.Entry(f.ctx, id+1000, true)
	wantError(t, err, chengxin.KindNotFound, "not_found")
}

// An organisation's key and its legal representative's key come back from
// every read path.
func testOrgSubjectKeys(f *fixture) {
	t := f.t
	c := f.publish(courtList, nil, orgDraft("（2024）黔01执55号"), base)
	f.save(c)
	want := &c.Entry.Record
	if want.Key == "" || want.LegalRepKey == "" {
		t.Fatalf("fixture: keys %q/%q", want.Key, want.LegalRepKey)
	}
	got := f.entry(c.Entry.ID, false)
	sameRecord(t, "Entry", &got.Record, want)
	sameKeys(t, "Entry", &got.Record, want)
	byRef, err := f.s.EntriesByRef(f.ctx, courtList, []string{"（2024）黔01执55号"})
	if err != nil || len(byRef) != 1 {
		t.Fatalf("EntriesByRef: %v %v", byRef, err)
	}
	sameKeys(t, "EntriesByRef", &byRef["（2024）黔01执55号"].Record, want)
	n := 0
	if err := f.s.ScanActive(f.ctx, func(e *entry.Entry) error {
		n++
		sameKeys(t, "ScanActive", &e.Record, want)
		return nil
	}); err != nil || n != 1 {
		t.Fatalf("ScanActive: %d entries, %v", n, err)
	}
	page, err := f.s.Changes(f.ctx, 0, nil, 10)
	if err != nil || len(page.Changes) != 1 {
		t.Fatalf("Changes: %+v %v", page, err)
	}
	sameKeys(t, "Changes", &page.Changes[0].Entry.Record, want)
	at, err := f.s.EntryAt(f.ctx, c.Entry.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, "EntryAt", &at.Record, want)
}

// EntriesByRef finds entries of one list by reference, across more
// references than one query's worth; a batch this large is stored whole.
func testEntriesByRef(f *fixture) {
	t := f.t
	const n = 1200
	court := f.newEntries(courtList, 0, n, base)
	// The same references on another list are other entries.
	tax := make([]*entry.Change, 100)
	for i := range tax {
		tax[i] = f.publish(taxList, nil, personDraft(CaseRef(i), i), base)
	}
	f.save(tax...)

	ids := map[int64]bool{}
	for i, c := range append(court, tax...) {
		if c.Entry.ID <= 0 || ids[c.Entry.ID] {
			t.Fatalf("change %d: ID %d not new", i, c.Entry.ID)
		}
		ids[c.Entry.ID] = true
		if c.Entry.Seq != int64(i+1) || c.Version.Seq != int64(i+1) {
			t.Fatalf("change %d: seq %d/%d, want %d", i, c.Entry.Seq, c.Version.Seq, i+1)
		}
	}

	refs := make([]string, 0, n+5)
	for i := range n {
		refs = append(refs, CaseRef(i))
	}
	for i := range 5 {
		refs = append(refs, CaseRef(n+1000+i)) // absent
	}
	got, err := f.s.EntriesByRef(f.ctx, courtList, refs)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("EntriesByRef: %d entries, want %d", len(got), n)
	}
	for i, c := range court {
		e := got[CaseRef(i)]
		if e == nil || e.ID != c.Entry.ID || e.List != courtList || e.Seq != c.Entry.Seq || e.Version != 1 {
			t.Fatalf("EntriesByRef[%s] = %+v, want entry %d", CaseRef(i), e, c.Entry.ID)
		}
		if i%97 == 0 {
			sameRecord(t, CaseRef(i), &e.Record, &c.Entry.Record)
			sameKeys(t, CaseRef(i), &e.Record, &c.Entry.Record)
		}
	}
	got, err = f.s.EntriesByRef(f.ctx, taxList, refs)
	if err != nil || len(got) != len(tax) {
		t.Fatalf("EntriesByRef(tax): %d entries, %v; want %d", len(got), err, len(tax))
	}
	if got[CaseRef(0)].ID != tax[0].Entry.ID {
		t.Error("EntriesByRef mixed up lists")
	}
	got, err = f.s.EntriesByRef(f.ctx, courtList, nil)
	if err != nil || len(got) != 0 {
		t.Fatalf("EntriesByRef(none) = %v, %v", got, err)
	}
}

// ScanActive sees only active entries; DueToExpire finds the active ones
// whose term ended by now (inclusive), earliest first, up to limit.
func testScanActiveAndDueToExpire(f *fixture) {
	t := f.t
	now := time.Date(2025, 3, 1, 0, 0, 0, 0, entry.CST)
	mk := func(i int, expires string) *entry.Change {
		d := personDraft(CaseRef(i), i)
		d.PublishedAt, d.ExpiresAt = "2022-03-01", expires
		return f.publish(courtList, nil, d, now)
	}
	early := mk(1, "2024-06-01")
	mid := mk(2, "2025-01-01")
	edge := mk(3, "2025-03-01") // ends exactly now
	later := mk(4, "2026-03-01")
	never := mk(5, "")
	masked := mk(6, "2024-01-01")
	removed := mk(7, "")
	f.save(early, mid, edge, later, never, masked, removed)
	f.save(f.transition(masked.Entry, entry.MaskedC, "依申请屏蔽", "applicant_request", now),
		f.transition(removed.Entry, entry.RemovedC, "错误纳入，撤销", "wrongful", now))

	active := func() []string {
		var refs []string
		if err := f.s.ScanActive(f.ctx, func(e *entry.Entry) error {
			if e.State != entry.Active {
				t.Errorf("ScanActive gave %s entry %s", e.State, e.SourceRef)
			}
			refs = append(refs, e.SourceRef)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		slices.Sort(refs)
		return refs
	}
	want := []string{CaseRef(1), CaseRef(2), CaseRef(3), CaseRef(4), CaseRef(5)}
	slices.Sort(want)
	if got := active(); !slices.Equal(got, want) {
		t.Fatalf("ScanActive = %v, want %v", got, want)
	}
	stop := errors.New("stop")
	if err := f.s.ScanActive(f.ctx, func(*entry.Entry) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("ScanActive returned %v, want fn's error", err)
	}

	due, err := f.s.DueToExpire(f.ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, e := range due {
		refs = append(refs, e.SourceRef)
		if e.Record.ExpiresAt == nil || e.Record.ExpiresAt.After(now) {
			t.Errorf("due entry %s expires %v", e.SourceRef, e.Record.ExpiresAt)
		}
	}
	if want := []string{CaseRef(1), CaseRef(2), CaseRef(3)}; !slices.Equal(refs, want) {
		t.Fatalf("DueToExpire = %v, want %v (earliest first)", refs, want)
	}
	if due, err := f.s.DueToExpire(f.ctx, now, 1); err != nil || len(due) != 1 || due[0].ID != early.Entry.ID {
		t.Fatalf("DueToExpire(limit 1) = %v, %v", due, err)
	}
	if due, err := f.s.DueToExpire(f.ctx, now.Add(-time.Second), 10); err != nil || len(due) != 2 {
		t.Fatalf("DueToExpire a second earlier: %d entries, %v; want 2", len(due), err)
	}

	// Expiring them as the platform does empties the queue.
	var changes []*entry.Change
	for _, e := range due {
		changes = append(changes, f.transition(e, entry.ExpiredC, "期限届满", "term_ended", now))
	}
	f.save(changes...)
	if due, err := f.s.DueToExpire(f.ctx, now, 10); err != nil || len(due) != 0 {
		t.Fatalf("after expiry DueToExpire = %v, %v", due, err)
	}
	if got := active(); !slices.Equal(got, []string{CaseRef(4), CaseRef(5)}) {
		t.Fatalf("after expiry ScanActive = %v", got)
	}
	if e := f.entry(mid.Entry.ID, false); e.State != entry.Expired || e.Version != 2 {
		t.Fatalf("expired entry: %s version %d", e.State, e.Version)
	}
}

// A failed write takes no numbers: the next successful change gets the
// next seq and the next audit log index.
func testSeqGapFreeAfterFailure(f *fixture) {
	t := f.t
	first := f.newEntries(courtList, 0, 3, base) // seq 1–3, log 0–2

	// A new entry and a duplicate (list, source_ref) in one batch: nothing
	// of the batch is stored.
	fresh := f.publish(courtList, nil, personDraft(CaseRef(10), 10), base)
	dup := f.publish(courtList, nil, personDraft(CaseRef(1), 11), base)
	if err := f.s.SaveEntryChanges(f.ctx, []*entry.Change{fresh, dup}); err == nil {
		t.Fatal("a duplicate (list, source_ref) was stored")
	}
	if got, err := f.s.EntriesByRef(f.ctx, courtList, []string{CaseRef(10)}); err != nil || len(got) != 0 {
		t.Fatalf("a failed batch left %v (%v)", got, err)
	}

	// A stale update (its version was taken meanwhile) fails the same way.
	e := f.entry(first[0].Entry.ID, false)
	f.save(f.transition(e, entry.MaskedC, "依申请屏蔽", "applicant_request", base.Add(time.Minute))) // seq 4, log 3
	stale := f.transition(e, entry.RemovedC, "错误纳入，撤销", "wrongful", base.Add(2*time.Minute))
	if err := f.s.SaveEntryChanges(f.ctx, []*entry.Change{stale}); err == nil {
		t.Fatal("a stale update was stored")
	}
	if got := f.entry(e.ID, false); got.State != entry.Masked || got.Version != 2 || got.Seq != 4 {
		t.Fatalf("after a failed update the entry is %s v%d seq %d", got.State, got.Version, got.Seq)
	}

	next := f.publish(courtList, nil, personDraft(CaseRef(20), 20), base)
	f.save(next)
	if next.Entry.Seq != 5 {
		t.Fatalf("seq after failures = %d, want 5", next.Entry.Seq)
	}

	// Checks continue the audit log after the entry versions.
	c1 := newCheck(f, "civil_aviation.ticket", 30, nil)
	if err := f.s.SaveChecks(f.ctx, []*check.Record{c1}); err != nil {
		t.Fatal(err)
	}
	if c1.LogIndex != 5 {
		t.Fatalf("check log index = %d, want 5", c1.LogIndex)
	}
	if c1.ID != "5" {
		t.Fatalf("check ID = %q, want its log index 5", c1.ID)
	}
	// Feedback on a check that does not exist takes no number either.
	_, err := f.s.Check(f.ctx, "999")
	wantError(t, err, chengxin.KindNotFound, "not_found")
	if err := f.s.SaveFeedback(f.ctx, &check.Feedback{CheckID: "999", Org: "gz-caac", Action: check.Intercepted, At: base}); err == nil {
		t.Fatal("feedback on an unknown check was stored")
	}
	err = f.s.SaveFeedback(f.ctx, &check.Feedback{CheckID: uuid.Must(uuid.NewV7()).String(), Org: "gz-caac", Action: check.Intercepted, At: base})
	wantError(t, err, chengxin.KindNotFound, "not_found")
	c2 := newCheck(f, "civil_aviation.ticket", 32, nil)
	if err := f.s.SaveChecks(f.ctx, []*check.Record{c2}); err != nil {
		t.Fatal(err)
	}
	if c2.LogIndex != 6 {
		t.Fatalf("check log index after failures = %d, want 6", c2.LogIndex)
	}
	last := f.publish(courtList, nil, personDraft(CaseRef(21), 21), base)
	f.save(last)
	if last.Entry.Seq != 6 {
		t.Fatalf("seq = %d, want 6", last.Entry.Seq)
	}
	page, err := f.s.Changes(f.ctx, 0, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range page.Changes {
		if c.Seq != int64(i+1) {
			t.Fatalf("change log seqs: %d at position %d", c.Seq, i)
		}
	}
	if len(page.Changes) != 6 || page.Next != 6 {
		t.Fatalf("change log: %d changes, next %d; want 6, 6", len(page.Changes), page.Next)
	}
}

// newCheck is a check by the civil aviation department of person n, as the
// platform decides it (the store gives it its ID); with hit set, a block on
// the flight measure because of that entry.
func newCheck(f *fixture, item string, n int, hit *entry.Entry) *check.Record {
	c := &check.Record{
		Org: "gz-caac", Item: item,
		Subject:  check.Subject{IDType: "resident_id", ID: PersonID(n), Name: PersonName(n)},
		Key:      "I" + PersonID(n),
		Operator: "窗口 3 号 李娜", Ref: fmt.Sprintf("CZ3921-%d", n),
		Outcome: catalog.Clear, Hits: check.NewHitRecords(nil), At: base.Add(time.Duration(n) * time.Second),
	}
	if hit != nil {
		c.Outcome = catalog.Block
		c.Hits = check.NewHitRecords([]check.Hit{
			{Entry: hit.ID, List: hit.List, Role: check.Self, Measure: f.cat.Measure("consumption.flight")},
			{Entry: hit.ID, List: hit.List, Role: check.LegalRep, Measure: f.cat.Measure("consumption.train_high_class")},
		})
		c.NameMismatch = true
	}
	return c
}

// Entry versions, checks and feedback share one audit log, numbered from
// 0 without gaps in commit order.
func testLogIndexShared(f *fixture) {
	t := f.t
	entries := f.newEntries(courtList, 0, 2, base) // 0, 1
	checks := []*check.Record{newCheck(f, "civil_aviation.ticket", 0, entries[0].Entry), newCheck(f, "civil_aviation.ticket", 1, nil), newCheck(f, "civil_aviation.ticket", 2, nil)}
	if err := f.s.SaveChecks(f.ctx, checks); err != nil { // 2, 3, 4
		t.Fatal(err)
	}
	fb := &check.Feedback{CheckID: checks[0].ID, Org: "gz-caac", Action: check.Intercepted, Operator: "李娜", At: base.Add(time.Minute)}
	if err := f.s.SaveFeedback(f.ctx, fb); err != nil { // 5
		t.Fatal(err)
	}
	f.save(f.transition(entries[1].Entry, entry.MaskedC, "依申请屏蔽", "applicant_request", base.Add(2*time.Minute))) // 6
	more := []*check.Record{newCheck(f, "civil_aviation.ticket", 3, nil)}
	if err := f.s.SaveChecks(f.ctx, more); err != nil { // 7
		t.Fatal(err)
	}
	fb2 := &check.Feedback{CheckID: checks[0].ID, Org: "gz-caac", Action: check.Allowed, Note: "经核实系同名同姓，予以放行", At: base.Add(3 * time.Minute)}
	if err := f.s.SaveFeedback(f.ctx, fb2); err != nil { // 8
		t.Fatal(err)
	}
	got := []int64{checks[0].LogIndex, checks[1].LogIndex, checks[2].LogIndex, fb.LogIndex, more[0].LogIndex, fb2.LogIndex}
	if want := []int64{2, 3, 4, 5, 7, 8}; !slices.Equal(got, want) {
		t.Fatalf("log indexes %v, want %v", got, want)
	}
	for _, c := range append(checks, more...) {
		stored, err := f.s.Check(f.ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.LogIndex != c.LogIndex || c.ID != fmt.Sprint(c.LogIndex) {
			t.Errorf("check %s stored with log index %d, was told %d", c.ID, stored.LogIndex, c.LogIndex)
		}
	}
}

// Changes pages through the change log in seq order, each change showing
// the entry as it left it; lists filter (nil: all; empty: none) and Next
// is the last seq shown when the page is full, the head otherwise.
func testChanges(f *fixture) {
	t := f.t
	a1 := f.publish(courtList, nil, personDraft(CaseRef(1), 1), base)
	a2 := f.publish(courtList, nil, personDraft(CaseRef(2), 2), base)
	f.save(a1, a2) // 1, 2
	b1 := f.publish(taxList, nil, personDraft("黔税稽罚〔2024〕17号", 3), base.Add(time.Minute))
	f.save(b1) // 3
	d := personDraft(CaseRef(1), 1)
	d.Reason = "违反限制消费令"
	a1u := f.publish(courtList, a1.Entry, d, base.Add(2*time.Minute))
	f.save(a1u) // 4
	a2m := f.transition(a2.Entry, entry.MaskedC, "和解协议已履行", "settlement", base.Add(3*time.Minute))
	f.save(a2m) // 5

	all, err := f.s.Changes(f.ctx, 0, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		c      *entry.Change
		typ    entry.ChangeType
		record *entry.Record
	}{
		{a1, entry.Published, &a1.Entry.Record},
		{a2, entry.Published, &a2.Entry.Record},
		{b1, entry.Published, &b1.Entry.Record},
		{a1u, entry.Updated, &a1u.Entry.Record},
		{a2m, entry.MaskedC, &a2.Entry.Record},
	}
	if len(all.Changes) != len(want) || all.Next != 5 {
		t.Fatalf("Changes: %d, next %d; want %d, 5", len(all.Changes), all.Next, len(want))
	}
	for i, w := range want {
		c := all.Changes[i]
		e := &c.Entry
		if c.Seq != int64(i+1) || c.Type != w.typ || e.Seq != c.Seq || e.ID != w.c.Entry.ID || e.List != w.c.Entry.List ||
			e.SourceRef != w.c.Entry.SourceRef || e.State != w.c.Entry.State || e.Version != w.c.Entry.Version {
			t.Errorf("change %d = %+v %+v", i+1, c, *e)
		}
		sameTime(t, fmt.Sprintf("change %d at", i+1), c.At, w.c.Version.At)
		sameTime(t, fmt.Sprintf("change %d updated_at", i+1), e.UpdatedAt, w.c.Version.At)
		sameTime(t, fmt.Sprintf("change %d created_at", i+1), e.CreatedAt, w.c.Entry.CreatedAt)
		// The record in force at the change, not today's.
		sameRecord(t, fmt.Sprintf("change %d", i+1), &e.Record, w.record)
		sameKeys(t, fmt.Sprintf("change %d", i+1), &e.Record, w.record)
	}

	seqs := func(p feed.Page) []int64 {
		var out []int64
		for _, c := range p.Changes {
			out = append(out, c.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		after int64
		lists []string
		limit int
		seqs  []int64
		next  int64
	}{
		{"all", 0, nil, 100, []int64{1, 2, 3, 4, 5}, 5},
		{"one list", 0, []string{courtList}, 100, []int64{1, 2, 4, 5}, 5},
		{"other list", 0, []string{taxList}, 100, []int64{3}, 5},
		{"both lists", 0, []string{taxList, courtList}, 100, []int64{1, 2, 3, 4, 5}, 5},
		{"unknown list", 0, []string{"customs.dishonest"}, 100, nil, 5},
		{"no lists", 0, []string{}, 100, nil, 5},
		{"no lists from 2", 2, []string{}, 100, nil, 5},
		{"full page", 0, nil, 2, []int64{1, 2}, 2},
		{"second page", 2, nil, 2, []int64{3, 4}, 4},
		{"last page", 4, nil, 2, []int64{5}, 5},
		{"full last page", 3, nil, 2, []int64{4, 5}, 5},
		{"filtered full page", 0, []string{courtList}, 2, []int64{1, 2}, 2},
		{"filtered page skips", 2, []string{courtList}, 2, []int64{4, 5}, 5},
		{"filtered short page", 3, []string{taxList}, 2, nil, 5},
		{"at head", 5, nil, 10, nil, 5},
		{"past head", 9, nil, 10, nil, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := f.s.Changes(f.ctx, tc.after, tc.lists, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := seqs(p); !slices.Equal(got, tc.seqs) || p.Next != tc.next {
				t.Errorf("Changes(%d, %q, %d) = %v next %d, want %v next %d", tc.after, tc.lists, tc.limit, got, p.Next, tc.seqs, tc.next)
			}
		})
	}
}

func testChangesEmpty(f *fixture) {
	for _, lists := range [][]string{nil, {}, {courtList}} {
		p, err := f.s.Changes(f.ctx, 0, lists, 10)
		if err != nil || len(p.Changes) != 0 || p.Next != 0 {
			f.t.Errorf("Changes(0, %q) on an empty store = %+v, %v", lists, p, err)
		}
	}
}

// A correction naming another subject changes the keys from then on; the
// change log shows each change with the keys of its own record.
func testChangesKeysAsOfChange(f *fixture) {
	t := f.t
	c1 := f.publish(courtList, nil, personDraft(CaseRef(1), 1), base)
	f.save(c1)
	c2 := f.publish(courtList, c1.Entry, personDraft(CaseRef(1), 2), base.Add(time.Minute))
	f.save(c2)
	c3 := f.transition(c2.Entry, entry.RemovedC, "错误纳入，撤销", "wrongful", base.Add(2*time.Minute))
	f.save(c3)
	if c1.Entry.Record.Key == c2.Entry.Record.Key {
		t.Fatal("fixture: the correction should name another person")
	}
	p, err := f.s.Changes(f.ctx, 0, nil, 10)
	if err != nil || len(p.Changes) != 3 {
		t.Fatalf("Changes = %+v, %v", p, err)
	}
	for i, want := range []*entry.Record{&c1.Entry.Record, &c2.Entry.Record, &c2.Entry.Record} {
		sameRecord(t, fmt.Sprintf("change %d", i+1), &p.Changes[i].Entry.Record, want)
		sameKeys(t, fmt.Sprintf("change %d", i+1), &p.Changes[i].Entry.Record, want)
	}
}

// Checks round-trip with their hits; feedback is kept as a history.
func testChecksAndFeedback(f *fixture) {
	t := f.t
	e := f.newEntries(courtList, 0, 1, base)[0].Entry
	hit := newCheck(f, "civil_aviation.ticket", 0, e)
	miss := newCheck(f, "civil_aviation.ticket", 1, nil)
	miss.Operator, miss.Ref = "", ""
	if err := f.s.SaveChecks(f.ctx, []*check.Record{hit, miss}); err != nil {
		t.Fatal(err)
	}
	// A check's ID is its audit-log position.
	if hit.ID != "1" || hit.LogIndex != 1 || miss.ID != "2" || miss.LogIndex != 2 {
		t.Fatalf("checks stored as %q/%d and %q/%d, want 1/1 and 2/2", hit.ID, hit.LogIndex, miss.ID, miss.LogIndex)
	}
	if err := f.s.SaveChecks(f.ctx, nil); err != nil {
		t.Fatalf("an empty group: %v", err)
	}
	for _, want := range []*check.Record{hit, miss} {
		got, err := f.s.Check(f.ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameTime(t, "check at", got.At, want.At)
		got.At = want.At
		if !equalJSON(got, want) || got.Key != want.Key {
			t.Errorf("check = %+v\nwant    %+v", got, want)
		}
		if got.Feedback != nil {
			t.Errorf("check %s has feedback %v", got.ID, got.Feedback)
		}
	}
	if got, _ := f.s.Check(f.ctx, hit.ID); len(got.Hits) != 2 || got.Hits[1].Role != "legal_rep" || got.Hits[0].Measure.Name != "限制乘坐飞机" {
		t.Errorf("hits = %+v", got.Hits)
	}

	fbs := []*check.Feedback{
		{CheckID: hit.ID, Org: "gz-caac", Action: check.Intercepted, Operator: "李娜", At: base.Add(time.Minute)},
		{CheckID: hit.ID, Org: "gz-caac", Action: check.Allowed, Note: "经核实系同名同姓，证件号码不一致，予以放行", Operator: "王强", At: base.Add(time.Hour)},
	}
	for i, fb := range fbs {
		if err := f.s.SaveFeedback(f.ctx, fb); err != nil {
			t.Fatal(err)
		}
		if fb.ID <= 0 || (i > 0 && fb.ID <= fbs[i-1].ID) {
			t.Errorf("feedback %d: ID %d", i, fb.ID)
		}
	}
	got, err := f.s.Check(f.ctx, hit.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Feedback) != 2 {
		t.Fatalf("feedback = %+v", got.Feedback)
	}
	for i, fb := range got.Feedback {
		want := *fbs[i]
		sameTime(t, "feedback at", fb.At, want.At)
		fb.At = want.At
		if !reflect.DeepEqual(fb, want) {
			t.Errorf("feedback %d = %+v, want %+v", i, fb, want)
		}
	}
	for _, id := range []string{"3", "-1", "abc", uuid.Must(uuid.NewV7()).String()} {
		_, err = f.s.Check(f.ctx, id)
		wantError(t, err, chengxin.KindNotFound, "not_found")
	}
}

// Organisations: created, listed by code, a taken code is a conflict, the
// token hash can be replaced.
func testOrgs(f *fixture) {
	t := f.t
	if orgs, err := f.s.Orgs(f.ctx); err != nil || len(orgs) != 0 {
		t.Fatalf("Orgs on an empty store = %v, %v", orgs, err)
	}
	_, h1 := org.NewToken()
	_, h2 := org.NewToken()
	dept := &org.Org{Code: "gz-caac", Name: "民航贵州安全监督管理局", Roles: []org.Role{org.Department}, Items: []string{"civil_aviation.ticket"}, TokenHash: h1, CreatedAt: base}
	src := &org.Org{Code: "gz-court", Name: "贵州省高级人民法院", Roles: []org.Role{org.Source, org.Supervisor}, Lists: []string{courtList, "court.consumption_restricted"}, TokenHash: h2, CreatedAt: base.Add(time.Second)}
	for _, o := range []*org.Org{src, dept} {
		if err := f.s.CreateOrg(f.ctx, o, leafOf(o.Code)); err != nil {
			t.Fatal(err)
		}
	}
	_, h3 := org.NewToken()
	taken := &org.Org{Code: "gz-court", Name: "贵阳市中级人民法院", Roles: []org.Role{org.Source}, Lists: []string{courtList}, TokenHash: h3, CreatedAt: base}
	wantError(t, f.s.CreateOrg(f.ctx, taken, leafOf(taken.Code)), chengxin.KindConflict, "exists")

	_, h4 := org.NewToken()
	rotated := *src
	rotated.TokenHash = h4
	if err := f.s.SetOrgToken(f.ctx, &rotated, base.Add(time.Hour), leafOf("rotate")); err != nil {
		t.Fatal(err)
	}
	orgs, err := f.s.Orgs(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 2 || orgs[0].Code != "gz-caac" || orgs[1].Code != "gz-court" {
		t.Fatalf("Orgs = %+v, want gz-caac, gz-court", orgs)
	}
	srcAfter := *src
	srcAfter.TokenHash = h4
	for i, want := range []*org.Org{dept, &srcAfter} {
		got := orgs[i]
		sameTime(t, "created_at", got.CreatedAt, want.CreatedAt)
		if got.Name != want.Name || got.TokenHash != want.TokenHash || !slices.Equal(got.Roles, want.Roles) ||
			!slices.Equal(got.Lists, want.Lists) || !slices.Equal(got.Items, want.Items) {
			t.Errorf("org %d = %+v, want %+v", i, got, want)
		}
	}
}

// Catalog versions: the newest wins, a version is stored once.
func testCatalog(f *fixture) {
	t := f.t
	if y, err := f.s.LatestCatalog(f.ctx); err != nil || y != nil {
		t.Fatalf("LatestCatalog on an empty store = %q, %v; want nil", y, err)
	}
	v1 := catalog.DefaultYAML()
	v2 := append(slices.Clip(v1), []byte("\n# 2026.11-2：新增事项\n")...)
	if err := f.s.SaveCatalog(f.ctx, "2026.11-1", v1, "system", base); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SaveCatalog(f.ctx, "2026.11-2", v2, "admin", base.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantError(t, f.s.SaveCatalog(f.ctx, "2026.11-1", v1, "admin", base.Add(2*time.Hour)), chengxin.KindConflict, "version_exists")
	y, err := f.s.LatestCatalog(f.ctx)
	if err != nil || string(y) != string(v2) {
		t.Fatalf("LatestCatalog = %d bytes, %v; want version 2026.11-2", len(y), err)
	}
}

// Subscriptions: created, listed per organisation, delivery state saved,
// deleted.
func testSubscriptions(f *fixture) {
	t := f.t
	for _, code := range []string{"gz-caac", "gz-12306"} {
		_, h := org.NewToken()
		if err := f.s.CreateOrg(f.ctx, &org.Org{Code: code, Name: "订阅单位 " + code, Roles: []org.Role{org.Department}, Items: []string{"civil_aviation.ticket"}, TokenHash: h, CreatedAt: base}, leafOf(code)); err != nil {
			t.Fatal(err)
		}
	}
	subs := []*feed.Subscription{
		{ID: "sub-1", Org: "gz-caac", URL: "https://caac.gz.gov.cn/chengxin/hook", Secret: "密钥-0123456789abcdef", Cursor: 0, CreatedAt: base},
		{ID: "sub-2", Org: "gz-caac", URL: "https://caac.gz.gov.cn/chengxin/hook2", Secret: "0123456789abcdef-2", Cursor: 17, CreatedAt: base.Add(time.Minute)},
		{ID: "sub-3", Org: "gz-12306", URL: "http://10.20.30.40:8080/hook", Secret: "0123456789abcdef-3", Cursor: 3, CreatedAt: base.Add(2 * time.Minute)},
	}
	for _, s := range subs {
		if err := f.s.CreateSubscription(f.ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(org string) []string {
		list, err := f.s.Subscriptions(f.ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	if got := ids("gz-caac"); !slices.Equal(got, []string{"sub-1", "sub-2"}) {
		t.Errorf("Subscriptions(gz-caac) = %v", got)
	}
	if got := ids(""); !slices.Equal(got, []string{"sub-1", "sub-2", "sub-3"}) {
		t.Errorf("Subscriptions(all) = %v", got)
	}
	if got := ids("gz-nobody"); len(got) != 0 {
		t.Errorf("Subscriptions(gz-nobody) = %v", got)
	}
	same := func(what string, got, want *feed.Subscription) {
		t.Helper()
		for _, tm := range []struct {
			name      string
			got, want time.Time
		}{{"created_at", got.CreatedAt, want.CreatedAt}, {"last_attempt", got.LastAttempt, want.LastAttempt},
			{"last_success", got.LastSuccess, want.LastSuccess}, {"failing_since", got.FailingSince, want.FailingSince}} {
			sameTime(t, what+" "+tm.name, tm.got, tm.want)
			if tm.got.IsZero() != tm.want.IsZero() {
				t.Errorf("%s %s = %v, want %v", what, tm.name, tm.got, tm.want)
			}
		}
		g, w := *got, *want
		g.CreatedAt, g.LastAttempt, g.LastSuccess, g.FailingSince = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		w.CreatedAt, w.LastAttempt, w.LastSuccess, w.FailingSince = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if g != w {
			t.Errorf("%s = %+v, want %+v", what, g, w)
		}
	}
	got, err := f.s.Subscription(f.ctx, "sub-2")
	if err != nil {
		t.Fatal(err)
	}
	same("new subscription", got, subs[1])

	// A failing delivery, then a successful one.
	failing := *subs[1]
	failing.LastAttempt, failing.LastSuccess = base.Add(time.Hour), base.Add(30*time.Minute)
	failing.LastError, failing.FailingSince, failing.Cursor, failing.Delivered = "503 Service Unavailable：对端维护中", base.Add(40*time.Minute), 20, 3
	if err := f.s.SaveDelivery(f.ctx, &failing); err != nil {
		t.Fatal(err)
	}
	got, _ = f.s.Subscription(f.ctx, "sub-2")
	same("failing subscription", got, &failing)
	ok := failing
	ok.LastAttempt, ok.LastSuccess, ok.LastError, ok.FailingSince, ok.Cursor, ok.Delivered = base.Add(2*time.Hour), base.Add(2*time.Hour), "", time.Time{}, 42, 25
	if err := f.s.SaveDelivery(f.ctx, &ok); err != nil {
		t.Fatal(err)
	}
	got, _ = f.s.Subscription(f.ctx, "sub-2")
	same("recovered subscription", got, &ok)
	if got.Status(base.Add(3*time.Hour)) != "ok" {
		t.Errorf("status = %s", got.Status(base.Add(3*time.Hour)))
	}

	if err := f.s.DeleteSubscription(f.ctx, "sub-1"); err != nil {
		t.Fatal(err)
	}
	_, err = f.s.Subscription(f.ctx, "sub-1")
	wantError(t, err, chengxin.KindNotFound, "not_found")
	if got := ids("gz-caac"); !slices.Equal(got, []string{"sub-2"}) {
		t.Errorf("after delete Subscriptions(gz-caac) = %v", got)
	}
}

func testAccessLog(f *fixture) {
	for i, a := range []platform.Access{
		{Org: "gz-court", Action: "entry.read", Target: "1", At: base},
		{Org: "gz-caac", Action: "check.read", Target: uuid.Must(uuid.NewV7()).String(), At: base.Add(time.Second)},
	} {
		if err := f.s.LogAccess(f.ctx, a); err != nil {
			f.t.Fatalf("access %d: %v", i, err)
		}
	}
}

// Writers racing on one store still number changes and audit records
// without gaps or duplicates.
func testConcurrentWriters(f *fixture) {
	t := f.t
	const workers, rounds, batch = 4, 10, 5
	// Build the changes here: the workers only write.
	work := make([][][]*entry.Change, workers)
	for w := range work {
		work[w] = make([][]*entry.Change, rounds)
		for r := range rounds {
			n := (w*rounds + r) * batch
			for i := range batch {
				work[w][r] = append(work[w][r], f.publish(courtList, nil, personDraft(CaseRef(n+i), n+i), base))
			}
		}
	}
	var mu sync.Mutex
	var logIndexes []int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r, changes := range work[w] {
				n := (w*rounds + r) * batch
				if err := f.s.SaveEntryChanges(f.ctx, changes); err != nil {
					errs <- err
					return
				}
				checks := []*check.Record{newCheck(f, "civil_aviation.ticket", n, changes[0].Entry), newCheck(f, "civil_aviation.ticket", n+1, nil)}
				if err := f.s.SaveChecks(f.ctx, checks); err != nil {
					errs <- err
					return
				}
				fb := &check.Feedback{CheckID: checks[0].ID, Org: "gz-caac", Action: check.Intercepted, At: base}
				if err := f.s.SaveFeedback(f.ctx, fb); err != nil {
					errs <- err
					return
				}
				mu.Lock()
				logIndexes = append(logIndexes, checks[0].LogIndex, checks[1].LogIndex, fb.LogIndex)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	total := workers * rounds * batch
	page, err := f.s.Changes(f.ctx, 0, nil, 10*total)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) != total || page.Next != int64(total) {
		t.Fatalf("%d changes, next %d; want %d", len(page.Changes), page.Next, total)
	}
	for i, c := range page.Changes {
		if c.Seq != int64(i+1) {
			t.Fatalf("seq %d at position %d", c.Seq, i)
		}
	}
	// Entry versions took the rest of the audit log: every index below
	// the total is used once.
	audited := total + len(logIndexes)
	seen := make([]bool, audited)
	for _, x := range logIndexes {
		if x < 0 || x >= int64(audited) || seen[x] {
			t.Fatalf("log index %d out of range or reused (of %d)", x, audited)
		}
		seen[x] = true
	}
	c := newCheck(f, "civil_aviation.ticket", 9999, nil)
	if err := f.s.SaveChecks(f.ctx, []*check.Record{c}); err != nil || c.LogIndex != int64(audited) {
		t.Fatalf("next log index %d, %v; want %d", c.LogIndex, err, audited)
	}
}
