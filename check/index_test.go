package check

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/subject"
)

func shippedCatalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	cat, err := catalog.Parse(catalog.DefaultYAML())
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

func TestDecide(t *testing.T) {
	ix := NewIndex(shippedCatalog(t))
	now := time.Now()
	ix.Put(Listing{Entry: 1, List: "court.dishonest", Kind: subject.Person, Key: "Iperson1", Name: "张三"}, nil)
	ix.Put(Listing{Entry: 2, List: "court.dishonest", Kind: subject.Org, Key: "Oorg1", Name: "某公司",
		LegalRepKey: "Irep1", LegalRep: "李四"}, nil)
	ix.Put(Listing{Entry: 3, List: "court.dishonest", Kind: subject.Person, Key: "Iold", Name: "王五", Expires: now.Add(-time.Second)}, nil)
	ix.Put(Listing{Entry: 4, List: "tax.a_grade", Kind: subject.Org, Key: "Ogood", Name: "守信公司"}, nil)

	tests := []struct {
		name, item, key, who string
		outcome              catalog.Action
		hits                 int
		role                 Role
		mismatch             bool
	}{
		{"listed person", "real_estate.transfer", "Iperson1", "张三", catalog.Block, 1, Self, false},
		{"unlisted person", "real_estate.transfer", "Inobody", "", catalog.Clear, 0, 0, false},
		{"name differs", "real_estate.transfer", "Iperson1", "张三丰", catalog.Block, 1, Self, true},
		{"no name given", "real_estate.transfer", "Iperson1", "", catalog.Block, 1, Self, false},
		{"legal rep may not fly", "civil_aviation.ticket", "Irep1", "李四", catalog.Block, 1, LegalRep, false},
		{"an org cannot fly", "civil_aviation.ticket", "Oorg1", "", catalog.Clear, 0, 0, false},
		{"expired entry", "real_estate.transfer", "Iold", "", catalog.Clear, 0, 0, false},
		{"item without the list's measures", "civil_aviation.ticket", "Ogood", "", catalog.Clear, 0, 0, false},
		{"unknown item", "no.such", "Iperson1", "", catalog.Clear, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := ix.Decide(tc.item, tc.key, tc.who, now, nil)
			if d.Outcome != tc.outcome || len(d.Hits) != tc.hits || d.NameMismatch != tc.mismatch {
				t.Fatalf("got %s with %d hits, mismatch %v", d.Outcome, len(d.Hits), d.NameMismatch)
			}
			if tc.hits > 0 && d.Hits[0].Role != tc.role {
				t.Fatalf("role %s, want %s", d.Hits[0].Role, tc.role)
			}
		})
	}

	ix.Remove(&Listing{Entry: 2, List: "court.dishonest", Key: "Oorg1", LegalRepKey: "Irep1"})
	if d := ix.Decide("civil_aviation.ticket", "Irep1", "", now, nil); d.Outcome != catalog.Clear {
		t.Fatalf("removed company still restricts its legal rep: %v", d)
	}
	if ix.Len() != 3 {
		t.Fatalf("Len = %d, want 3", ix.Len())
	}
}

// The strongest action wins: a block and an incentive on one subject is a block.
func TestStrongestAction(t *testing.T) {
	ix := NewIndex(shippedCatalog(t))
	ix.Put(Listing{Entry: 1, List: "tax.a_grade", Kind: subject.Org, Key: "Ox"}, nil)
	d := ix.Decide("admin_approval.tolerance", "Ox", "", time.Now(), nil)
	if d.Outcome != catalog.Incentive {
		t.Fatalf("red list alone: %s", d.Outcome)
	}
	ix.Put(Listing{Entry: 2, List: "market.serious_illegal", Kind: subject.Org, Key: "Ox"}, nil)
	d = ix.Decide("admin_approval.tolerance", "Ox", "", time.Now(), nil)
	if d.Outcome.Strength() <= catalog.Incentive.Strength() || len(d.Hits) < 2 {
		t.Fatalf("black and red: %s with %d hits", d.Outcome, len(d.Hits))
	}
}

