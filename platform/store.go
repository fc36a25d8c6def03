// Package platform runs the core loop: publish → check → intercept →
// feedback → exit. It holds the domain rules together with the in-memory
// index, and reaches storage only through the Store interface.
package platform

import (
	"context"
	"time"

	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/feed"
	"github.com/chengxin/chengxin/org"
)

// Store is the system of record. Every method that writes commits before it
// returns; a method that finds nothing returns a not_found *chengxin.Error.
type Store interface {
	// EntriesByRef returns the current entries of list with the given source
	// references, by reference; absent ones are missing from the map.
	EntriesByRef(ctx context.Context, list string, refs []string) (map[string]*entry.Entry, error)
	// Entry returns one entry, with its versions when history is true.
	Entry(ctx context.Context, id int64, history bool) (*entry.Entry, error)
	// EntryAt returns an entry as one of its versions left it: that version's
	// state and the record in force then.
	EntryAt(ctx context.Context, id int64, version int) (*entry.Entry, error)
	// SaveEntryChanges stores the changes in one transaction, in order. It
	// assigns the IDs of new entries and each change's sequence number.
	SaveEntryChanges(ctx context.Context, changes []*entry.Change) error
	// ScanMatching calls fn for every active entry, to build the index.
	ScanActive(ctx context.Context, fn func(*entry.Entry) error) error
	// DueToExpire returns up to limit active entries whose term ended by now.
	DueToExpire(ctx context.Context, now time.Time, limit int) ([]*entry.Entry, error)

	// SaveChecks stores checks in one transaction and sets their log indexes
	// and IDs (a check's ID is its log index).
	SaveChecks(ctx context.Context, checks []*check.Record) error
	// Check returns a stored check with its feedback.
	Check(ctx context.Context, id string) (*check.Record, error)
	// SaveFeedback stores one feedback and sets its ID and log index.
	SaveFeedback(ctx context.Context, f *check.Feedback) error

	// CreateOrg stores a new organisation; a taken code is a conflict.
	CreateOrg(ctx context.Context, o *org.Org) error
	// SetOrgToken replaces an organisation's token hash.
	SetOrgToken(ctx context.Context, code, hash string) error
	Orgs(ctx context.Context) ([]*org.Org, error)

	// SaveCatalog stores a new catalog version; LatestCatalog returns the
	// newest one, or nil when none was ever stored.
	SaveCatalog(ctx context.Context, version string, yaml []byte, actor string, at time.Time) error
	LatestCatalog(ctx context.Context) ([]byte, error)

	// Changes returns up to limit changes after seq, of the given lists (nil:
	// all lists), read in one snapshot.
	Changes(ctx context.Context, after int64, lists []string, limit int) (feed.Page, error)
	CreateSubscription(ctx context.Context, sub *feed.Subscription) error
	DeleteSubscription(ctx context.Context, id string) error
	// Subscriptions lists an organisation's subscriptions ("" for all).
	Subscriptions(ctx context.Context, org string) ([]*feed.Subscription, error)
	Subscription(ctx context.Context, id string) (*feed.Subscription, error)
	// SaveDelivery stores a subscription's cursor and delivery state.
	SaveDelivery(ctx context.Context, sub *feed.Subscription) error

	// LogAccess records who read which personal data (PIPL).
	LogAccess(ctx context.Context, a Access) error

	Close() error
}

// Access is one read of personal data.
type Access struct {
	Org    string
	Action string
	Target string
	At     time.Time
}
