package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/chengxin/chengxin/auditlog"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/internal/rows"
)

// LogMeta implements platform.Store.
func (s *Store) LogMeta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, `SELECT value FROM log_meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetLogMeta implements platform.Store.
func (s *Store) SetLogMeta(ctx context.Context, key, value string) error {
	_, err := s.pool.Exec(writing(ctx), `INSERT INTO log_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, value)
	return err
}

// LogSize implements platform.Store.
func (s *Store) LogSize(ctx context.Context) (int64, error) {
	var last int64
	err := s.pool.QueryRow(ctx, rows.LastLeafQuery).Scan(&last)
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
	_, err := s.pool.Exec(writing(ctx), rows.Rebind(rows.SaveCheckpointQuery), rows.CheckpointArgs(cp, publicKey)...)
	return err
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
