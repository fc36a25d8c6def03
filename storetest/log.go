package storetest

import (
	"bytes"
	"crypto/sha256"
	"time"

	"github.com/chengxin/chengxin/auditlog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
)

// leafOf is a stand-in leaf hash: the store keeps whatever hash it is given.
func leafOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// The audit log: every kind of record keeps its leaf hash; positions are
// read back in order, with their records; settings are fixed once;
// checkpoints are kept by size.
func testAuditLog(f *fixture) {
	t := f.t
	if n, err := f.s.LogSize(f.ctx); err != nil || n != 0 {
		t.Fatalf("LogSize of an empty store = %d, %v", n, err)
	}
	for _, v := range []string{"sm3", "sha256"} {
		if err := f.s.SetLogMeta(f.ctx, "hash", v); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := f.s.LogMeta(f.ctx, "hash"); err != nil || v != "sm3" {
		t.Fatalf("a log setting changed after it was fixed: %q, %v", v, err)
	}

	_, tok := org.NewToken()
	o := &org.Org{Code: "gz-caac", Name: "民航贵州安全监督管理局", Roles: []org.Role{org.Department}, Items: []string{"civil_aviation.ticket"}, TokenHash: tok, CreatedAt: base}
	if err := f.s.CreateOrg(f.ctx, o, leafOf("0")); err != nil {
		t.Fatal(err)
	}
	pub := f.publish(courtList, nil, personDraft(CaseRef(1), 1), base)
	pub.Version.LeafHash = leafOf("1")
	f.save(pub)
	c := newCheck(f, "civil_aviation.ticket", 2, pub.Entry)
	c.LeafHash = leafOf("2")
	if err := f.s.SaveChecks(f.ctx, []*check.Record{c}); err != nil {
		t.Fatal(err)
	}
	fb := &check.Feedback{CheckID: c.ID, Org: "gz-caac", Action: check.Intercepted, Note: "已拒绝售票", At: base.Add(time.Minute), LeafHash: leafOf("3")}
	if err := f.s.SaveFeedback(f.ctx, fb); err != nil {
		t.Fatal(err)
	}
	rotated := *o
	_, rotated.TokenHash = org.NewToken()
	if err := f.s.SetOrgToken(f.ctx, &rotated, base.Add(time.Hour), leafOf("4")); err != nil {
		t.Fatal(err)
	}

	if n, err := f.s.LogSize(f.ctx); err != nil || n != 5 {
		t.Fatalf("LogSize = %d, %v; want 5", n, err)
	}
	hs, err := f.s.LeafHashes(f.ctx, 1, 4)
	if err != nil || len(hs) != 3 || !bytes.Equal(hs[0], leafOf("1")) || !bytes.Equal(hs[2], leafOf("3")) {
		t.Fatalf("LeafHashes(1, 4) = %x, %v", hs, err)
	}
	var got []*platform.LogRecord
	if err := f.s.LogRecords(f.ctx, 0, 5, func(r *platform.LogRecord) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	kinds := []func(r *platform.LogRecord) bool{
		func(r *platform.LogRecord) bool {
			return r.Org != nil && r.OrgChange == auditlog.OrgCreated && r.Org.Code == "gz-caac"
		},
		func(r *platform.LogRecord) bool {
			return r.Version != nil && r.Entry.SourceRef == CaseRef(1) && r.Version.Record != nil && r.Version.Record.Subject.ID == PersonID(1)
		},
		func(r *platform.LogRecord) bool {
			return r.Check != nil && r.Check.ID == c.ID && len(r.Check.Hits) == 2
		},
		func(r *platform.LogRecord) bool {
			return r.Feedback != nil && r.Feedback.Note == "已拒绝售票" && r.Feedback.CheckID == c.ID
		},
		func(r *platform.LogRecord) bool {
			return r.Org != nil && r.OrgChange == auditlog.OrgTokenRotated && r.OrgAt.Equal(base.Add(time.Hour))
		},
	}
	for i, ok := range kinds {
		if i >= len(got) || got[i].Index != int64(i) || !ok(got[i]) || !bytes.Equal(got[i].LeafHash, leafOf(string(rune('0'+i)))) {
			t.Fatalf("log record %d = %+v", i, got[min(i, len(got)-1)])
		}
	}

	if cp, err := f.s.LatestCheckpoint(f.ctx); err != nil || cp != nil {
		t.Fatalf("LatestCheckpoint on a log without one = %v, %v", cp, err)
	}
	for _, size := range []uint64{3, 5, 5} {
		cp := &auditlog.Checkpoint{Origin: auditlog.Origin, Size: size, Root: leafOf("root"), Hash: "sm3", Time: base, Signature: []byte("sig"), SignatureAlg: "sm2"}
		if err := f.s.SaveCheckpoint(f.ctx, cp, "PUBLIC KEY"); err != nil {
			t.Fatal(err)
		}
	}
	cps, err := f.s.Checkpoints(f.ctx)
	if err != nil || len(cps) != 2 || cps[0].Size != 3 || cps[1].PublicKey != "PUBLIC KEY" || !cps[1].Time.Equal(base) {
		t.Fatalf("Checkpoints = %+v, %v", cps, err)
	}
	if last, err := f.s.LatestCheckpoint(f.ctx); err != nil || last.Size != 5 {
		t.Fatalf("LatestCheckpoint = %+v, %v", last, err)
	}
}
