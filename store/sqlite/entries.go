package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/store/internal/rows"
)

const entryColumns = `id, list, source_ref, subject_key, legal_rep_key, state, version, seq, record_seq, created_at, updated_at`

// entrySelect reads entries with their current record.
const entrySelect = `SELECT ` + rows.EntryColumns + `
	FROM entries e JOIN entry_versions v ON v.seq = e.record_seq `

// EntriesByRef implements platform.Store.
func (s *Store) EntriesByRef(ctx context.Context, list string, refs []string) (map[string]*entry.Entry, error) {
	out := make(map[string]*entry.Entry, len(refs))
	const chunk = 500
	for start := 0; start < len(refs); start += chunk {
		part := refs[start:min(start+chunk, len(refs))]
		args := make([]any, 0, len(part)+1)
		args = append(args, list)
		for _, r := range part {
			args = append(args, r)
		}
		q := entrySelect + `WHERE e.list = ? AND e.source_ref IN (?` + strings.Repeat(",?", len(part)-1) + `)`
		if err := s.queryEntries(ctx, q, args, func(e *entry.Entry) error {
			out[e.SourceRef] = e
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Entry implements platform.Store.
func (s *Store) Entry(ctx context.Context, id int64, history bool) (*entry.Entry, error) {
	var e *entry.Entry
	err := s.queryEntries(ctx, entrySelect+`WHERE e.id = ?`, []any{id}, func(x *entry.Entry) error {
		e = x
		return nil
	})
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, chengxin.E(chengxin.KindNotFound, "not_found", "entry_id", fmt.Sprintf("条目不存在：%d", id), fmt.Sprintf("no such entry: %d", id))
	}
	if history {
		if e.Versions, err = s.versions(ctx, id); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func (s *Store) versions(ctx context.Context, id int64) ([]entry.Version, error) {
	rs, err := s.r.QueryContext(ctx, `SELECT version, seq, change, state, actor, at, reason, reason_code, record
		FROM entry_versions WHERE entry_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("versions of entry %d: %w", id, err)
	}
	defer rs.Close()
	var out []entry.Version
	for rs.Next() {
		var v entry.Version
		var at int64
		var rec sql.NullString
		if err := rs.Scan(&v.Version, &v.Seq, &v.Change, &v.State, &v.Actor, &at, &v.Reason, &v.ReasonCode, &rec); err != nil {
			return nil, err
		}
		v.At = rows.FromMicros(at)
		if rec.Valid {
			v.Record = new(entry.Record)
			if err := json.Unmarshal([]byte(rec.String), v.Record); err != nil {
				return nil, fmt.Errorf("version %d of entry %d: %w", v.Version, id, err)
			}
		}
		out = append(out, v)
	}
	return out, rs.Err()
}

// ScanActive implements platform.Store.
func (s *Store) ScanActive(ctx context.Context, fn func(*entry.Entry) error) error {
	return s.queryEntries(ctx, entrySelect+`WHERE e.state = 'active'`, nil, fn)
}

// DueToExpire implements platform.Store.
func (s *Store) DueToExpire(ctx context.Context, now time.Time, limit int) ([]*entry.Entry, error) {
	var out []*entry.Entry
	err := s.queryEntries(ctx, entrySelect+`
		WHERE e.state = 'active' AND e.expires_at IS NOT NULL AND e.expires_at <= ? ORDER BY e.expires_at LIMIT ?`,
		[]any{now.Unix(), limit}, func(e *entry.Entry) error {
			out = append(out, e)
			return nil
		})
	return out, err
}

func (s *Store) queryEntries(ctx context.Context, q string, args []any, fn func(*entry.Entry) error) error {
	if err := rows.Each(s.query(ctx), q, args, rows.ScanEntry, fn); err != nil {
		return fmt.Errorf("query entries: %w", err)
	}
	return nil
}

// SaveEntryChanges implements platform.Store. New entries and versions go
// in multi-row INSERTs: per-statement overhead, not SQLite, bounds ingest.
func (s *Store) SaveEntryChanges(ctx context.Context, changes []*entry.Change) error {
	if len(changes) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Conn) error {
		var entryRows, versionRows []any
		for _, c := range changes {
			e, v := c.Entry, &c.Version
			s.lastSeq++
			e.Seq, v.Seq = s.lastSeq, s.lastSeq
			var rec any
			if v.Record != nil {
				b, err := json.Marshal(v.Record)
				if err != nil {
					return err
				}
				rec = b
			}
			var expires any
			if e.Record.ExpiresAt != nil {
				expires = e.Record.ExpiresAt.Unix()
			}
			if e.ID == 0 {
				s.lastEntry++
				e.ID = s.lastEntry
				entryRows = append(entryRows, e.ID, e.List, e.SourceRef, e.Record.Key, e.Record.LegalRepKey, e.State, e.Version, e.Seq, e.Seq,
					rows.Micros(e.CreatedAt), rows.Micros(e.UpdatedAt), expires)
			} else if _, err := tx.ExecContext(ctx, `UPDATE entries SET state = ?, version = ?, seq = ?,
				record_seq = CASE WHEN ? THEN ? ELSE record_seq END, expires_at = ?, subject_key = ?, legal_rep_key = ?, updated_at = ? WHERE id = ?`,
				e.State, e.Version, e.Seq, rec != nil, e.Seq, expires, e.Record.Key, e.Record.LegalRepKey, rows.Micros(e.UpdatedAt), e.ID); err != nil {
				return fmt.Errorf("entry %s/%s: %w", e.List, e.SourceRef, err)
			}
			versionRows = append(versionRows, v.Seq, e.ID, v.Version, v.Change, v.State, v.Actor, rows.Micros(v.At), v.Reason, v.ReasonCode, rec, s.leaf(), v.LeafHash)
		}
		if err := s.insertRows(ctx, tx, `INSERT INTO entries (`+entryColumns+`, expires_at) VALUES `, 12, entryRows); err != nil {
			return fmt.Errorf("insert entries: %w", err)
		}
		if err := s.insertRows(ctx, tx, `INSERT INTO entry_versions
			(seq, entry_id, version, change, state, actor, at, reason, reason_code, record, log_index, leaf_hash) VALUES `, 12, versionRows); err != nil {
			return fmt.Errorf("insert versions: %w", err)
		}
		return nil
	})
}

// insertRows runs head with as many "(?,…)" groups as args holds rows of
// width, at most rowsPerInsert at a time. Statements are prepared once per
// shape: parsing a many-row INSERT costs more than running it.
func (s *Store) insertRows(ctx context.Context, tx *sql.Conn, head string, width int, args []any) error {
	const rowsPerInsert = 200
	group := "(?" + strings.Repeat(",?", width-1) + ")"
	for len(args) > 0 {
		n := min(len(args)/width, rowsPerInsert)
		q := head + group + strings.Repeat(","+group, n-1)
		stmt := s.stmts[q]
		if stmt == nil {
			var err error
			if stmt, err = tx.PrepareContext(ctx, q); err != nil {
				return err
			}
			s.stmts[q] = stmt
		}
		if _, err := stmt.ExecContext(ctx, args[:n*width]...); err != nil {
			return err
		}
		args = args[n*width:]
	}
	return nil
}
