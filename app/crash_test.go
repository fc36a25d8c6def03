package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chengxin/chengxin/app"
)

const adminToken = "crash-admin-token"

// TestMain lets the test binary act as a server process that a test can
// kill with SIGKILL.
func TestMain(m *testing.M) {
	if dir := os.Getenv("CHENGXIN_CRASH_SERVE"); dir != "" {
		n, err := app.Start(context.Background(), app.Config{Addr: os.Getenv("CHENGXIN_CRASH_ADDR"), DataDir: dir,
			DB: os.Getenv("CHENGXIN_CRASH_DB"), AdminToken: adminToken, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		<-n.Done()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type server struct {
	t    *testing.T
	dir  string
	addr string
	db   string // PostgreSQL URL; empty for the embedded store in dir
	cmd  *exec.Cmd
}

func (s *server) start() {
	s.t.Helper()
	s.cmd = exec.Command(os.Args[0], "-test.run=^$")
	s.cmd.Env = append(os.Environ(), "CHENGXIN_CRASH_SERVE="+s.dir, "CHENGXIN_CRASH_ADDR="+s.addr, "CHENGXIN_CRASH_DB="+s.db)
	s.cmd.Stderr = os.Stderr
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get("http://" + s.addr + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatal("server did not become ready")
}

func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}

func (s *server) call(method, path, token string, body any) (int, map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, "http://"+s.addr+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	var out map[string]any
	err = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out, err
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// A node killed with SIGKILL under load loses no acknowledged check,
// feedback or entry.
func TestKillLosesNoAcknowledgedWrite(t *testing.T) {
	s := &server{t: t, dir: t.TempDir(), addr: freeAddr(t)}
	s.start()
	defer s.kill()

	mk := func(body map[string]any) string {
		st, out, err := s.call("POST", "/v1/orgs", adminToken, body)
		if err != nil || st != 201 {
			t.Fatalf("create org: %d %v %v", st, out, err)
		}
		return out["token"].(string)
	}
	court := mk(map[string]any{"code": "gz-court", "name": "贵州省高级人民法院", "roles": []string{"source"}, "lists": []string{"court.dishonest"}})
	housing := mk(map[string]any{"code": "gy-housing", "name": "贵阳市不动产登记中心", "roles": []string{"department", "supervisor"}, "items": []string{"real_estate.transfer"}})

	var mu sync.Mutex
	var checks, entries []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if w == 0 {
					// One writer publishes entries while the others check.
					st, out, err := s.call("POST", "/v1/lists/court.dishonest/entries", court, map[string]any{
						"source_ref": fmt.Sprintf("（2026）黔01执%d号", i), "reason": "拒不履行",
						"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": "11010519491231002X", "name": "张三"}})
					if err == nil && st == 201 {
						mu.Lock()
						entries = append(entries, out["entry_id"].(string))
						mu.Unlock()
					}
					continue
				}
				st, out, err := s.call("POST", "/v1/checks", housing, map[string]any{"item": "real_estate.transfer",
					"subject": map[string]any{"id_type": "resident_id", "id": "11010519491231002X"}})
				if err == nil && st == 200 {
					mu.Lock()
					checks = append(checks, out["check_id"].(string))
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	s.kill() // while requests are in flight
	close(stop)
	wg.Wait()
	if len(checks) < 100 || len(entries) < 10 {
		t.Fatalf("too little load before the kill: %d checks, %d entries", len(checks), len(entries))
	}

	s.start()
	for _, id := range checks {
		if st, out, err := s.call("GET", "/v1/checks/"+id, housing, nil); err != nil || st != 200 {
			t.Fatalf("acknowledged check %s lost after SIGKILL: %d %v %v", id, st, out, err)
		}
	}
	for _, id := range entries {
		if st, out, err := s.call("GET", "/v1/entries/"+id, court, nil); err != nil || st != 200 {
			t.Fatalf("acknowledged entry %s lost after SIGKILL: %d %v %v", id, st, out, err)
		}
	}
	t.Logf("%d acknowledged checks and %d entries all survived SIGKILL", len(checks), len(entries))
}

// A node killed while a webhook delivery is under way loses no change: the
// cursor moves only on a 2xx, so after restart delivery resumes there.
func TestKillMidDeliveryLosesNoChange(t *testing.T) {
	s := &server{t: t, dir: t.TempDir(), addr: freeAddr(t)}
	s.start()
	defer s.kill()

	var mu sync.Mutex
	seen := map[float64]int{}
	var order []float64
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond) // a slow department system
		var d struct {
			Changes []struct {
				Seq float64 `json:"seq"`
			} `json:"changes"`
		}
		json.NewDecoder(r.Body).Decode(&d)
		mu.Lock()
		for _, c := range d.Changes {
			seen[c.Seq]++
			order = append(order, c.Seq)
		}
		mu.Unlock()
	}))
	defer receiver.Close()

	mk := func(body map[string]any) string {
		st, out, err := s.call("POST", "/v1/orgs", adminToken, body)
		if err != nil || st != 201 {
			t.Fatalf("create org: %d %v %v", st, out, err)
		}
		return out["token"].(string)
	}
	court := mk(map[string]any{"code": "gz-court", "name": "贵州省高级人民法院", "roles": []string{"source"}, "lists": []string{"court.dishonest"}})
	housing := mk(map[string]any{"code": "gy-housing", "name": "贵阳市不动产登记中心", "roles": []string{"department"}, "items": []string{"real_estate.transfer"}})
	if st, out, err := s.call("POST", "/v1/subscriptions", housing, map[string]any{"url": receiver.URL, "secret": "0123456789abcdef-secret", "after": 0}); err != nil || st != 201 {
		t.Fatalf("subscribe: %d %v %v", st, out, err)
	}
	const total = 60
	for i := range total {
		if st, out, err := s.call("POST", "/v1/lists/court.dishonest/entries", court, map[string]any{
			"source_ref": fmt.Sprintf("（2026）黔01执%d号", i), "reason": "拒不履行",
			"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": "11010519491231002X", "name": "张三"}}); err != nil || st != 201 {
			t.Fatalf("publish: %d %v %v", st, out, err)
		}
		if i == total/2 {
			time.Sleep(200 * time.Millisecond) // let deliveries start
		}
	}
	s.kill() // a delivery is under way: the receiver takes 150 ms each
	mu.Lock()
	before := len(seen)
	mu.Unlock()
	if before >= total {
		t.Fatalf("everything was delivered before the kill (%d); the test proves nothing", before)
	}
	s.start()
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		got := len(seen)
		mu.Unlock()
		if got == total {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after restart the receiver has %d of %d changes", got, total)
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i < len(order); i++ {
		if order[i] <= order[i-1] && seen[order[i]] == 1 {
			t.Fatalf("out of order delivery: %v", order)
		}
	}
	t.Logf("%d delivered before the kill, all %d after restart (%d deliveries in all)", before, total, len(order))
}
