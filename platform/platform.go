package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/auditlog"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
)

// Platform is one node of chengxin: the store, the index built from it, and
// the writers that make checks durable.
type Platform struct {
	store Store
	clock chengxin.Clock
	log   *slog.Logger
	index *check.Index

	// writeMu serialises entry writes so that a store commit and the index
	// update that follows it happen in the same order for every writer.
	writeMu sync.Mutex

	catalogMu   sync.RWMutex
	catalogYAML []byte

	orgs orgCache

	changes       notifier // the change log grew
	subscriptions notifier // a subscription was added or removed

	// shared is set when several nodes share the store: the index then
	// follows the change log (see follow.go).
	shared bool
	follow logFollower

	audit       *audit
	counters    counters
	mask        Mask
	publicLimit *RateLimiter

	checks chan *pendingChecks
	stop   chan struct{}
	done   sync.WaitGroup

	draining  chan struct{} // closed when long polls should return
	drainOnce sync.Once
}

// Options tune a platform; the zero value is the production default.
type Options struct {
	Clock  chengxin.Clock
	Logger *slog.Logger
	// ExpiryEvery is how often terms are swept; 0 means every second, <0 never
	// (tests call ExpireDue themselves).
	ExpiryEvery time.Duration
	Log         LogOptions
	// Mask is how identifiers are masked for the public and for roles that
	// do not need them in full; zero means DefaultMask.
	Mask Mask
}

// Open loads the catalog and organisations, builds the index from the store
// and starts the background writers.
func Open(ctx context.Context, store Store, opt Options) (*Platform, error) {
	if opt.Clock == nil {
		opt.Clock = chengxin.SystemClock
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Mask == (Mask{}) {
		opt.Mask = DefaultMask
	}
	var err error
	p := &Platform{store: store, clock: opt.Clock, log: opt.Logger,
		checks: make(chan *pendingChecks, 4096), stop: make(chan struct{}), draining: make(chan struct{}), mask: opt.Mask,
		publicLimit: NewRateLimiter(PublicPerMinute, PublicBurst)}

	if p.audit, err = openAudit(ctx, store, opt.Log); err != nil {
		return nil, err
	}
	cat, err := p.loadCatalog(ctx)
	if err != nil {
		return nil, err
	}
	p.index = check.NewIndex(cat)
	if err := p.orgs.load(ctx, store); err != nil {
		return nil, fmt.Errorf("load organisations: %w", err)
	}
	start := time.Now()
	if n, ok := store.(ChangeNotifier); ok {
		p.shared = true
		err = p.startFollowing(ctx, n)
	} else {
		err = p.buildIndex(ctx)
	}
	if err != nil {
		p.Close()
		return nil, err
	}
	p.log.Info("index built", "entries", p.index.Len(), "took", time.Since(start).Round(time.Millisecond))

	p.done.Add(1)
	go p.writeChecks()
	if opt.Log.CheckpointEvery >= 0 && p.audit.signer != nil {
		every := opt.Log.CheckpointEvery
		if every == 0 {
			every = time.Second
		}
		leader, _ := store.(interface {
			Lead(ctx context.Context, name string) (context.Context, error)
		})
		p.done.Add(1)
		go p.checkpointLoop(every, leader)
	}
	if opt.ExpiryEvery >= 0 {
		every := opt.ExpiryEvery
		if every == 0 {
			every = time.Second
		}
		p.done.Add(1)
		go p.sweepExpiry(every)
	}
	return p, nil
}

// Drain makes waiting long polls return now, so that a server can shut down
// without waiting out their timeouts.
func (p *Platform) Drain() { p.drainOnce.Do(func() { close(p.draining) }) }

// Close stops the background writers after they finish what was accepted.
func (p *Platform) Close() error {
	p.Drain()
	close(p.stop)
	p.done.Wait()
	return nil
}

// Now is the platform's clock.
func (p *Platform) Now() time.Time { return p.clock() }

// Catalog returns the catalog in force.
func (p *Platform) Catalog() *catalog.Catalog { return p.index.Catalog() }

// IndexLen is how many active entries decide checks.
func (p *Platform) IndexLen() int { return p.index.Len() }

func (p *Platform) loadCatalog(ctx context.Context) (*catalog.Catalog, error) {
	data, err := p.store.LatestCatalog(ctx)
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	if data == nil {
		data = catalog.DefaultYAML()
		cat, err := catalog.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("shipped catalog: %w", err)
		}
		if err := p.store.SaveCatalog(ctx, cat.Version, data, "system", p.clock()); err != nil {
			return nil, fmt.Errorf("store shipped catalog: %w", err)
		}
	}
	cat, err := catalog.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("stored catalog: %w", err)
	}
	p.catalogYAML = data
	return cat, nil
}

