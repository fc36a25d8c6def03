// Package platform runs the core loop: publish → check → intercept →
// feedback → exit. It holds the domain rules together with the in-memory
// index, and reaches storage only through the Store interface.
package platform

import (
	"context"
	"time"

	"github.com/chengxin/chengxin/auditlog"
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

	// CreateOrg stores a new organisation and its "org.created" log leaf; a
	// taken code is a conflict.
	CreateOrg(ctx context.Context, o *org.Org, leafHash []byte) error
	// SetOrgToken stores o's new token hash and its "org.token_rotated" leaf.
	SetOrgToken(ctx context.Context, o *org.Org, at time.Time, leafHash []byte) error
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

	// LogMeta returns a setting fixed when the log began ("" when unset);
	// SetLogMeta sets one unless it is already set.
	LogMeta(ctx context.Context, key string) (string, error)
	SetLogMeta(ctx context.Context, key, value string) error
	// LogSize is how many leaves the log has: one more than the highest
	// log_index committed.
	LogSize(ctx context.Context) (int64, error)
	// LeafHashes returns the stored leaf hashes of the log positions [from, to).
	LeafHashes(ctx context.Context, from, to int64) ([][]byte, error)
	// LogRecords calls fn with each record of the positions [from, to), in order.
	LogRecords(ctx context.Context, from, to int64, fn func(*LogRecord) error) error
	SaveCheckpoint(ctx context.Context, cp *auditlog.Checkpoint, publicKey string) error
	// Checkpoints returns the stored checkpoints, oldest first, with the
	// public key of each.
	Checkpoints(ctx context.Context) ([]*StoredCheckpoint, error)
	// LatestCheckpoint returns the newest checkpoint, or nil.
	LatestCheckpoint(ctx context.Context) (*StoredCheckpoint, error)

	// LogAccess records who read which personal data (PIPL).
	LogAccess(ctx context.Context, a Access) error

	// CheckStats aggregates the checks made in [from, to) by organisation,
	// item and outcome, ordered that way. A check's feedback figures use its
	// latest feedback; a check without feedback made before overdueBefore
	// counts as overdue.
	CheckStats(ctx context.Context, from, to, overdueBefore time.Time) ([]CheckStat, error)
	// FeedbackDelays returns, per organisation, how long each check with
	// hits made in [from, to) waited for its first feedback (checks without
	// feedback are left out).
	FeedbackDelays(ctx context.Context, from, to time.Time) (map[string][]time.Duration, error)
	// PublicEntries returns up to limit active entries of the given lists
	// whose subject key is key (when key is not "") and whose subject name is
	// name (when name is not ""), newest first.
	PublicEntries(ctx context.Context, lists []string, key, name string, limit int) ([]*entry.Entry, error)

	// OrgChecks returns up to limit of an organisation's checks, newest
	// first, without their feedback; with awaiting, only checks with hits
	// that have received no feedback.
	OrgChecks(ctx context.Context, org string, awaiting bool, limit int) ([]*check.Record, error)
	// RecentEntries returns up to limit entries of the given lists, the most
	// recently changed first.
	RecentEntries(ctx context.Context, lists []string, limit int) ([]*entry.Entry, error)

	Close() error
}

// LogRecord is one record of the audit log as stored, with the leaf hash
// stored beside it. Exactly one of Version, Check, Feedback, Org is set.
type LogRecord struct {
	Index    int64
	LeafHash []byte

	Entry   *entry.Entry // the entry a version belongs to (list, source_ref)
	Version *entry.Version

	Check    *check.Record
	Feedback *check.Feedback

	Org       *org.Org
	OrgChange string
	OrgAt     time.Time
}

// StoredCheckpoint is a signed checkpoint and the key that signed it.
type StoredCheckpoint struct {
	auditlog.Checkpoint
	PublicKey string
}

// Access is one read of personal data.
type Access struct {
	Org    string
	Action string
	Target string
	At     time.Time
}
