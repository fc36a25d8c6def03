package entry

import (
	"time"

	"github.com/chengxin/chengxin"
)

// Change is one write to be stored: the entry as it becomes, and the version
// that records why. The store assigns ID (for a new entry) and Seq.
type Change struct {
	Entry   *Entry
	Version Version
	// Prev is the entry's index-relevant state before the change (nil if new),
	// so the index can drop what no longer matches.
	Prev *Entry
}

// ReasonCodes are the official grounds for taking an entry off a list or
// hiding it (RULES.md §1); callers may also send free text only.
var ReasonCodes = map[string]string{
	"performed":         "义务已全部履行",
	"settlement":        "和解协议已履行",
	"applicant_request": "申请执行人申请且法院准许",
	"no_assets":         "终本后多次查询无财产",
	"suspended":         "中止执行",
	"not_enforceable":   "裁定不予执行",
	"terminated":        "终结执行",
	"wrongful":          "错误纳入，撤销",
	"data_error":        "信息错误，更正",
	"term_ended":        "期限届满",
	"other":             "其他",
}

// Publish decides what publishing rec under (list, ref) does to existing
// (nil for a new reference). ok is false when nothing changes.
func Publish(list, ref string, existing *Entry, rec Record, actor string, now time.Time) (c Change, ok bool) {
	now = now.In(CST)
	if existing == nil {
		e := &Entry{List: list, SourceRef: ref, State: Active, Version: 1, Record: rec, CreatedAt: now, UpdatedAt: now}
		return Change{Entry: e, Version: Version{Version: 1, Change: Published, State: Active, Actor: actor, At: now, Record: &e.Record}}, true
	}
	if Same(&existing.Record, &rec) {
		return Change{Entry: existing}, false
	}
	e := *existing
	e.Versions = nil
	e.Record = rec
	e.Version++
	e.UpdatedAt = now
	return Change{Entry: &e, Prev: existing, Version: Version{Version: e.Version, Change: Updated, State: e.State, Actor: actor, At: now, Record: &e.Record}}, true
}

// Transition moves an entry to the state that change leads to. Asking for the
// state it already has is not an error (a retried call), and ok is false.
func Transition(existing *Entry, change ChangeType, actor, reason, reasonCode string, now time.Time) (c Change, ok bool, err error) {
	now = now.In(CST)
	var to State
	var from []State
	switch change {
	case MaskedC:
		to, from = Masked, []State{Active}
	case RemovedC:
		to, from = Removed, []State{Active, Masked, Expired}
	case Restored:
		to, from = Active, []State{Masked, Removed}
	case ExpiredC:
		to, from = Expired, []State{Active}
	default:
		return c, false, chengxin.Invalid("change", "bad_change", "未知变更类型", "unknown change")
	}
	if existing.State == to {
		return Change{Entry: existing}, false, nil
	}
	allowed := false
	for _, s := range from {
		allowed = allowed || existing.State == s
	}
	if !allowed {
		return c, false, chengxin.E(chengxin.KindConflict, "bad_state", "state",
			"条目当前状态为 "+string(existing.State)+"，不能执行该操作",
			"the entry is "+string(existing.State)+"; this change does not apply")
	}
	if change != ExpiredC {
		if err := text("reason", reason, maxText, true); err != nil {
			return c, false, err
		}
		if _, known := ReasonCodes[reasonCode]; reasonCode != "" && !known {
			return c, false, chengxin.Invalid("reason_code", "unknown_reason_code", "未知原因代码："+reasonCode, "unknown reason_code: "+reasonCode)
		}
	}
	if change == Restored && existing.Record.ExpiresAt != nil && !now.Before(*existing.Record.ExpiresAt) {
		return c, false, chengxin.E(chengxin.KindConflict, "term_ended", "state",
			"条目期限已届满，不能恢复；请重新发布", "the entry's term has ended; publish it again instead")
	}
	e := *existing
	e.Versions = nil
	e.State = to
	e.Version++
	e.UpdatedAt = now
	v := Version{Version: e.Version, Change: change, State: to, Actor: actor, At: now, Reason: reason, ReasonCode: reasonCode}
	return Change{Entry: &e, Prev: existing, Version: v}, true, nil
}
