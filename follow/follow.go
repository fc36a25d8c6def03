// Package follow keeps a department's local copy of the lists it may see,
// for departments that match on their own side ("data does not move"). It
// pulls the change feed from its cursor, verifies every change before
// applying it, and stores copy and cursor together in one SQLite file.
package follow

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	_ "modernc.org/sqlite"

	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/feed"
	"github.com/chengxin/chengxin/subject"
)

const schema = `
CREATE TABLE IF NOT EXISTS mirror (
    entry_id      INTEGER PRIMARY KEY,
    list          TEXT NOT NULL,
    state         TEXT NOT NULL,
    version       INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    subject_key   TEXT NOT NULL,
    legal_rep_key TEXT NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mirror_subject ON mirror (subject_key);
CREATE INDEX IF NOT EXISTS mirror_rep ON mirror (legal_rep_key) WHERE legal_rep_key != '';
CREATE TABLE IF NOT EXISTS cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
INSERT OR IGNORE INTO cursor (id, seq) VALUES (1, 0);
`

// Follower is a local copy and its cursor.
type Follower struct {
	db     *sql.DB
	url    string
	token  string
	client *http.Client
	log    *slog.Logger
}

// Open opens (creating) the copy in dir, to follow the platform at baseURL.
func Open(dir, baseURL, token string, log *slog.Logger) (*Follower, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "mirror.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Follower{db: db, url: baseURL, token: token, client: &http.Client{Timeout: 90 * time.Second}, log: log}, nil
}

// Close closes the copy.
func (f *Follower) Close() error { return f.db.Close() }

// Cursor is the last change applied.
func (f *Follower) Cursor(ctx context.Context) (int64, error) {
	var seq int64
	err := f.db.QueryRowContext(ctx, `SELECT seq FROM cursor WHERE id = 1`).Scan(&seq)
	return seq, err
}

// Run follows until ctx ends, waiting out failures with backoff.
func (f *Follower) Run(ctx context.Context) error {
	failures := 0
	for ctx.Err() == nil {
		_, err := f.Sync(ctx, 30*time.Second)
		if err == nil {
			failures = 0
			continue
		}
		var bad *VerifyError
		if errors.As(err, &bad) {
			return err
		}
		if ctx.Err() != nil {
			break
		}
		failures++
		wait := feed.Backoff(failures, time.Second, time.Minute)
		f.log.Warn("follow", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	return nil
}

// VerifyError is a change that failed verification; nothing of its page was
// applied, and following stops rather than keep a copy it cannot trust.
type VerifyError struct {
	Seq    int64
	Reason string
}

func (e *VerifyError) Error() string { return fmt.Sprintf("change %d: %s", e.Seq, e.Reason) }

// Sync fetches and applies one page, waiting up to wait for it; it returns
// how many changes it applied.
func (f *Follower) Sync(ctx context.Context, wait time.Duration) (int, error) {
	cursor, err := f.Cursor(ctx)
	if err != nil {
		return 0, err
	}
	page, err := f.fetch(ctx, cursor, wait)
	if err != nil {
		return 0, err
	}
	if err := verify(cursor, page); err != nil {
		return 0, err
	}
	return len(page.Changes), f.apply(ctx, page)
}

type wirePage struct {
	Changes []feed.ChangeView `json:"changes"`
	Next    int64             `json:"next"`
}

func (f *Follower) fetch(ctx context.Context, after int64, wait time.Duration) (*wirePage, error) {
	q := url.Values{"after": {strconv.FormatInt(after, 10)}, "limit": {"1000"}, "wait": {wait.String()}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url+"/v1/changes?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+f.token)
	res, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 256<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /v1/changes: %s: %.300s", res.Status, body)
	}
	var page wirePage
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, fmt.Errorf("GET /v1/changes: %w", err)
	}
	return &page, nil
}

// verify checks a page before any of it is applied: sequence numbers rise
// past the cursor, the cursor never goes back, and every identifier is
// valid, so the local copy matches the way the platform does.
func verify(cursor int64, page *wirePage) error {
	last := cursor
	for _, c := range page.Changes {
		if c.Seq <= last {
			return &VerifyError{Seq: c.Seq, Reason: fmt.Sprintf("out of order after %d", last)}
		}
		last = c.Seq
		s := c.Entry.Subject
		if _, err := subject.Parse(s.IDType, s.ID); err != nil {
			return &VerifyError{Seq: c.Seq, Reason: "invalid subject identifier: " + err.Error()}
		}
		if s.LegalRep != nil {
			if _, err := subject.Parse(s.LegalRep.IDType, s.LegalRep.ID); err != nil {
				return &VerifyError{Seq: c.Seq, Reason: "invalid legal representative identifier: " + err.Error()}
			}
		}
		if _, err := strconv.ParseInt(c.Entry.EntryID, 10, 64); err != nil {
			return &VerifyError{Seq: c.Seq, Reason: "bad entry_id"}
		}
	}
	if page.Next < last {
		return &VerifyError{Seq: page.Next, Reason: "next goes back"}
	}
	return nil
}

func (f *Follower) apply(ctx context.Context, page *wirePage) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, c := range page.Changes {
		s := c.Entry.Subject
		id, _ := subject.Parse(s.IDType, s.ID)
		var repKey string
		if s.LegalRep != nil {
			rep, _ := subject.Parse(s.LegalRep.IDType, s.LegalRep.ID)
			repKey = rep.Key
		}
		body, _ := json.Marshal(c.Entry)
		entryID, _ := strconv.ParseInt(c.Entry.EntryID, 10, 64)
		// A later version never gives way to an earlier one (a replayed page).
		if _, err := tx.ExecContext(ctx, `INSERT INTO mirror (entry_id, list, state, version, seq, subject_key, legal_rep_key, body)
			VALUES (?,?,?,?,?,?,?,?)
			ON CONFLICT (entry_id) DO UPDATE SET list = excluded.list, state = excluded.state, version = excluded.version,
				seq = excluded.seq, subject_key = excluded.subject_key, legal_rep_key = excluded.legal_rep_key, body = excluded.body
			WHERE excluded.version >= mirror.version`,
			entryID, c.Entry.List, c.Entry.State, c.Entry.Version, c.Seq, id.Key, repKey, body); err != nil {
			return fmt.Errorf("apply change %d: %w", c.Seq, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cursor SET seq = ? WHERE id = 1`, page.Next); err != nil {
		return err
	}
	return tx.Commit()
}

// Match is a local hit: an active entry naming the subject or, for an
// organisation's entry, its legal representative.
type Match struct {
	Entry feed.EntryView
	Role  string
}

// Lookup finds the active local entries for an identifier, as a department
// system matching on its own side would.
func (f *Follower) Lookup(ctx context.Context, idType subject.IDType, raw string) ([]Match, error) {
	id, err := subject.Parse(idType, raw)
	if err != nil {
		return nil, err
	}
	rows, err := f.db.QueryContext(ctx, `SELECT body, subject_key = ? FROM mirror
		WHERE state = ? AND (subject_key = ? OR legal_rep_key = ?) ORDER BY entry_id`, id.Key, entry.Active, id.Key, id.Key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Match
	now := time.Now()
	for rows.Next() {
		var body []byte
		var self bool
		if err := rows.Scan(&body, &self); err != nil {
			return nil, err
		}
		var m Match
		if err := json.Unmarshal(body, &m.Entry); err != nil {
			return nil, err
		}
		if m.Entry.ExpiresAt != nil && !now.Before(*m.Entry.ExpiresAt) {
			continue
		}
		m.Role = "legal_rep"
		if self {
			m.Role = "self"
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
