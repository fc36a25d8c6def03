// Package subject validates the identifiers that name a person or an
// organisation and reduces every accepted form of them to one canonical
// subject key (the identity chain), so that a subject is recognised as the
// same one whichever department sends it and in whatever form.
//
// It does no I/O. Every check request parses an identifier, so a successful
// Parse allocates exactly once: the key and the value share one string.
package subject

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/chengxin/chengxin"
)

// Kind says whether a subject is a natural person or an organisation.
type Kind string

const (
	Person Kind = "person"
	Org    Kind = "org"
)

// IDType names the kind of document an identifier comes from.
type IDType string

const (
	ResidentID    IDType = "resident_id"     // GB 11643, 18 chars (or legacy 15 digits, converted to 18)
	HKMacauPermit IDType = "hk_macau_permit" // residence permit for HK/Macau residents: GB 11643, region 810000 or 820000
	TaiwanPermit  IDType = "taiwan_permit"   // residence permit for Taiwan residents: GB 11643, region 830000
	ForeignPR     IDType = "foreign_pr"      // foreign permanent residence ID: 2023 form GB 11643 starting with 9; 2017 form 3 letters + 12 digits
	Passport      IDType = "passport"        // shape only: 5–20 letters and digits
	USCC          IDType = "uscc"            // unified social credit code, GB 32100
	OrgCode       IDType = "org_code"        // organisation code, GB 11714, "60003734-1" or "600037341"
)

// Kind tells whether the id type names a person or an organisation; ok=false
// for an unknown type.
func (t IDType) Kind() (Kind, bool) {
	switch t {
	case ResidentID, HKMacauPermit, TaiwanPermit, ForeignPR, Passport:
		return Person, true
	case USCC, OrgCode:
		return Org, true
	}
	return "", false
}

// ID is a validated, normalised identifier.
type ID struct {
	Type IDType
	// Value is the normalised display form: GB 11643 numbers 18 chars with an
	// upper-case X; USCC 18 upper-case chars; org code "XXXXXXXX-X"; passport
	// upper-case without spaces; 2017 foreign PR 15 upper-case chars.
	Value string
	// Key is the canonical subject key: "I" + 18-char GB 11643 number (resident
	// IDs, both permits and the 2023 foreign PR share one namespace), "F" +
	// 2017 foreign PR, "P" + passport, "O" + 9-char organisation code without
	// hyphen (a USCC and the org code it embeds give the same key).
	Key string
}

// typeList tells a caller with an unknown type what it may send.
const typeList = "resident_id, hk_macau_permit, taiwan_permit, foreign_pr, passport, uscc, org_code"

// maxLen is the longest normalised identifier (a passport number); longer
// input is only counted, never stored.
const maxLen = 20

// badByte stands for a rune with no ASCII form, so that the validators reject
// it at its position like any other wrong character.
const badByte = 0xFF

// Parse validates raw as an identifier of type t and normalises it. Leading
// and trailing white space is trimmed, letters are upper-cased and full-width
// forms (０-９, Ａ-Ｚ, －) are folded to ASCII; a passport also loses its inner
// spaces. A failure is a *chengxin.Error of KindInvalid on field "id" (or
// "id_type" for an unknown type); its messages never repeat the identifier,
// which is personal data.
func Parse(t IDType, raw string) (ID, error) {
	if _, ok := t.Kind(); !ok {
		return ID{}, chengxin.Invalid("id_type", "unknown_id_type",
			fmt.Sprintf("不支持的证件类型“%s”，应为 %s 之一", t, typeList),
			fmt.Sprintf("unknown id type %q, must be one of %s", string(t), typeList))
	}
	var buf [maxLen]byte
	n := normalise(&buf, strings.TrimSpace(raw), t == Passport)
	if n == 0 {
		return ID{}, invalid("empty", "证件号码为空", "the id is empty")
	}
	switch t {
	case Passport:
		return parsePassport(&buf, n)
	case USCC:
		return parseUSCC(&buf, n)
	case OrgCode:
		return parseOrgCode(&buf, n)
	case ForeignPR:
		if n == 15 {
			return parseForeignPR2017(&buf)
		}
	}
	return parseGB11643(t, &buf, n)
}

// normalise folds s into buf and returns the folded length in runes, which
// may exceed len(buf); white space is dropped when dropSpace is set.
func normalise(buf *[maxLen]byte, s string, dropSpace bool) int {
	n := 0
	for _, r := range s {
		if dropSpace && unicode.IsSpace(r) {
			continue
		}
		if n < maxLen {
			buf[n] = fold(r)
		}
		n++
	}
	return n
}

// fold maps full-width ASCII forms to ASCII and lower case to upper case;
// anything else outside ASCII becomes badByte.
func fold(r rune) byte {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	switch {
	case r >= 'a' && r <= 'z':
		return byte(r - 'a' + 'A')
	case r < 0x80:
		return byte(r)
	}
	return badByte
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// keyed builds the key and the value from one allocation: the key is
// b[:keyEnd], the value b[valueStart:].
func keyed(t IDType, b []byte, keyEnd, valueStart int) ID {
	s := string(b)
	return ID{Type: t, Key: s[:keyEnd], Value: s[valueStart:]}
}

// prefixed is keyed for keys that are a one-letter namespace + the value.
func prefixed(t IDType, b []byte) ID {
	return keyed(t, b, len(b), 1)
}

func invalid(code, zh, en string) error {
	return chengxin.Invalid("id", code, zh, en)
}

func badLength(zhWant, enWant string, n int) error {
	return invalid("bad_length",
		fmt.Sprintf("长度错误：应为%s，实际为 %d 位", zhWant, n),
		fmt.Sprintf("wrong length: must be %s, got %d", enWant, n))
}

// badChar names the 1-based position, not the character, which may be
// unprintable.
func badChar(pos int, zhWant, enWant string) error {
	return invalid("bad_char",
		fmt.Sprintf("第 %d 位字符不合法：应为%s", pos, zhWant),
		fmt.Sprintf("character %d is not allowed: must be %s", pos, enWant))
}

func badCheck(want byte) error {
	return invalid("bad_check_digit",
		fmt.Sprintf("校验位错误：应为 %c", want),
		fmt.Sprintf("check digit is wrong: expected %c", want))
}
