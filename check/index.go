// Package check decides checks: an in-memory index of the active entries,
// keyed by canonical subject key, and the rules an item's measures make of it.
// Deciding touches no disk and, given room for its hits, allocates nothing.
package check

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/subject"
)

// Role says how the checked subject relates to a listed one.
type Role uint8

const (
	Self     Role = 1
	LegalRep Role = 2
)

func (r Role) String() string {
	if r == LegalRep {
		return "legal_rep"
	}
	return "self"
}

// Listing is what the index needs of an entry.
type Listing struct {
	Entry       int64
	List        string
	Kind        subject.Kind
	Key         string
	Name        string
	LegalRepKey string
	LegalRep    string
	Expires     time.Time // zero: no term
}

// slot is one (subject key, entry) pair. Keys and names live in one arena so
// that a million entries cost a few large allocations, not millions of small ones.
type slot struct {
	entry   int64
	expires int64 // unix seconds; 0 = no term
	next    uint32
	keyOff  uint32
	nameOff uint32
	list    uint16
	keyLen  uint8
	nameLen uint8
	role    Role
	org     bool
}

// Index holds the active entries. Reads take a shared lock; writes are short.
type Index struct {
	seed maphash.Seed

	mu      sync.RWMutex
	heads   map[uint64]uint32 // key hash → 1 + first slot
	slots   []slot
	free    []uint32
	arena   []byte
	garbage int
	live    int

	lists  map[string]uint16 // list code → small number; only grows
	codes  []string
	rules  atomic.Pointer[rules]
	listMu sync.Mutex
}

// NewIndex returns an empty index deciding by cat.
func NewIndex(cat *catalog.Catalog) *Index {
	ix := &Index{seed: maphash.MakeSeed(), heads: make(map[uint64]uint32), lists: make(map[string]uint16)}
	ix.SetCatalog(cat)
	return ix
}

// Grow makes room for n more listings, to build a large index without rehashing.
func (ix *Index) Grow(n, arenaBytes int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if len(ix.heads) == 0 {
		ix.heads = make(map[uint64]uint32, n)
	}
	if cap(ix.slots)-len(ix.slots) < n {
		s := make([]slot, len(ix.slots), len(ix.slots)+n)
		copy(s, ix.slots)
		ix.slots = s
	}
	if cap(ix.arena)-len(ix.arena) < arenaBytes {
		a := make([]byte, len(ix.arena), len(ix.arena)+arenaBytes)
		copy(a, ix.arena)
		ix.arena = a
	}
}

// Len returns how many entries the index holds.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// Put adds the entry's listing, replacing prev. Putting the same listing
// twice leaves one: a node may apply its own change again from the log.
func (ix *Index) Put(l Listing, prev *Listing) {
	list := ix.listNumber(l.List)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if prev != nil {
		ix.remove(prev)
	}
	ix.remove(&l)
	var exp int64
	if !l.Expires.IsZero() {
		exp = l.Expires.Unix()
	}
	ix.add(l.Key, l.Name, l.Entry, exp, list, Self, l.Kind == subject.Org)
	if l.LegalRepKey != "" {
		ix.add(l.LegalRepKey, l.LegalRep, l.Entry, exp, list, LegalRep, false)
	}
	ix.live++
}

// Remove drops the entry's listing; removing what is not there does nothing.
func (ix *Index) Remove(l *Listing) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(l)
}

func (ix *Index) remove(l *Listing) {
	if ix.unlink(l.Key, l.Entry) {
		ix.live--
	}
	if l.LegalRepKey != "" {
		ix.unlink(l.LegalRepKey, l.Entry)
	}
	if ix.garbage > 1<<20 && ix.garbage > len(ix.arena)/2 {
		ix.compact()
	}
}

func (ix *Index) add(key, name string, entry, expires int64, list uint16, role Role, org bool) {
	if len(name) > 255 {
		name = name[:255]
	}
	s := slot{entry: entry, expires: expires, list: list, role: role, org: org,
		keyOff: uint32(len(ix.arena)), keyLen: uint8(len(key))}
	ix.arena = append(ix.arena, key...)
	s.nameOff, s.nameLen = uint32(len(ix.arena)), uint8(len(name))
	ix.arena = append(ix.arena, name...)

	h := maphash.String(ix.seed, key)
	s.next = ix.heads[h]
	var n uint32
	if k := len(ix.free); k > 0 {
		n = ix.free[k-1]
		ix.free = ix.free[:k-1]
		ix.slots[n] = s
	} else {
		n = uint32(len(ix.slots))
		ix.slots = append(ix.slots, s)
	}
	ix.heads[h] = n + 1
}

func (ix *Index) unlink(key string, entry int64) bool {
	h := maphash.String(ix.seed, key)
	prev := uint32(0)
	for p := ix.heads[h]; p != 0; p = ix.slots[p-1].next {
		s := &ix.slots[p-1]
		if s.entry != entry || ix.key(s) != key {
			prev = p
			continue
		}
		if prev == 0 {
			if s.next == 0 {
				delete(ix.heads, h)
			} else {
				ix.heads[h] = s.next
			}
		} else {
			ix.slots[prev-1].next = s.next
		}
		ix.garbage += int(s.keyLen) + int(s.nameLen)
		*s = slot{}
		ix.free = append(ix.free, p-1)
		return true
	}
	return false
}

// compact copies the live keys and names into a fresh arena.
func (ix *Index) compact() {
	arena := make([]byte, 0, len(ix.arena)-ix.garbage+ix.garbage/4)
	for i := range ix.slots {
		s := &ix.slots[i]
		if s.entry == 0 {
			continue
		}
		k, n := ix.key(s), ix.name(s)
		s.keyOff = uint32(len(arena))
		arena = append(arena, k...)
		s.nameOff = uint32(len(arena))
		arena = append(arena, n...)
	}
	ix.arena, ix.garbage = arena, 0
}

func (ix *Index) key(s *slot) string {
	return unsafeString(ix.arena[s.keyOff : s.keyOff+uint32(s.keyLen)])
}

func (ix *Index) name(s *slot) string {
	return unsafeString(ix.arena[s.nameOff : s.nameOff+uint32(s.nameLen)])
}

func (ix *Index) listNumber(code string) uint16 {
	ix.listMu.Lock()
	defer ix.listMu.Unlock()
	if n, ok := ix.lists[code]; ok {
		return n
	}
	n := uint16(len(ix.codes))
	ix.lists[code] = n
	ix.codes = append(ix.codes, code)
	return n
}
