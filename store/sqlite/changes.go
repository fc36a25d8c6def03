package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/feed"
	"github.com/chengxin/chengxin/store/internal/rows"
)

// Changes implements platform.Store. It reads in one snapshot, so Next is
// the head as of the changes returned.
func (s *Store) Changes(ctx context.Context, after int64, lists []string, limit int) (feed.Page, error) {
	page := feed.Page{Next: after}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return page, err
	}
	defer tx.Rollback()
	var head int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM entry_versions`).Scan(&head); err != nil {
		return page, fmt.Errorf("change head: %w", err)
	}
	if head <= after {
		return page, nil
	}
	args := []any{after, head}
	filter := ""
	if lists != nil {
		if len(lists) == 0 {
			page.Next = head
			return page, nil
		}
		filter = ` AND e.list IN (?` + strings.Repeat(",?", len(lists)-1) + `)`
		for _, l := range lists {
			args = append(args, l)
		}
	}
	args = append(args, limit)
	// The record in force at a change is the newest one set at or before it.
	rs, err := tx.QueryContext(ctx, `SELECT v.seq, v.change, v.at, v.state, v.version, e.id, e.list, e.source_ref, e.created_at,
			(SELECT r.record FROM entry_versions r WHERE r.entry_id = v.entry_id AND r.version <= v.version AND r.record IS NOT NULL
			 ORDER BY r.version DESC LIMIT 1)
		FROM entry_versions v JOIN entries e ON e.id = v.entry_id
		WHERE v.seq > ? AND v.seq <= ?`+filter+` ORDER BY v.seq LIMIT ?`, args...)
	if err != nil {
		return page, fmt.Errorf("changes after %d: %w", after, err)
	}
	defer rs.Close()
	for rs.Next() {
		var c feed.Change
		var at, created int64
		var rec []byte
		e := &c.Entry
		if err := rs.Scan(&c.Seq, &c.Type, &at, &e.State, &e.Version, &e.ID, &e.List, &e.SourceRef, &created, &rec); err != nil {
			return page, err
		}
		if err := json.Unmarshal(rec, &e.Record); err != nil {
			return page, fmt.Errorf("change %d record: %w", c.Seq, err)
		}
		// Keys as of this change: a later correction may have changed them.
		if err := e.Record.DeriveKeys(); err != nil {
			return page, fmt.Errorf("change %d: %w", c.Seq, err)
		}
		c.At, e.Seq, e.CreatedAt = rows.FromMicros(at), c.Seq, rows.FromMicros(created)
		e.UpdatedAt = c.At
		page.Changes = append(page.Changes, c)
	}
	if err := rs.Err(); err != nil {
		return page, err
	}
	rows.PageNext(&page, head, limit)
	return page, nil
}

// EntryAt implements platform.Store.
func (s *Store) EntryAt(ctx context.Context, id int64, version int) (*entry.Entry, error) {
	e := &entry.Entry{ID: id, Version: version}
	var at, created int64
	var rec []byte
	err := s.r.QueryRowContext(ctx, `SELECT v.seq, v.state, v.at, e.list, e.source_ref, e.created_at,
			(SELECT r.record FROM entry_versions r WHERE r.entry_id = v.entry_id AND r.version <= v.version AND r.record IS NOT NULL
			 ORDER BY r.version DESC LIMIT 1)
		FROM entry_versions v JOIN entries e ON e.id = v.entry_id WHERE v.entry_id = ? AND v.version = ?`, id, version).
		Scan(&e.Seq, &e.State, &at, &e.List, &e.SourceRef, &created, &rec)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, chengxin.E(chengxin.KindNotFound, "not_found", "entry_id", fmt.Sprintf("条目版本不存在：%d/%d", id, version), fmt.Sprintf("no such entry version: %d/%d", id, version))
	}
	if err != nil {
		return nil, fmt.Errorf("entry %d version %d: %w", id, version, err)
	}
	if err := json.Unmarshal(rec, &e.Record); err != nil {
		return nil, fmt.Errorf("entry %d version %d record: %w", id, version, err)
	}
	if err := e.Record.DeriveKeys(); err != nil {
		return nil, fmt.Errorf("entry %d version %d: %w", id, version, err)
	}
	e.UpdatedAt, e.CreatedAt = rows.FromMicros(at), rows.FromMicros(created)
	return e, nil
}

// CreateSubscription implements platform.Store.
func (s *Store) CreateSubscription(ctx context.Context, sub *feed.Subscription) error {
	return s.write(ctx, func(tx *sql.Conn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (id, org, url, secret, cursor, created_at) VALUES (?,?,?,?,?,?)`,
			sub.ID, sub.Org, sub.URL, sub.Secret, sub.Cursor, rows.Micros(sub.CreatedAt))
		return err
	})
}

// DeleteSubscription implements platform.Store.
func (s *Store) DeleteSubscription(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *sql.Conn) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = ?`, id)
		return err
	})
}

// Subscriptions implements platform.Store; org "" lists all.
func (s *Store) Subscriptions(ctx context.Context, org string) ([]*feed.Subscription, error) {
	q, args := `SELECT `+rows.SubscriptionColumns+` FROM subscriptions ORDER BY created_at`, []any(nil)
	if org != "" {
		q, args = `SELECT `+rows.SubscriptionColumns+` FROM subscriptions WHERE org = ? ORDER BY created_at`, []any{org}
	}
	return rows.All(s.query(ctx), q, args, rows.ScanSubscription)
}

// Subscription implements platform.Store.
func (s *Store) Subscription(ctx context.Context, id string) (*feed.Subscription, error) {
	sub, err := rows.ScanSubscription(s.r.QueryRowContext(ctx, `SELECT `+rows.SubscriptionColumns+` FROM subscriptions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, chengxin.E(chengxin.KindNotFound, "not_found", "id", "订阅不存在："+id, "no such subscription: "+id)
	}
	return sub, err
}

// SaveDelivery implements platform.Store: the outcome of one delivery
// attempt, with the cursor it reached.
func (s *Store) SaveDelivery(ctx context.Context, sub *feed.Subscription) error {
	return s.write(ctx, func(tx *sql.Conn) error {
		_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET cursor = ?, last_attempt = ?, last_success = ?, last_error = ?,
			failing_since = ?, delivered = ? WHERE id = ?`,
			sub.Cursor, rows.OptMicros(sub.LastAttempt), rows.OptMicros(sub.LastSuccess), sub.LastError, rows.OptMicros(sub.FailingSince), sub.Delivered, sub.ID)
		return err
	})
}
