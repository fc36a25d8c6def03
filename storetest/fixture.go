package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/subject"
)

// The lists the suite publishes to: one without a default term, one with.
const (
	courtList = "court.dishonest"
	taxList   = "tax.major_violation"
	court     = "gz-court"
)

// base is the suite's "now": a time with microseconds, which every engine
// must keep.
var base = time.Date(2025, 3, 14, 9, 30, 15, 123456000, entry.CST)

// ResidentID completes a 17-digit body with its GB 11643 check digit.
func ResidentID(body string) string {
	return body + string(subject.ResidentCheckDigit(body))
}

// PersonID is the n-th of a family of valid resident IDs of adults born in
// Guiyang (520102) between 1960 and 1987.
func PersonID(n int) string {
	born := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n%10000)
	return ResidentID(fmt.Sprintf("520102%s%03d", born.Format("20060102"), (n/10000)%1000))
}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
var givenNames = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"}

// PersonName is a plausible Chinese name for the n-th person.
func PersonName(n int) string {
	return string(surnames[n%len(surnames)]) + givenNames[(n/len(surnames))%len(givenNames)]
}

// CaseRef is a court enforcement case number, the source reference of a
// court.dishonest entry.
func CaseRef(n int) string { return fmt.Sprintf("（2024）黔0102执%d号", n) }

// fixture is one subtest's store with helpers that build entry changes the
// way the platform does: Validate, then Publish or Transition.
type fixture struct {
	t   *testing.T
	ctx context.Context
	s   platform.Store
	cat *catalog.Catalog
}

func newFixture(t *testing.T, s platform.Store) *fixture {
	cat, err := catalog.Parse(catalog.DefaultYAML())
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, ctx: t.Context(), s: s, cat: cat}
}

// personDraft is a court.dishonest-style draft about the n-th person.
func personDraft(ref string, n int) entry.Draft {
	return entry.Draft{
		SourceRef: ref,
		Subject:   entry.Subject{Kind: subject.Person, IDType: subject.ResidentID, ID: PersonID(n), Name: PersonName(n)},
		Reason:    "有履行能力而拒不履行生效法律文书确定义务",
		Details:   map[string]string{"court": "贵阳市云岩区人民法院", "performance": "全部未履行", "amount": "人民币 128,000 元"},
	}
}

// orgDraft is a draft about a company with its legal representative.
func orgDraft(ref string) entry.Draft {
	return entry.Draft{
		SourceRef: ref,
		Subject: entry.Subject{Kind: subject.Org, IDType: subject.USCC, ID: "91110000600037341L", Name: "贵州黔信建材有限公司",
			LegalRep: &entry.Person{IDType: subject.ResidentID, ID: PersonID(77), Name: PersonName(77)}},
		Reason:      "隐匿、转移财产规避执行",
		PublishedAt: "2024-11-02",
	}
}

// record validates d for list as of now.
func (f *fixture) record(list string, d entry.Draft, now time.Time, prev *entry.Record) entry.Record {
	f.t.Helper()
	rec, err := entry.Validate(d, f.cat.List(list), now, prev)
	if err != nil {
		f.t.Fatalf("validate %s: %v", d.SourceRef, err)
	}
	return rec
}

// publish builds the change publishing d to list over existing (nil: new).
func (f *fixture) publish(list string, existing *entry.Entry, d entry.Draft, now time.Time) *entry.Change {
	f.t.Helper()
	var prev *entry.Record
	if existing != nil {
		prev = &existing.Record
	}
	c, ok := entry.Publish(list, d.SourceRef, existing, f.record(list, d, now, prev), court, now)
	if !ok {
		f.t.Fatalf("publish %s: no change", d.SourceRef)
	}
	return &c
}

// transition builds a state change of e.
func (f *fixture) transition(e *entry.Entry, change entry.ChangeType, reason, code string, now time.Time) *entry.Change {
	f.t.Helper()
	c, ok, err := entry.Transition(e, change, court, reason, code, now)
	if err != nil || !ok {
		f.t.Fatalf("%s entry %d: ok=%v err=%v", change, e.ID, ok, err)
	}
	return &c
}

// save stores changes and fails the test on error.
func (f *fixture) save(changes ...*entry.Change) {
	f.t.Helper()
	if err := f.s.SaveEntryChanges(f.ctx, changes); err != nil {
		f.t.Fatalf("save %d changes: %v", len(changes), err)
	}
}

// entry reads an entry and fails the test on error.
func (f *fixture) entry(id int64, history bool) *entry.Entry {
	f.t.Helper()
	e, err := f.s.Entry(f.ctx, id, history)
	if err != nil {
		f.t.Fatalf("entry %d: %v", id, err)
	}
	return e
}

// newEntries publishes n new court entries (refs CaseRef(from…)) in one call.
func (f *fixture) newEntries(list string, from, n int, now time.Time) []*entry.Change {
	f.t.Helper()
	out := make([]*entry.Change, n)
	for i := range out {
		out[i] = f.publish(list, nil, personDraft(CaseRef(from+i), from+i), now)
	}
	f.save(out...)
	return out
}

// wantError fails unless err is a *chengxin.Error of kind and code.
func wantError(t *testing.T, err error, kind chengxin.Kind, code string) {
	t.Helper()
	var e *chengxin.Error
	if !errors.As(err, &e) || e.Kind != kind || e.Code != code {
		t.Fatalf("err = %v (%T), want a %s error with code %q", err, err, kind, code)
	}
}

// sameTime fails unless got is the instant want, shown in China time.
func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
	if !want.IsZero() && got.Location().String() != entry.CST.String() {
		t.Errorf("%s is in %v, want %v", what, got.Location(), entry.CST)
	}
}

// sameRecord fails unless got holds the content and keys of want.
func sameRecord(t *testing.T, what string, got, want *entry.Record) {
	t.Helper()
	if got == nil || want == nil {
		if got != want {
			t.Errorf("%s record = %v, want %v", what, got, want)
		}
		return
	}
	if !entry.Same(got, want) {
		t.Errorf("%s record = %+v, want %+v", what, *got, *want)
	}
}

func sameKeys(t *testing.T, what string, got, want *entry.Record) {
	t.Helper()
	if got.Key != want.Key || got.LegalRepKey != want.LegalRepKey {
		t.Errorf("%s keys = %q/%q, want %q/%q", what, got.Key, got.LegalRepKey, want.Key, want.LegalRepKey)
	}
}

// equalJSON reports whether a and b read the same as the API shows them.
func equalJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
