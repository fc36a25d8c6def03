package httpapi_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/emmansun/gmsm/sm3"
)

// The tests verify the log's answers with their own RFC 6962/9162 code over
// SM3, not with the platform's: an auditor trusts no one.

func sm3Sum(parts ...[]byte) []byte {
	h := sm3.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func leafHash(data []byte) []byte { return sm3Sum([]byte{0}, data) }

func nodeHash(l, r []byte) []byte { return sm3Sum([]byte{1}, l, r) }

// verifyInclusion is RFC 9162 §2.1.3.2.
func verifyInclusion(index, size uint64, leaf []byte, path [][]byte, root []byte) error {
	if index >= size {
		return fmt.Errorf("index %d beyond size %d", index, size)
	}
	fn, sn := index, size-1
	r := leaf
	for _, p := range path {
		if sn == 0 {
			return fmt.Errorf("path too long")
		}
		if fn&1 == 1 || fn == sn {
			r = nodeHash(p, r)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			r = nodeHash(r, p)
		}
		fn, sn = fn>>1, sn>>1
	}
	if sn != 0 || !bytes.Equal(r, root) {
		return fmt.Errorf("root does not match")
	}
	return nil
}

// verifyConsistency is RFC 9162 §2.1.4.2.
func verifyConsistency(first, second uint64, path [][]byte, firstRoot, secondRoot []byte) error {
	if first == second {
		if len(path) != 0 || !bytes.Equal(firstRoot, secondRoot) {
			return fmt.Errorf("equal sizes need an empty path and equal roots")
		}
		return nil
	}
	if first&(first-1) == 0 { // a power of two: the first root starts the path
		path = append([][]byte{firstRoot}, path...)
	}
	if len(path) == 0 {
		return fmt.Errorf("empty path")
	}
	fn, sn := first-1, second-1
	for fn&1 == 1 {
		fn, sn = fn>>1, sn>>1
	}
	fr, sr := path[0], path[0]
	for _, c := range path[1:] {
		if sn == 0 {
			return fmt.Errorf("path too long")
		}
		if fn&1 == 1 || fn == sn {
			fr, sr = nodeHash(c, fr), nodeHash(c, sr)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			sr = nodeHash(sr, c)
		}
		fn, sn = fn>>1, sn>>1
	}
	if sn != 0 || !bytes.Equal(fr, firstRoot) || !bytes.Equal(sr, secondRoot) {
		return fmt.Errorf("roots do not match")
	}
	return nil
}

func unhex(t *testing.T, v any) []byte {
	t.Helper()
	b, err := hex.DecodeString(v.(string))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hexes(t *testing.T, v any) [][]byte {
	var out [][]byte
	for _, x := range v.([]any) {
		out = append(out, unhex(t, x))
	}
	return out
}

func TestAuditLogProofs(t *testing.T) {
	e := newEnv(t)
	court := e.org("gz-court", "贵州省高级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	housing := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer"})
	other := e.org("gy-school", "贵阳某私立中学", []string{"department"}, nil, []string{"private_school.enrol"})
	supervisor := e.org("gy-ndrc", "贵阳市发展和改革委员会", []string{"supervisor"}, nil, nil)
	id := residentID("520112", "19750314", 131)
	e.publishPerson("court.dishonest", court, "（2019）黔0112执1234号", id, "封某全")
	c := e.post("/v1/checks", housing, obj{"item": "real_estate.transfer", "subject": obj{"id_type": "resident_id", "id": id}})
	want(t, c, 200)
	index := uint64(c.get("receipt", "log_index").(float64))
	want(t, e.post("/v1/checks/"+c.str("check_id")+"/feedback", housing, obj{"action": "intercepted"}), 201)

	cp := e.get("/v1/log/checkpoint", housing)
	want(t, cp, 200)
	size := uint64(cp.get("size").(float64))
	if cp.str("hash") != "sm3" || cp.str("signature_alg") != "sm2" || cp.str("public_key") == "" || size <= index {
		t.Fatalf("checkpoint: %s", cp.raw)
	}
	root := unhex(t, cp.get("root"))

	// The department's receipt is in the signed tree.
	pr := e.get(fmt.Sprintf("/v1/log/proof?index=%d&size=%d", index, size), housing)
	want(t, pr, 200)
	if !bytes.Equal(unhex(t, pr.get("root")), root) {
		t.Fatal("proof root differs from the checkpoint's")
	}
	if err := verifyInclusion(index, size, unhex(t, pr.get("leaf_hash")), hexes(t, pr.get("path")), root); err != nil {
		t.Fatalf("inclusion proof rejected by an independent verifier: %v", err)
	}
	// The leaf's bytes hash to the proven leaf hash, and name the check.
	leaf := e.get(fmt.Sprintf("/v1/log/leaves/%d", index), housing)
	want(t, leaf, 200)
	data, _ := base64.StdEncoding.DecodeString(leaf.str("data"))
	if !bytes.Equal(leafHash(data), unhex(t, pr.get("leaf_hash"))) || !bytes.Contains(data, []byte(`"outcome":"block"`)) {
		t.Fatalf("leaf %d data does not hash to its proof: %s", index, data)
	}
	if r := e.get(fmt.Sprintf("/v1/log/leaves/%d", index), other); r.status != 403 {
		t.Fatalf("another department reads the leaf: %d", r.status)
	}
	if r := e.get(fmt.Sprintf("/v1/log/leaves/%d", index), supervisor); r.status != 200 {
		t.Fatalf("supervisor reads the leaf: %d", r.status)
	}

	// The log only grows: a later checkpoint is consistent with this one.
	for i := range 5 {
		e.publishPerson("court.dishonest", court, fmt.Sprintf("（2020）黔01执%d号", i), residentID("520112", "19750314", 200+i), "李某")
	}
	cp2 := e.get("/v1/log/checkpoint", supervisor)
	size2 := uint64(cp2.get("size").(float64))
	cons := e.get(fmt.Sprintf("/v1/log/consistency?from=%d&to=%d", size, size2), supervisor)
	want(t, cons, 200)
	if err := verifyConsistency(size, size2, hexes(t, cons.get("path")), root, unhex(t, cp2.get("root"))); err != nil {
		t.Fatalf("consistency proof %d→%d rejected by an independent verifier: %v", size, size2, err)
	}

	for _, q := range []string{"/v1/log/proof?index=5&size=2", "/v1/log/proof?index=0&size=100000", "/v1/log/proof?size=3", "/v1/log/consistency?from=0&to=3"} {
		if r := e.get(q, housing); r.status != 422 {
			t.Fatalf("%s: %d %s", q, r.status, r.raw)
		}
	}
	if r := e.get("/v1/log/leaves/999999", supervisor); r.status != 404 {
		t.Fatalf("missing leaf: %d", r.status)
	}
}
