package auditlog

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
)

// ---- An independent reference implementation of RFC 6962 §2.1, written
// from the RFC's text with nothing but a raw hash function. ----

// refK is the largest power of two smaller than n (n > 1).
func refK(n int) int {
	k := 1
	for k<<1 < n {
		k <<= 1
	}
	return k
}

// refMTH is the Merkle Tree Hash MTH(D[n]) of §2.1.
func refMTH(H func([]byte) []byte, d [][]byte) []byte {
	switch n := len(d); n {
	case 0:
		return H(nil)
	case 1:
		return H(cat([]byte{0x00}, d[0]))
	default:
		k := refK(n)
		return H(cat([]byte{0x01}, refMTH(H, d[:k]), refMTH(H, d[k:])))
	}
}

// refPath is the audit path PATH(m, D[n]) of §2.1.1.
func refPath(H func([]byte) []byte, m int, d [][]byte) [][]byte {
	n := len(d)
	if n == 1 {
		return nil
	}
	k := refK(n)
	if m < k {
		return append(refPath(H, m, d[:k]), refMTH(H, d[k:]))
	}
	return append(refPath(H, m-k, d[k:]), refMTH(H, d[:k]))
}

// refProof is the consistency proof PROOF(m, D[n]) of §2.1.2.
func refProof(H func([]byte) []byte, m int, d [][]byte) [][]byte {
	return refSubproof(H, m, d, true)
}

func refSubproof(H func([]byte) []byte, m int, d [][]byte, b bool) [][]byte {
	n := len(d)
	if m == n {
		if b {
			return nil
		}
		return [][]byte{refMTH(H, d)}
	}
	k := refK(n)
	if m <= k {
		return append(refSubproof(H, m, d[:k], b), refMTH(H, d[k:]))
	}
	return append(refSubproof(H, m-k, d[k:], false), refMTH(H, d[:k]))
}

// ---- Tests ----

const maxRefSize = 64

func refLeaves(n int) [][]byte {
	d := make([][]byte, n)
	for i := range d {
		d[i] = fmt.Appendf(nil, "leaf %d: 诚信 %x", i, i*i)
	}
	return d
}

// fixture holds, for one hash, the reference leaves, leaf hashes and roots.
type fixture struct {
	rh     rawHash
	leaves [][]byte
	lh     [][]byte // reference leaf hashes
	roots  [][]byte // roots[n] = MTH(D[0:n])
}

func newFixture(rh rawHash, n int) *fixture {
	f := &fixture{rh: rh, leaves: refLeaves(n)}
	for _, l := range f.leaves {
		f.lh = append(f.lh, rh.sum(cat([]byte{0}, l)))
	}
	for i := 0; i <= n; i++ {
		f.roots = append(f.roots, refMTH(rh.sum, f.leaves[:i]))
	}
	return f
}

// leafFunc returns a leaf reader for a log of size n that fails on reads past
// it and records the order of reads.
func (f *fixture) leafFunc(n uint64, reads *[]uint64) func(uint64) ([]byte, error) {
	return func(i uint64) ([]byte, error) {
		if i >= n {
			return nil, fmt.Errorf("read of leaf %d past size %d", i, n)
		}
		if reads != nil {
			*reads = append(*reads, i)
		}
		return f.lh[i], nil
	}
}

func flip(b []byte, i int) []byte {
	c := clone(b)
	c[i%len(c)] ^= 0x01
	return c
}

func TestTreeRootMatchesReference(t *testing.T) {
	for _, rh := range rawHashes {
		t.Run(rh.name, func(t *testing.T) {
			f := newFixture(rh, maxRefSize)
			h := mustHasher(t, rh.name)
			tr, tr2 := NewTree(h), NewTree(h)
			for n := 1; n <= maxRefSize; n++ {
				tr.Append(f.leaves[n-1])
				tr2.AppendHash(f.lh[n-1])
				if tr.Size() != uint64(n) {
					t.Fatalf("Size = %d, want %d", tr.Size(), n)
				}
				if got := tr.Root(); !bytes.Equal(got, f.roots[n]) {
					t.Fatalf("size %d: Root = %x, reference MTH = %x", n, got, f.roots[n])
				}
				if got := tr2.Root(); !bytes.Equal(got, f.roots[n]) {
					t.Fatalf("size %d: Root after AppendHash = %x, want %x", n, got, f.roots[n])
				}
			}
			// Root returns a copy.
			r := tr.Root()
			r[0] ^= 0xff
			if !bytes.Equal(tr.Root(), f.roots[maxRefSize]) {
				t.Fatal("Root exposes the tree's state")
			}
		})
	}
}

