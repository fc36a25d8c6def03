package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chengxin/chengxin/app"
	"github.com/chengxin/chengxin/auditlog"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/sqlite"
)

// loggedNode runs a node, records entries, checks and feedback, signs a
// checkpoint, and stops; it returns the data directory and that checkpoint.
func loggedNode(t *testing.T) (string, *auditlog.Checkpoint) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	n, err := app.Start(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: dir, AdminToken: adminToken, Logger: slog.New(slog.DiscardHandler),
		Log: platform.LogOptions{CheckpointEvery: -1}})
	if err != nil {
		t.Fatal(err)
	}
	nd := &node{t: t, Node: n}
	_, c := nd.post("/v1/orgs", adminToken, map[string]any{"code": "gz-court", "name": "法院", "roles": []string{"source"}, "lists": []string{"court.dishonest"}})
	_, h := nd.post("/v1/orgs", adminToken, map[string]any{"code": "gy-housing", "name": "不动产", "roles": []string{"department"}, "items": []string{"real_estate.transfer"}})
	court, housing := c["token"].(string), h["token"].(string)
	for i := range 3 {
		nd.post("/v1/lists/court.dishonest/entries", court, map[string]any{"source_ref": fmt.Sprintf("（2019）黔01执%d号", i), "reason": fmt.Sprintf("拒不履行第 %d 案义务", i),
			"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": "11010519491231002X", "name": "张三"}})
	}
	st, chk := nd.post("/v1/checks", housing, map[string]any{"item": "real_estate.transfer", "subject": map[string]any{"id_type": "resident_id", "id": "11010519491231002X"}})
	if st != 200 || chk["outcome"] != "block" {
		t.Fatalf("check: %d %v", st, chk)
	}
	nd.post("/v1/checks/"+chk["check_id"].(string)+"/feedback", housing, map[string]any{"action": "intercepted", "note": "已暂停办理"})
	nd.post("/v1/entries/1/mask", court, map[string]any{"reason": "已履行"})
	cp, err := n.Platform.Checkpoint(ctx)
	if err != nil || cp == nil {
		t.Fatalf("checkpoint: %v", err)
	}
	n.Close(ctx)
	return dir, &cp.Checkpoint
}

func verifyDir(t *testing.T, dir string, saved *auditlog.Checkpoint) error {
	t.Helper()
	s, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = platform.VerifyLog(context.Background(), s, saved)
	return err
}

func TestAuditLogVerifyFindsTampering(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want string // in the error: it names the first record that no longer matches
	}{
		{"untouched", "", ""},
		{"a check's outcome changed", `UPDATE checks SET outcome = 'clear', hits = '[]' WHERE log_index = (SELECT min(log_index) FROM checks)`, "check"},
		{"a check's subject changed", `UPDATE checks SET subject_id = '110105194912310038' WHERE log_index = (SELECT min(log_index) FROM checks)`, "check"},
		{"an entry's record rewritten", `UPDATE entry_versions SET record = replace(record, '拒不履行', '已履行') WHERE version = 1 AND entry_id = 2`, "entry 2"},
		{"a mask's reason rewritten", `UPDATE entry_versions SET reason = '无' WHERE change = 'entry.masked'`, "entry.masked"},
		{"feedback turned into allowed", `UPDATE feedback SET action = 'allowed'`, "feedback"},
		{"an organisation's roles widened", `UPDATE org_events SET roles = '["source","admin"]' WHERE org = 'gz-court'`, "organisation gz-court"},
		{"the last records removed", `DELETE FROM entry_versions WHERE log_index = (SELECT max(log_index) FROM entry_versions)`, "truncated"},
		{"a record taken out of the middle", `DELETE FROM feedback`, "missing"},
		{"record and its hash both rewritten", `UPDATE checks SET outcome = 'clear', hits = '[]', leaf_hash = NULL WHERE log_index = (SELECT min(log_index) FROM checks)`, "check"},
		{"a checkpoint's signature forged", `UPDATE log_checkpoints SET root = zeroblob(32)`, "signature"},
		{"a masked debtor made active in place", `UPDATE entries SET state = 'active' WHERE id = 1`, "entry 1"},
		{"an active entry masked in place", `UPDATE entries SET state = 'masked' WHERE id = 2`, "entry 2"},
		{"an entry pointed at another record", `UPDATE entries SET record_seq = (SELECT seq FROM entry_versions WHERE entry_id = 3) WHERE id = 2`, "entry 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := loggedNode(t)
			if tc.sql != "" {
				db, err := sql.Open("sqlite", filepath.Join(dir, "chengxin.db"))
				if err != nil {
					t.Fatal(err)
				}
				if res, err := db.Exec(tc.sql); err != nil {
					t.Fatal(err)
				} else if n, _ := res.RowsAffected(); n == 0 {
					t.Fatalf("the tampering touched nothing: %s", tc.sql)
				}
				db.Close()
			}
			err := verifyDir(t, dir, nil)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("an untouched log fails: %v", err)
			case tc.want != "" && err == nil:
				t.Fatal("tampering not detected")
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error %q does not name %q", err, tc.want)
			}
		})
	}
}

// A witness keeps a checkpoint; later the operator rewrites history and
// re-signs everything with a new key. The witness's checkpoint exposes it.
func TestAuditLogSavedCheckpointWitness(t *testing.T) {
	dir, saved := loggedNode(t)
	if err := verifyDir(t, dir, saved); err != nil {
		t.Fatalf("the log, grown or not, is consistent with the saved checkpoint: %v", err)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "chengxin.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Rewrite a check and its leaf hash, and throw away the old checkpoints.
	h, _ := auditlog.NewHasher("sm3")
	for _, q := range []string{`UPDATE checks SET name = '李四'`, `DELETE FROM log_checkpoints`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var fixed [][2]any
	s.LogRecords(context.Background(), 0, int64(saved.Size), func(r *platform.LogRecord) error {
		if r.Check != nil {
			fixed = append(fixed, [2]any{h.HashLeaf(platform.LeafData(r)), r.Index})
		}
		return nil
	})
	s.Close()
	for _, f := range fixed {
		if _, err := db.Exec(`UPDATE checks SET leaf_hash = ? WHERE log_index = ?`, f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	// The operator holds the key: it signs the rewritten log afresh.
	n, err := app.Start(context.Background(), app.Config{Addr: "127.0.0.1:0", DataDir: dir, AdminToken: adminToken,
		Logger: slog.New(slog.DiscardHandler), Log: platform.LogOptions{CheckpointEvery: -1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Platform.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	n.Close(context.Background())
	if err := verifyDir(t, dir, nil); err != nil {
		t.Fatalf("without a witness the re-signed rewrite is self-consistent (%v), which is why witnesses keep checkpoints", err)
	}
	err = verifyDir(t, dir, saved)
	if err == nil || !strings.Contains(err.Error(), "saved checkpoint") || !strings.Contains(err.Error(), "root") {
		t.Fatalf("the witness's checkpoint did not expose the rewrite: %v", err)
	}
}
