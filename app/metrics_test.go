package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/chengxin/chengxin/app"
)

// An operator scrapes the node's own port: checks by outcome, requests by
// route, the audit log's state — and never a person's identity number.
func TestMetrics(t *testing.T) {
	ctx := context.Background()
	n, err := app.Start(ctx, app.Config{Addr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0", DataDir: t.TempDir(),
		AdminToken: adminToken, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close(ctx)
	nd := &node{t: t, Node: n}
	_, c := nd.post("/v1/orgs", adminToken, map[string]any{"code": "gz-court", "name": "法院", "roles": []string{"source"}, "lists": []string{"court.dishonest"}})
	_, h := nd.post("/v1/orgs", adminToken, map[string]any{"code": "gy-housing", "name": "不动产", "roles": []string{"department"}, "items": []string{"real_estate.transfer"}})
	const id = "11010519491231002X"
	nd.post("/v1/lists/court.dishonest/entries", c["token"].(string), map[string]any{"source_ref": "（2019）黔01执1号", "reason": "拒不履行",
		"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": id, "name": "张三"}})
	for range 2 {
		nd.post("/v1/checks", h["token"].(string), map[string]any{"item": "real_estate.transfer", "subject": map[string]any{"id_type": "resident_id", "id": id}})
	}
	nd.post("/v1/checks", h["token"].(string), map[string]any{"item": "real_estate.transfer", "subject": map[string]any{"id_type": "resident_id", "id": "130503196704010016"}})

	res, err := http.Get(n.MetricsURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	text := string(body)
	for _, want := range []string{
		`chengxin_checks_total{outcome="block"} 2`,
		`chengxin_checks_total{outcome="clear"} 1`,
		`chengxin_http_requests_total{code="200",route="POST /v1/checks"} 3`,
		`chengxin_index_entries 1`,
		`chengxin_entry_changes_total 1`,
		`chengxin_audit_log_leaves`,
		`chengxin_subscriptions{status="failing"} 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(text, id) || strings.Contains(text, "130503") {
		t.Fatal("metrics leak an identity number")
	}
	if res, err := http.Get(n.MetricsURL + "/debug/pprof/"); err != nil || res.StatusCode != 200 {
		t.Fatalf("pprof: %v", err)
	}
	if res, _ := http.Get(n.URL + "/metrics"); res.StatusCode != 404 {
		t.Fatalf("metrics served on the public API port: %d", res.StatusCode)
	}
}