func (p *Platform) buildIndex(ctx context.Context) error {
	now := p.clock()
	return p.store.ScanActive(ctx, func(e *entry.Entry) error {
		if e.Matches(now) {
			p.index.Put(listing(e), nil)
		}
		return nil
	})
}

// listing is what the index keeps of an entry.
func listing(e *entry.Entry) check.Listing {
	l := check.Listing{Entry: e.ID, List: e.List, Kind: e.Record.Subject.Kind,
		Key: e.Record.Key, Name: e.Record.Subject.Name, LegalRepKey: e.Record.LegalRepKey}
	if rep := e.Record.Subject.LegalRep; rep != nil {
		l.LegalRep = rep.Name
	}
	if e.Record.ExpiresAt != nil {
		l.Expires = *e.Record.ExpiresAt
	}
	return l
}

// applyToIndex makes the index reflect stored changes and wakes the
// change feed's followers.
func (p *Platform) applyToIndex(changes []*entry.Change) {
	defer p.changes.notify()
	now := p.clock()
	for _, c := range changes {
		if c.Prev != nil {
			l := listing(c.Prev)
			p.index.Remove(&l)
		}
		if c.Entry.Matches(now) {
			p.index.Put(listing(c.Entry), nil)
		}
	}
}

func (p *Platform) sweepExpiry(every time.Duration) {
	defer p.done.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			if _, err := p.ExpireDue(context.Background()); err != nil {
				p.log.Error("expire entries", "err", err)
			}
		}
	}
}

// ExpireDue records the expiry of every active entry whose term has ended.
// The index already ignores them from the moment the term ends; this makes
// the state change durable and visible in the entry's history.
func (p *Platform) ExpireDue(ctx context.Context) (int, error) {
	total := 0
	for {
		p.writeMu.Lock()
		now := p.clock()
		due, err := p.store.DueToExpire(ctx, now, 1000)
		if err != nil || len(due) == 0 {
			p.writeMu.Unlock()
			return total, err
		}
		changes := make([]*entry.Change, 0, len(due))
		for _, e := range due {
			c, ok, err := entry.Transition(e, entry.ExpiredC, "system", "期限届满", "term_ended", now)
			if err == nil && ok {
				changes = append(changes, &c)
			}
		}
		err = ignoreConcurrent(p.saveEntryChanges(ctx, changes))
		if err == nil {
			err = p.indexChanges(ctx, changes)
		}
		p.writeMu.Unlock()
		if err != nil {
			return total, fmt.Errorf("expire: %w", err)
		}
		total += len(changes)
		if len(due) < 1000 {
			return total, nil
		}
	}
}

// saveEntryChanges stores changes with their audit-log leaf hashes, hashed
// on every core for a large batch (SM3 is most of a batch's CPU outside
// the store).
func (p *Platform) saveEntryChanges(ctx context.Context, changes []*entry.Change) error {
	hash := func(cs []*entry.Change) {
		for _, c := range cs {
			c.Version.LeafHash = p.audit.leaf(auditlog.EntryVersionLeaf(c.Entry.List, c.Entry.SourceRef, &c.Version))
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(changes)/256+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { hash(changes[w*len(changes)/workers : (w+1)*len(changes)/workers]) })
	}
	wg.Wait()
	if err := p.store.SaveEntryChanges(ctx, changes); err != nil {
		return err
	}
	p.counters.entryChanges.Add(int64(len(changes)))
	return nil
}

// errStopping is returned to callers whose write arrives during shutdown.
var errStopping = chengxin.E(chengxin.KindUnavailable, "stopping", "", "服务正在停止，请稍后重试", "the server is stopping; retry")

func isNotFound(err error) bool {
	var e *chengxin.Error
	return errors.As(err, &e) && e.Kind == chengxin.KindNotFound
}
