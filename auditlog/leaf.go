package auditlog

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
)

// Leaf canonical bytes.
//
// A leaf is the JSON encoding of one of the fixed structs below, version
// LeafVersion: the field order is the struct's, every field is always present
// (no omitempty: absent pointers are null, absent lists [] and absent maps
// {}), map keys are sorted bytewise (as encoding/json sorts them), times are
// int64 Unix microseconds (the precision the stores keep), and HTML characters
// are not escaped. The first fields are always "kind" and "v"; a leaf
// holds no number the store assigns (log index, entry ID, seq), so it can be
// computed before the write: its position is bound by the tree, as in RFC
// 6962. The bytes are written by hand (leaf_encode.go) for speed; the tests
// hold them equal to encoding/json's encoding of the structs.
//
// Strings are encoded exactly as encoding/json encodes valid UTF-8 (with
// SetEscapeHTML(false)), except that a byte that is not part of valid UTF-8
// is written as the escape \udcXX (XX its hex value) instead of being replaced
// by \ufffd, so that two different stored strings never give the same leaf.
// Valid text never produces such an escape.
//
// Only stored fields are covered, and each in the form in which it is stored,
// so that the same leaf is computed when the record is written and when it is
// read back by an auditor. Derived or surrogate values are left out: a
// check's subject kind (not stored), an entry record's matching keys (derived
// from its identifiers), row ids, seq numbers and an organisation's
// created_at (the "at" of its org.created leaf).
const LeafVersion = 1

// Leaf kinds.
const (
	KindEntryVersion = "entry.version"
	KindCheck        = "check"
	KindFeedback     = "feedback"
	KindOrg          = "org"
)

// Organisation changes recorded with OrgLeaf.
const (
	OrgCreated      = "org.created"
	OrgTokenRotated = "org.token_rotated"
)

type entryVersionLeaf struct {
	Kind       string      `json:"kind"`
	V          int         `json:"v"`
	List       text        `json:"list"`
	SourceRef  text        `json:"source_ref"`
	Version    int         `json:"version"`
	Change     text        `json:"change"`
	State      text        `json:"state"`
	Actor      text        `json:"actor"`
	At         int64       `json:"at"`
	Reason     text        `json:"reason"`
	ReasonCode text        `json:"reason_code"`
	Record     *recordLeaf `json:"record"` // null for a change of state only
}

type recordLeaf struct {
	Subject     subjectLeaf `json:"subject"`
	Reason      text        `json:"reason"`
	LegalBasis  text        `json:"legal_basis"`
	PublishedAt int64       `json:"published_at"`
	ExpiresAt   *int64      `json:"expires_at"`
	Details     details     `json:"details"`
}

type subjectLeaf struct {
	Kind     text        `json:"kind"`
	IDType   text        `json:"id_type"`
	ID       text        `json:"id"`
	Name     text        `json:"name"`
	LegalRep *personLeaf `json:"legal_rep"`
}

type personLeaf struct {
	IDType text `json:"id_type"`
	ID     text `json:"id"`
	Name   text `json:"name"`
}

type checkLeaf struct {
	Kind         string           `json:"kind"`
	V            int              `json:"v"`
	Org          text             `json:"org"`
	Item         text             `json:"item"`
	Subject      checkSubjectLeaf `json:"subject"`
	Operator     text             `json:"operator"`
	Ref          text             `json:"ref"`
	Outcome      text             `json:"outcome"`
	Hits         []hitLeaf        `json:"hits"`
	NameMismatch bool             `json:"name_mismatch"`
	At           int64            `json:"at"`
}

type checkSubjectLeaf struct {
	IDType text `json:"id_type"`
	ID     text `json:"id"`
	Name   text `json:"name"`
	Key    text `json:"key"` // the canonical subject key stored with the check
}

type hitLeaf struct {
	EntryID text        `json:"entry_id"`
	List    text        `json:"list"`
	Role    text        `json:"role"`
	Measure measureLeaf `json:"measure"`
}

type measureLeaf struct {
	Code       text `json:"code"`
	Name       text `json:"name"`
	Action     text `json:"action"`
	LegalBasis text `json:"legal_basis"`
}

type feedbackLeaf struct {
	Kind     string   `json:"kind"`
	V        int      `json:"v"`
	CheckID  checkRef `json:"check_id"`
	Org      text     `json:"org"`
	Action   text     `json:"action"`
	Note     text     `json:"note"`
	Operator text     `json:"operator"`
	At       int64    `json:"at"`
}

type orgLeaf struct {
	Kind   string `json:"kind"`
	V      int    `json:"v"`
	Change text   `json:"change"`
	At     int64  `json:"at"`
	Code   text   `json:"code"`
	Name   text   `json:"name"`
	Roles  []text `json:"roles"`
	Lists  []text `json:"lists"`
	Items  []text `json:"items"`
}