// Many removals compact the arena without losing live listings.
func TestCompaction(t *testing.T) {
	ix := NewIndex(shippedCatalog(t))
	const n = 60000
	for i := 1; i <= n; i++ {
		ix.Put(Listing{Entry: int64(i), List: "court.dishonest", Kind: subject.Person, Key: fmt.Sprintf("I%017d", i), Name: "名字比较长的某某某某某"}, nil)
	}
	for i := 1; i <= n; i++ {
		if i%10 != 0 {
			ix.Remove(&Listing{Entry: int64(i), Key: fmt.Sprintf("I%017d", i)})
		}
	}
	if ix.Len() != n/10 {
		t.Fatalf("Len = %d", ix.Len())
	}
	for i := 1; i <= n; i++ {
		d := ix.Decide("real_estate.transfer", fmt.Sprintf("I%017d", i), "名字比较长的某某某某某", time.Now(), nil)
		if (d.Outcome == catalog.Block) != (i%10 == 0) || d.NameMismatch {
			t.Fatalf("entry %d: %s mismatch=%v", i, d.Outcome, d.NameMismatch)
		}
	}
}

// buildIndex fills an index with n person entries on the two court lists,
// a tenth of them companies with a legal representative.
func buildIndex(tb testing.TB, n int) (*Index, []string) {
	ix := NewIndex(shippedCatalog(tb))
	ix.Grow(n+n/10, n*32)
	keys := make([]string, n)
	for i := range n {
		keys[i] = fmt.Sprintf("I5201%013d", i)
		l := Listing{Entry: int64(i + 1), List: "court.dishonest", Kind: subject.Person, Key: keys[i], Name: "王小明"}
		if i%4 == 0 {
			l.List = "court.consumption_restricted"
		}
		if i%10 == 0 {
			l.Kind, l.Key, l.Name = subject.Org, fmt.Sprintf("O%09d", i), "贵州某某建筑工程有限公司"
			l.LegalRepKey, l.LegalRep = keys[i], "王小明"
		}
		ix.Put(l, nil)
	}
	return ix, keys
}

// BenchmarkDecide is the in-process decision at 1 M active entries.
func BenchmarkDecide(b *testing.B) {
	ix, keys := buildIndex(b, 1_000_000)
	now := time.Now()
	var buf [16]Hit
	for _, tc := range []struct{ name, key string }{{"hit", keys[12345]}, {"miss", "I520100199001010000"}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d := ix.Decide("real_estate.transfer", tc.key, "王小明", now, buf[:0])
				if (d.Outcome == catalog.Clear) != (tc.name == "miss") {
					b.Fatal(d.Outcome)
				}
			}
		})
	}
	// A different subject each time, as in production: the index's memory is
	// cold. The key is written into a hot buffer, as a request would bring it.
	b.Run("random", func(b *testing.B) {
		b.ReportAllocs()
		key := []byte("I5201" + strings.Repeat("0", 13))
		i := 0
		for b.Loop() {
			i = (i + 7919) % len(keys)
			for p, v := len(key)-1, i; p >= 5; p, v = p-1, v/10 {
				key[p] = byte('0' + v%10)
			}
			ix.Decide("real_estate.transfer", unsafe.String(&key[0], len(key)), "", now, buf[:0])
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var buf [16]Hit
			i := 0
			for pb.Next() {
				ix.Decide("real_estate.transfer", keys[i%len(keys)], "", now, buf[:0])
				i += 7919
			}
		})
	})
}

// BenchmarkIndexMemory reports the heap an index of 1 M entries holds.
func BenchmarkIndexMemory(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ix, _ := buildIndex(b, 1_000_000) // the keys are dropped: only the index counts
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(ix.Len()), "bytes/entry")
		runtime.KeepAlive(ix)
	}
}
