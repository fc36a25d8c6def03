package rows

import (
	"strings"
	"time"

	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/platform"
)

// CheckStatsQuery groups the checks of [from, to) by organisation, item and
// outcome, joining each check with its latest feedback. Its arguments are
// overdueBefore, from, to (see CheckStatsArgs).
const CheckStatsQuery = `SELECT c.org, c.item, c.outcome, count(*),
	sum(CASE WHEN lf.action IS NOT NULL THEN 1 ELSE 0 END),
	sum(CASE WHEN lf.action IS NULL AND c.outcome <> 'clear' AND c.at < ? THEN 1 ELSE 0 END),
	sum(CASE WHEN c.outcome = 'block' AND lf.action = 'allowed' THEN 1 ELSE 0 END)
	FROM checks c
	LEFT JOIN feedback lf ON lf.check_id = c.log_index
		AND lf.log_index = (SELECT max(f.log_index) FROM feedback f WHERE f.check_id = c.log_index)
	WHERE c.at >= ? AND c.at < ?
	GROUP BY c.org, c.item, c.outcome
	ORDER BY c.org, c.item, c.outcome`

// CheckStats runs CheckStatsQuery.
func CheckStats(query Query, from, to, overdueBefore time.Time) ([]platform.CheckStat, error) {
	it, done, err := query(CheckStatsQuery, Micros(overdueBefore), Micros(from), Micros(to))
	if err != nil {
		return nil, err
	}
	defer done()
	var out []platform.CheckStat
	for it.Next() {
		var s platform.CheckStat
		if err := it.Scan(&s.Org, &s.Item, &s.Outcome, &s.Checks, &s.Feedback, &s.Overdue, &s.AllowedOnBlock); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, it.Err()
}

// FeedbackDelaysQuery is, for each check with hits made in [from, to) that
// received feedback, its organisation and the wait for the first feedback
// in microseconds.
const FeedbackDelaysQuery = `SELECT c.org, min(f.at) - c.at
	FROM checks c JOIN feedback f ON f.check_id = c.log_index
	WHERE c.at >= ? AND c.at < ? AND c.outcome <> 'clear'
	GROUP BY c.log_index, c.org, c.at`

// FeedbackDelays runs FeedbackDelaysQuery.
func FeedbackDelays(query Query, from, to time.Time) (map[string][]time.Duration, error) {
	it, done, err := query(FeedbackDelaysQuery, Micros(from), Micros(to))
	if err != nil {
		return nil, err
	}
	defer done()
	out := map[string][]time.Duration{}
	for it.Next() {
		var org string
		var us int64
		if err := it.Scan(&org, &us); err != nil {
			return nil, err
		}
		out[org] = append(out[org], time.Duration(us)*time.Microsecond)
	}
	return out, it.Err()
}

// PublicEntriesQuery selects active entries of lists (one ? each) by subject
// key and/or name, newest first, with a ? for the limit. nameExpr is the
// engine's expression for the record's subject name (JSON differs).
func PublicEntriesQuery(nameExpr string, lists int, byKey, byName bool) string {
	var b strings.Builder
	b.WriteString(`SELECT ` + EntryColumns + `
	FROM entries e JOIN entry_versions v ON v.seq = e.record_seq
	WHERE e.state = 'active' AND e.list IN (?` + strings.Repeat(",?", max(lists, 1)-1) + `)`)
	if byKey {
		b.WriteString(` AND e.subject_key = ?`)
	}
	if byName {
		b.WriteString(` AND ` + nameExpr + ` = ?`)
	}
	b.WriteString(` ORDER BY e.created_at DESC, e.id DESC LIMIT ?`)
	return b.String()
}

// PublicEntries runs PublicEntriesQuery.
func PublicEntries(query Query, nameExpr string, lists []string, key, name string, limit int) ([]*entry.Entry, error) {
	if len(lists) == 0 || (key == "" && name == "") {
		return nil, nil
	}
	args := make([]any, 0, len(lists)+3)
	for _, l := range lists {
		args = append(args, l)
	}
	if key != "" {
		args = append(args, key)
	}
	if name != "" {
		args = append(args, name)
	}
	args = append(args, limit)
	return All(query, PublicEntriesQuery(nameExpr, len(lists), key != "", name != ""), args, ScanEntry)
}