// EntryVersionLeaf returns the leaf of one version of the entry that list
// and sourceRef name (the source's own key: stable before the store numbers
// anything), v the version (with v.Record, the full record it set, or nil
// for a change of state only).
func EntryVersionLeaf(list, sourceRef string, v *entry.Version) []byte {
	l := entryVersionLeaf{
		Kind: KindEntryVersion, V: LeafVersion,
		List: text(list), SourceRef: text(sourceRef),
		Version: v.Version, Change: text(v.Change), State: text(v.State),
		Actor: text(v.Actor), At: micros(v.At), Reason: text(v.Reason), ReasonCode: text(v.ReasonCode),
	}
	if r := v.Record; r != nil {
		rl := &recordLeaf{
			Subject: subjectLeaf{Kind: text(r.Subject.Kind), IDType: text(r.Subject.IDType),
				ID: text(r.Subject.ID), Name: text(r.Subject.Name)},
			Reason: text(r.Reason), LegalBasis: text(r.LegalBasis),
			PublishedAt: micros(r.PublishedAt), Details: details(r.Details),
		}
		if p := r.Subject.LegalRep; p != nil {
			rl.Subject.LegalRep = &personLeaf{IDType: text(p.IDType), ID: text(p.ID), Name: text(p.Name)}
		}
		if r.ExpiresAt != nil {
			us := micros(*r.ExpiresAt)
			rl.ExpiresAt = &us
		}
		l.Record = rl
	}
	return encode(&l)
}

// CheckLeaf returns the leaf of a stored check: who asked about whom for
// which item, the outcome and every hit with its measure, and when.
func CheckLeaf(c *check.Record) []byte {
	l := checkLeaf{
		Kind: KindCheck, V: LeafVersion,
		Org: text(c.Org), Item: text(c.Item),
		Subject:  checkSubjectLeaf{IDType: text(c.Subject.IDType), ID: text(c.Subject.ID), Name: text(c.Subject.Name), Key: text(c.Key)},
		Operator: text(c.Operator), Ref: text(c.Ref), Outcome: text(c.Outcome),
		Hits:         make([]hitLeaf, len(c.Hits)),
		NameMismatch: c.NameMismatch, At: micros(c.At),
	}
	for i, h := range c.Hits {
		l.Hits[i] = hitLeaf{EntryID: text(h.EntryID), List: text(h.List), Role: text(h.Role),
			Measure: measureLeaf{Code: text(h.Measure.Code), Name: text(h.Measure.Name),
				Action: text(h.Measure.Action), LegalBasis: text(h.Measure.LegalBasis)}}
	}
	return encode(&l)
}

// FeedbackLeaf returns the leaf of one feedback report on a check.
func FeedbackLeaf(f *check.Feedback) []byte {
	return encode(&feedbackLeaf{
		Kind: KindFeedback, V: LeafVersion,
		CheckID: checkRef(f.CheckID), Org: text(f.Org), Action: text(f.Action),
		Note: text(f.Note), Operator: text(f.Operator), At: micros(f.At),
	})
}

// OrgLeaf returns the leaf of a change of an organisation (OrgCreated or
// OrgTokenRotated) made at time at: its code, name, roles and scopes. The
// token hash is never part of it: leaves are public.
func OrgLeaf(o *org.Org, change string, at time.Time) []byte {
	l := orgLeaf{
		Kind: KindOrg, V: LeafVersion,
		Change: text(change), At: micros(at),
		Code: text(o.Code), Name: text(o.Name),
		Roles: make([]text, len(o.Roles)), Lists: texts(o.Lists), Items: texts(o.Items),
	}
	for i, r := range o.Roles {
		l.Roles[i] = text(r)
	}
	return encode(&l)
}

func micros(t time.Time) int64 { return t.UnixMicro() }

func texts(ss []string) []text {
	out := make([]text, len(ss))
	for i, s := range ss {
		out[i] = text(s)
	}
	return out
}

func encode(v leafStruct) []byte {
	b := v.appendJSON(make([]byte, 0, 512))
	if encodeHook != nil {
		encodeHook(v, b)
	}
	return b
}

// text is a string encoded injectively (see LeafVersion).
type text string

func (t text) MarshalJSON() ([]byte, error) {
	return appendText(make([]byte, 0, len(t)+2), string(t)), nil
}

// details is a record's details map: keys sorted bytewise, nil and empty
// both {} (the stores keep no difference between them).
type details map[string]string

func (d details) MarshalJSON() ([]byte, error) { return d.appendJSON(nil), nil }

func (d details) appendJSON(b []byte) []byte {
	if len(d) == 0 {
		return append(b, '{', '}')
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, strings.Compare)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendText(b, k)
		b = append(b, ':')
		b = appendText(b, d[k])
	}
	return append(b, '}')
}

// checkRef is a feedback's check ID. The stores keep it as the check's log
// index, an integer, so a decimal ID is encoded as that number ("007" and "7"
// name the same stored check); anything else as text.
type checkRef string

func (c checkRef) MarshalJSON() ([]byte, error) { return c.appendJSON(nil), nil }

func (c checkRef) appendJSON(b []byte) []byte {
	if n, err := strconv.ParseInt(string(c), 10, 64); err == nil {
		return strconv.AppendInt(b, n, 10)
	}
	return appendText(b, string(c))
}

const hexDigits = "0123456789abcdef"

// appendText appends s as a JSON string, as encoding/json does with
// SetEscapeHTML(false), except for invalid UTF-8 bytes (see LeafVersion).
func appendText(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			// Not UTF-8: a lone low surrogate escape carries the byte.
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', 'd', 'c', hexDigits[b>>4], hexDigits[b&0xF])
			i++
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
