package subject

import (
	"fmt"
	"time"
)

// GB 11643 (MOD 11-2) weights of the first 17 characters, and the check
// character for each remainder of the weighted sum mod 11.
var gbWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const gbCheck = "10X98765432"

func gbCheckDigit(b []byte) byte {
	s := 0
	for i, w := range gbWeights {
		s += int(b[i]-'0') * w
	}
	return gbCheck[s%11]
}

// typeName names the GB 11643 documents in wrong_type messages (ZH, EN).
var typeName = map[IDType][2]string{
	ResidentID:    {"居民身份证", "resident ID"},
	HKMacauPermit: {"港澳居民居住证", "Hong Kong/Macau residence permit"},
	TaiwanPermit:  {"台湾居民居住证", "Taiwan residence permit"},
	ForeignPR:     {"外国人永久居留身份证", "foreign permanent residence ID"},
}

// province reports whether the first two digits of a region code name a
// province-level division (71 Taiwan, 81 Hong Kong, 82 Macau, 83 the Taiwan
// residence permit). A leading 9 is the 2023 foreign PR, handled by family.
func province(a, b byte) bool {
	p := int(a-'0')*10 + int(b-'0')
	switch {
	case p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37,
		p >= 41 && p <= 46, p >= 50 && p <= 54, p >= 61 && p <= 65:
		return true
	}
	return p == 71 || p == 81 || p == 82 || p == 83
}

// family tells which GB 11643 document a 6-digit region code belongs to, ""
// when none.
func family(r []byte) IDType {
	switch string(r) { // the conversion does not allocate in a switch
	case "810000", "820000":
		return HKMacauPermit
	case "830000":
		return TaiwanPermit
	}
	switch {
	case r[0] == '9':
		return ForeignPR
	case province(r[0], r[1]):
		return ResidentID
	}
	return ""
}

// checkRegion accepts any GB 11643 number as a resident ID, since permits and
// the 2023 foreign PR are GB 11643 numbers too and share its key namespace;
// the other types need their own region.
func checkRegion(t IDType, r []byte) error {
	got := family(r)
	if got == t || (t == ResidentID && got != "") {
		return nil
	}
	var zh, en string
	switch t {
	case ResidentID:
		zh, en = "地址码前两位不是有效的省级行政区划代码", "the region code does not start with a valid province code"
	case HKMacauPermit:
		zh, en = "港澳居民居住证的地址码应为 810000 或 820000", "the region code of a Hong Kong/Macau residence permit must be 810000 or 820000"
		if r[0] == '8' && (r[1] == '1' || r[1] == '2') {
			got = "" // the right place, a wrong code
		}
	case TaiwanPermit:
		zh, en = "台湾居民居住证的地址码应为 830000", "the region code of a Taiwan residence permit must be 830000"
		if r[0] == '8' && r[1] == '3' {
			got = ""
		}
	case ForeignPR:
		zh, en = "外国人永久居留身份证号码应以 9 开头", "a foreign permanent residence ID number must start with 9"
	}
	if got != "" {
		return invalid("wrong_type",
			fmt.Sprintf("该号码是%s号码，不是%s号码", typeName[got][0], typeName[t][0]),
			fmt.Sprintf("this is a %s number, not a %s number", typeName[got][1], typeName[t][1]))
	}
	return invalid("bad_region", zh, en)
}

// parseGB11643 validates the 18-char numbers of the resident-ID family and,
// for resident_id only, the legacy 15-digit form.
func parseGB11643(t IDType, buf *[maxLen]byte, n int) (ID, error) {
	switch {
	case n == 15 && t == ResidentID:
		return parseLegacy(buf)
	case n != 18:
		switch t {
		case ResidentID:
			return ID{}, badLength(" 18 位（旧号码 15 位）", "18 characters (15 for a legacy number)", n)
		case ForeignPR:
			return ID{}, badLength(" 18 位（2017 版为 15 位）", "18 characters (15 for the 2017 form)", n)
		}
		return ID{}, badLength(" 18 位", "18 characters", n)
	}
	b := buf[:18]
	for i, c := range b[:17] {
		if !isDigit(c) {
			return ID{}, badChar(i+1, "数字", "a digit")
		}
	}
	if !isDigit(b[17]) && b[17] != 'X' {
		return ID{}, badChar(18, "数字或 X", "a digit or X")
	}
	if err := checkRegion(t, b[:6]); err != nil {
		return ID{}, err
	}
	if err := checkBirth(b[6:14]); err != nil {
		return ID{}, err
	}
	if want := gbCheckDigit(b); b[17] != want {
		return ID{}, badCheck(want)
	}
	var k [19]byte
	k[0] = 'I'
	copy(k[1:], b)
	return prefixed(t, k[:]), nil
}

