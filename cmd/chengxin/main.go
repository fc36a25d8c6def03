// Command chengxin runs the joint credit reward-and-punishment platform.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/chengxin/chengxin/app"
	"github.com/chengxin/chengxin/auditlog"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/demo"
	"github.com/chengxin/chengxin/follow"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/postgres"
	"github.com/chengxin/chengxin/store/sqlite"
	"github.com/chengxin/chengxin/subject"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `chengxin — 联合奖惩平台 (joint credit reward-and-punishment platform)

Usage:
  chengxin serve   [--addr 127.0.0.1:8080] [--data DIR]     run the platform on the embedded store
  chengxin serve   --db postgres://…                        run a node over PostgreSQL (several may share it)
  chengxin demo    [--addr 127.0.0.1:8080] [--data DIR]     run it with a generated data set
  chengxin follow  --url URL --token T [--data DIR] [--once] keep a local, verified copy of the lists a department may see
  chengxin follow lookup [--data DIR] --id-type T --id ID  match against the local copy
  chengxin log verify (--data DIR | --db URL) [--checkpoint FILE]
                                                            recompute the audit log; fail naming the first record that no longer matches
  chengxin catalog validate FILE                            check a catalog file
  chengxin catalog apply --data DIR FILE                    store a new catalog version (next start uses it)
  chengxin version

Environment:
  CHENGXIN_ADMIN_TOKEN   the admin's bearer token; without it one is generated on first start and printed once
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "chengxin:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(out, usage)
		return errors.New("no command")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], out)
	case "demo":
		return runDemo(ctx, args[1:], out)
	case "catalog":
		return catalogCmd(ctx, args[1:], out)
	case "follow":
		return followCmd(ctx, args[1:], out)
	case "log":
		return logCmd(ctx, args[1:], out)
	case "version":
		fmt.Fprintln(out, "chengxin", versionString())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(out, usage)
		return nil
	}
	fmt.Fprint(out, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func versionString() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				return "dev-" + s.Value[:min(12, len(s.Value))]
			}
		}
	}
	return version
}

type serveFlags struct {
	addr, data, db, logLevel string
	logHash, logSig, logKey  string
	metricsAddr              string
	mask                     string
}

func (f *serveFlags) register(fs *flag.FlagSet, defaultData string) {
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&f.data, "data", defaultData, "data directory (embedded SQLite)")
	fs.StringVar(&f.db, "db", "", "PostgreSQL URL (postgres://…) instead of the embedded store; several nodes may share it")
	fs.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&f.logHash, "audit-hash", "sm3", "audit log hash when the log begins: sm3 or sha256")
	fs.StringVar(&f.logSig, "audit-signature", "sm2", "checkpoint signatures when the log begins: sm2 or ed25519")
	fs.StringVar(&f.mask, "public-mask", "4,4", "characters of an identifier shown to the public: kept at the start, at the end")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "", "serve /metrics (Prometheus) and /debug/pprof/ on this address, e.g. 127.0.0.1:9090")
	fs.StringVar(&f.logKey, "audit-key", "", "checkpoint signing key (PEM, created owner-only if absent); default DATA/log-key.pem, required with --db")
}

func (f *serveFlags) config() (app.Config, error) {
	var m platform.Mask
	if _, err := fmt.Sscanf(f.mask, "%d,%d", &m.Head, &m.Tail); err != nil || m.Head < 0 || m.Tail < 0 || m.Head+m.Tail == 0 || m.Head+m.Tail > 12 {
		return app.Config{}, fmt.Errorf("--public-mask %q: want two numbers such as 4,4 (kept at the start, at the end)", f.mask)
	}
	return app.Config{Mask: m, Addr: f.addr, DataDir: f.data, DB: f.db, AdminToken: os.Getenv("CHENGXIN_ADMIN_TOKEN"), Logger: f.logger(),
		Log: platform.LogOptions{Hash: f.logHash, SignatureAlg: f.logSig, KeyPath: f.logKey}, MetricsAddr: f.metricsAddr}, nil
}

func (f *serveFlags) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

func serve(ctx context.Context, args []string, out io.Writer) error {
	var f serveFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	f.register(fs, "./chengxin-data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.db != "" && f.logKey == "" {
		return errors.New("serve --db needs --audit-key FILE: every node signs checkpoints with the same key")
	}
	cfg, err := f.config()
	if err != nil {
		return err
	}
	n, err := app.Start(ctx, cfg)
	if err != nil {
		return err
	}
	if n.GeneratedAdminToken != "" {
		fmt.Fprintf(out, "\n管理员令牌（仅显示一次）/ admin token (shown once):\n  %s\n\n", n.GeneratedAdminToken)
	}
	return wait(ctx, n)
}

func wait(ctx context.Context, n *app.Node) error {
	select {
	case <-ctx.Done():
	case err := <-n.Done():
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return n.Close(shutdown)
}

func runDemo(ctx context.Context, args []string, out io.Writer) error {
	var f serveFlags
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	f.register(fs, "")
	entries := fs.Int("entries", 100_000, "how many list entries to generate")
	checks := fs.Int("checks", 2_000, "how many checks to simulate")
	seed := fs.Int64("seed", 2017_09_01, "random seed of the data set")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.data == "" {
		dir, err := os.MkdirTemp("", "chengxin-demo-")
		if err != nil {
			return err
		}
		f.data = dir
	}
	if empty, err := isEmptyDir(f.data); err != nil || !empty {
		return fmt.Errorf("demo needs an empty data directory; %s is not (use serve to run on existing data)", f.data)
	}
	token := os.Getenv("CHENGXIN_ADMIN_TOKEN")
	cfg, err := f.config()
	if err != nil {
		return err
	}
	clock := new(demo.Clock)
	cfg.Clock = clock.Now
	n, err := app.Start(ctx, cfg)
	if err != nil {
		return err
	}
	if token == "" {
		token = n.GeneratedAdminToken
	}
	ds := demo.Generate(n.Platform.Catalog(), *entries, *seed, n.Platform.Now())
	sum, err := demo.Load(ctx, n.Platform, n.Admin, ds, *checks, clock)
	if err != nil {
		n.Close(context.Background())
		return fmt.Errorf("load demo data: %w", err)
	}
	printDemo(out, n, token, ds, sum, f.data)
	return wait(ctx, n)
}

func isEmptyDir(dir string) (bool, error) {
	des, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	return len(des) == 0, err
}

func printDemo(out io.Writer, n *app.Node, admin string, ds *demo.Dataset, sum demo.Summary, data string) {
	fmt.Fprintf(out, "\nchengxin 演示环境已就绪 / demo ready: %s  (data: %s)\n", n.URL, data)
	fmt.Fprintf(out, "  %d 个机构, %d 条名单条目, %d 次核查, %d 次命中, %d 条反馈, %d 条已屏蔽 — %s\n\n",
		sum.Orgs, sum.Entries, sum.Checks, sum.Hits, sum.Feedback, sum.Masked, sum.Took.Round(time.Millisecond))
	fmt.Fprintf(out, "令牌 / tokens:\n  %-28s %s\n", "admin (管理员)", admin)
	var court, housing, supervisor *demo.Org
	for _, group := range [][]*demo.Org{ds.Sources, ds.Supervisors, ds.Departments} {
		for _, o := range group {
			fmt.Fprintf(out, "  %-28s %s  %s\n", o.Org.Code, o.Token, o.Org.Name)
			switch {
			case court == nil && o.Org.CanPublish("court.dishonest"):
				court = o
			case housing == nil && o.Org.CanCheck("real_estate.transfer"):
				housing = o
			case supervisor == nil && o.Org.Has(org.Supervisor):
				supervisor = o
			}
		}
	}
	if supervisor != nil {
		fmt.Fprintf(out, "\n控制台 / console: %s/login  — 以监督单位令牌登录数据大屏 / sign in with the supervisor's token: %s\n", n.URL, supervisor.Token)
		fmt.Fprintf(out, "公示查询 / public search: %s/public/search\n", n.URL)
	}
	if court == nil || housing == nil {
		return
	}
	fmt.Fprintf(out, `
