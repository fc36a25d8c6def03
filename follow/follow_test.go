package follow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chengxin/chengxin/app"
	"github.com/chengxin/chengxin/follow"
	"github.com/chengxin/chengxin/subject"
)

const admin = "follow-admin"

func call(t *testing.T, n *app.Node, path, token string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", n.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode >= 300 {
		t.Fatalf("%s: %d %v", path, res.StatusCode, out)
	}
	return out
}

func residentID(body string) string {
	return body + string(subject.ResidentCheckDigit(body))
}

func TestFollowerKeepsAVerifiedCopy(t *testing.T) {
	ctx := context.Background()
	n, err := app.Start(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), AdminToken: admin, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close(ctx)
	org := func(body map[string]any) string { return call(t, n, "/v1/orgs", admin, body)["token"].(string) }
	court := org(map[string]any{"code": "gz-court", "name": "贵州省高级人民法院", "roles": []string{"source"}, "lists": []string{"court.dishonest"}})
	tax := org(map[string]any{"code": "gz-tax", "name": "贵州省税务局", "roles": []string{"source"}, "lists": []string{"tax.major_violation"}})
	housing := org(map[string]any{"code": "gy-housing", "name": "贵阳市不动产登记中心", "roles": []string{"department"}, "items": []string{"real_estate.transfer"}})

	ids := []string{residentID("52010219800101011"), residentID("52010219800101023"), residentID("52010219800101035")}
	var entries []string
	for i, id := range ids {
		out := call(t, n, "/v1/lists/court.dishonest/entries", court, map[string]any{"source_ref": fmt.Sprintf("（2019）黔01执%d号", i), "reason": "拒不履行",
			"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": id, "name": "张某"}})
		entries = append(entries, out["entry_id"].(string))
	}
	call(t, n, "/v1/entries/"+entries[1]+"/mask", court, map[string]any{"reason": "已履行"})
	call(t, n, "/v1/lists/tax.major_violation/entries", tax, map[string]any{"source_ref": "黔税〔2024〕1号", "reason": "偷税",
		"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": ids[2], "name": "张某"}})

	dir := t.TempDir()
	f, err := follow.Open(dir, n.URL, housing, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.Sync(ctx, 0); err != nil || got != 4 {
		t.Fatalf("first sync applied %d: %v", got, err)
	}
	tests := []struct {
		id   string
		hits int
	}{{ids[0], 1}, {ids[1], 0}, {ids[2], 1}}
	for _, tc := range tests {
		m, err := f.Lookup(ctx, subject.ResidentID, tc.id)
		if err != nil || len(m) != tc.hits {
			t.Fatalf("lookup %s: %d matches, %v", tc.id, len(m), err)
		}
		if tc.hits > 0 && (m[0].Entry.List != "court.dishonest" || m[0].Entry.Reason != "") {
			t.Fatalf("the copy holds more than the department may see: %+v", m[0].Entry)
		}
	}
	if c, _ := f.Cursor(ctx); c != 5 {
		t.Fatalf("cursor %d, want 5 (past the tax change it may not see)", c)
	}
	f.Close()

	// Reopened, it resumes from its cursor and long-polls for the next change.
	f, err = follow.Open(dir, n.URL, housing, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	done := make(chan int, 1)
	go func() {
		got, _ := f.Sync(ctx, 10*time.Second)
		done <- got
	}()
	time.Sleep(100 * time.Millisecond)
	call(t, n, "/v1/entries/"+entries[1]+"/restore", court, map[string]any{"reason": "履行款未到账"})
	if got := <-done; got != 1 {
		t.Fatalf("resumed sync applied %d", got)
	}
	if m, _ := f.Lookup(ctx, subject.ResidentID, ids[1]); len(m) != 1 {
		t.Fatal("restored entry missing from the copy")
	}
}

func TestFollowerRefusesABadPage(t *testing.T) {
	pages := []string{
		`{"changes":[{"seq":2,"type":"entry.published","entry":{"entry_id":"1","list":"court.dishonest","state":"active","version":1,"subject":{"kind":"person","id_type":"resident_id","id":"11010519491231002X","name":"张三"}}},
		             {"seq":1,"type":"entry.published","entry":{"entry_id":"2","list":"court.dishonest","state":"active","version":1,"subject":{"kind":"person","id_type":"resident_id","id":"11010519491231002X","name":"张三"}}}],"next":2}`,
		`{"changes":[{"seq":1,"type":"entry.published","entry":{"entry_id":"1","list":"court.dishonest","state":"active","version":1,"subject":{"kind":"person","id_type":"resident_id","id":"110105194912310021","name":"张三"}}}],"next":1}`,
	}
	for i, body := range pages {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) }))
		f, err := follow.Open(t.TempDir(), srv.URL, "t", nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Sync(context.Background(), 0)
		var bad *follow.VerifyError
		if !errors.As(err, &bad) {
			t.Fatalf("page %d accepted: %v", i, err)
		}
		if c, _ := f.Cursor(context.Background()); c != 0 {
			t.Fatalf("page %d: cursor moved to %d", i, c)
		}
		f.Close()
		srv.Close()
	}
}
