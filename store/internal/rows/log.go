package rows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/auditlog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
)

// LastLeafQuery is the highest log_index committed (-1 for none).
const LastLeafQuery = `SELECT max(i) FROM (
	SELECT coalesce(max(log_index), -1) AS i FROM entry_versions
	UNION ALL SELECT coalesce(max(log_index), -1) FROM checks
	UNION ALL SELECT coalesce(max(log_index), -1) FROM feedback
	UNION ALL SELECT coalesce(max(log_index), -1) FROM org_events) AS m`

// LeafHashesQuery reads the stored leaf hashes of [from, to) in order; its
// arguments are from, to four times.
const LeafHashesQuery = `SELECT log_index, leaf_hash FROM entry_versions WHERE log_index >= ? AND log_index < ?
	UNION ALL SELECT log_index, leaf_hash FROM checks WHERE log_index >= ? AND log_index < ?
	UNION ALL SELECT log_index, leaf_hash FROM feedback WHERE log_index >= ? AND log_index < ?
	UNION ALL SELECT log_index, leaf_hash FROM org_events WHERE log_index >= ? AND log_index < ?
	ORDER BY 1`

// LeafRangeArgs are the arguments of LeafHashesQuery.
func LeafRangeArgs(from, to int64) []any { return []any{from, to, from, to, from, to, from, to} }

// Iter is a result set of either driver.
type Iter interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Query runs q (with ? placeholders) on one store.
type Query func(q string, args ...any) (it Iter, done func(), err error)