func strictlyIncreasing(xs []uint64) bool {
	for i := 1; i < len(xs); i++ {
		if xs[i] <= xs[i-1] {
			return false
		}
	}
	return true
}

func TestInclusionProofsMatchReference(t *testing.T) {
	for _, rh := range rawHashes {
		t.Run(rh.name, func(t *testing.T) {
			f := newFixture(rh, maxRefSize+1)
			h := mustHasher(t, rh.name)
			for n := 1; n <= maxRefSize; n++ {
				size := uint64(n)
				for m := 0; m < n; m++ {
					index := uint64(m)
					var reads []uint64
					got, err := InclusionProof(h, index, size, f.leafFunc(size, &reads))
					if err != nil {
						t.Fatalf("InclusionProof(%d, %d): %v", m, n, err)
					}
					want := refPath(rh.sum, m, f.leaves[:n])
					if !equalPaths(got, want) {
						t.Fatalf("InclusionProof(%d, %d) = %x, reference PATH = %x", m, n, got, want)
					}
					if !strictlyIncreasing(reads) || slices.Contains(reads, index) || len(reads) != n-1 {
						t.Fatalf("InclusionProof(%d, %d) read leaves %v; want each other leaf once, in order", m, n, reads)
					}
					root := f.roots[n]
					if err := VerifyInclusion(h, index, size, f.lh[m], got, root); err != nil {
						t.Fatalf("VerifyInclusion(%d, %d) rejected a good proof: %v", m, n, err)
					}
					mustReject := func(what string, index, size uint64, leaf []byte, p [][]byte, root []byte) {
						t.Helper()
						if VerifyInclusion(h, index, size, leaf, p, root) == nil {
							t.Fatalf("VerifyInclusion(%d, %d) accepted %s", m, n, what)
						}
					}
					for j := range got {
						for _, pos := range []int{0, j + 7, 31} {
							p := cloneHashes(got)
							p[j] = flip(p[j], pos)
							mustReject(fmt.Sprintf("proof[%d] with byte %d flipped", j, pos), index, size, f.lh[m], p, root)
						}
					}
					for w := range n {
						if w != m {
							mustReject(fmt.Sprintf("wrong index %d", w), uint64(w), size, f.lh[m], got, root)
						}
					}
					mustReject("index = size", size, size, f.lh[m], got, root)
					// A proof for one size does not prove inclusion in a tree of
					// another size (checked against that tree's root: a size only
					// means something with the root signed with it).
					for _, w := range []int{n - 1, n + 1, 2 * n} {
						if w > m && w != n && w <= maxRefSize+1 {
							mustReject(fmt.Sprintf("wrong size %d", w), index, uint64(w), f.lh[m], got, f.roots[w])
						}
					}
					mustReject("wrong root", index, size, f.lh[m], got, flip(root, m))
					mustReject("root of another size", index, size, f.lh[m], got, f.roots[n-1])
					mustReject("wrong leaf hash", index, size, flip(f.lh[m], 3), got, root)
					if n > 1 {
						mustReject("another leaf's hash", index, size, f.lh[(m+1)%n], got, root)
						mustReject("a truncated proof", index, size, f.lh[m], got[:len(got)-1], root)
					}
					mustReject("an extended proof", index, size, f.lh[m], append(cloneHashes(got), root), root)
				}
			}
		})
	}
}

