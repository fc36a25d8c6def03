package auditlog

import (
	"errors"
	"fmt"
	"sync"

	"github.com/transparency-dev/merkle"
	"github.com/transparency-dev/merkle/compact"
)

// NodeID names a node of the tree: Level 0 holds the leaves, and node
// (level, index) covers leaves [index·2^level, (index+1)·2^level).
type NodeID = compact.NodeID

// Tree keeps the right edge of the log — the compact range [0, size), at most
// 64 hashes — so that appending and computing the root are cheap. It holds
// O(log n) hashes, never the leaves. A Tree is safe for concurrent use.
type Tree struct {
	mu   sync.Mutex
	h    merkle.LogHasher
	f    *compact.RangeFactory
	r    *compact.Range
	root []byte // cached root of r, nil when stale
}

// NewTree returns an empty tree hashed with h.
func NewTree(h merkle.LogHasher) *Tree {
	f := &compact.RangeFactory{Hash: h.HashChildren}
	return &Tree{h: h, f: f, r: f.NewEmptyRange(0)}
}

// Hasher returns the tree's hasher.
func (t *Tree) Hasher() merkle.LogHasher { return t.h }

// Append appends a leaf with the given canonical bytes: its hash is
// H(0x00 ‖ leafData).
func (t *Tree) Append(leafData []byte) { t.AppendHash(t.h.HashLeaf(leafData)) }

// AppendHash appends a leaf by its leaf hash. It panics if the hash is not
// of the hasher's size, which can only be a programming error.
func (t *Tree) AppendHash(leafHash []byte) { t.AppendHashVisit(leafHash, nil) }

// AppendHashVisit appends a leaf by its leaf hash and calls visit (if not
// nil) for the leaf and for every perfect subtree the append completes, that
// is for every node that will never change again. A store that keeps these
// nodes can serve proofs with InclusionProofFromNodes and
// ConsistencyProofFromNodes in O(log n) reads instead of O(n).
func (t *Tree) AppendHashVisit(leafHash []byte, visit func(id NodeID, hash []byte)) {
	if len(leafHash) != t.h.Size() {
		panic(fmt.Sprintf("auditlog: leaf hash of %d bytes, want %d", len(leafHash), t.h.Size()))
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var v compact.VisitFn
	if visit != nil {
		v = func(id compact.NodeID, hash []byte) { visit(id, hash) }
	}
	if err := t.r.Append(leafHash, v); err != nil {
		// Append only fails on a corrupted range, which this type never builds.
		panic("auditlog: " + err.Error())
	}
	t.root = nil
}

// Size returns the number of leaves.
func (t *Tree) Size() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.r.End()
}

// Root returns the RFC 6962 root hash of the tree (H("") when it is empty).
func (t *Tree) Root() []byte {
	_, root := t.State()
	return root
}

// State returns the size and root together, consistently.
func (t *Tree) State() (size uint64, root []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.root == nil {
		t.root = t.rootLocked()
	}
	return t.r.End(), clone(t.root)
}

func (t *Tree) rootLocked() []byte {
	if t.r.End() == 0 {
		return t.h.EmptyRoot()
	}
	root, err := t.r.GetRootHash(nil)
	if err != nil {
		panic("auditlog: " + err.Error()) // only for ranges not starting at 0
	}
	return root
}

var errNilLeafFunc = errors.New("auditlog: nil leaf hash function")

func clone(b []byte) []byte { return append([]byte(nil), b...) }

func cloneHashes(hs [][]byte) [][]byte {
	out := make([][]byte, len(hs))
	for i, h := range hs {
		out[i] = clone(h)
	}
	return out
}
