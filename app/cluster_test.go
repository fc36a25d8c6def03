package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/chengxin/chengxin/app"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/push"
	"github.com/chengxin/chengxin/store/postgres"
	"github.com/chengxin/chengxin/storetest"
)

// node is one in-process node of a cluster.
type node struct {
	t testing.TB
	*app.Node
}

func startNode(t *testing.T, dsn string) *node {
	t.Helper()
	n, err := app.Start(context.Background(), app.Config{Addr: "127.0.0.1:0", DB: dsn, AdminToken: adminToken,
		Logger: slog.New(slog.DiscardHandler), Push: push.Options{MinBackoff: 10 * time.Millisecond}})
	if err != nil {
		t.Fatalf("start node: %v", err)
	}
	t.Cleanup(func() { n.Close(context.Background()) })
	return &node{t: t, Node: n}
}

func (n *node) do(method, path, token, ctype string, body []byte) (int, map[string]any, http.Header) {
	n.t.Helper()
	req, _ := http.NewRequest(method, n.URL+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return res.StatusCode, out, res.Header
}

func (n *node) post(path, token string, body any) (int, map[string]any) {
	b, _ := json.Marshal(body)
	st, out, _ := n.do("POST", path, token, "application/json", b)
	return st, out
}

// eventually retries cond for up to d and reports how long it took.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

func TestTwoNodesShareOnePostgres(t *testing.T) {
	dsn := storetest.Postgres(t)
	a := startNode(t, dsn)
	b := startNode(t, dsn)

	mk := func(body map[string]any) string {
		st, out := a.post("/v1/orgs", adminToken, body)
		if st != 201 {
			t.Fatalf("create org: %d %v", st, out)
		}
		return out["token"].(string)
	}
	court := mk(map[string]any{"code": "gz-court", "name": "贵州省高级人民法院", "roles": []string{"source"}, "lists": []string{"court.dishonest"}})
	housing := mk(map[string]any{"code": "gy-housing", "name": "贵阳市不动产登记中心", "roles": []string{"department"}, "items": []string{"real_estate.transfer"}})

	// An organisation created on A is known on B at once.
	const id = "11010519491231002X"
	st, out := b.post("/v1/lists/court.dishonest/entries", court, map[string]any{"source_ref": "（2019）黔0112执1234号", "reason": "拒不履行",
		"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": id, "name": "张三"}})
	if st != 201 {
		t.Fatalf("publish on B: %d %v", st, out)
	}
	entry := out["entry_id"].(string)
	check := map[string]any{"item": "real_estate.transfer", "subject": map[string]any{"id_type": "resident_id", "id": id}}
	outcome := func(n *node) string {
		_, out := n.post("/v1/checks", housing, check)
		s, _ := out["outcome"].(string)
		return s
	}
	if got := outcome(b); got != "block" {
		t.Fatalf("the node that took the publish must decide by it before answering: %s", got)
	}
	took := eventually(t, time.Second, "publish on B decides checks on A", func() bool { return outcome(a) == "block" })
	t.Logf("B→A in %s", took)

	if st, out := a.post("/v1/entries/"+entry+"/mask", court, map[string]any{"reason": "已履行"}); st != 200 {
		t.Fatalf("mask on A: %d %v", st, out)
	}
	if got := outcome(a); got != "clear" {
		t.Fatalf("after mask on A, A says %s", got)
	}
	took = eventually(t, time.Second, "mask on A clears checks on B", func() bool { return outcome(b) == "clear" })
	t.Logf("A→B in %s", took)

	// Checks are shared: one made on B is read on A.
	_, c := b.post("/v1/checks", housing, check)
	if st, out, _ := a.do("GET", "/v1/checks/"+c["check_id"].(string), housing, "", nil); st != 200 || out["outcome"] != "clear" {
		t.Fatalf("check from B read on A: %d %v", st, out)
	}

	// A rotated token stops working on every node.
	_, rot := a.post("/v1/orgs/gy-housing/token", adminToken, nil)
	eventually(t, 3*time.Second, "old token refused on B", func() bool {
		st, _, _ := b.do("GET", "/v1/lists", housing, "", nil)
		return st == 401
	})
	housing = rot["token"].(string)

	// A catalog replaced on A is in force on B.
	v2 := strings.Replace(string(catalog.DefaultYAML()), `version: "2026.11-1"`, `version: "2026.11-2"`, 1)
	if st, out, _ := a.do("PUT", "/v1/catalog", adminToken, "application/yaml", []byte(v2)); st != 200 {
		t.Fatalf("replace catalog: %d %v", st, out)
	}
	eventually(t, 3*time.Second, "catalog version on B", func() bool {
		_, _, h := b.do("GET", "/v1/catalog", housing, "", nil)
		return h.Get("X-Catalog-Version") == "2026.11-2"
	})

	// Two nodes, one subscription: each change is delivered once, in order.
	var mu sync.Mutex
	var seqs []float64
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var d struct {
			Changes []struct{ Seq float64 } `json:"changes"`
		}
		json.NewDecoder(r.Body).Decode(&d)
		mu.Lock()
		for _, c := range d.Changes {
			seqs = append(seqs, c.Seq)
		}
		mu.Unlock()
	}))
	defer receiver.Close()
	if st, out := b.post("/v1/subscriptions", housing, map[string]any{"url": receiver.URL, "secret": "cluster-secret-0123456", "after": 0}); st != 201 {
		t.Fatalf("subscribe: %d %v", st, out)
	}
	for i := range 6 {
		n := a
		if i%2 == 1 {
			n = b
		}
		if st, out := n.post("/v1/lists/court.dishonest/entries", court, map[string]any{"source_ref": fmt.Sprintf("（2020）黔01执%d号", i), "reason": "拒不履行",
			"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": id, "name": "张三"}}); st != 201 {
			t.Fatalf("publish %d: %d %v", i, st, out)
		}
	}
	eventually(t, 5*time.Second, "8 changes delivered", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seqs) >= 8
	})
	time.Sleep(300 * time.Millisecond) // any duplicate delivery would arrive by now
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(seqs) != "[1 2 3 4 5 6 7 8]" {
		t.Fatalf("deliveries across two nodes: %v", seqs)
	}
}

