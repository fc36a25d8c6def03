package feed

import (
	"strconv"
	"time"

	"github.com/chengxin/chengxin/entry"
)

// EntryView is an entry as a follower receives it. A department gets what it
// needs to match on its own side (identifiers, names, state, term); the
// case details stay with the source and supervisors (minimum necessary).
type EntryView struct {
	EntryID     string            `json:"entry_id"`
	List        string            `json:"list"`
	State       entry.State       `json:"state"`
	Version     int               `json:"version"`
	Subject     entry.Subject     `json:"subject"`
	PublishedAt time.Time         `json:"published_at"`
	ExpiresAt   *time.Time        `json:"expires_at,omitempty"`
	SourceRef   string            `json:"source_ref,omitempty"`
	Reason      string            `json:"reason,omitempty"`
	LegalBasis  string            `json:"legal_basis,omitempty"`
	Details     map[string]string `json:"details,omitempty"`
}

// ChangeView is one change as the feed and webhooks show it.
type ChangeView struct {
	Seq   int64            `json:"seq"`
	Type  entry.ChangeType `json:"type"`
	At    time.Time        `json:"at"`
	Entry EntryView        `json:"entry"`
}

// View shows c; full adds the case details.
func View(c *Change, full bool) ChangeView {
	e := &c.Entry
	v := EntryView{EntryID: strconv.FormatInt(e.ID, 10), List: e.List, State: e.State, Version: e.Version,
		Subject: e.Record.Subject, PublishedAt: e.Record.PublishedAt, ExpiresAt: e.Record.ExpiresAt}
	if full {
		v.SourceRef, v.Reason, v.LegalBasis, v.Details = e.SourceRef, e.Record.Reason, e.Record.LegalBasis, e.Record.Details
	}
	return ChangeView{Seq: c.Seq, Type: c.Type, At: c.At, Entry: v}
}
