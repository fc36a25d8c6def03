package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The server the PostgreSQL tests create their databases on.
const (
	postgresEnv  = "CHENGXIN_TEST_POSTGRES"
	skipEnv      = "CHENGXIN_SKIP_POSTGRES"
	defaultAdmin = "postgres://127.0.0.1:5432/postgres?sslmode=disable"
	postgresUser = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
)

var admin struct {
	sync.Mutex
	dsn string // the server URL that worked, once found
}

// Postgres returns the DSN of a new, empty database for this test, dropped
// when the test ends. The server is $CHENGXIN_TEST_POSTGRES, or the local
// one (as the current user, then as postgres). If it cannot be reached the
// test fails: CI must not pass without PostgreSQL. Only
// CHENGXIN_SKIP_POSTGRES=1 skips, explicitly.
func Postgres(tb testing.TB) string {
	tb.Helper()
	if os.Getenv(skipEnv) == "1" {
		tb.Skip(skipEnv + "=1: PostgreSQL tests skipped on request")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, server, err := connectAdmin(ctx)
	if err != nil {
		tb.Fatalf("PostgreSQL is not reachable: %v\n"+
			"Start it, or point %s at a server (postgres://user@host:port/postgres?sslmode=disable); "+
			"set %s=1 only to skip these tests deliberately.", err, postgresEnv, skipEnv)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "chengxin_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(server, name)
}

func connectAdmin(ctx context.Context) (*pgx.Conn, string, error) {
	admin.Lock()
	defer admin.Unlock()
	candidates := []string{defaultAdmin, postgresUser}
	if admin.dsn != "" {
		candidates = []string{admin.dsn}
	} else if env := os.Getenv(postgresEnv); env != "" {
		candidates = []string{env}
	}
	var errs []error
	for _, dsn := range candidates {
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", dsn, err))
			continue
		}
		if cfg.ConnectTimeout == 0 {
			cfg.ConnectTimeout = 5 * time.Second
		}
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", dsn, err))
			continue
		}
		admin.dsn = dsn
		return conn, dsn, nil
	}
	return nil, "", errors.Join(errs...)
}

// withDatabase names another database in a URL or key=value DSN.
func withDatabase(dsn, name string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err == nil {
			u.Path = "/" + name
			return u.String()
		}
	}
	return dsn + " dbname=" + name
}
