package platform

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/feed"
)

// ChangeNotifier is a store that several nodes share. It says when any node
// commits an entry change, so that every node keeps its index current by
// following the change log.
type ChangeNotifier interface {
	ChangeNotifications(ctx context.Context) (<-chan struct{}, error)
}

// sharedRefresh is how often a node rereads organisations and the catalog
// that other nodes may have changed: a rotated token stops working
// everywhere within it.
const sharedRefresh = 2 * time.Second

// followPoll is how often a node reads the change log when no notification
// arrives: a lost notification costs at most this much delay.
const followPoll = 500 * time.Millisecond

// logFollower applies the change log to the index, strictly in seq order.
// On a shared store it is the only way the index changes: a node's own write
// catches the index up to that write's seq before the call returns, so an
// older change applied late can never undo a newer one.
type logFollower struct {
	mu     sync.Mutex
	cursor int64
}

// startFollowing builds the index from a shared store and keeps it current.
func (p *Platform) startFollowing(ctx context.Context, n ChangeNotifier) error {
	head, err := p.Head(ctx)
	if err != nil {
		return fmt.Errorf("change log head: %w", err)
	}
	if err := p.buildIndex(ctx); err != nil {
		return err
	}
	// Changes after head may already show in the scan; applying them again in
	// order is harmless.
	p.follow.cursor = head
	if err := p.catchUp(ctx, -1); err != nil {
		return err
	}
	lctx, cancel := context.WithCancel(context.Background())
	notes, err := n.ChangeNotifications(lctx)
	if err != nil {
		cancel()
		return fmt.Errorf("listen for changes: %w", err)
	}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		defer cancel()
		t := time.NewTicker(followPoll)
		defer t.Stop()
		refresh := time.NewTicker(sharedRefresh)
		defer refresh.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-refresh.C:
				if err := p.refreshShared(lctx); err != nil {
					p.log.Error("refresh organisations and catalog", "err", err)
				}
				continue
			case <-notes:
			case <-t.C:
			}
			if err := p.catchUp(lctx, -1); err != nil {
				p.log.Error("follow change log", "err", err)
			}
		}
	}()
	return nil
}

// catchUp applies the change log up to seq target (-1: to the head).
func (p *Platform) catchUp(ctx context.Context, target int64) error {
	p.follow.mu.Lock()
	defer p.follow.mu.Unlock()
	applied := false
	defer func() {
		if applied {
			p.changes.notify()
		}
	}()
	for target < 0 || p.follow.cursor < target {
		page, err := p.store.Changes(ctx, p.follow.cursor, nil, MaxChangesPage)
		if err != nil {
			return err
		}
		for i := range page.Changes {
			if err := p.applyChange(ctx, &page.Changes[i]); err != nil {
				return fmt.Errorf("apply change %d: %w", page.Changes[i].Seq, err)
			}
			p.follow.cursor = page.Changes[i].Seq
			applied = true
		}
		p.follow.cursor = max(p.follow.cursor, page.Next)
		if len(page.Changes) < MaxChangesPage {
			return nil
		}
	}
	return nil
}

func (p *Platform) applyChange(ctx context.Context, c *feed.Change) error {
	if c.Entry.Version > 1 {
		prev, err := p.store.EntryAt(ctx, c.Entry.ID, c.Entry.Version-1)
		if err != nil {
			return err
		}
		l := listing(prev)
		p.index.Remove(&l)
	}
	l := listing(&c.Entry)
	if c.Entry.Matches(p.clock()) {
		p.index.Put(l, nil)
	} else {
		p.index.Remove(&l)
	}
	return nil
}

// indexChanges makes the index reflect changes this node just stored.
func (p *Platform) indexChanges(ctx context.Context, changes []*entry.Change) error {
	if !p.shared {
		p.applyToIndex(changes)
		return nil
	}
	var last int64
	for _, c := range changes {
		last = max(last, c.Version.Seq)
	}
	return p.catchUp(context.WithoutCancel(ctx), last)
}

// ignoreConcurrent treats another node's concurrent change as done: used
// where every node races to make the same change (expiry).
func ignoreConcurrent(err error) error {
	if chengxin.IsKind(err, chengxin.KindConflict) {
		return nil
	}
	return err
}

// refreshShared rereads what other nodes may have changed outside the change
// log: organisations and their tokens, and the catalog.
func (p *Platform) refreshShared(ctx context.Context) error {
	if err := p.orgs.load(ctx, p.store); err != nil {
		return err
	}
	data, err := p.store.LatestCatalog(ctx)
	if err != nil || data == nil {
		return err
	}
	p.catalogMu.Lock()
	defer p.catalogMu.Unlock()
	if bytes.Equal(data, p.catalogYAML) {
		return nil
	}
	cat, err := catalog.Parse(data)
	if err != nil {
		return fmt.Errorf("stored catalog: %w", err)
	}
	p.catalogYAML = data
	p.index.SetCatalog(cat)
	p.log.Info("catalog replaced by another node", "version", cat.Version)
	return nil
}
