package httpapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/chengxin/chengxin/feed"
)

// publishPerson puts a person on a list and returns the entry ID.
func (e *env) publishPerson(list, token, ref, id, name string) string {
	e.t.Helper()
	r := e.post("/v1/lists/"+list+"/entries", token, obj{"source_ref": ref, "reason": "拒不履行生效法律文书确定的义务",
		"subject": obj{"kind": "person", "id_type": "resident_id", "id": id, "name": name}, "details": obj{"court": "贵阳市中级人民法院"}})
	if r.status != 201 {
		e.t.Fatalf("publish: %d %s", r.status, r.raw)
	}
	return r.str("entry_id")
}

func seqs(r response) []float64 {
	var out []float64
	for _, c := range r.get("changes").([]any) {
		out = append(out, c.(map[string]any)["seq"].(float64))
	}
	return out
}

func TestChangeFeed(t *testing.T) {
	e := newEnv(t)
	court := e.org("gz-court", "贵州省高级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	tax := e.org("gz-tax", "国家税务总局贵州省税务局", []string{"source"}, []string{"tax.major_violation"}, nil)
	housing := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer"})
	supervisor := e.org("gy-ndrc", "贵阳市发展和改革委员会", []string{"supervisor"}, nil, nil)

	a := e.publishPerson("court.dishonest", court, "（2019）黔01执1号", residentID("520102", "19800101", 11), "张一")
	e.publishPerson("court.dishonest", court, "（2019）黔01执2号", residentID("520102", "19800101", 23), "张二")
	e.publishPerson("tax.major_violation", tax, "黔税稽罚〔2024〕1号", residentID("520102", "19800101", 35), "张三")
	want(t, e.post("/v1/entries/"+a+"/mask", court, obj{"reason": "已履行", "reason_code": "performed"}), 200)

	tests := []struct {
		name  string
		token string
		seqs  []float64
		full  bool
	}{
		{"department sees the lists its items act on", housing, []float64{1, 2, 4}, false},
		{"source sees its own lists in full", tax, []float64{3}, true},
		{"supervisor sees everything", supervisor, []float64{1, 2, 3, 4}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.get("/v1/changes?after=0", tc.token)
			want(t, r, 200)
			if got := seqs(r); fmt.Sprint(got) != fmt.Sprint(tc.seqs) || r.get("next") != float64(4) {
				t.Fatalf("seqs %v next %v, want %v next 4", got, r.get("next"), tc.seqs)
			}
			if (r.str("changes", "0", "entry", "reason") != "") != tc.full {
				t.Fatalf("full=%v: %s", tc.full, r.raw)
			}
			if r.str("changes", "0", "entry", "subject", "id") == "" {
				t.Fatal("a follower needs the full identifier to match locally")
			}
		})
	}
	last := e.get("/v1/changes?after=3", housing)
	if last.str("changes", "0", "type") != "entry.masked" || last.str("changes", "0", "entry", "state") != "masked" ||
		last.str("changes", "0", "entry", "subject", "name") != "张一" {
		t.Fatalf("mask change: %s", last.raw)
	}
	if page := e.get("/v1/changes?after=0&limit=1", supervisor); fmt.Sprint(seqs(page)) != "[1]" || page.get("next") != float64(1) {
		t.Fatalf("limit: %s", page.raw)
	}
	for _, q := range []string{"after=-1", "after=x", "wait=soon", "limit=-5"} {
		if r := e.get("/v1/changes?"+q, housing); r.status != 422 {
			t.Fatalf("%s: %d", q, r.status)
		}
	}

	// A long poll returns as soon as a change lands.
	got := make(chan response, 1)
	start := time.Now()
	go func() { got <- e.get("/v1/changes?after=4&wait=20s", housing) }()
	time.Sleep(100 * time.Millisecond)
	e.publishPerson("court.dishonest", court, "（2019）黔01执3号", residentID("520102", "19800101", 47), "张四")
	select {
	case r := <-got:
		if fmt.Sprint(seqs(r)) != "[5]" || time.Since(start) > 5*time.Second {
			t.Fatalf("long poll: %s after %s", r.raw, time.Since(start))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("long poll did not return")
	}
	// A change the department may not see does not wake it with an empty page early.
	go func() { got <- e.get("/v1/changes?after=5&wait=1s", housing) }()
	e.publishPerson("tax.major_violation", tax, "黔税稽罚〔2024〕2号", residentID("520102", "19800101", 59), "张五")
	if r := <-got; len(seqs(r)) != 0 || r.get("next") != float64(6) {
		t.Fatalf("invisible change: %s", r.raw)
	}
}

// receiver is a department's real webhook endpoint.
type receiver struct {
	t      *testing.T
	secret string
	srv    *httptest.Server

	mu    sync.Mutex
	down  bool
	delay time.Duration
	seqs  []int64
	bad   int
	got   chan struct{}
}

func newReceiver(t *testing.T, secret string) *receiver {
	rc := &receiver{t: t, secret: secret, got: make(chan struct{}, 1000)}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		down, delay := rc.down, rc.delay
		rc.mu.Unlock()
		time.Sleep(delay)
		if down {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		var d struct {
			Changes []feed.ChangeView `json:"changes"`
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if !feed.Verify(rc.secret, body, r.Header.Get("X-Chengxin-Signature")) || json.Unmarshal(body, &d) != nil {
			rc.bad++
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		for _, c := range d.Changes {
			rc.seqs = append(rc.seqs, c.Seq)
		}
		rc.got <- struct{}{}
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) set(down bool, delay time.Duration) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.down, rc.delay = down, delay
}

// waitFor waits until the receiver holds n changes and returns their seqs.
func (rc *receiver) waitFor(n int, within time.Duration) []int64 {
	rc.t.Helper()
	deadline := time.After(within)
	for {
		rc.mu.Lock()
		got := append([]int64(nil), rc.seqs...)
		rc.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-rc.got:
		case <-deadline:
			rc.t.Fatalf("receiver has %v, want %d changes", got, n)
		}
	}
}

func TestWebhooks(t *testing.T) {
	e := newEnv(t)
	court := e.org("gz-court", "贵州省高级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	housing := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer"})
	rail := e.org("gy-rail", "贵阳车务段", []string{"department"}, nil, []string{"railway.ticket"})
	const secret = "a-long-shared-secret-0001"
	rc := newReceiver(t, secret)

	for _, tc := range []struct {
		name  string
		body  obj
		field string
	}{
		{"not a URL", obj{"url": "dept.gov.cn/hook", "secret": secret}, "url"},
		{"ftp", obj{"url": "ftp://dept.gov.cn/hook", "secret": secret}, "url"},
		{"empty secret", obj{"url": rc.srv.URL, "secret": ""}, "secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.post("/v1/subscriptions", housing, tc.body)
			want(t, r, 422)
			if r.str("error", "field") != tc.field {
				t.Fatalf("field %q: %s", r.str("error", "field"), r.raw)
			}
		})
	}

	sub := e.post("/v1/subscriptions", housing, obj{"url": rc.srv.URL, "secret": secret})
	want(t, sub, 201)
	id := sub.str("id")
	if sub.get("cursor") != float64(0) || sub.str("status") != "ok" || sub.get("secret") != nil {
		t.Fatalf("subscription: %s", sub.raw)
	}

	// The receiver is down while the court publishes.
	rc.set(true, 0)
	for i := range 5 {
		e.publishPerson("court.dishonest", court, fmt.Sprintf("（2020）黔01执%d号", i), residentID("520103", "19700101", 10+i), "李某")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := e.get("/v1/subscriptions/"+id, housing)
		if s.str("last_error") != "" && s.str("status") == "retrying" && s.get("cursor") == float64(0) && s.get("lag") == float64(5) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("failures not shown: %s", s.raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
	rc.set(false, 0)
	if got := rc.waitFor(5, 10*time.Second); fmt.Sprint(got) != "[1 2 3 4 5]" {
		t.Fatalf("after the receiver came back: %v", got)
	}

	// The cursor survives a restart: only new changes arrive afterwards.
	deadline = time.Now().Add(5 * time.Second)
	for e.get("/v1/subscriptions/"+id, housing).get("cursor") != float64(5) {
		if time.Now().After(deadline) {
			t.Fatal("cursor not saved")
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.restart()
	e.publishPerson("court.dishonest", court, "（2020）黔01执99号", residentID("520103", "19700101", 99), "王某")
	if got := rc.waitFor(6, 10*time.Second); fmt.Sprint(got) != "[1 2 3 4 5 6]" {
		t.Fatalf("after restart: %v", got)
	}

	// A slow receiver holds up neither checks nor other subscribers.
	slow := newReceiver(t, secret)
	slow.set(false, 3*time.Second)
	want(t, e.post("/v1/subscriptions", rail, obj{"url": slow.srv.URL, "secret": secret, "after": 0}), 201)
	time.Sleep(200 * time.Millisecond) // the slow delivery is under way
	start := time.Now()
	e.publishPerson("court.dishonest", court, "（2020）黔01执100号", residentID("520103", "19700101", 100), "赵某")
	c := e.post("/v1/checks", housing, obj{"item": "real_estate.transfer", "subject": obj{"id_type": "resident_id", "id": residentID("520103", "19700101", 100)}})
	if c.str("outcome") != "block" {
		t.Fatalf("check: %s", c.raw)
	}
	rc.waitFor(7, 2*time.Second)
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("the fast subscriber waited %s behind the slow one", took)
	}

	if r := e.get("/v1/subscriptions/"+id, rail); r.status != 404 {
		t.Fatalf("another department reads the subscription: %d", r.status)
	}
	list := e.get("/v1/subscriptions", housing)
	if len(list.get("subscriptions").([]any)) != 1 {
		t.Fatalf("list: %s", list.raw)
	}
	want(t, e.do("DELETE", "/v1/subscriptions/"+id, housing, "", nil), 204)
	want(t, e.get("/v1/subscriptions/"+id, housing), 404)
	if rc.bad != 0 {
		t.Fatalf("%d deliveries with a bad signature", rc.bad)
	}
}
