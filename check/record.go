package check

import (
	"strconv"
	"strings"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/subject"
)

// Subject is who a department asked about, as stored with the check.
type Subject struct {
	// Kind may be sent as in an entry's subject; it must agree with IDType.
	Kind   subject.Kind   `json:"kind,omitempty"`
	IDType subject.IDType `json:"id_type"`
	ID     string         `json:"id"`
	Name   string         `json:"name,omitempty"`
}

// MeasureRef is a measure as named in a hit.
type MeasureRef struct {
	Code       string         `json:"code"`
	Name       string         `json:"name"`
	Action     catalog.Action `json:"action"`
	LegalBasis string         `json:"legal_basis"`
}

// HitRecord is a hit as stored and answered.
type HitRecord struct {
	EntryID string     `json:"entry_id"`
	List    string     `json:"list"`
	Role    string     `json:"role"`
	Measure MeasureRef `json:"measure"`
}

// Record is one stored check. Its ID is its audit-log position, assigned
// when it is stored.
type Record struct {
	ID           string         `json:"check_id"`
	Org          string         `json:"org"`
	Item         string         `json:"item"`
	Subject      Subject        `json:"subject"`
	Key          string         `json:"-"`
	Operator     string         `json:"operator,omitempty"`
	Ref          string         `json:"ref,omitempty"`
	Outcome      catalog.Action `json:"outcome"`
	Hits         []HitRecord    `json:"hits"`
	NameMismatch bool           `json:"name_mismatch"`
	At           time.Time      `json:"at"`
	LogIndex     int64          `json:"log_index"`
	Feedback     []Feedback     `json:"feedback,omitempty"`
	// LeafHash is the check's audit-log leaf hash, stored with it.
	LeafHash []byte `json:"-"`
}

// NewHitRecords turns a decision's hits into records.
func NewHitRecords(hits []Hit) []HitRecord {
	out := make([]HitRecord, len(hits))
	for i, h := range hits {
		out[i] = HitRecord{EntryID: strconv.FormatInt(h.Entry, 10), List: h.List, Role: h.Role.String(), Measure: MeasureRef{
			Code: h.Measure.Code, Name: h.Measure.Name, Action: h.Measure.Action, LegalBasis: h.Measure.LegalBasis}}
	}
	return out
}

// FeedbackAction is what a department did with a check's hits.
type FeedbackAction string

// The feedback words of the API.
const (
	Intercepted  FeedbackAction = "intercepted"
	Restricted   FeedbackAction = "restricted"
	Warned       FeedbackAction = "warned"
	Allowed      FeedbackAction = "allowed"
	Incentivized FeedbackAction = "incentivized"
)

// Feedback is one report on a check; later reports correct earlier ones and
// all are kept.
type Feedback struct {
	ID       int64          `json:"feedback_id"`
	CheckID  string         `json:"check_id"`
	Org      string         `json:"org"`
	Action   FeedbackAction `json:"action"`
	Note     string         `json:"note,omitempty"`
	Operator string         `json:"operator,omitempty"`
	At       time.Time      `json:"at"`
	LogIndex int64          `json:"log_index"`
	LeafHash []byte         `json:"-"`
}

// ValidateFeedback applies the rules of feedback to a check's outcome.
func ValidateFeedback(outcome catalog.Action, f *Feedback) error {
	switch f.Action {
	case Intercepted, Restricted, Warned, Allowed, Incentivized:
	case "":
		return chengxin.Invalid("action", "required", "必须填写处理结果 action", "action is required")
	default:
		return chengxin.Invalid("action", "bad_action",
			"处理结果须为 intercepted、restricted、warned、allowed 或 incentivized",
			"action must be intercepted, restricted, warned, allowed or incentivized")
	}
	if outcome == catalog.Clear {
		return chengxin.E(chengxin.KindConflict, "no_hits", "check_id", "该次核查未命中任何名单，无需反馈", "the check had no hits; there is nothing to report on")
	}
	f.Note = strings.TrimSpace(f.Note)
	if f.Action == Allowed && outcome == catalog.Block && f.Note == "" {
		return chengxin.Invalid("note", "note_required", "对应当拦截的业务予以放行，必须说明理由（note）", "allowing a blocked business needs a note saying why")
	}
	if len([]rune(f.Note)) > 2000 {
		return chengxin.Invalid("note", "too_long", "说明不能超过 2000 个字符", "note is longer than 2000 characters")
	}
	if len([]rune(f.Operator)) > 128 {
		return chengxin.Invalid("operator", "too_long", "经办人不能超过 128 个字符", "operator is longer than 128 characters")
	}
	return nil
}
