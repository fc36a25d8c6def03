package console_test

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chengxin/chengxin/app"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
)

const (
	adminToken = "console-admin-token"
	personID   = "11010519491231002X"
)

// The console in a real headless Chromium: sign-in, public search masking,
// a department's one-click feedback, the dashboard updating live, English.
// Screenshots go to the test's output folder (CONSOLE_SHOTS overrides it).
func TestConsoleInBrowser(t *testing.T) {
	chrome, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is required for the console's browser tests in CI")
		}
		t.Skip("chromium not installed: skipping the console's browser tests (apt-get install chromium fonts-noto-cjk)")
	}
	ctx := context.Background()
	n, err := app.Start(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), AdminToken: adminToken, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close(ctx)
	p := n.Platform
	mk := func(o org.Org) (*org.Org, string) {
		tok, err := p.CreateOrg(ctx, n.Admin, o)
		if err != nil {
			t.Fatal(err)
		}
		a, err := p.Authenticate(tok)
		if err != nil {
			t.Fatal(err)
		}
		return a, tok
	}
	court, _ := mk(org.Org{Code: "gz-court", Name: "贵阳市中级人民法院", Roles: []org.Role{org.Source}, Lists: []string{"court.dishonest"}})
	housing, housingTok := mk(org.Org{Code: "gy-housing", Name: "贵阳市不动产登记中心", Roles: []org.Role{org.Department}, Items: []string{"real_estate.transfer"}})
	_, supTok := mk(org.Org{Code: "gz-ndrc", Name: "贵州省发展改革委", Roles: []org.Role{org.Supervisor}})
	if _, err := p.Publish(ctx, court, "court.dishonest", entry.Draft{SourceRef: "（2026）黔01执1号", Reason: "有履行能力而拒不履行生效法律文书确定义务",
		Subject: entry.Subject{Kind: "person", IDType: "resident_id", ID: personID, Name: "张三"}, Details: map[string]string{"court": "贵阳市中级人民法院"}}); err != nil {
		t.Fatal(err)
	}
	checkOnce := func() *check.Record {
		rec, err := p.Check(ctx, housing, platform.CheckRequest{Item: "real_estate.transfer", Subject: check.Subject{IDType: "resident_id", ID: personID, Name: "张三"}, Operator: "窗口03"})
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	hit := checkOnce()

	out := os.Getenv("CONSOLE_SHOTS")
	if out == "" {
		out = t.TempDir()
	}
	os.MkdirAll(out, 0o755)
	t.Logf("screenshots in %s", out)

	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1440, 900),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true)}
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	bctx, cancelT := context.WithTimeout(bctx, 90*time.Second)
	defer cancelT()

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	html := func() string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.OuterHTML(chromedp.CSS("html")))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	shot := func(name string) {
		t.Helper()
		b, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	signIn := func(token string) {
		t.Helper()
		do("sign in", chromedp.Navigate(n.URL+"/login"), chromedp.SetValue(chromedp.CSS("#token"), token), chromedp.Click(chromedp.CSS("#signin")),
			chromedp.WaitReady(chromedp.CSS("main")))
	}
	signOut := func() {
		do("sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS("#token")))
	}

	t.Run("SignIn", func(t *testing.T) {
		do("login", chromedp.Navigate(n.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#token")))
		shot("login")
		signIn("wrong-token")
		do("error", chromedp.WaitVisible(chromedp.CSS("#error")))
		if s := html(); !strings.Contains(s, "令牌无效") {
			t.Error("a wrong token does not show the Chinese error")
		}
		shot("login-error")
		signIn(supTok)
		do("dashboard", chromedp.WaitVisible(chromedp.CSS("#today-checks")), chromedp.WaitVisible(chromedp.CSS("#trend canvas")))
		if s := html(); !strings.Contains(s, "数据大屏") || !strings.Contains(s, "贵阳市不动产登记中心") {
			t.Error("the dashboard lacks its title or the department ranking")
		}
		shot("dashboard")
	})

	t.Run("DashboardLive", func(t *testing.T) {
		// Today's point of the trend chart, as the chart itself holds it.
		const todayPoint = `echarts.getInstanceByDom(document.getElementById("trend")).getOption().series[0].data.slice(-1)[0]`
		before, _ := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("#today-checks")))
		pointBefore, _ := chromedp.Run(bctx, chromedp.Evaluate[float64](todayPoint))
		checkOnce()
		deadline := time.Now().Add(10 * time.Second)
		for {
			now, _ := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("#today-checks")))
			point, _ := chromedp.Run(bctx, chromedp.Evaluate[float64](todayPoint))
			rank, _ := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("#ranking tr:first-child td:nth-child(3)")))
			if now != before && now != "" && point > pointBefore && rank == now {
				t.Logf("today's checks went %s → %s and the chart's today %v → %v, without reload", before, now, pointBefore, point)
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after a check, today's figure stayed %q, the chart's point %v, or the ranking's checks %q", before, pointBefore, rank)
			}
			time.Sleep(300 * time.Millisecond)
		}
		shot("dashboard-live")
	})

	t.Run("English", func(t *testing.T) {
		do("english", chromedp.Click(chromedp.CSS("#lang")), chromedp.WaitVisible(chromedp.CSS("#today-checks")))
		if s := html(); !strings.Contains(s, "Dashboard") || !strings.Contains(s, "Feedback rate") {
			t.Error("the English switch did not translate the page")
		}
		shot("dashboard-en")
		do("catalog en", chromedp.Navigate(n.URL+"/catalog"), chromedp.WaitVisible(chromedp.CSS("main table")))
		if s := html(); !strings.Contains(s, "Check items") {
			t.Error("the language did not stick to the next page")
		}
		shot("catalog-en")
		do("back to chinese", chromedp.Click(chromedp.CSS("#lang")), chromedp.WaitVisible(chromedp.CSS("main table")))
		if s := html(); !strings.Contains(s, "核查事项") {
			t.Error("the Chinese switch did not translate back")
		}
		shot("catalog")
		signOut()
	})

	t.Run("PublicSearch", func(t *testing.T) {
		do("search", chromedp.Navigate(n.URL+"/public/search"), chromedp.SetValue(chromedp.CSS(`#search input[name="id"]`), personID),
			chromedp.Click(chromedp.CSS(`#search button`)), chromedp.WaitVisible(chromedp.CSS(".record")))
		s := html()
		if strings.Contains(s, personID) {
			t.Error("the public page shows the full identity number")
		}
		if !strings.Contains(s, "1101**********002X") {
			t.Errorf("the public page lacks the masked number")
		}
		shot("public-search")
	})

	t.Run("Feedback", func(t *testing.T) {
		signIn(housingTok)
		row := chromedp.CSS(`tr[data-check="` + hit.ID + `"]`)
		do("desk", chromedp.WaitVisible(chromedp.CSS("#awaiting")), chromedp.WaitVisible(row))
		if strings.Contains(html(), personID) {
			t.Error("the desk shows the full identity number")
		}
		shot("desk")
		do("feedback", chromedp.Click(chromedp.CSS(`tr[data-check="`+hit.ID+`"] button[value="intercepted"]`)), chromedp.WaitVisible(chromedp.CSS("#flash")))
		if strings.Contains(html(), `data-check="`+hit.ID+`"`) {
			t.Error("the hit still awaits feedback after the click")
		}
		rec, err := p.StoredCheck(ctx, housing, hit.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Feedback) != 1 || rec.Feedback[0].Action != check.Intercepted {
			t.Errorf("stored feedback = %+v", rec.Feedback)
		}
		shot("desk-after-feedback")
	})
}
