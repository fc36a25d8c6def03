// Package rows decodes the rows both stores keep in the same shape: times as
// unix microseconds, records and lists as JSON. Each engine scans its own
// driver's rows; what a column means is decided once, here.
package rows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/feed"
	"github.com/chengxin/chengxin/org"
)

// Scanner is a row of either driver.
type Scanner interface {
	Scan(dest ...any) error
}

// Micros is how times are stored.
func Micros(t time.Time) int64 { return t.UnixMicro() }

// FromMicros reads a stored time, shown in China time.
func FromMicros(us int64) time.Time { return time.UnixMicro(us).In(entry.CST) }

// OptMicros stores a time that may be unset as 0.
func OptMicros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return Micros(t)
}

// FromOptMicros reads a time that may be unset.
func FromOptMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return FromMicros(us)
}

// EntryColumns is the select list ScanEntry reads, over entries e joined
// with the version v that holds the current record.
const EntryColumns = `e.id, e.list, e.source_ref, e.subject_key, e.legal_rep_key, e.state, e.version, e.seq, v.record, e.created_at, e.updated_at`

// ScanEntry reads one row of EntryColumns.
func ScanEntry(r Scanner) (*entry.Entry, error) {
	e := new(entry.Entry)
	var rec []byte
	var created, updated int64
	if err := r.Scan(&e.ID, &e.List, &e.SourceRef, &e.Record.Key, &e.Record.LegalRepKey, &e.State, &e.Version, &e.Seq, &rec, &created, &updated); err != nil {
		return nil, fmt.Errorf("scan entry: %w", err)
	}
	key, repKey := e.Record.Key, e.Record.LegalRepKey
	if err := json.Unmarshal(rec, &e.Record); err != nil {
		return nil, fmt.Errorf("entry %d record: %w", e.ID, err)
	}
	e.Record.Key, e.Record.LegalRepKey = key, repKey
	e.CreatedAt, e.UpdatedAt = FromMicros(created), FromMicros(updated)
	return e, nil
}

// OrgColumns is the select list ScanOrg reads.
const OrgColumns = `code, name, roles, lists, items, token_hash, created_at`

// ScanOrg reads one row of OrgColumns.
func ScanOrg(r Scanner) (*org.Org, error) {
	o := new(org.Org)
	var roles, lists, items []byte
	var created int64
	if err := r.Scan(&o.Code, &o.Name, &roles, &lists, &items, &o.TokenHash, &created); err != nil {
		return nil, err
	}
	if err := errors.Join(json.Unmarshal(roles, &o.Roles), json.Unmarshal(lists, &o.Lists), json.Unmarshal(items, &o.Items)); err != nil {
		return nil, fmt.Errorf("org %s: %w", o.Code, err)
	}
	o.CreatedAt = FromMicros(created)
	return o, nil
}

// SubscriptionColumns is the select list ScanSubscription reads.
const SubscriptionColumns = `id, org, url, secret, cursor, created_at, last_attempt, last_success, last_error, failing_since, delivered`

// ScanSubscription reads one row of SubscriptionColumns.
func ScanSubscription(r Scanner) (*feed.Subscription, error) {
	sub := new(feed.Subscription)
	var created, attempt, success, failing int64
	if err := r.Scan(&sub.ID, &sub.Org, &sub.URL, &sub.Secret, &sub.Cursor, &created, &attempt, &success, &sub.LastError, &failing, &sub.Delivered); err != nil {
		return nil, err
	}
	sub.CreatedAt = FromMicros(created)
	sub.LastAttempt, sub.LastSuccess, sub.FailingSince = FromOptMicros(attempt), FromOptMicros(success), FromOptMicros(failing)
	return sub, nil
}

// PageNext sets a change page's cursor: past the last change shown when the
// page is full, else the head read in the same snapshot.
func PageNext(page *feed.Page, head int64, limit int) {
	page.Next = head
	if len(page.Changes) == limit {
		page.Next = page.Changes[len(page.Changes)-1].Seq
	}
}

// CheckFeedbackQuery reads a check's feedback, oldest first.
const CheckFeedbackQuery = `SELECT id, check_id, org, action, note, operator, at, log_index FROM feedback WHERE check_id = ? ORDER BY id`

// ScanFeedback reads one row of CheckFeedbackQuery.
func ScanFeedback(r Scanner) (check.Feedback, error) {
	var f check.Feedback
	var checkIndex, at int64
	if err := r.Scan(&f.ID, &checkIndex, &f.Org, &f.Action, &f.Note, &f.Operator, &at, &f.LogIndex); err != nil {
		return f, err
	}
	f.CheckID, f.At = strconv.FormatInt(checkIndex, 10), FromMicros(at)
	return f, nil
}
