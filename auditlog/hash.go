// Package auditlog is chengxin's tamper-evident audit log: a verifiable,
// append-only Merkle log in the style of Certificate Transparency (RFC 6962).
//
// Every stored record — entry versions, checks, feedback, organisation
// changes — has a position log_index in one shared sequence; its canonical
// bytes (EntryVersionLeaf, CheckLeaf, FeedbackLeaf, OrgLeaf) are the leaf at
// that position. Leaves and interior nodes are hashed as in RFC 6962 §2.1:
//
//	leaf  = H(0x00 ‖ data)
//	node  = H(0x01 ‖ left ‖ right)
//	empty = H("")
//
// with H = SM3 (GB/T 32905) by default, or SHA-256. Tree keeps the right edge
// of the log; InclusionProof and ConsistencyProof build RFC 6962 proofs from
// leaf hashes; Checkpoint is a signed (size, root, time) statement, signed with
// SM2 (GB/T 32918, default UID) or Ed25519.
//
// The package does no I/O except in LoadOrCreateKey (keyfile.go).
package auditlog

import (
	"fmt"

	"github.com/emmansun/gmsm/sm3"
	"github.com/transparency-dev/merkle"
	"github.com/transparency-dev/merkle/rfc6962"
)

// Hash algorithms.
const (
	SM3    = "sm3"
	SHA256 = "sha256"
)

// DefaultHash is the hash used when none is configured.
const DefaultHash = SM3

// NewHasher returns an RFC 6962 hasher for name: "sm3" (also the default for
// "") or "sha256". Any other name is an error.
func NewHasher(name string) (merkle.LogHasher, error) {
	switch name {
	case SM3, "":
		return SM3Hasher, nil
	case SHA256:
		return rfc6962.DefaultHasher, nil
	}
	return nil, fmt.Errorf("auditlog: unknown hash %q (want %q or %q)", name, SM3, SHA256)
}

// HashName returns the name ("sm3" or "sha256") of a hasher returned by
// NewHasher, or "" for any other hasher.
func HashName(h merkle.LogHasher) string {
	switch h := h.(type) {
	case sm3Hasher, *sm3Hasher:
		return SM3
	case *rfc6962.Hasher:
		if h == rfc6962.DefaultHasher {
			return SHA256
		}
	}
	return ""
}

// SM3Hasher is the RFC 6962 hasher over SM3.
var SM3Hasher merkle.LogHasher = sm3Hasher{}

type sm3Hasher struct{}

const (
	leafPrefix = 0x00
	nodePrefix = 0x01
)

func (sm3Hasher) EmptyRoot() []byte {
	sum := sm3.Sum(nil)
	return sum[:]
}

func (sm3Hasher) HashLeaf(leaf []byte) []byte {
	d := sm3.New()
	d.Write([]byte{leafPrefix})
	d.Write(leaf)
	return d.Sum(make([]byte, 0, sm3.Size))
}

func (sm3Hasher) HashChildren(l, r []byte) []byte {
	d := sm3.New()
	d.Write([]byte{nodePrefix})
	d.Write(l)
	d.Write(r)
	return d.Sum(make([]byte, 0, sm3.Size))
}

func (sm3Hasher) Size() int { return sm3.Size }