// parseLegacy converts a 15-digit resident ID (region, YYMMDD of a 19xx
// birth, sequence) to its 18-char form, so both forms give one key.
func parseLegacy(buf *[maxLen]byte) (ID, error) {
	b := buf[:15]
	for i, c := range b {
		if !isDigit(c) {
			return ID{}, badChar(i+1, "数字（15 位旧号码全为数字）", "a digit (a 15-digit legacy number is all digits)")
		}
	}
	if !province(b[0], b[1]) { // legacy numbers predate permits and the foreign PR
		return ID{}, invalid("bad_region", "地址码前两位不是有效的省级行政区划代码", "the region code does not start with a valid province code")
	}
	var k [19]byte
	k[0] = 'I'
	copy(k[1:7], b[:6])
	k[7], k[8] = '1', '9'
	copy(k[9:18], b[6:15])
	if err := checkBirth(k[7:15]); err != nil {
		return ID{}, err
	}
	k[18] = gbCheckDigit(k[1:])
	return prefixed(ResidentID, k[:]), nil
}

// parseForeignPR2017 checks the shape of the 2017 form: 3 letters (the
// nationality) and 12 digits. Its own check digit is not public, so it is not
// checked.
func parseForeignPR2017(buf *[maxLen]byte) (ID, error) {
	b := buf[:15]
	for i, c := range b {
		if i < 3 && !isUpper(c) {
			return ID{}, badChar(i+1, "字母（2017 版前 3 位为国籍字母代码）", "a letter (the 2017 form starts with a 3-letter nationality code)")
		}
		if i >= 3 && !isDigit(c) {
			return ID{}, badChar(i+1, "数字", "a digit")
		}
	}
	var k [16]byte
	k[0] = 'F'
	copy(k[1:], b)
	return prefixed(ForeignPR, k[:]), nil
}

// parsePassport checks the shape only: passports carry no check digit that
// every issuing country shares.
func parsePassport(buf *[maxLen]byte, n int) (ID, error) {
	if n < 5 || n > maxLen {
		return ID{}, badLength(" 5 至 20 位（不含空格）", "5 to 20 characters (spaces not counted)", n)
	}
	b := buf[:n]
	digit := false
	for i, c := range b {
		switch {
		case isDigit(c):
			digit = true
		case isUpper(c):
		default:
			return ID{}, badChar(i+1, "字母或数字", "a letter or a digit")
		}
	}
	if !digit {
		return ID{}, invalid("bad_char", "护照号码应至少包含一位数字", "a passport number must contain at least one digit")
	}
	var k [maxLen + 1]byte
	k[0] = 'P'
	copy(k[1:], b)
	return prefixed(Passport, k[:n+1]), nil
}

// Birth years outside this range are typing errors, not people.
const minYear, maxYear = 1900, 2100

func checkBirth(b []byte) error {
	y, _, _, ok := civilDate(b)
	switch {
	case !ok:
		return invalid("bad_date", "出生日期不是有效的日历日期", "the birth date is not a real calendar date")
	case y < minYear || y > maxYear:
		return invalid("bad_date",
			fmt.Sprintf("出生年份应在 %d 至 %d 之间", minYear, maxYear),
			fmt.Sprintf("the birth year must be between %d and %d", minYear, maxYear))
	}
	return nil
}

// civilDate reads YYYYMMDD and reports whether it is a real calendar date.
func civilDate[T ~string | ~[]byte](s T) (y, m, d int, ok bool) {
	if len(s) != 8 {
		return 0, 0, 0, false
	}
	v := [8]int{}
	for i := range 8 {
		if !isDigit(s[i]) {
			return 0, 0, 0, false
		}
		v[i] = int(s[i] - '0')
	}
	y = v[0]*1000 + v[1]*100 + v[2]*10 + v[3]
	m = v[4]*10 + v[5]
	d = v[6]*10 + v[7]
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// gbNumber returns the 18-char GB 11643 number an id carries, ok=false for
// the 2017 foreign PR and for non-person types.
func (id ID) gbNumber() (string, bool) {
	switch id.Type {
	case ResidentID, HKMacauPermit, TaiwanPermit, ForeignPR:
		return id.Value, len(id.Value) == 18
	}
	return "", false
}

// BirthDate returns the date of birth encoded in a resident-family id
// (resident_id, HK/Macau and Taiwan permits, 2023 foreign_pr); ok=false for
// other types and for the 2017 foreign PR, whose two-digit year is ambiguous.
func (id ID) BirthDate() (year, month, day int, ok bool) {
	v, ok := id.gbNumber()
	if !ok {
		return 0, 0, 0, false
	}
	return civilDate(v[6:14])
}

// AgeOn returns the age in whole years on t's calendar date (in t's
// location); the age goes up on the birthday, on 1 March for a 29 February
// birth in a common year. ok=false when the id carries no birth date or t is
// before it.
func (id ID) AgeOn(t time.Time) (int, bool) {
	by, bm, bd, ok := id.BirthDate()
	if !ok {
		return 0, false
	}
	y, mm, d := t.Date()
	m := int(mm)
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	if age < 0 {
		return 0, false
	}
	return age, true
}

// Sex returns "male" or "female" from the parity of the sequence number of a
// resident-family id, "" otherwise.
func (id ID) Sex() string {
	v, ok := id.gbNumber()
	if !ok || !isDigit(v[16]) {
		return ""
	}
	if (v[16]-'0')%2 == 1 {
		return "male"
	}
	return "female"
}
