package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/store/internal/rows"
)

// copyMin is the batch size from which rows go in by COPY: below it the
// extra round trips of COPY cost more than one multi-row INSERT.
const copyMin = 64

// entrySelect reads entries with their current record.
const entrySelect = `SELECT ` + rows.EntryColumns + `
	FROM entries e JOIN entry_versions v ON v.seq = e.record_seq `

// EntriesByRef implements platform.Store.
func (s *Store) EntriesByRef(ctx context.Context, list string, refs []string) (map[string]*entry.Entry, error) {
	out := make(map[string]*entry.Entry, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	err := s.queryEntries(ctx, entrySelect+`WHERE e.list = $1 AND e.source_ref = ANY($2)`, []any{list, refs}, func(e *entry.Entry) error {
		out[e.SourceRef] = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Entry implements platform.Store.
func (s *Store) Entry(ctx context.Context, id int64, history bool) (*entry.Entry, error) {
	var e *entry.Entry
	err := s.queryEntries(ctx, entrySelect+`WHERE e.id = $1`, []any{id}, func(x *entry.Entry) error {
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
	rs, err := s.pool.Query(ctx, `SELECT version, seq, change, state, actor, at, reason, reason_code, record
		FROM entry_versions WHERE entry_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("versions of entry %d: %w", id, err)
	}
	defer rs.Close()
	var out []entry.Version
	for rs.Next() {
		var v entry.Version
		var at int64
		var rec []byte
		if err := rs.Scan(&v.Version, &v.Seq, &v.Change, &v.State, &v.Actor, &at, &v.Reason, &v.ReasonCode, &rec); err != nil {
			return nil, err
		}
		v.At = rows.FromMicros(at)
		if rec != nil {
			v.Record = new(entry.Record)
			if err := json.Unmarshal(rec, v.Record); err != nil {
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
		WHERE e.state = 'active' AND e.expires_at IS NOT NULL AND e.expires_at <= $1 ORDER BY e.expires_at LIMIT $2`,
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

// SaveEntryChanges implements platform.Store. Seqs and log indexes come from
// the counters table inside the transaction, so they are gap-free across
// nodes and commit in order. Large batches of new entries go in by COPY.
// If another node changed one of the entries meanwhile, nothing is stored
// and the error is a concurrent_change conflict.
func (s *Store) SaveEntryChanges(ctx context.Context, changes []*entry.Change) error {
	ctx = writing(ctx)
	if len(changes) == 0 {
		return nil
	}
	// Encode before the transaction: its counter locks stop every other
	// writer, so it must be short.
	b, err := encodeBatch(changes)
	if err != nil {
		return err
	}
	type numbers struct{ id, entrySeq, versionSeq int64 }
	before := make([]numbers, len(changes))
	for i, c := range changes {
		before[i] = numbers{c.Entry.ID, c.Entry.Seq, c.Version.Seq}
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return b.save(ctx, tx) })
	if err != nil {
		// Leave the changes as they came, so the caller may retry them.
		for i, c := range changes {
			c.Entry.ID, c.Entry.Seq, c.Version.Seq = before[i].id, before[i].entrySeq, before[i].versionSeq
		}
		switch uniqueViolation(err) {
		case "entries_list_source_ref_key", "entry_versions_entry_id_version_key":
			return concurrentChange()
		}
		return err
	}
	return nil
}

func concurrentChange() error {
	return chengxin.E(chengxin.KindConflict, "concurrent_change", "", "该条目正被其他节点修改，请重试", "the entry was changed concurrently; retry")
}

// entryBatch is one SaveEntryChanges call, encoded.
type entryBatch struct {
	changes []*entry.Change
	recs    [][]byte // the version's record as JSON; nil for a state change
	expires []*int64 // unix seconds
	fresh   []int    // indexes of new entries
	updated []int    // indexes of changes to stored entries
}

// encodeBatch marshals the records, a large batch on every core.
func encodeBatch(changes []*entry.Change) (*entryBatch, error) {
	b := &entryBatch{changes: changes, recs: make([][]byte, len(changes)), expires: make([]*int64, len(changes))}
	for i, c := range changes {
		if x := c.Entry.Record.ExpiresAt; x != nil {
			u := x.Unix()
			b.expires[i] = &u
		}
		if c.Entry.ID == 0 {
			b.fresh = append(b.fresh, i)
		} else {
			b.updated = append(b.updated, i)
		}
	}
	encode := func(from, to int) error {
		for i := from; i < to; i++ {
			if rec := changes[i].Version.Record; rec != nil {
				j, err := json.Marshal(rec)
				if err != nil {
					return err
				}
				b.recs[i] = j
			}
		}
		return nil
	}
	const parallelMin = 1000
	workers := min(runtime.GOMAXPROCS(0), len(changes)/parallelMin)
	if workers <= 1 {
		return b, encode(0, len(changes))
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	step := (len(changes) + workers - 1) / workers
	for w := range workers {
		wg.Go(func() { errs[w] = encode(w*step, min((w+1)*step, len(changes))) })
	}
	wg.Wait()
	return b, errors.Join(errs...)
}

var entryColumns = []string{"id", "list", "source_ref", "subject_key", "legal_rep_key", "state", "version", "seq", "record_seq", "created_at", "updated_at", "expires_at"}

var versionColumns = []string{"seq", "entry_id", "version", "change", "state", "actor", "at", "reason", "reason_code", "record", "log_index", "leaf_hash"}

func (b *entryBatch) save(ctx context.Context, tx pgx.Tx) error {
	n := len(b.changes)
	seq, err := takeNumbers(ctx, tx, "seq", n)
	if err != nil {
		return err
	}
	for i, c := range b.changes {
		c.Entry.Seq, c.Version.Seq = seq+int64(i), seq+int64(i)
	}
	if len(b.fresh) > 0 {
		if err := b.assignIDs(ctx, tx); err != nil {
			return err
		}
		if err := b.insertEntries(ctx, tx); err != nil {
			return fmt.Errorf("insert entries: %w", err)
		}
	}
	if len(b.updated) > 0 {
		if err := b.updateEntries(ctx, tx); err != nil {
			return err
		}
	}
	// The leaf counter is shared with checks: take it as late as possible.
	leaf, err := takeNumbers(ctx, tx, "leaf", n)
	if err != nil {
		return err
	}
	if err := b.insertVersions(ctx, tx, leaf); err != nil {
		return fmt.Errorf("insert versions: %w", err)
	}
	// Delivered to listeners on commit, not before.
	last := b.changes[n-1].Version.Seq
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, changesChannel, strconv.FormatInt(last, 10)); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// assignIDs numbers the new entries. Only writers of entry changes take
// entry IDs, and they already hold the seq counter, so this adds no wait.
func (b *entryBatch) assignIDs(ctx context.Context, tx pgx.Tx) error {
	id, err := takeNumbers(ctx, tx, "entry", len(b.fresh))
	if err != nil {
		return err
	}
	for k, i := range b.fresh {
		b.changes[i].Entry.ID = id + int64(k)
	}
	return nil
}

func (b *entryBatch) insertEntries(ctx context.Context, tx pgx.Tx) error {
	if len(b.fresh) >= copyMin {
		row := make([]any, len(entryColumns))
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"entries"}, entryColumns, pgx.CopyFromSlice(len(b.fresh), func(k int) ([]any, error) {
			i := b.fresh[k]
			e := b.changes[i].Entry
			row[0], row[1], row[2], row[3], row[4], row[5] = e.ID, e.List, e.SourceRef, e.Record.Key, e.Record.LegalRepKey, string(e.State)
			row[6], row[7], row[8], row[9], row[10], row[11] = int32(e.Version), e.Seq, e.Seq, rows.Micros(e.CreatedAt), rows.Micros(e.UpdatedAt), b.expires[i]
			return row, nil
		}))
		return err
	}
	m := len(b.fresh)
	var (
		ids, seqs, created, updated = make([]int64, m), make([]int64, m), make([]int64, m), make([]int64, m)
		lists, refs, keys, repKeys  = make([]string, m), make([]string, m), make([]string, m), make([]string, m)
		states                      = make([]string, m)
		versions                    = make([]int32, m)
		expires                     = make([]*int64, m)
	)
	for k, i := range b.fresh {
		e := b.changes[i].Entry
		ids[k], lists[k], refs[k], keys[k], repKeys[k], states[k] = e.ID, e.List, e.SourceRef, e.Record.Key, e.Record.LegalRepKey, string(e.State)
		versions[k], seqs[k], created[k], updated[k], expires[k] = int32(e.Version), e.Seq, rows.Micros(e.CreatedAt), rows.Micros(e.UpdatedAt), b.expires[i]
	}
	_, err := tx.Exec(ctx, `INSERT INTO entries (id, list, source_ref, subject_key, legal_rep_key, state, version, seq, record_seq, created_at, updated_at, expires_at)
		SELECT id, list, ref, key, rep_key, state, version, seq, seq, created, updated, expires
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[])
			AS t (id, list, ref, key, rep_key, state, version, seq, created, updated, expires)`,
		ids, lists, refs, keys, repKeys, states, versions, seqs, created, updated, expires)
	return err
}

// updateEntries moves stored entries to their new state in one round trip.
// Each update names the version it replaces: if another node got there
// first, it matches nothing and the batch is a conflict.
func (b *entryBatch) updateEntries(ctx context.Context, tx pgx.Tx) error {
	batch := &pgx.Batch{}
	for _, i := range b.updated {
		e := b.changes[i].Entry
		batch.Queue(`UPDATE entries SET state = $1, version = $2, seq = $3,
			record_seq = CASE WHEN $4 THEN $3 ELSE record_seq END, expires_at = $5, subject_key = $6, legal_rep_key = $7, updated_at = $8
			WHERE id = $9 AND version = $10`,
			string(e.State), int32(e.Version), e.Seq, b.recs[i] != nil, b.expires[i], e.Record.Key, e.Record.LegalRepKey, rows.Micros(e.UpdatedAt),
			e.ID, int32(e.Version-1))
	}
	br := tx.SendBatch(ctx, batch)
	for _, i := range b.updated {
		tag, err := br.Exec()
		if err != nil {
			br.Close()
			e := b.changes[i].Entry
			return fmt.Errorf("entry %s/%s: %w", e.List, e.SourceRef, err)
		}
		if tag.RowsAffected() != 1 {
			br.Close()
			return concurrentChange()
		}
	}
	return br.Close()
}

func (b *entryBatch) insertVersions(ctx context.Context, tx pgx.Tx, leaf int64) error {
	n := len(b.changes)
	if n >= copyMin {
		row := make([]any, len(versionColumns))
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"entry_versions"}, versionColumns, pgx.CopyFromSlice(n, func(i int) ([]any, error) {
			c := b.changes[i]
			v := &c.Version
			row[0], row[1], row[2], row[3], row[4], row[5] = v.Seq, c.Entry.ID, int32(v.Version), string(v.Change), string(v.State), v.Actor
			row[6], row[7], row[8], row[10], row[11] = rows.Micros(v.At), v.Reason, v.ReasonCode, leaf+int64(i), v.LeafHash
			if b.recs[i] != nil {
				row[9] = b.recs[i]
			} else {
				row[9] = nil
			}
			return row, nil
		}))
		return err
	}
	var (
		seqs, entryIDs, ats, leaves           = make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
		kinds, states, actors, reasons, codes = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		versions                              = make([]int32, n)
		recs                                  = make([]*string, n)
		leafHashes                            = make([][]byte, n)
	)
	for i, c := range b.changes {
		v := &c.Version
		seqs[i], entryIDs[i], versions[i], kinds[i], states[i], actors[i] = v.Seq, c.Entry.ID, int32(v.Version), string(v.Change), string(v.State), v.Actor
		ats[i], reasons[i], codes[i], leaves[i], leafHashes[i] = rows.Micros(v.At), v.Reason, v.ReasonCode, leaf+int64(i), v.LeafHash
		if b.recs[i] != nil {
			r := string(b.recs[i])
			recs[i] = &r
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO entry_versions (seq, entry_id, version, change, state, actor, at, reason, reason_code, record, log_index, leaf_hash)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bytea[])`,
		seqs, entryIDs, versions, kinds, states, actors, ats, reasons, codes, recs, leaves, leafHashes)
	return err
}
