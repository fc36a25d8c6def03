package auditlog

import (
	"fmt"
	"testing"
)

func BenchmarkTreeAppend(b *testing.B) {
	leaf := CheckLeaf(sampleCheck()) // a realistic leaf: a check with two hits
	b.Logf("leaf of %d bytes", len(leaf))
	for _, name := range []string{SM3, SHA256} {
		b.Run(name, func(b *testing.B) {
			h := mustHasher(b, name)
			tr := NewTree(h)
			b.SetBytes(int64(len(leaf)))
			b.ReportAllocs()
			for b.Loop() {
				tr.Append(leaf)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "leaves/s")
		})
		b.Run(name+"/hash-only", func(b *testing.B) {
			h := mustHasher(b, name)
			tr := NewTree(h)
			lh := h.HashLeaf(leaf)
			b.ReportAllocs()
			for b.Loop() {
				tr.AppendHash(lh)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "leaves/s")
		})
	}
}

func BenchmarkLeaf(b *testing.B) {
	hook := encodeHook // the tests' check against encoding/json
	encodeHook = nil
	defer func() { encodeHook = hook }()
	e, v := sampleEntry()
	c, f, o := sampleCheck(), sampleFeedback(), sampleOrg()
	for _, bc := range []struct {
		name string
		f    func() []byte
	}{
		{"entry.version", func() []byte { return EntryVersionLeaf(e.List, e.SourceRef, v) }},
		{"check", func() []byte { return CheckLeaf(c) }},
		{"feedback", func() []byte { return FeedbackLeaf(f) }},
		{"org", func() []byte { return OrgLeaf(o, OrgCreated, t0) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bc.f()
			}
		})
		b.Run(bc.name+"/encoding-json", func(b *testing.B) {
			encodeHook = func(v leafStruct, _ []byte) { encodeStd(v) }
			defer func() { encodeHook = nil }()
			b.ReportAllocs()
			for b.Loop() {
				bc.f()
			}
		})
	}
}

func BenchmarkSign(b *testing.B) {
	for _, alg := range algs {
		b.Run(alg, func(b *testing.B) {
			s, _ := NewSigner(alg)
			c := sampleCheckpoint(b, SM3)
			for b.Loop() {
				if err := s.Sign(c); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signatures/s")
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	for _, alg := range algs {
		b.Run(alg, func(b *testing.B) {
			s, _ := NewSigner(alg)
			c := sampleCheckpoint(b, SM3)
			s.Sign(c)
			v := s.Verifier()
			for b.Loop() {
				if err := v.Verify(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Proofs from leaf hashes held in memory: O(size) hashing per proof.
func BenchmarkInclusionProof(b *testing.B) {
	for _, size := range []uint64{1 << 10, 1 << 16, 1 << 20} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			h := mustHasher(b, SM3)
			lh := make([][]byte, size)
			store := map[NodeID][]byte{}
			tr := NewTree(h)
			for i := range lh {
				lh[i] = h.HashLeaf(fmt.Appendf(nil, "%d", i))
				tr.AppendHashVisit(lh[i], func(id NodeID, x []byte) {
					if id.Level > 0 {
						store[id] = x
					} else {
						store[id] = lh[i]
					}
				})
			}
			leaf := func(i uint64) ([]byte, error) { return lh[i], nil }
			nodes := func(ids []NodeID) ([][]byte, error) {
				out := make([][]byte, len(ids))
				for i, id := range ids {
					out[i] = store[id]
				}
				return out, nil
			}
			b.Run("from-leaves", func(b *testing.B) {
				i := uint64(0)
				for b.Loop() {
					if _, err := InclusionProof(h, i%size, size, leaf); err != nil {
						b.Fatal(err)
					}
					i += 7919
				}
			})
			b.Run("from-nodes", func(b *testing.B) {
				i := uint64(0)
				for b.Loop() {
					if _, err := InclusionProofFromNodes(h, i%size, size, nodes); err != nil {
						b.Fatal(err)
					}
					i += 7919
				}
			})
		})
	}
}
