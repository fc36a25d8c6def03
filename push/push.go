// Package push delivers the change feed to webhook subscribers: one worker
// per subscription, in seq order, at least once, retried with capped
// exponential backoff. A slow or dead receiver holds up only its own worker.
package push

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/chengxin/chengxin/feed"
	"github.com/chengxin/chengxin/platform"
)

// Options tune delivery; the zero value is the production default.
type Options struct {
	Client     *http.Client
	MinBackoff time.Duration // first retry; default 1 s
	MaxBackoff time.Duration // cap; default 5 min
	BatchSize  int           // changes per delivery; default 100
	Logger     *slog.Logger
	// Leader, when several nodes share the store, makes one node the only
	// one delivering, so each subscription is delivered in order once.
	Leader Leader
}

// Leader grants a cluster-wide role: Lead blocks until this node has it and
// returns a context that ends when the node loses it.
type Leader interface {
	Lead(ctx context.Context, name string) (context.Context, error)
}

// Dispatcher runs the workers.
type Dispatcher struct {
	p      *platform.Platform
	opt    Options
	cancel context.CancelFunc
	done   sync.WaitGroup

	mu      sync.Mutex
	workers map[string]context.CancelFunc
}

// Start begins delivering every stored subscription and picks up new ones.
func Start(p *platform.Platform, opt Options) *Dispatcher {
	if opt.Client == nil {
		opt.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if opt.MinBackoff == 0 {
		opt.MinBackoff = time.Second
	}
	if opt.MaxBackoff == 0 {
		opt.MaxBackoff = 5 * time.Minute
	}
	if opt.BatchSize == 0 {
		opt.BatchSize = 100
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &Dispatcher{p: p, opt: opt, cancel: cancel, workers: map[string]context.CancelFunc{}}
	d.done.Add(1)
	go d.supervise(ctx)
	return d
}

// Close stops every worker; deliveries under way are abandoned and, not
// being acknowledged, are sent again after the next start.
func (d *Dispatcher) Close() {
	d.cancel()
	d.done.Wait()
}

// supervise keeps one worker per stored subscription while this node is
// the one that delivers.
func (d *Dispatcher) supervise(ctx context.Context) {
	defer d.done.Done()
	if d.opt.Leader == nil {
		d.deliver(ctx)
		return
	}
	for ctx.Err() == nil {
		held, err := d.opt.Leader.Lead(ctx, "push")
		if err != nil {
			if ctx.Err() == nil {
				d.opt.Logger.Error("take the delivery role", "err", err)
				sleep(ctx, d.opt.MinBackoff)
			}
			continue
		}
		d.opt.Logger.Info("this node delivers webhooks")
		d.deliver(held)
		d.stopWorkers()
		if ctx.Err() == nil {
			d.opt.Logger.Warn("lost the delivery role")
		}
	}
}

func (d *Dispatcher) stopWorkers() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, cancel := range d.workers {
		cancel()
		delete(d.workers, id)
	}
}

// deliver reconciles the workers with the stored subscriptions until ctx ends.
func (d *Dispatcher) deliver(ctx context.Context) {
	for {
		changed := d.p.SubscriptionsChanged()
		subs, err := d.p.AllSubscriptions(ctx)
		if err != nil {
			d.opt.Logger.Error("list subscriptions", "err", err)
		} else {
			d.reconcile(ctx, subs)
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-time.After(reconcileEvery):
		}
	}
}

func (d *Dispatcher) reconcile(ctx context.Context, subs []*feed.Subscription) {
	d.mu.Lock()
	defer d.mu.Unlock()
	live := make(map[string]bool, len(subs))
	for _, sub := range subs {
		live[sub.ID] = true
		if d.workers[sub.ID] != nil {
			continue
		}
		wctx, cancel := context.WithCancel(ctx)
		d.workers[sub.ID] = cancel
		d.done.Add(1)
		go func() {
			defer d.done.Done()
			d.run(wctx, sub)
		}()
	}
	for id, cancel := range d.workers {
		if !live[id] {
			cancel()
			delete(d.workers, id)
		}
	}
}

// reconcileEvery bounds how long a subscription made on another node waits
// before the delivering node picks it up.
const reconcileEvery = 2 * time.Second

type delivery struct {
	Changes []feed.ChangeView `json:"changes"`
	Next    int64             `json:"next"`
}

// run delivers one subscription's changes until ctx ends.
func (d *Dispatcher) run(ctx context.Context, sub *feed.Subscription) {
	log := d.opt.Logger.With("subscription", sub.ID, "org", sub.Org)
	failures := 0
	for ctx.Err() == nil {
		actor := d.p.OrgByCode(sub.Org)
		if actor == nil {
			log.Error("subscribing organisation is gone")
			return
		}
		page, err := d.p.Changes(ctx, actor, sub.Cursor, d.opt.BatchSize, 30*time.Second)
		if err != nil {
			failures++
			log.Error("read changes", "err", err)
			sleep(ctx, feed.Backoff(failures, d.opt.MinBackoff, d.opt.MaxBackoff))
			continue
		}
		if len(page.Changes) == 0 {
			if page.Next > sub.Cursor {
				// Skip past changes this organisation may not see.
				sub.Cursor = page.Next
				d.save(ctx, sub, log)
			}
			continue
		}
		body, err := json.Marshal(delivery{Changes: platform.Views(actor, page.Changes), Next: page.Next})
		if err != nil {
			log.Error("encode delivery", "err", err)
			return
		}
		for ctx.Err() == nil {
			err := d.post(ctx, sub, body, page)
			now := time.Now()
			sub.LastAttempt = now
			if err == nil {
				failures = 0
				sub.Cursor, sub.LastSuccess, sub.LastError, sub.FailingSince = page.Next, now, "", time.Time{}
				sub.Delivered += int64(len(page.Changes))
				d.save(ctx, sub, log)
				break
			}
			if ctx.Err() != nil {
				return
			}
			failures++
			sub.LastError = err.Error()
			if sub.FailingSince.IsZero() {
				sub.FailingSince = now
			}
			d.save(ctx, sub, log)
			wait := feed.Backoff(failures, d.opt.MinBackoff, d.opt.MaxBackoff)
			log.Warn("delivery failed", "err", err, "retry_in", wait, "status", sub.Status(now))
			sleep(ctx, wait)
		}
	}
}

func (d *Dispatcher) post(ctx context.Context, sub *feed.Subscription, body []byte, page feed.Page) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "chengxin-push/1")
	req.Header.Set("X-Chengxin-Signature", feed.Sign(sub.Secret, body))
	req.Header.Set("X-Chengxin-Subscription", sub.ID)
	req.Header.Set("X-Chengxin-Delivery", fmt.Sprintf("%d-%d", page.Changes[0].Seq, page.Changes[len(page.Changes)-1].Seq))
	res, err := d.opt.Client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("receiver answered %s", res.Status)
	}
	return nil
}

func (d *Dispatcher) save(ctx context.Context, sub *feed.Subscription, log *slog.Logger) {
	if err := d.p.SaveDelivery(context.WithoutCancel(ctx), sub); err != nil {
		log.Error("save delivery state", "err", err)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
