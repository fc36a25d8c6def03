package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chengxin/chengxin/app"
	"github.com/chengxin/chengxin/push"
)

// BenchmarkPropagation measures how long a mask takes to reach a department:
// from the mask call's start to the webhook arriving, and to a waiting long
// poll returning, while other departments check at full speed.
func BenchmarkPropagation(b *testing.B) {
	ctx := context.Background()
	n, err := app.Start(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: b.TempDir(), AdminToken: adminToken,
		Logger: slog.New(slog.DiscardHandler), Push: push.Options{MinBackoff: 10 * time.Millisecond}})
	if err != nil {
		b.Fatal(err)
	}
	defer n.Close(ctx)
	post := func(path, token string, body any) map[string]any {
		buf, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", n.URL+path, bytes.NewReader(buf))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		json.NewDecoder(res.Body).Decode(&out)
		if res.StatusCode >= 300 {
			b.Fatalf("%s: %d %v", path, res.StatusCode, out)
		}
		return out
	}
	court := post("/v1/orgs", adminToken, map[string]any{"code": "gz-court", "name": "法院", "roles": []string{"source"}, "lists": []string{"court.dishonest"}})["token"].(string)
	housing := post("/v1/orgs", adminToken, map[string]any{"code": "gy-housing", "name": "不动产", "roles": []string{"department"}, "items": []string{"real_estate.transfer"}})["token"].(string)
	entry := post("/v1/lists/court.dishonest/entries", court, map[string]any{"source_ref": "（2019）黔0112执1234号", "reason": "拒不履行",
		"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": "11010519491231002X", "name": "张三"}})["entry_id"].(string)

	hooked, polled := newArrivals(), newArrivals()
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var d seqs
		json.NewDecoder(r.Body).Decode(&d)
		hooked.record(d.list())
	}))
	defer receiver.Close()
	post("/v1/subscriptions", housing, map[string]any{"url": receiver.URL, "secret": "benchmark-secret-0123"})

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var checks atomic.Int64
	longPoll(&wg, stop, n.URL, housing, polled)
	checkLoad(&wg, stop, n.URL, housing, 8, &checks)

	var toHook, toPoll []time.Duration
	verbs := []string{"mask", "restore"}
	i := 0
	start := time.Now()
	for b.Loop() {
		t0 := time.Now()
		seq := int64(post("/v1/entries/"+entry+"/"+verbs[i%2], court, map[string]any{"reason": "履行情况变化"})["seq"].(float64))
		i++
		toHook = append(toHook, hooked.wait(b, seq).Sub(t0))
		toPoll = append(toPoll, polled.wait(b, seq).Sub(t0))
	}
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	b.ReportMetric(percentile(toHook, 0.5), "webhook-p50-ms")
	b.ReportMetric(percentile(toHook, 0.99), "webhook-p99-ms")
	b.ReportMetric(percentile(toPoll, 0.5), "longpoll-p50-ms")
	b.ReportMetric(percentile(toPoll, 0.99), "longpoll-p99-ms")
	b.ReportMetric(float64(checks.Load())/elapsed.Seconds(), "checks/s")
}
