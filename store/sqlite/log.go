package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/chengxin/chengxin/auditlog"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/internal/rows"
)

const lastLeafQuery = rows.LastLeafQuery

// LogMeta implements platform.Store.
func (s *Store) LogMeta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM log_meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetLogMeta implements platform.Store.
func (s *Store) SetLogMeta(ctx context.Context, key, value string) error {
	return s.write(ctx, func(tx *sql.Conn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO log_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value)
		return err
	})
}

// LogSize implements platform.Store.
func (s *Store) LogSize(ctx context.Context) (int64, error) {
	var last int64
	err := s.r.QueryRowContext(ctx, lastLeafQuery).Scan(&last)
	return last + 1, err
}

// LeafHashes implements platform.Store.
func (s *Store) LeafHashes(ctx context.Context, from, to int64) ([][]byte, error) {
	return rows.LeafHashes(s.query(ctx), from, to)
}

// LogRecords implements platform.Store.
func (s *Store) LogRecords(ctx context.Context, from, to int64, fn func(*platform.LogRecord) error) error {
	return rows.LogRecords(s.query(ctx), from, to, fn)
}

// SaveCheckpoint implements platform.Store.
func (s *Store) SaveCheckpoint(ctx context.Context, cp *auditlog.Checkpoint, publicKey string) error {
	return s.write(ctx, func(tx *sql.Conn) error {
		_, err := tx.ExecContext(ctx, rows.SaveCheckpointQuery, rows.CheckpointArgs(cp, publicKey)...)
		return err
	})
}

// Checkpoints implements platform.Store.
func (s *Store) Checkpoints(ctx context.Context) ([]*platform.StoredCheckpoint, error) {
	return rows.Checkpoints(s.query(ctx), rows.CheckpointsQuery)
}

// LatestCheckpoint implements platform.Store.
func (s *Store) LatestCheckpoint(ctx context.Context) (*platform.StoredCheckpoint, error) {
	cps, err := rows.Checkpoints(s.query(ctx), rows.LatestCheckpointQuery)
	if err != nil || len(cps) == 0 {
		return nil, err
	}
	return cps[0], nil
}