func TestConsistencyProofsMatchReference(t *testing.T) {
	for _, rh := range rawHashes {
		t.Run(rh.name, func(t *testing.T) {
			f := newFixture(rh, maxRefSize+1)
			h := mustHasher(t, rh.name)
			for n := 1; n <= maxRefSize; n++ {
				to := uint64(n)
				for m := 0; m <= n; m++ {
					from := uint64(m)
					var reads []uint64
					got, err := ConsistencyProof(h, from, to, f.leafFunc(to, &reads))
					if err != nil {
						t.Fatalf("ConsistencyProof(%d, %d): %v", m, n, err)
					}
					var want [][]byte
					if m > 0 { // PROOF is defined for 0 < m <= n; from 0 it is empty
						want = refProof(rh.sum, m, f.leaves[:n])
					}
					if !equalPaths(got, want) {
						t.Fatalf("ConsistencyProof(%d, %d) = %x, reference PROOF = %x", m, n, got, want)
					}
					if got == nil {
						t.Fatalf("ConsistencyProof(%d, %d) = nil, want an empty slice", m, n)
					}
					if !strictlyIncreasing(reads) {
						t.Fatalf("ConsistencyProof(%d, %d) read leaves %v, not once each in order", m, n, reads)
					}
					r1, r2 := f.roots[m], f.roots[n]
					if err := VerifyConsistency(h, from, to, got, r1, r2); err != nil {
						t.Fatalf("VerifyConsistency(%d, %d) rejected a good proof: %v", m, n, err)
					}
					mustReject := func(what string, from, to uint64, p [][]byte, r1, r2 []byte) {
						t.Helper()
						if VerifyConsistency(h, from, to, p, r1, r2) == nil {
							t.Fatalf("VerifyConsistency(%d, %d) accepted %s", m, n, what)
						}
					}
					for j := range got {
						for _, pos := range []int{0, j + 11, 31} {
							p := cloneHashes(got)
							p[j] = flip(p[j], pos)
							mustReject(fmt.Sprintf("proof[%d] with byte %d flipped", j, pos), from, to, p, r1, r2)
						}
					}
					mustReject("a wrong first root", from, to, got, flip(r1, m), r2)
					if m > 0 { // every tree extends the empty one: root2 is unconstrained from 0
						mustReject("a wrong second root", from, to, got, r1, flip(r2, n))
						if m < n {
							mustReject("swapped roots", from, to, got, r2, r1)
						}
					}
					// Wrong sizes, each with the root of the size claimed.
					for _, w := range []int{m - 1, m + 1} {
						// (From 0, or to the same size, an empty proof is right.)
						if w >= 0 && w <= n && w != m && !((w == 0 || w == n) && len(got) == 0) {
							mustReject(fmt.Sprintf("wrong first size %d", w), uint64(w), to, got, f.roots[w], r2)
						}
					}
					for _, w := range []int{n - 1, n + 1} {
						if w >= m && w != n && m > 0 {
							mustReject(fmt.Sprintf("wrong second size %d", w), from, uint64(w), got, r1, f.roots[w])
						}
					}
					if len(got) > 0 {
						mustReject("a truncated proof", from, to, got[:len(got)-1], r1, r2)
					}
					mustReject("an extended proof", from, to, append(cloneHashes(got), r1), r1, r2)
					if m > n {
						t.Fatal("unreachable")
					}
				}
				mustFail := func(err error, what string) {
					t.Helper()
					if err == nil {
						t.Fatalf("%s accepted", what)
					}
				}
				_, err := ConsistencyProof(h, to+1, to, f.leafFunc(to, nil))
				mustFail(err, "ConsistencyProof(from > to)")
				mustFail(VerifyConsistency(h, to, to-1, nil, f.roots[n], f.roots[n-1]), "VerifyConsistency(from > to)")
			}
		})
	}
}

// The empty tree: only the empty root is the root of size 0.
func TestConsistencyFromEmpty(t *testing.T) {
	h := mustHasher(t, SM3)
	f := newFixture(rawHashes[0], 3)
	if err := VerifyConsistency(h, 0, 3, nil, h.EmptyRoot(), f.roots[3]); err != nil {
		t.Fatal(err)
	}
	if VerifyConsistency(h, 0, 3, nil, f.roots[1], f.roots[3]) == nil {
		t.Fatal("size 0 with a non-empty root accepted")
	}
	if VerifyConsistency(h, 0, 3, [][]byte{f.roots[1]}, h.EmptyRoot(), f.roots[3]) == nil {
		t.Fatal("non-empty proof from size 0 accepted")
	}
}

