package check

import (
	"hash/maphash"
	"time"
	"unsafe"

	"github.com/chengxin/chengxin/catalog"
)

// Hit is one measure that applies because of one entry.
type Hit struct {
	Entry   int64
	List    string
	Role    Role
	Measure *catalog.Measure
}

// Decision is the answer to a check.
type Decision struct {
	Outcome      catalog.Action
	Hits         []Hit
	NameMismatch bool
}

// listRule says which of an item's measures a listing on one list triggers,
// by the listed subject's kind and the checked subject's role.
type listRule struct {
	person, org, legalRep []*catalog.Measure
}

// rules is the catalog compiled for deciding: per item, per list number.
type rules struct {
	catalog *catalog.Catalog
	items   map[string][]listRule
	codes   []string // list number → code, as of compiling
}

// SetCatalog compiles cat into the rules checks are decided by. Listings
// already indexed keep their place; a list the catalog drops stops matching.
func (ix *Index) SetCatalog(cat *catalog.Catalog) {
	r := &rules{catalog: cat, items: make(map[string][]listRule, len(cat.Items))}
	for _, l := range cat.Lists {
		ix.listNumber(l.Code)
	}
	ix.listMu.Lock()
	r.codes = append([]string(nil), ix.codes...)
	ix.listMu.Unlock()
	n := len(r.codes)
	for i := range cat.Items {
		it := &cat.Items[i]
		byList := make([]listRule, n)
		for _, mc := range it.Measures {
			m := cat.Measure(mc)
			for _, lc := range m.Lists {
				lr := &byList[ix.listNumber(lc)]
				if catalog.Has(m.SubjectKinds, "person") {
					lr.person = append(lr.person, m)
				}
				if catalog.Has(m.SubjectKinds, "org") {
					lr.org = append(lr.org, m)
				}
				if m.ReachesLegalRep {
					lr.legalRep = append(lr.legalRep, m)
				}
			}
		}
		r.items[it.Code] = byList
	}
	ix.rules.Store(r)
}

// Catalog returns the catalog the index decides by.
func (ix *Index) Catalog() *catalog.Catalog { return ix.rules.Load().catalog }

// HasItem reports whether item is in the catalog.
func (ix *Index) HasItem(item string) bool {
	_, ok := ix.rules.Load().items[item]
	return ok
}

// Decide answers a check for item on the subject with canonical key, as of
// now. name, if not empty, is compared with the listed subject's name. Hits are
// appended to dst, so a caller that passes room for them allocates nothing.
func (ix *Index) Decide(item, key, name string, now time.Time, dst []Hit) Decision {
	d := Decision{Outcome: catalog.Clear, Hits: dst[:0]}
	r := ix.rules.Load()
	byList := r.items[item]
	if byList == nil {
		return d
	}
	h := maphash.String(ix.seed, key)
	t := now.Unix()
	ix.mu.RLock()
	for p := ix.heads[h]; p != 0; p = ix.slots[p-1].next {
		s := &ix.slots[p-1]
		if (s.expires != 0 && t >= s.expires) || ix.key(s) != key {
			continue
		}
		if name != "" && ix.name(s) != name {
			d.NameMismatch = true
		}
		if int(s.list) >= len(byList) {
			continue
		}
		lr := &byList[s.list]
		ms := lr.person
		switch {
		case s.role == LegalRep:
			ms = lr.legalRep
		case s.org:
			ms = lr.org
		}
		for _, m := range ms {
			d.Hits = append(d.Hits, Hit{Entry: s.entry, List: r.codes[s.list], Role: s.role, Measure: m})
			if m.Action.Strength() > d.Outcome.Strength() {
				d.Outcome = m.Action
			}
		}
	}
	ix.mu.RUnlock()
	return d
}

func unsafeString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
