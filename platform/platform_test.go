package platform_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/sqlite"
	"github.com/chengxin/chengxin/subject"
)

// residentID builds a valid resident ID from a 17-digit body.
func residentID(body string) string {
	return body + string(subject.ResidentCheckDigit(body))
}

func open(tb testing.TB) (*platform.Platform, *org.Org) {
	tb.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	p, err := platform.Open(ctx, store, platform.Options{ExpiryEvery: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p.Close(); store.Close() })
	if _, err := p.EnsureAdmin(ctx, "admin"); err != nil {
		tb.Fatal(err)
	}
	admin, _ := p.Authenticate("admin")
	token, err := p.CreateOrg(ctx, admin, org.Org{Code: "gz-court", Name: "贵州省高级人民法院", Roles: []org.Role{org.Source},
		Lists: []string{"court.dishonest"}})
	if err != nil {
		tb.Fatal(err)
	}
	court, _ := p.Authenticate(token)
	return p, court
}

func rows(n, from int) []platform.Row {
	out := make([]platform.Row, n)
	for i := range out {
		k := from + i
		out[i] = platform.Row{Row: i + 1, Draft: entry.Draft{
			SourceRef: fmt.Sprintf("（2024）黔01执%d号", k),
			Subject: entry.Subject{Kind: subject.Person, IDType: subject.ResidentID,
				ID: residentID(fmt.Sprintf("520102%s%03d", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, k%15000).Format("20060102"), k%1000)), Name: "王小明"},
			Reason:  "有履行能力而拒不履行生效法律文书确定义务",
			Details: map[string]string{"court": "贵阳市中级人民法院", "performance": "全部未履行"},
		}}
	}
	return out
}

// A batch larger than one transaction's chunk is stored whole, the same
// reference twice in one batch becomes two versions, and the index follows.
func TestPublishBatchAcrossChunks(t *testing.T) {
	p, court := open(t)
	ctx := context.Background()
	batch := rows(12000, 0)
	batch = append(batch, platform.Row{Row: 12001, Draft: batch[0].Draft})
	batch[12000].Draft.Reason = "隐匿财产规避执行"
	res, err := p.PublishBatch(ctx, court, "court.dishonest", batch)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("row %d: %v", r.Row, r.Err)
		}
	}
	if res[12000].Entry.ID != res[0].Entry.ID || res[12000].Entry.Version != 2 {
		t.Fatalf("repeated reference: %+v", res[12000].Entry)
	}
	if p.IndexLen() != 12000 {
		t.Fatalf("index holds %d", p.IndexLen())
	}
}

// BenchmarkPublishBatch measures batch ingest into SQLite with validation,
// versions and the index update, in 5,000-row batches.
func BenchmarkPublishBatch(b *testing.B) {
	p, court := open(b)
	ctx := context.Background()
	const batch = 5000
	n := 0
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		rs := rows(batch, n)
		res, err := p.PublishBatch(ctx, court, "court.dishonest", rs)
		if err != nil || res[0].Err != nil {
			b.Fatal(err, res[0].Err)
		}
		n += batch
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "entries/s")
}
