package platform

import (
	"context"

	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
)

// OrgChecks returns the actor's own newest checks (awaiting: only hits
// still waiting for feedback), for its desk.
func (p *Platform) OrgChecks(ctx context.Context, actor *org.Org, awaiting bool, limit int) ([]*check.Record, error) {
	if !actor.Has(org.Department) {
		return nil, Forbidden("仅核查部门可查看", "only a department may read its checks")
	}
	return p.store.OrgChecks(ctx, actor.Code, awaiting, limit)
}

// RecentEntries returns the newest-changed entries of the actor's lists, for
// a source's desk.
func (p *Platform) RecentEntries(ctx context.Context, actor *org.Org, limit int) ([]*entry.Entry, error) {
	if !actor.Has(org.Source) {
		return nil, Forbidden("仅发布单位可查看", "only a source may read its entries")
	}
	return p.store.RecentEntries(ctx, actor.Lists, limit)
}
