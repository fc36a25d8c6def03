package storetest

import (
	"time"

	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
)

// The console's desks: a department's newest checks and its hits still
// awaiting feedback; a source's most recently changed entries.
func testConsoleQueries(f *fixture) {
	t := f.t
	es := f.newEntries(courtList, 0, 3, base)
	f.save(f.transition(es[0].Entry, entry.MaskedC, "被执行人已履行全部义务", "performed", base.Add(time.Minute)))

	hit0 := newCheck(f, "civil_aviation.ticket", 0, es[1].Entry)
	miss1 := newCheck(f, "civil_aviation.ticket", 1, nil)
	hit2 := newCheck(f, "civil_aviation.ticket", 2, es[2].Entry)
	other := newCheck(f, "real_estate.transfer", 3, es[1].Entry)
	other.Org = "gz-housing"
	if err := f.s.SaveChecks(f.ctx, []*check.Record{hit0, miss1, hit2, other}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SaveFeedback(f.ctx, &check.Feedback{CheckID: hit0.ID, Org: "gz-caac", Action: check.Intercepted, At: base.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	ids := func(cs []*check.Record) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	all, err := f.s.OrgChecks(f.ctx, "gz-caac", false, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(all), []string{hit2.ID, miss1.ID, hit0.ID}; !equal(got, want) {
		t.Errorf("OrgChecks = %v, want %v", got, want)
	}
	if len(all) > 0 && (all[0].Subject.ID != PersonID(2) || len(all[0].Hits) != 2 || !all[0].At.Equal(hit2.At)) {
		t.Errorf("OrgChecks[0] = %+v", all[0])
	}
	if got, err := f.s.OrgChecks(f.ctx, "gz-caac", false, 1); err != nil || len(got) != 1 {
		t.Errorf("limit 1: %d, %v", len(got), err)
	}
	waiting, err := f.s.OrgChecks(f.ctx, "gz-caac", true, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(waiting), []string{hit2.ID}; !equal(got, want) {
		t.Errorf("awaiting = %v, want %v", got, want)
	}

	recent, err := f.s.RecentEntries(f.ctx, []string{courtList}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 3 || recent[0].ID != es[0].Entry.ID || recent[0].State != entry.Masked {
		t.Errorf("RecentEntries = %d entries, first %+v", len(recent), recent)
	}
	if got, err := f.s.RecentEntries(f.ctx, []string{taxList}, 10); err != nil || len(got) != 0 {
		t.Errorf("other list: %d, %v", len(got), err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
