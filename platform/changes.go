package platform

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/feed"
	"github.com/chengxin/chengxin/org"
)

// notifier wakes everyone waiting for the change log to grow. Waiters take
// the current channel; a commit closes it and installs a fresh one.
type notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

func (n *notifier) wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

func (n *notifier) notify() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
}

// Changed returns a channel closed at the next change commit.
func (p *Platform) Changed() <-chan struct{} { return p.changes.wait() }

// MaxChangesPage bounds one page of the feed.
const MaxChangesPage = 1000

// visibleLists is what an organisation may follow: a department the lists
// its items' measures act on, a source its own lists, a supervisor or admin
// everything (nil). Minimum necessary: nobody sees more.
func (p *Platform) visibleLists(actor *org.Org) ([]string, error) {
	if actor.CanReadAll() {
		return nil, nil
	}
	lists := []string{}
	if actor.Has(org.Source) {
		lists = append(lists, actor.Lists...)
	}
	if actor.Has(org.Department) {
		cat := p.Catalog()
		for _, it := range actor.Items {
			lists = append(lists, cat.ListsOfItem(it)...)
		}
	}
	if len(lists) == 0 {
		return nil, Forbidden("当前机构无可订阅的名单", "this organisation may not follow any list")
	}
	slices.Sort(lists)
	return slices.Compact(lists), nil
}

// Changes returns the changes after seq that actor may see, waiting up to
// wait for one to arrive when there is none yet.
func (p *Platform) Changes(ctx context.Context, actor *org.Org, after int64, limit int, wait time.Duration) (feed.Page, error) {
	lists, err := p.visibleLists(actor)
	if err != nil {
		return feed.Page{}, err
	}
	if after < 0 {
		return feed.Page{}, chengxin.Invalid("after", "bad_cursor", "after 不能为负数", "after cannot be negative")
	}
	if limit <= 0 || limit > MaxChangesPage {
		limit = MaxChangesPage
	}
	var timeout <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	for {
		// Take the channel before reading so a commit in between still wakes us.
		woken := p.changes.wait()
		page, err := p.store.Changes(ctx, after, lists, limit)
		if err != nil || len(page.Changes) > 0 || wait <= 0 {
			return page, err
		}
		after = page.Next
		select {
		case <-woken:
		case <-timeout:
			return page, nil
		case <-ctx.Done():
			return page, nil
		case <-p.draining:
			return page, nil
		}
	}
}

// Subscribe registers a webhook for actor, delivering from the change after
// `after` (nil: from now).
func (p *Platform) Subscribe(ctx context.Context, actor *org.Org, url, secret string, after *int64) (*feed.Subscription, error) {
	if _, err := p.visibleLists(actor); err != nil {
		return nil, err
	}
	url = strings.TrimSpace(url)
	if err := feed.ValidateSubscription(url, secret); err != nil {
		return nil, err
	}
	sub := &feed.Subscription{ID: "sub_" + randomHex(12), Org: actor.Code, URL: url, Secret: secret, CreatedAt: p.clock()}
	if after != nil {
		if *after < 0 {
			return nil, chengxin.Invalid("after", "bad_cursor", "after 不能为负数", "after cannot be negative")
		}
		sub.Cursor = *after
	} else {
		head, err := p.Head(ctx)
		if err != nil {
			return nil, err
		}
		sub.Cursor = head
	}
	if err := p.store.CreateSubscription(ctx, sub); err != nil {
		return nil, err
	}
	p.log.Info("subscription created", "subscription", sub.ID, "org", actor.Code)
	p.subscriptions.notify()
	return sub, nil
}

// Subscription returns one of actor's subscriptions (any, for supervisors).
func (p *Platform) Subscription(ctx context.Context, actor *org.Org, id string) (*feed.Subscription, error) {
	sub, err := p.store.Subscription(ctx, id)
	if err != nil {
		return nil, err
	}
	if sub.Org != actor.Code && !actor.CanReadAll() {
		return nil, chengxin.E(chengxin.KindNotFound, "not_found", "id", "订阅不存在："+id, "no such subscription: "+id)
	}
	return sub, nil
}

// Subscriptions lists actor's subscriptions (all, for supervisors).
func (p *Platform) Subscriptions(ctx context.Context, actor *org.Org) ([]*feed.Subscription, error) {
	if actor.CanReadAll() {
		return p.store.Subscriptions(ctx, "")
	}
	return p.store.Subscriptions(ctx, actor.Code)
}

// Unsubscribe deletes one of actor's subscriptions.
func (p *Platform) Unsubscribe(ctx context.Context, actor *org.Org, id string) error {
	sub, err := p.Subscription(ctx, actor, id)
	if err != nil {
		return err
	}
	if sub.Org != actor.Code && !actor.Has(org.Admin) {
		return Forbidden("只能删除本机构的订阅", "only the subscribing organisation may delete it")
	}
	if err := p.store.DeleteSubscription(ctx, id); err != nil {
		return err
	}
	p.subscriptions.notify()
	return nil
}

// SubscriptionsChanged returns a channel closed when a subscription is added
// or removed, for the dispatcher.
func (p *Platform) SubscriptionsChanged() <-chan struct{} { return p.subscriptions.wait() }

// AllSubscriptions lists every subscription, for the dispatcher.
func (p *Platform) AllSubscriptions(ctx context.Context) ([]*feed.Subscription, error) {
	return p.store.Subscriptions(ctx, "")
}

// SaveDelivery records a subscription's progress, for the dispatcher.
func (p *Platform) SaveDelivery(ctx context.Context, sub *feed.Subscription) error {
	return p.store.SaveDelivery(ctx, sub)
}

// OrgByCode returns an organisation from the cache; on a shared store an
// unknown code may be one another node just created, so the cache is reread
// (at most once a second).
func (p *Platform) OrgByCode(code string) *org.Org {
	p.orgs.mu.RLock()
	o := p.orgs.byCode[code]
	p.orgs.mu.RUnlock()
	if o == nil && p.shared && p.rereadOrgs() {
		p.orgs.mu.RLock()
		o = p.orgs.byCode[code]
		p.orgs.mu.RUnlock()
	}
	return o
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Views shows changes as actor may see them: in full for the list's source
// and supervisors, identifiers and state only for a department.
func Views(actor *org.Org, changes []feed.Change) []feed.ChangeView {
	out := make([]feed.ChangeView, len(changes))
	for i := range changes {
		out[i] = feed.View(&changes[i], actor.CanReadAll() || actor.CanPublish(changes[i].Entry.List))
	}
	return out
}

// Head is the sequence number of the newest change.
func (p *Platform) Head(ctx context.Context) (int64, error) {
	page, err := p.store.Changes(ctx, 0, []string{}, 1)
	return page.Next, err
}