// A node killed with SIGKILL under load loses no acknowledged check: every
// one can be read back from another node.
func TestKillOneNodeOthersHaveEveryAcknowledgedCheck(t *testing.T) {
	dsn := storetest.Postgres(t)
	b := startNode(t, dsn)
	st, out := b.post("/v1/orgs", adminToken, map[string]any{"code": "gy-housing", "name": "贵阳市不动产登记中心",
		"roles": []string{"department"}, "items": []string{"real_estate.transfer"}})
	if st != 201 {
		t.Fatalf("create org: %d %v", st, out)
	}
	housing := out["token"].(string)

	a := &server{t: t, dir: t.TempDir(), addr: freeAddr(t), db: dsn}
	a.start()
	defer a.kill()

	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				st, out, err := a.call("POST", "/v1/checks", housing, map[string]any{"item": "real_estate.transfer",
					"subject": map[string]any{"id_type": "resident_id", "id": "11010519491231002X"}})
				if err == nil && st == 200 {
					mu.Lock()
					acked = append(acked, out["check_id"].(string))
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	a.kill()
	close(stop)
	wg.Wait()
	if len(acked) < 100 {
		t.Fatalf("too little load before the kill: %d checks", len(acked))
	}
	for _, id := range acked {
		if st, out, _ := b.do("GET", "/v1/checks/"+id, housing, "", nil); st != 200 {
			t.Fatalf("acknowledged check %s missing on the surviving node: %d %v", id, st, out)
		}
	}
	t.Logf("all %d checks acknowledged by the killed node are on the other", len(acked))
}

// BenchmarkClusterPropagation measures how long a mask on node A takes to
// decide checks on node B: B's long poll returns only after B's index has
// applied the change. Departments check on B meanwhile.
func BenchmarkClusterPropagation(b *testing.B) {
	dsn := storetest.Postgres(b)
	start := func() *app.Node {
		n, err := app.Start(context.Background(), app.Config{Addr: "127.0.0.1:0", DB: dsn, AdminToken: adminToken, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { n.Close(context.Background()) })
		return n
	}
	na, nb := &node{t: b, Node: start()}, &node{t: b, Node: start()}
	_, c := na.post("/v1/orgs", adminToken, map[string]any{"code": "gz-court", "name": "法院", "roles": []string{"source"}, "lists": []string{"court.dishonest"}})
	_, h := na.post("/v1/orgs", adminToken, map[string]any{"code": "gy-housing", "name": "不动产", "roles": []string{"department"}, "items": []string{"real_estate.transfer"}})
	court, housing := c["token"].(string), h["token"].(string)
	_, e := na.post("/v1/lists/court.dishonest/entries", court, map[string]any{"source_ref": "（2019）黔0112执1234号", "reason": "拒不履行",
		"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": "11010519491231002X", "name": "张三"}})
	entry := e["entry_id"].(string)

	seen := newArrivals()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var checks atomic.Int64
	longPoll(&wg, stop, nb.URL, housing, seen)
	checkLoad(&wg, stop, nb.URL, housing, 4, &checks)
	var lat []time.Duration
	verbs := []string{"mask", "restore"}
	i := 0
	for b.Loop() {
		t0 := time.Now()
		_, out := na.post("/v1/entries/"+entry+"/"+verbs[i%2], court, map[string]any{"reason": "履行情况变化"})
		i++
		lat = append(lat, seen.wait(b, int64(out["seq"].(float64))).Sub(t0))
	}
	close(stop)
	wg.Wait()
	b.ReportMetric(percentile(lat, 0.5), "a-to-b-p50-ms")
	b.ReportMetric(percentile(lat, 0.99), "a-to-b-p99-ms")
}

// The audit log on PostgreSQL verifies, and fails naming the record once a
// row is changed behind the platform's back.
func TestAuditLogOnPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.Postgres(t)
	n, err := app.Start(ctx, app.Config{Addr: "127.0.0.1:0", DB: dsn, AdminToken: adminToken, Logger: slog.New(slog.DiscardHandler),
		Log: platform.LogOptions{KeyPath: filepath.Join(t.TempDir(), "log-key.pem"), CheckpointEvery: -1}})
	if err != nil {
		t.Fatal(err)
	}
	nd := &node{t: t, Node: n}
	_, h := nd.post("/v1/orgs", adminToken, map[string]any{"code": "gy-housing", "name": "不动产", "roles": []string{"department"}, "items": []string{"real_estate.transfer"}})
	for range 3 {
		nd.post("/v1/checks", h["token"].(string), map[string]any{"item": "real_estate.transfer", "subject": map[string]any{"id_type": "resident_id", "id": "11010519491231002X"}})
	}
	if _, err := n.Platform.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	n.Close(ctx)

	verify := func() error {
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		_, err = platform.VerifyLog(ctx, s, nil)
		return err
	}
	if err := verify(); err != nil {
		t.Fatalf("an untouched log fails: %v", err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `UPDATE checks SET operator = '改过' WHERE log_index = (SELECT max(log_index) FROM checks)`); err != nil {
		t.Fatal(err)
	}
	if err := verify(); err == nil || !strings.Contains(err.Error(), "check") {
		t.Fatalf("tampering on PostgreSQL not detected: %v", err)
	}
}

// A console session made on one node is good on every node: a load balancer
// need not pin a signed-in user to one node.
func TestConsoleSessionWorksOnEveryNode(t *testing.T) {
	dsn := storetest.Postgres(t)
	a, b := startNode(t, dsn), startNode(t, dsn)
	_, sup := a.post("/v1/orgs", adminToken, map[string]any{"code": "gy-ndrc", "name": "贵阳市发展和改革委员会", "roles": []string{"supervisor"}})

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(a.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the sign-in page")
	}
	res, err = client.PostForm(a.URL+"/login", url.Values{"csrf": {string(m[1])}, "token": {sup["token"].(string)}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "cx_session" {
			session = c
		}
	}
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound || session == nil {
		t.Fatalf("sign-in on A: %d, session cookie %v", res.StatusCode, session)
	}
	req, _ := http.NewRequest("GET", b.URL+"/", nil)
	req.AddCookie(session)
	res, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "贵阳市发展和改革委员会") {
		t.Fatalf("the session from A is refused on B: %d", res.StatusCode)
	}
}
