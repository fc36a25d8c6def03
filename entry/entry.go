// Package entry holds list entries: one subject on one list, keyed by the
// source's reference, with every change kept as a new version.
package entry

import (
	"time"

	"github.com/chengxin/chengxin/subject"
)

// State is where an entry stands. Only active entries match checks.
type State string

const (
	Active  State = "active"
	Masked  State = "masked"  // 屏蔽: hidden from checks and the public, e.g. the debtor performed
	Removed State = "removed" // 删除/撤销: taken off the list
	Expired State = "expired" // the term ran out
)

// ChangeType names a change in the change log; the words are the API's.
type ChangeType string

const (
	Published ChangeType = "entry.published"
	Updated   ChangeType = "entry.updated"
	MaskedC   ChangeType = "entry.masked"
	RemovedC  ChangeType = "entry.removed"
	Restored  ChangeType = "entry.restored"
	ExpiredC  ChangeType = "entry.expired"
)

// Person names a natural person, such as an organisation's legal representative.
type Person struct {
	IDType subject.IDType `json:"id_type"`
	ID     string         `json:"id"`
	Name   string         `json:"name"`
}

// Subject is who is listed.
type Subject struct {
	Kind     subject.Kind   `json:"kind"`
	IDType   subject.IDType `json:"id_type"`
	ID       string         `json:"id"`
	Name     string         `json:"name"`
	LegalRep *Person        `json:"legal_rep,omitempty"`
}

// Draft is what a source sends to publish or correct an entry.
// Dates are strings so that a bad one is reported by field, not by decoder.
type Draft struct {
	SourceRef   string            `json:"source_ref"`
	Subject     Subject           `json:"subject"`
	Reason      string            `json:"reason"`
	LegalBasis  string            `json:"legal_basis"`
	PublishedAt string            `json:"published_at"`
	ExpiresAt   string            `json:"expires_at"`
	Details     map[string]string `json:"details"`
}

// Record is a validated, normalised entry content: what a version holds.
type Record struct {
	Subject     Subject           `json:"subject"`
	Reason      string            `json:"reason"`
	LegalBasis  string            `json:"legal_basis"`
	PublishedAt time.Time         `json:"published_at"`
	ExpiresAt   *time.Time        `json:"expires_at,omitempty"`
	Details     map[string]string `json:"details,omitempty"`

	// Key and LegalRepKey are the canonical subject keys the index matches on.
	Key         string `json:"-"`
	LegalRepKey string `json:"-"`
}

// Entry is the current state of one listed subject with, when loaded, its history.
type Entry struct {
	ID        int64     `json:"-"`
	List      string    `json:"list"`
	SourceRef string    `json:"source_ref"`
	State     State     `json:"state"`
	Version   int       `json:"version"`
	Seq       int64     `json:"seq"`
	Record    Record    `json:"record"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Versions  []Version `json:"versions,omitempty"`
}

// Version is one change of an entry: who did what, when and why.
type Version struct {
	Version    int        `json:"version"`
	Seq        int64      `json:"seq"`
	Change     ChangeType `json:"change"`
	State      State      `json:"state"`
	Actor      string     `json:"actor"`
	At         time.Time  `json:"at"`
	Reason     string     `json:"reason,omitempty"`
	ReasonCode string     `json:"reason_code,omitempty"`
	Record     *Record    `json:"record,omitempty"`
	// LeafHash is this version's audit-log leaf hash, stored with it.
	LeafHash []byte `json:"-"`
}

// Matches reports whether the entry decides checks at time now.
func (e *Entry) Matches(now time.Time) bool {
	return e.State == Active && (e.Record.ExpiresAt == nil || now.Before(*e.Record.ExpiresAt))
}

// DeriveKeys sets Key and LegalRepKey from the record's identifiers, for a
// record read back from storage.
func (r *Record) DeriveKeys() error {
	id, err := subject.Parse(r.Subject.IDType, r.Subject.ID)
	if err != nil {
		return err
	}
	r.Key, r.LegalRepKey = id.Key, ""
	if rep := r.Subject.LegalRep; rep != nil {
		rid, err := subject.Parse(rep.IDType, rep.ID)
		if err != nil {
			return err
		}
		r.LegalRepKey = rid.Key
	}
	return nil
}
