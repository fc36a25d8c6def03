package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
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

	var mu sync.Mutex
	hooked := map[int64]time.Time{}
	polled := map[int64]time.Time{}
	arrived := make(chan struct{}, 1<<16)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var d struct {
			Changes []struct{ Seq int64 } `json:"changes"`
		}
		json.NewDecoder(r.Body).Decode(&d)
		now := time.Now()
		mu.Lock()
		for _, c := range d.Changes {
			hooked[c.Seq] = now
		}
		mu.Unlock()
		arrived <- struct{}{}
	}))
	defer receiver.Close()
	post("/v1/subscriptions", housing, map[string]any{"url": receiver.URL, "secret": "benchmark-secret-0123"})

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a department long-polling the feed
		defer wg.Done()
		after := int64(1)
		for {
			select {
			case <-stop:
				return
			default:
			}
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/v1/changes?after=%d&wait=2s", n.URL, after), nil)
			req.Header.Set("Authorization", "Bearer "+housing)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				continue
			}
			var page struct {
				Changes []struct{ Seq int64 } `json:"changes"`
				Next    int64                 `json:"next"`
			}
			json.NewDecoder(res.Body).Decode(&page)
			res.Body.Close()
			now := time.Now()
			mu.Lock()
			for _, c := range page.Changes {
				polled[c.Seq] = now
			}
			mu.Unlock()
			after = max(after, page.Next)
			arrived <- struct{}{}
		}
	}()
	var checks atomic.Int64
	for range 8 { // load: departments checking as fast as they can
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := []byte(`{"item":"real_estate.transfer","subject":{"id_type":"resident_id","id":"11010519491231002X"}}`)
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("POST", n.URL+"/v1/checks", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+housing)
				req.Header.Set("Content-Type", "application/json")
				if res, err := http.DefaultClient.Do(req); err == nil {
					res.Body.Close()
					checks.Add(1)
				}
			}
		}()
	}

	var toHook, toPoll []time.Duration
	verbs := []string{"mask", "restore"}
	i := 0
	start := time.Now()
	for b.Loop() {
		t0 := time.Now()
		seq := int64(post("/v1/entries/"+entry+"/"+verbs[i%2], court, map[string]any{"reason": "履行情况变化"})["seq"].(float64))
		i++
		for {
			mu.Lock()
			h, hok := hooked[seq]
			p, pok := polled[seq]
			mu.Unlock()
			if hok && pok {
				toHook, toPoll = append(toHook, h.Sub(t0)), append(toPoll, p.Sub(t0))
				break
			}
			select {
			case <-arrived:
			case <-time.After(5 * time.Second):
				b.Fatalf("change %d did not arrive in 5 s", seq)
			}
		}
	}
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	pct := func(ds []time.Duration, p float64) float64 {
		slices.Sort(ds)
		return float64(ds[int(float64(len(ds)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(toHook, 0.5), "webhook-p50-ms")
	b.ReportMetric(pct(toHook, 0.99), "webhook-p99-ms")
	b.ReportMetric(pct(toPoll, 0.5), "longpoll-p50-ms")
	b.ReportMetric(pct(toPoll, 0.99), "longpoll-p99-ms")
	b.ReportMetric(float64(checks.Load())/elapsed.Seconds(), "checks/s")
}
