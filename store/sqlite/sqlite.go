// Package sqlite is the embedded store: one SQLite file in a data directory,
// written by one connection and read by several (WAL).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	_ "modernc.org/sqlite"

	"github.com/chengxin/chengxin/store/internal/rows"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite system of record.
type Store struct {
	path string
	w    *sql.DB   // the writer's pool, of one connection
	wc   *sql.Conn // that connection, held for the store's life
	r    *sql.DB   // readers

	// wmu guards the counters below and spans each write transaction: with
	// one writer, numbers handed out in order are committed in order.
	wmu       sync.Mutex
	lastSeq   int64
	lastEntry int64
	lastLeaf  int64
	stmts     map[string]*sql.Stmt // prepared on the writer, by SQL text
}

// Open opens (creating if needed) the store in dir and brings its schema up
// to date.
func Open(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, "chengxin.db")
	// synchronous(FULL): a commit is on disk before it is acknowledged.
	pragmas := "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_pragma=cache_size(-65536)"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	s := &Store{path: path, w: w, r: r, stmts: map[string]*sql.Stmt{}}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		s.Close()
		return nil, fmt.Errorf("restrict %s: %w", path, err)
	}
	if err := s.loadCounters(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.wc, err = w.Conn(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes both pools.
func (s *Store) Close() error {
	s.wmu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	var err error
	if s.wc != nil {
		err = s.wc.Close()
	}
	s.wmu.Unlock()
	return errors.Join(err, s.r.Close(), s.w.Close())
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
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

func (s *Store) migrateOne(ctx context.Context, name string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil || n > 0 {
		return err
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	for _, stmt := range strings.Split(string(body), ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES (?)`, name); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) loadCounters(ctx context.Context) error {
	return s.w.QueryRowContext(ctx, `SELECT
		(SELECT coalesce(max(seq), 0) FROM entry_versions),
		(SELECT coalesce(max(id), 0) FROM entries),
		(`+lastLeafQuery+`)`).Scan(&s.lastSeq, &s.lastEntry, &s.lastLeaf)
}

// write runs fn in one write transaction on the writer connection. The
// transaction is plain BEGIN IMMEDIATE … COMMIT on that connection, so fn can
// use statements prepared once for the store's life. The counters fn advances
// are put back if the transaction fails, so numbers are never skipped.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Conn) error) error {
	// A write once begun runs to its end: a caller that goes away must not
	// leave it unclear whether COMMIT happened.
	ctx = context.WithoutCancel(ctx)
	s.wmu.Lock()
	defer s.wmu.Unlock()
	seq, ent, leaf := s.lastSeq, s.lastEntry, s.lastLeaf
	_, err := s.wc.ExecContext(ctx, "BEGIN IMMEDIATE")
	if err == nil {
		if err = fn(s.wc); err == nil {
			_, err = s.wc.ExecContext(ctx, "COMMIT")
		}
		if err != nil {
			s.wc.ExecContext(ctx, "ROLLBACK")
		}
	}
	if err != nil {
		s.lastSeq, s.lastEntry, s.lastLeaf = seq, ent, leaf
	}
	return err
}

// leaf hands out the next audit-log position.
func (s *Store) leaf() int64 {
	s.lastLeaf++
	return s.lastLeaf
}

// query adapts the store's reads to rows.Query, so that SQL written once
// (store/internal/rows) runs on either engine.
func (s *Store) query(ctx context.Context) rows.Query {
	return func(q string, args ...any) (rows.Iter, func(), error) {
		rs, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, nil, err
		}
		return rs, func() { rs.Close() }, nil
	}
}
