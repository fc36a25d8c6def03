package entry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/subject"
)

// CST is China Standard Time; dates without a zone are read in it and times
// are shown in it.
var CST = time.FixedZone("CST", 8*3600)

const (
	maxName       = 128
	maxRef        = 128
	maxText       = 2000
	maxDetails    = 64
	futureSkew    = 10 * time.Minute
	dateOnlyShape = "2006-01-02"
)

// ParseTime reads an RFC 3339 time or a plain date (midnight, China time).
func ParseTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(CST), nil
	}
	if t, err := time.ParseInLocation(dateOnlyShape, s, CST); err == nil {
		return t, nil
	}
	return time.Time{}, chengxin.Invalid(field, "bad_date",
		"日期格式错误，应为 RFC 3339（如 2024-05-01T09:00:00+08:00）或 2024-05-01："+s,
		"bad date, expected RFC 3339 (2024-05-01T09:00:00+08:00) or 2024-05-01: "+s)
}

// Validate checks a draft against the list's rules and returns the normalised
// record. prev is the entry's current record when the source publishes the
// same reference again: omitted dates keep their earlier values, so sending
// the same body twice changes nothing.
func Validate(d Draft, list *catalog.List, now time.Time, prev *Record) (Record, error) {
	var r Record
	if err := text("source_ref", d.SourceRef, maxRef, true); err != nil {
		return r, err
	}
	subj, key, err := validateSubject(d.Subject, list)
	if err != nil {
		return r, err
	}
	r.Subject, r.Key = subj.Subject, key
	r.LegalRepKey = subj.legalRepKey
	if err := text("reason", d.Reason, maxText, true); err != nil {
		return r, err
	}
	if err := text("legal_basis", d.LegalBasis, maxText, false); err != nil {
		return r, err
	}
	r.Reason = strings.TrimSpace(d.Reason)
	r.LegalBasis = strings.TrimSpace(d.LegalBasis)
	if r.LegalBasis == "" {
		r.LegalBasis = list.LegalBasis
	}

	switch {
	case strings.TrimSpace(d.PublishedAt) != "":
		if r.PublishedAt, err = ParseTime("published_at", d.PublishedAt); err != nil {
			return r, err
		}
		if r.PublishedAt.After(now.Add(futureSkew)) {
			return r, chengxin.Invalid("published_at", "in_future", "发布日期晚于当前时间", "published_at is in the future")
		}
	case prev != nil:
		r.PublishedAt = prev.PublishedAt
	default:
		r.PublishedAt = now.In(CST).Truncate(time.Second)
	}
	switch {
	case strings.TrimSpace(d.ExpiresAt) != "":
		t, err := ParseTime("expires_at", d.ExpiresAt)
		if err != nil {
			return r, err
		}
		if !t.After(r.PublishedAt) {
			return r, chengxin.Invalid("expires_at", "before_published", "到期日期必须晚于发布日期", "expires_at must be after published_at")
		}
		r.ExpiresAt = &t
	case list.TermMonths > 0:
		t := r.PublishedAt.AddDate(0, list.TermMonths, 0)
		r.ExpiresAt = &t
	}

	if len(d.Details) > maxDetails {
		return r, chengxin.Invalid("details", "too_many", fmt.Sprintf("详情字段不能超过 %d 个", maxDetails), fmt.Sprintf("at most %d detail fields", maxDetails))
	}
	for k, v := range d.Details {
		if err := text("details."+k, v, maxText, false); err != nil {
			return r, err
		}
		if strings.TrimSpace(v) != "" {
			if r.Details == nil {
				r.Details = make(map[string]string, len(d.Details))
			}
			r.Details[k] = strings.TrimSpace(v)
		}
	}

	if list.MinAge > 0 && r.Subject.Kind == subject.Person {
		id, _ := subject.Parse(r.Subject.IDType, r.Subject.ID)
		if age, ok := id.AgeOn(r.PublishedAt); ok && age < list.MinAge {
			return r, chengxin.Invalid("subject.id", "minor",
				fmt.Sprintf("未满 %d 周岁的人不得列入%s", list.MinAge, list.Name),
				fmt.Sprintf("a person under %d cannot be put on %s", list.MinAge, list.Code))
		}
	}
	return r, nil
}

