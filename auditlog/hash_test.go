package auditlog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/transparency-dev/merkle"
)

// rawHash is a hash function written against the standard libraries only,
// for the reference implementation of the tests.
type rawHash struct {
	name string
	sum  func([]byte) []byte
}

var rawHashes = []rawHash{
	{SM3, func(b []byte) []byte { s := sm3.Sum(b); return s[:] }},
	{SHA256, func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }},
}

func hx(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func mustHasher(t testing.TB, name string) merkle.LogHasher {
	t.Helper()
	h, err := NewHasher(name)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestNewHasher(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		ok         bool
	}{
		{"sm3", SM3, true},
		{"", SM3, true},
		{"sha256", SHA256, true},
		{"SHA256", "", false},
		{"sha-256", "", false},
		{"md5", "", false},
	} {
		h, err := NewHasher(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("NewHasher(%q) error = %v, want ok=%v", tc.name, err, tc.ok)
			continue
		}
		if tc.ok && HashName(h) != tc.want {
			t.Errorf("HashName(NewHasher(%q)) = %q, want %q", tc.name, HashName(h), tc.want)
		}
	}
}

// SM3 itself, by the GB/T 32905-2016 example: SM3("abc").
func TestSM3KnownAnswer(t *testing.T) {
	got := sm3.Sum([]byte("abc"))
	want := hx("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
	if !bytes.Equal(got[:], want) {
		t.Fatalf("SM3(abc) = %x, want %x", got, want)
	}
}

// The hashers against the RFC 6962 §2.1 definitions computed by hand.
func TestHasherDefinitions(t *testing.T) {
	for _, rh := range rawHashes {
		t.Run(rh.name, func(t *testing.T) {
			h := mustHasher(t, rh.name)
			if h.Size() != 32 {
				t.Errorf("Size = %d", h.Size())
			}
			if got, want := h.EmptyRoot(), rh.sum(nil); !bytes.Equal(got, want) {
				t.Errorf("EmptyRoot = %x, want %x", got, want)
			}
			if got := NewTree(h).Root(); !bytes.Equal(got, rh.sum([]byte{})) {
				t.Errorf("empty Tree.Root = %x", got)
			}
			for _, data := range [][]byte{nil, {}, {0}, {1}, []byte("诚信"), bytes.Repeat([]byte{0xAB}, 1000)} {
				if got, want := h.HashLeaf(data), rh.sum(cat([]byte{0}, data)); !bytes.Equal(got, want) {
					t.Errorf("HashLeaf(%x) = %x, want %x", data, got, want)
				}
			}
			l, r := rh.sum([]byte("l")), rh.sum([]byte("r"))
			if got, want := h.HashChildren(l, r), rh.sum(cat([]byte{1}, l, r)); !bytes.Equal(got, want) {
				t.Errorf("HashChildren = %x, want %x", got, want)
			}
			// Leaf and node domains are separated: a node is not the leaf of
			// its children's concatenation.
			if bytes.Equal(h.HashChildren(l, r), h.HashLeaf(cat(l, r))) {
				t.Error("leaf and node hashes collide")
			}
		})
	}
}

// The RFC 6962 / certificate-transparency SHA-256 test vectors, as kept in
// transparency-dev/merkle's testonly package (leaves, and roots of the trees
// of sizes 0 to 8).
var (
	ctLeaves = [][]byte{
		hx(""), hx("00"), hx("10"), hx("2021"), hx("3031"), hx("40414243"),
		hx("5051525354555657"), hx("606162636465666768696a6b6c6d6e6f"),
	}
	ctRoots = [][]byte{
		hx("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
		hx("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
		hx("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
		hx("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
		hx("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
		hx("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
		hx("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
		hx("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
		hx("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
	}
)

func TestSHA256Vectors(t *testing.T) {
	h := mustHasher(t, SHA256)
	tr := NewTree(h)
	if !bytes.Equal(tr.Root(), ctRoots[0]) {
		t.Fatalf("empty root = %x", tr.Root())
	}
	lh := make([][]byte, len(ctLeaves))
	for i, l := range ctLeaves {
		tr.Append(l)
		lh[i] = h.HashLeaf(l)
		if got := tr.Root(); !bytes.Equal(got, ctRoots[i+1]) {
			t.Errorf("root of %d leaves = %x, want %x", i+1, got, ctRoots[i+1])
		}
		if got := refMTH(rawHashes[1].sum, ctLeaves[:i+1]); !bytes.Equal(got, ctRoots[i+1]) {
			t.Errorf("reference MTH of %d leaves = %x (the reference is wrong)", i+1, got)
		}
	}
	leaf := func(i uint64) ([]byte, error) { return lh[i], nil }
	// Inclusion vectors (the source numbers leaves from 1).
	for _, v := range []struct {
		index, size uint64
		proof       []string
	}{
		{0, 8, []string{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
		{5, 8, []string{"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
		{2, 3, []string{"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
		{1, 5, []string{"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	} {
		got, err := InclusionProof(h, v.index, v.size, leaf)
		if err != nil {
			t.Fatal(err)
		}
		if !equalPaths(got, hexPath(v.proof)) {
			t.Errorf("inclusion(%d, %d) = %x, want %s", v.index, v.size, got, v.proof)
		}
	}
	for _, v := range []struct {
		from, to uint64
		proof    []string
	}{
		{1, 8, []string{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
		{6, 8, []string{"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
		{2, 5, []string{"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
		{6, 7, []string{"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
		{1, 1, nil},
	} {
		got, err := ConsistencyProof(h, v.from, v.to, leaf)
		if err != nil {
			t.Fatal(err)
		}
		if !equalPaths(got, hexPath(v.proof)) {
			t.Errorf("consistency(%d, %d) = %x, want %s", v.from, v.to, got, v.proof)
		}
		if err := VerifyConsistency(h, v.from, v.to, got, ctRoots[v.from], ctRoots[v.to]); err != nil {
			t.Errorf("consistency(%d, %d): %v", v.from, v.to, err)
		}
	}
}

func hexPath(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = hx(s)
	}
	return out
}

func equalPaths(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
