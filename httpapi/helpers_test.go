package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chengxin/chengxin/app"
	"github.com/chengxin/chengxin/push"
)

const adminToken = "test-admin-token"

// testClock is a clock tests move by hand.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// env is a real node on a free port over a real SQLite file.
type env struct {
	t     *testing.T
	dir   string
	clock *testClock
	node  *app.Node
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), clock: &testClock{}}
	e.start()
	t.Cleanup(func() { e.stop() })
	return e
}

func (e *env) start() {
	e.t.Helper()
	n, err := app.Start(context.Background(), app.Config{Addr: "127.0.0.1:0", DataDir: e.dir, AdminToken: adminToken,
		Logger: slog.New(slog.DiscardHandler), Clock: e.clock.Now, ExpiryEvery: -1,
		Push: push.Options{MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}})
	if err != nil {
		e.t.Fatalf("start node: %v", err)
	}
	e.node = n
}

func (e *env) stop() {
	if e.node != nil {
		e.node.Close(context.Background())
		e.node = nil
	}
}

// restart stops the node and starts a new one on the same data.
func (e *env) restart() {
	e.stop()
	e.start()
}

// response is a decoded answer.
type response struct {
	status int
	body   map[string]any
	raw    []byte
}

func (r response) str(path ...string) string {
	v := r.get(path...)
	s, _ := v.(string)
	return s
}

// get walks the body by keys and array indexes ("hits", "0", "measure").
func (r response) get(path ...string) any {
	var v any = r.body
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i := 0
			for _, c := range p {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func (e *env) do(method, path, token, contentType string, body []byte) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.node.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			e.t.Fatalf("%s %s: bad JSON answer %q: %v", method, path, raw, err)
		}
	}
	return out
}

// post sends v as JSON.
func (e *env) post(path, token string, v any) response {
	e.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do("POST", path, token, "application/json", b)
}

func (e *env) get(path, token string) response {
	e.t.Helper()
	return e.do("GET", path, token, "", nil)
}

// want fails the test unless r has the status.
func want(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
}

// org creates an organisation and returns its token.
func (e *env) org(code, name string, roles []string, lists, items []string) string {
	e.t.Helper()
	r := e.post("/v1/orgs", adminToken, map[string]any{"code": code, "name": name, "roles": roles, "lists": lists, "items": items})
	want(e.t, r, http.StatusCreated)
	return r.str("token")
}

type obj = map[string]any

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