type validSubject struct {
	Subject
	legalRepKey string
}

func validateSubject(s Subject, list *catalog.List) (validSubject, string, error) {
	var out validSubject
	kind, ok := s.IDType.Kind()
	if !ok {
		_, err := subject.Parse(s.IDType, s.ID)
		return out, "", at("subject", err)
	}
	if s.Kind == "" {
		s.Kind = kind
	}
	if s.Kind != subject.Person && s.Kind != subject.Org {
		return out, "", chengxin.Invalid("subject.kind", "bad_kind", "主体类型须为 person 或 org", "kind must be person or org")
	}
	if s.Kind != kind {
		return out, "", chengxin.Invalid("subject.id_type", "wrong_kind",
			fmt.Sprintf("证件类型 %s 不适用于主体类型 %s", s.IDType, s.Kind),
			fmt.Sprintf("id_type %s does not name a %s", s.IDType, s.Kind))
	}
	if !catalog.Has(list.SubjectKinds, s.Kind) {
		return out, "", chengxin.Invalid("subject.kind", "kind_not_on_list",
			fmt.Sprintf("%s不收录该类主体（%s）", list.Name, s.Kind),
			fmt.Sprintf("list %s does not take subjects of kind %s", list.Code, s.Kind))
	}
	id, err := subject.Parse(s.IDType, s.ID)
	if err != nil {
		return out, "", at("subject", err)
	}
	if err := text("subject.name", s.Name, maxName, true); err != nil {
		return out, "", err
	}
	out.Subject = Subject{Kind: s.Kind, IDType: id.Type, ID: id.Value, Name: NormName(s.Name)}
	if s.LegalRep != nil {
		if s.Kind != subject.Org {
			return out, "", chengxin.Invalid("subject.legal_rep", "not_org", "只有组织可以登记法定代表人", "only an organisation has a legal representative")
		}
		if k, ok := s.LegalRep.IDType.Kind(); ok && k != subject.Person {
			return out, "", chengxin.Invalid("subject.legal_rep.id_type", "wrong_kind", "法定代表人须为自然人证件", "the legal representative must be named by a person's identifier")
		}
		rep, err := subject.Parse(s.LegalRep.IDType, s.LegalRep.ID)
		if err != nil {
			return out, "", at("subject.legal_rep", err)
		}
		if err := text("subject.legal_rep.name", s.LegalRep.Name, maxName, true); err != nil {
			return out, "", err
		}
		out.LegalRep = &Person{IDType: rep.Type, ID: rep.Value, Name: NormName(s.LegalRep.Name)}
		out.legalRepKey = rep.Key
	}
	return out, id.Key, nil
}

// NormName folds the spacing of a name so that "张 三" and "张三" compare equal.
func NormName(s string) string {
	if !strings.ContainsAny(s, " \t\u3000") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\u3000' }), "")
}

func text(field, s string, max int, required bool) error {
	if !utf8.ValidString(s) {
		return chengxin.Invalid(field, "bad_utf8", "含有无效的 UTF-8 字符", "not valid UTF-8")
	}
	if required && strings.TrimSpace(s) == "" {
		return chengxin.Invalid(field, "required", "必填项不能为空", "is required")
	}
	if utf8.RuneCountInString(s) > max {
		return chengxin.Invalid(field, "too_long", fmt.Sprintf("长度不能超过 %d 个字符", max), fmt.Sprintf("longer than %d characters", max))
	}
	return nil
}

func at(prefix string, err error) error {
	return chengxin.AsError(err).At(prefix)
}

// Same reports whether two records hold the same content.
func Same(a, b *Record) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