// Rebind turns ? placeholders into PostgreSQL's $1, $2, …
func Rebind(q string) string {
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// LeafHashes reads [from, to) and fails on a missing position: a record
// taken out of the middle of the log shows here.
func LeafHashes(query Query, from, to int64) ([][]byte, error) {
	it, done, err := query(LeafHashesQuery, LeafRangeArgs(from, to)...)
	if err != nil {
		return nil, err
	}
	defer done()
	out := make([][]byte, 0, to-from)
	for it.Next() {
		var i int64
		var h []byte
		if err := it.Scan(&i, &h); err != nil {
			return nil, err
		}
		if i != from+int64(len(out)) {
			return nil, gap(from + int64(len(out)))
		}
		out = append(out, h)
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	if int64(len(out)) != to-from {
		return nil, gap(from + int64(len(out)))
	}
	return out, nil
}

func gap(i int64) error {
	return chengxin.E(chengxin.KindInternal, "log_gap", "", fmt.Sprintf("审计日志第 %d 项缺失", i), fmt.Sprintf("audit log position %d is missing", i))
}

var logQueries = [...]string{
	`SELECT v.log_index, v.leaf_hash, v.seq, v.version, v.change, v.state, v.actor, v.at, v.reason, v.reason_code, v.record, e.id, e.list, e.source_ref
		FROM entry_versions v JOIN entries e ON e.id = v.entry_id WHERE v.log_index >= ? AND v.log_index < ?`,
	`SELECT log_index, leaf_hash, org, item, id_type, subject_id, subject_key, name, operator, ref, outcome, hits, name_mismatch, at
		FROM checks WHERE log_index >= ? AND log_index < ?`,
	`SELECT log_index, leaf_hash, id, check_id, org, action, note, operator, at FROM feedback WHERE log_index >= ? AND log_index < ?`,
	`SELECT log_index, leaf_hash, org, change, name, roles, lists, items, at FROM org_events WHERE log_index >= ? AND log_index < ?`,
}

// LogRecords calls fn with each record of [from, to) in log order, reading
// a chunk of positions at a time from the four tables that hold leaves.
func LogRecords(query Query, from, to int64, fn func(*platform.LogRecord) error) error {
	const chunk = 2000
	for lo := from; lo < to; lo += chunk {
		hi := min(lo+chunk, to)
		recs := make([]*platform.LogRecord, hi-lo)
		for kind, q := range logQueries {
			if err := scanLog(query, q, kind, lo, hi, recs); err != nil {
				return err
			}
		}
		for i, r := range recs {
			if r == nil {
				return gap(lo + int64(i))
			}
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

func scanLog(query Query, q string, kind int, lo, hi int64, recs []*platform.LogRecord) error {
	it, done, err := query(q, lo, hi)
	if err != nil {
		return err
	}
	defer done()
	for it.Next() {
		r, err := scanLogRecord(it, kind)
		if err != nil {
			return err
		}
		if r.Index < lo || r.Index >= hi || recs[r.Index-lo] != nil {
			return fmt.Errorf("audit log position %d held twice", r.Index)
		}
		recs[r.Index-lo] = r
	}
	return it.Err()
}

func scanLogRecord(it Iter, kind int) (*platform.LogRecord, error) {
	r := new(platform.LogRecord)
	var at int64
	switch kind {
	case 0:
		v, e := new(entry.Version), new(entry.Entry)
		var rec []byte
		if err := it.Scan(&r.Index, &r.LeafHash, &v.Seq, &v.Version, &v.Change, &v.State, &v.Actor, &at, &v.Reason, &v.ReasonCode, &rec, &e.ID, &e.List, &e.SourceRef); err != nil {
			return nil, err
		}
		if rec != nil {
			v.Record = new(entry.Record)
			if err := json.Unmarshal(rec, v.Record); err != nil {
				return nil, fmt.Errorf("log position %d record: %w", r.Index, err)
			}
		}
		v.At, v.LeafHash = FromMicros(at), r.LeafHash
		r.Entry, r.Version = e, v
	case 1:
		c := new(check.Record)
		var hits []byte
		if err := it.Scan(&r.Index, &r.LeafHash, &c.Org, &c.Item, &c.Subject.IDType, &c.Subject.ID, &c.Key, &c.Subject.Name,
			&c.Operator, &c.Ref, &c.Outcome, &hits, &c.NameMismatch, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(hits, &c.Hits); err != nil {
			return nil, fmt.Errorf("log position %d hits: %w", r.Index, err)
		}
		c.ID, c.LogIndex, c.At, c.LeafHash = strconv.FormatInt(r.Index, 10), r.Index, FromMicros(at), r.LeafHash
		r.Check = c
	case 2:
		f := new(check.Feedback)
		var checkIndex int64
		if err := it.Scan(&r.Index, &r.LeafHash, &f.ID, &checkIndex, &f.Org, &f.Action, &f.Note, &f.Operator, &at); err != nil {
			return nil, err
		}
		f.CheckID, f.LogIndex, f.At, f.LeafHash = strconv.FormatInt(checkIndex, 10), r.Index, FromMicros(at), r.LeafHash
		r.Feedback = f
	case 3:
		o := new(org.Org)
		var roles, lists, items []byte
		if err := it.Scan(&r.Index, &r.LeafHash, &o.Code, &r.OrgChange, &o.Name, &roles, &lists, &items, &at); err != nil {
			return nil, err
		}
		if err := errors.Join(json.Unmarshal(roles, &o.Roles), json.Unmarshal(lists, &o.Lists), json.Unmarshal(items, &o.Items)); err != nil {
			return nil, fmt.Errorf("log position %d org: %w", r.Index, err)
		}
		r.Org, r.OrgAt = o, FromMicros(at)
	}
	return r, nil
}

const checkpointColumns = `size, root, hash, at, signature, signature_alg, public_key`

// Checkpoint queries, with ? placeholders.
const (
	SaveCheckpointQuery   = `INSERT INTO log_checkpoints (` + checkpointColumns + `) VALUES (?,?,?,?,?,?,?) ON CONFLICT (size) DO NOTHING`
	CheckpointsQuery      = `SELECT ` + checkpointColumns + ` FROM log_checkpoints ORDER BY size`
	LatestCheckpointQuery = `SELECT ` + checkpointColumns + ` FROM log_checkpoints ORDER BY size DESC LIMIT 1`
)

// CheckpointArgs are SaveCheckpointQuery's arguments.
func CheckpointArgs(cp *auditlog.Checkpoint, publicKey string) []any {
	return []any{int64(cp.Size), cp.Root, cp.Hash, cp.Time.UnixNano(), cp.Signature, cp.SignatureAlg, publicKey}
}

// Checkpoints reads checkpoints with q.
func Checkpoints(query Query, q string) ([]*platform.StoredCheckpoint, error) {
	it, done, err := query(q)
	if err != nil {
		return nil, err
	}
	defer done()
	var out []*platform.StoredCheckpoint
	for it.Next() {
		cp := &platform.StoredCheckpoint{}
		var size, at int64
		if err := it.Scan(&size, &cp.Root, &cp.Hash, &at, &cp.Signature, &cp.SignatureAlg, &cp.PublicKey); err != nil {
			return nil, err
		}
		cp.Origin, cp.Size, cp.Time = auditlog.Origin, uint64(size), time.Unix(0, at).In(entry.CST)
		out = append(out, cp)
	}
	return out, it.Err()
}
