package auditlog

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/transparency-dev/merkle"
	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
)

// InclusionProof returns the RFC 6962 audit path (§2.1.1) of leaf index in
// the tree of the given size, reading leaf hashes with leafHash.
//
// Cost: the proof's nodes are computed from the leaves under them, so one
// proof reads every leaf hash in [0, size) except index — O(size) reads and
// hashes. Reads are made in strictly increasing index order, so leafHash can
// be backed by a forward cursor or a prefetching range read. For a large log
// keep the perfect-subtree nodes (Tree.AppendHashVisit) and use
// InclusionProofFromNodes, which needs O(log size) reads.
func InclusionProof(h merkle.LogHasher, index, size uint64, leafHash func(i uint64) ([]byte, error)) ([][]byte, error) {
	if leafHash == nil {
		return nil, errNilLeafFunc
	}
	return InclusionProofFromNodes(h, index, size, leafNodes(h, leafHash))
}

// ConsistencyProof returns the RFC 6962 consistency proof (§2.1.2) between
// the trees of sizes from and to, reading leaf hashes with leafHash. It is
// empty when from is 0 or equal to to. Cost and read order are as for
// InclusionProof: O(to) reads, in increasing index order.
func ConsistencyProof(h merkle.LogHasher, from, to uint64, leafHash func(i uint64) ([]byte, error)) ([][]byte, error) {
	if leafHash == nil {
		return nil, errNilLeafFunc
	}
	return ConsistencyProofFromNodes(h, from, to, leafNodes(h, leafHash))
}

// NodeHashes returns the hashes of the given nodes, in the order given. It
// is called once per proof with nodes that are all perfect subtrees lying
// within the tree, as the ones reported by Tree.AppendHashVisit.
type NodeHashes func(ids []NodeID) ([][]byte, error)

// InclusionProofFromNodes is InclusionProof with the proof's nodes read from
// a store of perfect-subtree hashes: O(log size) node reads.
func InclusionProofFromNodes(h merkle.LogHasher, index, size uint64, nodes NodeHashes) ([][]byte, error) {
	if index >= size {
		return nil, fmt.Errorf("auditlog: inclusion proof: index %d not in a tree of size %d", index, size)
	}
	n, err := proof.Inclusion(index, size)
	if err != nil {
		return nil, fmt.Errorf("auditlog: inclusion proof: %w", err)
	}
	return rehash(h, n, nodes)
}

// ConsistencyProofFromNodes is ConsistencyProof with the proof's nodes read
// from a store of perfect-subtree hashes: O(log to) node reads.
func ConsistencyProofFromNodes(h merkle.LogHasher, from, to uint64, nodes NodeHashes) ([][]byte, error) {
	if from > to {
		return nil, fmt.Errorf("auditlog: consistency proof: from %d > to %d", from, to)
	}
	n, err := proof.Consistency(from, to)
	if err != nil {
		return nil, fmt.Errorf("auditlog: consistency proof: %w", err)
	}
	return rehash(h, n, nodes)
}

func rehash(h merkle.LogHasher, n proof.Nodes, nodes NodeHashes) ([][]byte, error) {
	if len(n.IDs) == 0 {
		return [][]byte{}, nil
	}
	hashes, err := nodes(n.IDs)
	if err != nil {
		return nil, err
	}
	if len(hashes) != len(n.IDs) {
		return nil, fmt.Errorf("auditlog: got %d node hashes for %d nodes", len(hashes), len(n.IDs))
	}
	for i, x := range hashes {
		if len(x) != h.Size() {
			return nil, fmt.Errorf("auditlog: node %v: hash of %d bytes, want %d", n.IDs[i], len(x), h.Size())
		}
	}
	// Rehash works in place; never hand the caller's slices back to it.
	return n.Rehash(cloneHashes(hashes), h.HashChildren)
}

// leafNodes computes perfect-subtree nodes from the leaf hashes under them,
// visiting the nodes in order of their first leaf so that the leaves are read
// in increasing index order (the nodes of one proof never overlap).
func leafNodes(h merkle.LogHasher, leafHash func(i uint64) ([]byte, error)) NodeHashes {
	return func(ids []NodeID) ([][]byte, error) {
		order := make([]int, len(ids))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			ba, _ := ids[a].Coverage()
			bb, _ := ids[b].Coverage()
			switch {
			case ba < bb:
				return -1
			case ba > bb:
				return 1
			}
			return 0
		})
		f := &compact.RangeFactory{Hash: h.HashChildren}
		out := make([][]byte, len(ids))
		for _, k := range order {
			begin, end := ids[k].Coverage()
			r := f.NewEmptyRange(begin)
			for i := begin; i < end; i++ {
				lh, err := leafHash(i)
				if err != nil {
					return nil, fmt.Errorf("auditlog: leaf %d: %w", i, err)
				}
				if len(lh) != h.Size() {
					return nil, fmt.Errorf("auditlog: leaf %d: hash of %d bytes, want %d", i, len(lh), h.Size())
				}
				if err := r.Append(lh, nil); err != nil {
					return nil, err
				}
			}
			// A perfect, aligned subtree folds into a single hash.
			if hs := r.Hashes(); len(hs) == 1 {
				out[k] = hs[0]
			} else {
				return nil, fmt.Errorf("auditlog: node %v is not a perfect subtree", ids[k])
			}
		}
		return out, nil
	}
}

// VerifyInclusion checks that leafHash is the leaf at index in the tree of
// the given size and root, by the audit path proof. It returns nil if so.
func VerifyInclusion(h merkle.LogHasher, index, size uint64, leafHash []byte, path [][]byte, root []byte) error {
	if len(root) != h.Size() {
		return fmt.Errorf("auditlog: root of %d bytes, want %d", len(root), h.Size())
	}
	if err := proof.VerifyInclusion(h, index, size, leafHash, path, root); err != nil {
		return fmt.Errorf("auditlog: inclusion proof of leaf %d in tree of size %d: %w", index, size, err)
	}
	return nil
}

// VerifyConsistency checks that the tree of size to and root2 extends the
// tree of size from and root1, by the consistency proof. It returns nil if so.
// A tree of size 0 must have the empty root; every tree extends it.
func VerifyConsistency(h merkle.LogHasher, from, to uint64, path [][]byte, root1, root2 []byte) error {
	if len(root1) != h.Size() || len(root2) != h.Size() {
		return fmt.Errorf("auditlog: roots of %d and %d bytes, want %d", len(root1), len(root2), h.Size())
	}
	if from == 0 && !bytes.Equal(root1, h.EmptyRoot()) {
		return errors.New("auditlog: a tree of size 0 must have the empty root")
	}
	if err := proof.VerifyConsistency(h, from, to, path, root1, root2); err != nil {
		return fmt.Errorf("auditlog: consistency proof from size %d to %d: %w", from, to, err)
	}
	return nil
}
