// Package app starts a chengxin node: store, platform and HTTP server. The
// command line and the end-to-end tests start nodes the same way.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/console"
	"github.com/chengxin/chengxin/httpapi"
	"github.com/chengxin/chengxin/metrics"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/push"
	"github.com/chengxin/chengxin/store/postgres"
	"github.com/chengxin/chengxin/store/sqlite"
)

// Config says how to start a node.
type Config struct {
	Addr    string // host:port; port 0 picks a free one
	DataDir string // the embedded store's directory, when DB is empty
	// DB is a PostgreSQL URL (postgres://…); several nodes may share it.
	DB         string
	AdminToken string // empty: keep the stored one, or generate one on first start
	Logger     *slog.Logger
	Clock      chengxin.Clock
	// ExpiryEvery is how often terms are swept (see platform.Options).
	ExpiryEvery time.Duration
	// Push tunes webhook delivery.
	Push push.Options
	// Log configures the audit log; its key defaults to log-key.pem in the
	// data directory.
	Log platform.LogOptions
	// Mask is how identifiers are masked for the public (zero: 4 and 4).
	Mask platform.Mask
	// MetricsAddr, if set, serves /metrics (Prometheus) and /debug/pprof/
	// there: an operator's port, not the public API's.
	MetricsAddr string
}

// Node is a running node.
type Node struct {
	Platform *platform.Platform
	Store    platform.Store
	Admin    *org.Org
	// GeneratedAdminToken is set on a first start without a configured token,
	// to be printed once.
	GeneratedAdminToken string
	URL                 string
	MetricsURL          string

	srv    *http.Server
	msrv   *http.Server
	push   *push.Dispatcher
	served chan error
}

// Start opens the store, builds the index and begins serving. The node is
// ready to decide checks when Start returns.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Log.KeyPath == "" && cfg.DataDir != "" {
		cfg.Log.KeyPath = filepath.Join(cfg.DataDir, "log-key.pem")
	}
	p, err := platform.Open(ctx, store, platform.Options{Clock: cfg.Clock, Logger: cfg.Logger, ExpiryEvery: cfg.ExpiryEvery, Log: cfg.Log, Mask: cfg.Mask})
	if err != nil {
		store.Close()
		return nil, err
	}
	n := &Node{Platform: p, Store: store}
	fail := func(err error) (*Node, error) {
		p.Close()
		store.Close()
		return nil, err
	}
	if n.GeneratedAdminToken, err = p.EnsureAdmin(ctx, cfg.AdminToken); err != nil {
		return fail(fmt.Errorf("admin token: %w", err))
	}
	if n.Admin, err = adminOf(p); err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fail(fmt.Errorf("listen on %s: %w", cfg.Addr, err))
	}
	n.URL = "http://" + ln.Addr().String()
	api := httpapi.New(p, cfg.Logger)
	if cfg.MetricsAddr != "" {
		m := metrics.New(p)
		api.Observe(m.Observe)
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fail(fmt.Errorf("listen on %s: %w", cfg.MetricsAddr, err))
		}
		n.MetricsURL = "http://" + mln.Addr().String()
		n.msrv = &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go n.msrv.Serve(mln)
	}
	// The API owns its paths; the console every other one (its pages are
	// not API routes and stay out of the OpenAPI document).
	top := http.NewServeMux()
	top.Handle("/v1/", api.Handler())
	top.Handle("/healthz", api.Handler())
	top.Handle("/openapi.yaml", api.Handler())
	con, err := console.New(ctx, p, cfg.Logger)
	if err != nil {
		ln.Close()
		return fail(err)
	}
	top.Handle("/", con.Handler())
	n.srv = &http.Server{
		Handler:           top,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // batch uploads
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	if cfg.Push.Logger == nil {
		cfg.Push.Logger = cfg.Logger
	}
	if l, ok := store.(push.Leader); ok && cfg.Push.Leader == nil {
		cfg.Push.Leader = l
	}
	n.push = push.Start(p, cfg.Push)
	n.served = make(chan error, 1)
	go func() { n.served <- n.srv.Serve(ln) }()
	where := cfg.DataDir
	if cfg.DB != "" {
		where = "postgresql"
	}
	cfg.Logger.Info("serving", "url", n.URL, "store", where, "entries_indexed", p.IndexLen())
	return n, nil
}

func openStore(ctx context.Context, cfg Config) (platform.Store, error) {
	if cfg.DB != "" {
		if !strings.HasPrefix(cfg.DB, "postgres://") && !strings.HasPrefix(cfg.DB, "postgresql://") {
			return nil, fmt.Errorf("--db must be a postgres:// URL")
		}
		return postgres.Open(ctx, cfg.DB)
	}
	if cfg.DataDir == "" {
		return nil, fmt.Errorf("no data directory")
	}
	return sqlite.Open(ctx, cfg.DataDir)
}

func adminOf(p *platform.Platform) (*org.Org, error) {
	if o := p.OrgByCode(org.AdminCode); o != nil {
		return o, nil
	}
	return nil, errors.New("admin organisation missing")
}

// Done is closed with the server's error when it stops serving on its own.
func (n *Node) Done() <-chan error { return n.served }

// Close stops taking requests, lets those under way finish, and closes the
// platform and store.
func (n *Node) Close(ctx context.Context) error {
	n.Platform.Drain()
	n.push.Close()
	err := n.srv.Shutdown(ctx)
	if n.msrv != nil {
		n.msrv.Shutdown(ctx)
	}
	return errors.Join(err, n.Platform.Close(), n.Store.Close())
}
