package postgres

import (
	"context"
	"time"

	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/internal/rows"
)

// subjectName is the record's subject name as PostgreSQL reads the JSON text.
const subjectName = `(v.record::jsonb #>> '{subject,name}')`

// CheckStats implements platform.Store.
func (s *Store) CheckStats(ctx context.Context, from, to, overdueBefore time.Time) ([]platform.CheckStat, error) {
	return rows.CheckStats(s.query(ctx), from, to, overdueBefore)
}

// FeedbackDelays implements platform.Store.
func (s *Store) FeedbackDelays(ctx context.Context, from, to time.Time) (map[string][]time.Duration, error) {
	return rows.FeedbackDelays(s.query(ctx), from, to)
}

// PublicEntries implements platform.Store.
func (s *Store) PublicEntries(ctx context.Context, lists []string, key, name string, limit int) ([]*entry.Entry, error) {
	return rows.PublicEntries(s.query(ctx), subjectName, lists, key, name, limit)
}
