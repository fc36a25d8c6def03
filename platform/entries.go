package platform

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
)

// Row is one draft of a batch with the row number it is reported under.
type Row struct {
	Row   int
	Draft entry.Draft
	// Err is set when the row could not even be read (a CSV cell, a JSON line).
	Err error
}

// RowResult is what became of one row.
type RowResult struct {
	Row     int
	Entry   *entry.Entry
	Created bool
	Changed bool
	Err     error
}

// batchChunk bounds how many rows are stored in one transaction.
const batchChunk = 5000

// Publish stores one entry: created, changed or, for the same body again,
// left as it is.
func (p *Platform) Publish(ctx context.Context, actor *org.Org, list string, d entry.Draft) (RowResult, error) {
	res, err := p.PublishBatch(ctx, actor, list, []Row{{Row: 1, Draft: d}})
	if err != nil {
		return RowResult{}, err
	}
	return res[0], res[0].Err
}

// PublishBatch stores the good rows and reports each bad one. An error is
// returned only when nothing could be stored at all (no access, store down);
// rows stored before a store failure stay stored and are reported.
func (p *Platform) PublishBatch(ctx context.Context, actor *org.Org, list string, rows []Row) ([]RowResult, error) {
	l := p.Catalog().List(list)
	if l == nil {
		return nil, chengxin.E(chengxin.KindNotFound, "unknown_list", "list", "名单不存在："+list, "no such list: "+list)
	}
	if !actor.CanPublish(list) {
		return nil, Forbidden("当前机构无权向名单 "+list+" 发布", "this organisation may not publish to "+list)
	}
	results := make([]RowResult, len(rows))
	for start := 0; start < len(rows); start += batchChunk {
		end := min(start+batchChunk, len(rows))
		if err := p.publishChunk(ctx, actor, list, rows[start:end], results[start:end]); err != nil {
			if len(rows) == 1 {
				return nil, err
			}
			// Rows already stored stay stored; the rest are reported failed.
			for i := start; i < len(rows); i++ {
				if results[i].Entry == nil && results[i].Err == nil {
					results[i] = RowResult{Row: rows[i].Row, Err: err}
				}
			}
			break
		}
	}
	return results, nil
}

func (p *Platform) publishChunk(ctx context.Context, actor *org.Org, list string, rows []Row, results []RowResult) error {
	l := p.Catalog().List(list)
	refs := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.Err == nil {
			refs = append(refs, strings.TrimSpace(r.Draft.SourceRef))
		}
	}
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	current, err := p.store.EntriesByRef(ctx, list, refs)
	if err != nil {
		return fmt.Errorf("publish to %s: %w", list, err)
	}
	now := p.clock()
	var pending []*entry.Change
	var pendingRows []int
	inPending := map[string]bool{}
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		if err := p.saveEntryChanges(ctx, pending); err != nil {
			return fmt.Errorf("publish to %s: %w", list, err)
		}
		if err := p.indexChanges(ctx, pending); err != nil {
			return fmt.Errorf("publish to %s: %w", list, err)
		}
		for i, c := range pending {
			results[pendingRows[i]].Entry = c.Entry
			current[c.Entry.SourceRef] = c.Entry
		}
		pending, pendingRows = pending[:0], pendingRows[:0]
		clear(inPending)
		return nil
	}
	for i, r := range rows {
		results[i].Row = r.Row
		if r.Err != nil {
			results[i].Err = r.Err
			continue
		}
		ref := strings.TrimSpace(r.Draft.SourceRef)
		if inPending[ref] {
			// The same reference twice in one batch: the second row must see
			// the first one stored.
			if err := flush(); err != nil {
				return err
			}
		}
		prev := current[ref]
		var prevRec *entry.Record
		if prev != nil {
			prevRec = &prev.Record
		}
		r.Draft.SourceRef = ref
		rec, err := entry.Validate(r.Draft, l, now, prevRec)
		if err != nil {
			results[i].Err = err
			continue
		}
		c, changed := entry.Publish(list, ref, prev, rec, actor.Code, now)
		results[i].Created = prev == nil
		results[i].Changed = changed
		if !changed {
			results[i].Entry = prev
			continue
		}
		pending = append(pending, &c)
		pendingRows = append(pendingRows, i)
		inPending[ref] = true
	}
	return flush()
}

// ParseEntryID reads an entry ID as the API shows it.
func ParseEntryID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, chengxin.E(chengxin.KindNotFound, "not_found", "entry_id", "条目不存在："+s, "no such entry: "+s)
	}
	return id, nil
}

// Entry returns an entry with its history to its source, a supervisor or an
// admin; the read is logged because the record names a person.
func (p *Platform) Entry(ctx context.Context, actor *org.Org, id int64) (*entry.Entry, error) {
	e, err := p.store.Entry(ctx, id, true)
	if err != nil {
		return nil, err
	}
	if !actor.CanReadAll() && !actor.CanPublish(e.List) {
		return nil, Forbidden("无权查看该名单的条目", "this organisation may not read entries of "+e.List)
	}
	if err := p.store.LogAccess(ctx, Access{Org: actor.Code, Action: "entry.read", Target: strconv.FormatInt(id, 10), At: p.clock()}); err != nil {
		return nil, err
	}
	return e, nil
}

// ChangeState masks, removes or restores an entry on behalf of its source.
// ok is false when the entry already was in the asked-for state.
func (p *Platform) ChangeState(ctx context.Context, actor *org.Org, id int64, change entry.ChangeType, reason, reasonCode string) (*entry.Entry, bool, error) {
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	e, err := p.store.Entry(ctx, id, false)
	if err != nil {
		return nil, false, err
	}
	if !actor.CanPublish(e.List) {
		return nil, false, Forbidden("只有该名单的发布单位可以变更条目", "only the list's source may change its entries")
	}
	c, ok, err := entry.Transition(e, change, actor.Code, strings.TrimSpace(reason), reasonCode, p.clock())
	if err != nil || !ok {
		return e, false, err
	}
	changes := []*entry.Change{&c}
	if err := p.saveEntryChanges(ctx, changes); err != nil {
		return nil, false, fmt.Errorf("%s entry %d: %w", change, id, err)
	}
	if err := p.indexChanges(ctx, changes); err != nil {
		return nil, false, fmt.Errorf("%s entry %d: %w", change, id, err)
	}
	return c.Entry, true, nil
}