试一试 / try it:
  # 法院发布一条失信被执行人 / a court publishes a dishonest debtor
  curl -s -X POST %[1]s/v1/lists/court.dishonest/entries -H 'Authorization: Bearer %[2]s' -H 'Content-Type: application/json' \
    -d '{"source_ref":"（2026）黔0112执9999号","subject":{"kind":"person","id_type":"resident_id","id":"11010519491231002X","name":"张三"},"reason":"有履行能力而拒不履行生效法律文书确定义务","details":{"court":"贵阳市乌当区人民法院"}}'

  # 不动产登记中心核查 / the property registry checks
  curl -s -X POST %[1]s/v1/checks -H 'Authorization: Bearer %[3]s' -H 'Content-Type: application/json' \
    -d '{"item":"real_estate.transfer","subject":{"id_type":"resident_id","id":"11010519491231002X","name":"张三"},"operator":"窗口03"}'

  # 目录 / the catalog
  curl -s %[1]s/v1/items -H 'Authorization: Bearer %[3]s'
`, n.URL, court.Token, housing.Token)
}

func catalogCmd(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("catalog: want validate or apply")
	}
	fs := flag.NewFlagSet("catalog "+args[0], flag.ContinueOnError)
	data := fs.String("data", "./chengxin-data", "data directory")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("catalog %s: want one FILE", args[0])
	}
	body, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	cat, err := catalog.Parse(body)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	fmt.Fprintf(out, "catalog %s: %d lists, %d measures, %d departments, %d items — valid\n",
		cat.Version, len(cat.Lists), len(cat.Measures), len(cat.Departments), len(cat.Items))
	switch args[0] {
	case "validate":
		return nil
	case "apply":
		store, err := sqlite.Open(ctx, *data)
		if err != nil {
			return err
		}
		defer store.Close()
		if err := store.SaveCatalog(ctx, cat.Version, body, "cli", time.Now()); err != nil {
			return err
		}
		fmt.Fprintln(out, "stored; a running server uses it after restart (or PUT /v1/catalog to apply it live)")
		return nil
	}
	return fmt.Errorf("catalog: unknown verb %q", args[0])
}

func followCmd(ctx context.Context, args []string, out io.Writer) error {
	lookup := len(args) > 0 && args[0] == "lookup"
	if lookup {
		args = args[1:]
	}
	fs := flag.NewFlagSet("follow", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080", "the platform's address")
	token := fs.String("token", os.Getenv("CHENGXIN_TOKEN"), "the department's token (or CHENGXIN_TOKEN)")
	data := fs.String("data", "./chengxin-follow", "where the local copy is kept")
	once := fs.Bool("once", false, "catch up, then exit")
	idType := fs.String("id-type", "resident_id", "lookup: identifier type")
	id := fs.String("id", "", "lookup: identifier")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	f, err := follow.Open(*data, strings.TrimRight(*url, "/"), *token, log)
	if err != nil {
		return err
	}
	defer f.Close()
	if lookup {
		matches, err := f.Lookup(ctx, subject.IDType(*idType), *id)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(matches)
	}
	if *token == "" {
		return errors.New("follow: --token (or CHENGXIN_TOKEN) is required")
	}
	if *once {
		for {
			n, err := f.Sync(ctx, 0)
			if err != nil {
				return err
			}
			if n == 0 {
				cursor, _ := f.Cursor(ctx)
				fmt.Fprintf(out, "caught up at change %d\n", cursor)
				return nil
			}
		}
	}
	return f.Run(ctx)
}

func logCmd(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("log: want verify")
	}
	fs := flag.NewFlagSet("log verify", flag.ContinueOnError)
	data := fs.String("data", "./chengxin-data", "data directory of the embedded store")
	db := fs.String("db", "", "PostgreSQL URL instead")
	saved := fs.String("checkpoint", "", "a checkpoint saved earlier (GET /v1/log/checkpoint): prove the log only grew since")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var store platform.Store
	var err error
	if *db != "" {
		store, err = postgres.Open(ctx, *db)
	} else {
		if _, statErr := os.Stat(filepath.Join(*data, "chengxin.db")); statErr != nil {
			return fmt.Errorf("no store in %s: %w", *data, statErr)
		}
		store, err = sqlite.Open(ctx, *data)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	var cp *auditlog.Checkpoint
	if *saved != "" {
		b, err := os.ReadFile(*saved)
		if err != nil {
			return err
		}
		cp = new(auditlog.Checkpoint)
		if err := json.Unmarshal(b, cp); err != nil {
			return fmt.Errorf("%s: %w", *saved, err)
		}
	}
	rep, err := platform.VerifyLog(ctx, store, cp)
	if err != nil {
		return fmt.Errorf("audit log verification FAILED: %w", err)
	}
	fmt.Fprintf(out, "audit log verified: %d leaves, %d signed checkpoints, root %x\n", rep.Size, rep.Checkpoints, rep.Root)
	if cp != nil {
		fmt.Fprintf(out, "the log has only grown since the saved checkpoint of size %d\n", cp.Size)
	}
	return nil
}
