package postgres

import (
	"context"

	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/store/internal/rows"
)

// OrgChecks implements platform.Store.
func (s *Store) OrgChecks(ctx context.Context, org string, awaiting bool, limit int) ([]*check.Record, error) {
	return rows.OrgChecks(s.query(ctx), org, awaiting, limit)
}

// RecentEntries implements platform.Store.
func (s *Store) RecentEntries(ctx context.Context, lists []string, limit int) ([]*entry.Entry, error) {
	return rows.RecentEntries(s.query(ctx), lists, limit)
}
