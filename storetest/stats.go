package storetest

import (
	"reflect"
	"time"

	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/platform"
)

// The supervision figures and the public search: checks grouped by
// organisation, item and outcome over a half-open period with the latest
// feedback deciding "allowed on block", the wait for the first feedback,
// and entries found by subject key and/or name.
func testStatsAndPublic(f *fixture) {
	t := f.t
	es := f.newEntries(courtList, 0, 3, base) // persons 0, 1, 2
	f.save(f.transition(es[2].Entry, entry.MaskedC, "被执行人已履行全部义务", "performed", base))

	// Public search.
	lists := []string{courtList, taxList}
	for _, tc := range []struct {
		name       string
		lists      []string
		key, nm    string
		wantPeople []int
	}{
		{"by key", lists, "I" + PersonID(0), "", []int{0}},
		{"by name", lists, "", PersonName(1), []int{1}},
		{"by key and name", lists, "I" + PersonID(1), PersonName(1), []int{1}},
		{"key and name of different people", lists, "I" + PersonID(0), PersonName(1), nil},
		{"masked entry", lists, "I" + PersonID(2), "", nil},
		{"other lists only", []string{taxList}, "I" + PersonID(0), "", nil},
		{"nothing asked", lists, "", "", nil},
	} {
		got, err := f.s.PublicEntries(f.ctx, tc.lists, tc.key, tc.nm, 50)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var ids []int64
		for _, e := range got {
			ids = append(ids, e.ID)
		}
		var want []int64
		for _, n := range tc.wantPeople {
			want = append(want, es[n].Entry.ID)
		}
		if !reflect.DeepEqual(ids, want) {
			t.Errorf("%s: entries %v, want %v", tc.name, ids, want)
		}
		for _, e := range got {
			if e.Record.Subject.Name == "" || e.Record.Key == "" {
				t.Errorf("%s: entry without its record: %+v", tc.name, e)
			}
		}
	}
	if got, err := f.s.PublicEntries(f.ctx, lists, "", PersonName(0), 1); err != nil || len(got) != 1 {
		t.Fatalf("limit 1: %d entries, %v", len(got), err)
	}

	// Checks: two blocks (one answered, finally "allowed"; one unanswered), a
	// clear one, and another department's clear one.
	hit0 := newCheck(f, "civil_aviation.ticket", 0, es[0].Entry)
	miss1 := newCheck(f, "civil_aviation.ticket", 1, nil)
	hit2 := newCheck(f, "civil_aviation.ticket", 2, es[1].Entry)
	other := newCheck(f, "real_estate.transfer", 3, nil)
	other.Org = "gz-housing"
	if err := f.s.SaveChecks(f.ctx, []*check.Record{hit0, miss1, hit2, other}); err != nil {
		t.Fatal(err)
	}
	for _, fb := range []*check.Feedback{
		{CheckID: hit0.ID, Org: "gz-caac", Action: check.Intercepted, At: base.Add(time.Minute)},
		{CheckID: hit0.ID, Org: "gz-caac", Action: check.Allowed, Note: "经核实系同名同姓，予以放行", At: base.Add(time.Hour)},
	} {
		if err := f.s.SaveFeedback(f.ctx, fb); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		name          string
		from, to, due time.Time
		want          []platform.CheckStat
	}{
		{"all, hit2 overdue", base, base.Add(time.Hour), base.Add(10 * time.Second), []platform.CheckStat{
			{Org: "gz-caac", Item: "civil_aviation.ticket", Outcome: catalog.Block, Checks: 2, Feedback: 1, Overdue: 1, AllowedOnBlock: 1},
			{Org: "gz-caac", Item: "civil_aviation.ticket", Outcome: catalog.Clear, Checks: 1},
			{Org: "gz-housing", Item: "real_estate.transfer", Outcome: catalog.Clear, Checks: 1},
		}},
		{"nothing overdue yet", base, base.Add(time.Hour), base, []platform.CheckStat{
			{Org: "gz-caac", Item: "civil_aviation.ticket", Outcome: catalog.Block, Checks: 2, Feedback: 1, AllowedOnBlock: 1},
			{Org: "gz-caac", Item: "civil_aviation.ticket", Outcome: catalog.Clear, Checks: 1},
			{Org: "gz-housing", Item: "real_estate.transfer", Outcome: catalog.Clear, Checks: 1},
		}},
		{"half-open period", base.Add(time.Second), base.Add(2 * time.Second), base.Add(time.Hour), []platform.CheckStat{
			{Org: "gz-caac", Item: "civil_aviation.ticket", Outcome: catalog.Clear, Checks: 1},
		}},
		{"empty period", base.Add(time.Hour), base.Add(2 * time.Hour), base, nil},
	} {
		got, err := f.s.CheckStats(f.ctx, tc.from, tc.to, tc.due)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: CheckStats = %+v\nwant %+v", tc.name, got, tc.want)
		}
	}

	delays, err := f.s.FeedbackDelays(f.ctx, base, base.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]time.Duration{"gz-caac": {time.Minute}}; !reflect.DeepEqual(delays, want) {
		t.Errorf("FeedbackDelays = %v, want %v", delays, want)
	}
}
