// Package postgres is the shared store: one PostgreSQL database that several
// nodes write at once. The change sequence and the audit log index are kept
// in a counters table and taken inside each writing transaction, so they stay
// ordered and gap-free across nodes; commits of entry changes are announced
// with NOTIFY so the other nodes can follow the change log.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chengxin/chengxin/store/internal/rows"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrateLock is the advisory lock key that serialises migrations of nodes
// starting at the same time.
const migrateLock = 0x63686e677869 // "chngxi"

// changesChannel is the NOTIFY channel entry-change commits are announced on.
const changesChannel = "chengxin_changes"

// Store is the PostgreSQL system of record.
type Store struct {
	pool *pgxpool.Pool

	// listeners are the ChangeNotifications goroutines, stopped by Close.
	mu        sync.Mutex
	closed    bool
	listeners map[*listener]struct{}
	wg        sync.WaitGroup
}

// Open connects to the database named by dsn (a postgres:// URL or key=value
// string) and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &Store{pool: pool, listeners: map[*listener]struct{}{}}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close stops the change listeners and closes the pool.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for l := range s.listeners {
		l.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
	s.pool.Close()
	return nil
}

func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := s.migrateOne(ctx, name); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

// migrateOne applies one migration in its own transaction, under an advisory
// lock so that nodes starting together apply it once.
func (s *Store) migrateOne(ctx context.Context, name string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var done bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)`, name).Scan(&done); err != nil || done {
			return err
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		// Without arguments pgx uses the simple protocol, which runs the
		// whole file.
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, name)
		return err
	})
}

// writing is the context of a write: once begun it runs to its end, so a
// caller that goes away cannot leave it unclear whether COMMIT happened.
func writing(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// uniqueViolation returns the constraint a unique violation broke, or "".
func uniqueViolation(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return pe.ConstraintName
	}
	return ""
}

// takeNumbers advances counter name by n inside tx and returns the first of
// the n numbers taken. The row lock it leaves is held to commit.
func takeNumbers(ctx context.Context, tx pgx.Tx, name string, n int) (int64, error) {
	var last int64
	if err := tx.QueryRow(ctx, `UPDATE counters SET value = value + $1 WHERE name = $2 RETURNING value`, n, name).Scan(&last); err != nil {
		return 0, fmt.Errorf("take %d %s numbers: %w", n, name, err)
	}
	return last - int64(n) + 1, nil
}

// query adapts the store's reads to rows.Query, so that SQL written once
// (store/internal/rows) runs on either engine.
func (s *Store) query(ctx context.Context) rows.Query {
	return func(q string, args ...any) (rows.Iter, func(), error) {
		rs, err := s.pool.Query(ctx, rows.Rebind(q), args...)
		if err != nil {
			return nil, nil, err
		}
		return rs, rs.Close, nil
	}
}
