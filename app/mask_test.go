package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/chengxin/chengxin/app"
	"github.com/chengxin/chengxin/platform"
)

// An operator may choose how much of an identifier the public sees.
func TestPublicMaskIsConfigurable(t *testing.T) {
	ctx := context.Background()
	n, err := app.Start(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), AdminToken: adminToken,
		Logger: slog.New(slog.DiscardHandler), Mask: platform.Mask{Head: 6, Tail: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close(ctx)
	nd := &node{t: t, Node: n}
	_, c := nd.post("/v1/orgs", adminToken, map[string]any{"code": "gz-court", "name": "法院", "roles": []string{"source"}, "lists": []string{"court.dishonest"}})
	nd.post("/v1/lists/court.dishonest/entries", c["token"].(string), map[string]any{"source_ref": "（2019）黔01执1号", "reason": "拒不履行",
		"subject": map[string]any{"kind": "person", "id_type": "resident_id", "id": "11010519491231002X", "name": "张三"}})
	for _, path := range []string{"/v1/public/search?id=11010519491231002X", "/public/search?id=11010519491231002X"} {
		res, err := http.Get(n.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(body), "110105***********X") || strings.Contains(string(body), "11010519491231002X") {
			t.Fatalf("%s does not use the configured mask: %.400s", path, body)
		}
	}
}

// The public window's limit is one per client, whichever door it uses: the
// API and the console page draw on the same bucket.
func TestPublicLimitIsSharedByAPIAndConsole(t *testing.T) {
	ctx := context.Background()
	n, err := app.Start(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), AdminToken: adminToken, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close(ctx)
	for i := range platform.PublicBurst {
		res, err := http.Get(n.URL + "/v1/public/search?name=张三")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("search %d: %v %v", i, res.StatusCode, err)
		}
		res.Body.Close()
	}
	res, err := http.Get(n.URL + "/public/search?name=张三")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the console page gave a fresh burst after the API's: %d", res.StatusCode)
	}
}