func TestProofErrors(t *testing.T) {
	h := mustHasher(t, SM3)
	f := newFixture(rawHashes[0], 8)
	if _, err := InclusionProof(h, 3, 3, f.leafFunc(3, nil)); err == nil {
		t.Error("InclusionProof(index = size) succeeded")
	}
	if _, err := InclusionProof(h, 0, 0, f.leafFunc(0, nil)); err == nil {
		t.Error("InclusionProof in an empty tree succeeded")
	}
	if _, err := InclusionProof(h, 0, 3, nil); err == nil {
		t.Error("InclusionProof with a nil reader succeeded")
	}
	boom := errors.New("disk on fire")
	_, err := InclusionProof(h, 0, 8, func(i uint64) ([]byte, error) {
		if i == 5 {
			return nil, boom
		}
		return f.lh[i], nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("reader error not passed on: %v", err)
	}
	_, err = ConsistencyProof(h, 3, 8, func(i uint64) ([]byte, error) { return f.lh[i][:16], nil })
	if err == nil {
		t.Error("a short leaf hash was accepted")
	}
	if VerifyInclusion(h, 0, 1, f.lh[0], nil, f.roots[1][:31]) == nil {
		t.Error("a short root was accepted")
	}
	// A SHA-256 proof does not verify under SM3 and vice versa.
	s := mustHasher(t, SHA256)
	fs := newFixture(rawHashes[1], 8)
	p, err := InclusionProof(s, 2, 8, fs.leafFunc(8, nil))
	if err != nil {
		t.Fatal(err)
	}
	if VerifyInclusion(h, 2, 8, fs.lh[2], p, fs.roots[8]) == nil {
		t.Error("a SHA-256 proof verified with the SM3 hasher")
	}
}

// Proofs from stored perfect-subtree nodes (collected with AppendHashVisit)
// equal the proofs from leaves.
func TestProofsFromNodes(t *testing.T) {
	for _, rh := range rawHashes {
		t.Run(rh.name, func(t *testing.T) {
			f := newFixture(rh, maxRefSize)
			h := mustHasher(t, rh.name)
			tr := NewTree(h)
			store := map[NodeID][]byte{}
			nodes := func(ids []NodeID) ([][]byte, error) {
				out := make([][]byte, len(ids))
				for i, id := range ids {
					x, ok := store[id]
					if !ok {
						return nil, fmt.Errorf("no node %v", id)
					}
					out[i] = x
				}
				return out, nil
			}
			for n := 1; n <= maxRefSize; n++ {
				tr.AppendHashVisit(f.lh[n-1], func(id NodeID, hash []byte) { store[id] = clone(hash) })
				size := uint64(n)
				for m := range n {
					got, err := InclusionProofFromNodes(h, uint64(m), size, nodes)
					if err != nil {
						t.Fatal(err)
					}
					if want := refPath(rh.sum, m, f.leaves[:n]); !equalPaths(got, want) {
						t.Fatalf("InclusionProofFromNodes(%d, %d) = %x, want %x", m, n, got, want)
					}
				}
				for m := 1; m <= n; m++ {
					got, err := ConsistencyProofFromNodes(h, uint64(m), size, nodes)
					if err != nil {
						t.Fatal(err)
					}
					if want := refProof(rh.sum, m, f.leaves[:n]); !equalPaths(got, want) {
						t.Fatalf("ConsistencyProofFromNodes(%d, %d) = %x, want %x", m, n, got, want)
					}
				}
			}
			if len(store) != 2*maxRefSize-1 {
				t.Errorf("visited %d nodes, want %d for a perfect tree of %d leaves", len(store), 2*maxRefSize-1, maxRefSize)
			}
		})
	}
}

func TestAppendHashWrongSizePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("AppendHash of a short hash did not panic")
		}
	}()
	NewTree(mustHasher(t, SM3)).AppendHash(make([]byte, 20))
}

func TestTreeConcurrent(t *testing.T) {
	h := mustHasher(t, SM3)
	tr := NewTree(h)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 200 {
			size, root := tr.State()
			if size == 0 && !bytes.Equal(root, h.EmptyRoot()) {
				t.Error("bad empty root")
			}
		}
	}()
	for i := range 200 {
		tr.Append([]byte{byte(i)})
	}
	<-done
	if tr.Size() != 200 {
		t.Fatal(tr.Size())
	}
}
