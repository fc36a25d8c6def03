package rows

import (
	"strings"

	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
)

// OrgChecksQuery selects an organisation's newest checks (org, limit); with
// awaiting, only those with hits that have no feedback yet.
func OrgChecksQuery(awaiting bool) string {
	q := `SELECT log_index, leaf_hash, org, item, id_type, subject_id, subject_key, name, operator, ref, outcome, hits, name_mismatch, at
	FROM checks c WHERE c.org = ?`
	if awaiting {
		q += ` AND c.outcome <> 'clear' AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.check_id = c.log_index)`
	}
	return q + ` ORDER BY c.log_index DESC LIMIT ?`
}

// OrgChecks runs OrgChecksQuery. The checks come without their feedback.
func OrgChecks(query Query, org string, awaiting bool, limit int) ([]*check.Record, error) {
	it, done, err := query(OrgChecksQuery(awaiting), org, limit)
	if err != nil {
		return nil, err
	}
	defer done()
	var out []*check.Record
	for it.Next() {
		r, err := scanLogRecord(it, 1)
		if err != nil {
			return nil, err
		}
		out = append(out, r.Check)
	}
	return out, it.Err()
}

// RecentEntriesQuery selects the most recently changed entries of lists
// (one ? each), with a ? for the limit.
func RecentEntriesQuery(lists int) string {
	return `SELECT ` + EntryColumns + `
	FROM entries e JOIN entry_versions v ON v.seq = e.record_seq
	WHERE e.list IN (?` + strings.Repeat(",?", max(lists, 1)-1) + `)
	ORDER BY e.updated_at DESC, e.id DESC LIMIT ?`
}

// RecentEntries runs RecentEntriesQuery.
func RecentEntries(query Query, lists []string, limit int) ([]*entry.Entry, error) {
	if len(lists) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(lists)+1)
	for _, l := range lists {
		args = append(args, l)
	}
	args = append(args, limit)
	return All(query, RecentEntriesQuery(len(lists)), args, ScanEntry)
}
