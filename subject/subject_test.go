package subject

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chengxin/chengxin"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		name  string
		t     IDType
		raw   string
		value string
		key   string
	}{
		{"resident", ResidentID, "11010519491231002X", "11010519491231002X", "I11010519491231002X"},
		{"lower-case x", ResidentID, "11010519491231002x", "11010519491231002X", "I11010519491231002X"},
		{"spaces around", ResidentID, " \t11010519491231002X\u3000", "11010519491231002X", "I11010519491231002X"},
		{"full-width", ResidentID, "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", "I11010519491231002X"},
		{"legacy 15", ResidentID, "130503670401001", "130503196704010016", "I130503196704010016"},
		{"leap day 2000", ResidentID, "110105200002290013", "110105200002290013", "I110105200002290013"},
		{"year 1900", ResidentID, "440306190003010025", "440306190003010025", "I440306190003010025"},
		{"resident accepts HK permit number", ResidentID, "810000199408230021", "810000199408230021", "I810000199408230021"},
		{"resident accepts foreign PR number", ResidentID, "911840199001010018", "911840199001010018", "I911840199001010018"},
		{"hk permit", HKMacauPermit, "810000199408230021", "810000199408230021", "I810000199408230021"},
		{"macau permit", HKMacauPermit, "82000020000229003x", "82000020000229003X", "I82000020000229003X"},
		{"taiwan permit", TaiwanPermit, "830000198001010018", "830000198001010018", "I830000198001010018"},
		{"foreign pr 2023", ForeignPR, "911840199001010018", "911840199001010018", "I911840199001010018"},
		{"foreign pr 2017", ForeignPR, "usa311085010011", "USA311085010011", "FUSA311085010011"},
		{"passport", Passport, "E12345678", "E12345678", "PE12345678"},
		{"passport spaces lower", Passport, " g 1234 5678 ", "G12345678", "PG12345678"},
		{"passport full-width", Passport, "ｅ１２３４５６７８", "E12345678", "PE12345678"},
		{"passport 20", Passport, "A1234567890123456789", "A1234567890123456789", "PA1234567890123456789"},
		{"uscc", USCC, "91110000600037341L", "91110000600037341L", "O600037341"},
		{"uscc lower", USCC, "91110000600037341l", "91110000600037341L", "O600037341"},
		{"uscc org check X", USCC, "9131000010000018XY", "9131000010000018XY", "O10000018X"},
		{"uscc org check 0", USCC, "91310000100000040B", "91310000100000040B", "O100000040"},
		{"uscc letters", USCC, "91310000ma01abcd5f", "91310000MA01ABCD5F", "OMA01ABCD5"},
		{"org code hyphen", OrgCode, "60003734-1", "60003734-1", "O600037341"},
		{"org code plain", OrgCode, "600037341", "60003734-1", "O600037341"},
		{"org code full-width hyphen", OrgCode, "60003734－1", "60003734-1", "O600037341"},
		{"org code check X", OrgCode, "10000018x", "10000018-X", "O10000018X"},
		{"org code check 0", OrgCode, "10000004-0", "10000004-0", "O100000040"},
		{"org code letters", OrgCode, "ma01abcd-5", "MA01ABCD-5", "OMA01ABCD5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := Parse(tc.t, tc.raw)
			if err != nil {
				t.Fatalf("Parse(%s, %q): %v", tc.t, tc.raw, err)
			}
			if id.Type != tc.t || id.Value != tc.value || id.Key != tc.key {
				t.Errorf("Parse(%s, %q) = %+v, want value %q key %q", tc.t, tc.raw, id, tc.value, tc.key)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name  string
		t     IDType
		raw   string
		code  string
		inMsg string // must appear in both ZH and EN when set
	}{
		{"unknown type", IDType("driver_licence"), "11010519491231002X", "unknown_id_type", ""},
		{"empty type", IDType(""), "x", "unknown_id_type", ""},
		{"empty", ResidentID, "", "empty", ""},
		{"blank", USCC, " \u3000\t", "empty", ""},
		{"passport only spaces", Passport, "   ", "empty", ""},
		{"resident 17", ResidentID, "11010519491231002", "bad_length", "17"},
		{"resident 19", ResidentID, "11010519491231002XX", "bad_length", "19"},
		{"permit 15", HKMacauPermit, "810000940823002", "bad_length", "15"},
		{"resident letter", ResidentID, "1101051949123100AX", "bad_char", "17"},
		{"resident X inside", ResidentID, "X10105194912310022", "bad_char", "1"},
		{"resident check letter", ResidentID, "11010519491231002Y", "bad_char", "18"},
		{"resident inner space", ResidentID, "110105 9491231002X", "bad_char", "7"},
		{"resident chinese", ResidentID, "11010519491231002号", "bad_char", "18"},
		{"legacy letter", ResidentID, "13050367040100X", "bad_char", "15"},
		{"resident region 00", ResidentID, "000000194912310021", "bad_region", ""},
		{"resident region 20", ResidentID, "200105194912310020", "bad_region", ""},
		{"resident region 72", ResidentID, "720105194912310020", "bad_region", ""},
		{"legacy region 9", ResidentID, "990503670401001", "bad_region", ""},
		{"legacy region 00", ResidentID, "000503670401001", "bad_region", ""},
		{"hk region 810100", HKMacauPermit, "810100199408230027", "bad_region", "810000"},
		{"hk gets resident", HKMacauPermit, "11010519491231002X", "wrong_type", ""},
		{"hk gets taiwan", HKMacauPermit, "830000198001010018", "wrong_type", ""},
		{"taiwan gets hk", TaiwanPermit, "810000199408230021", "wrong_type", ""},
		{"taiwan region 830100", TaiwanPermit, "830100198001010011", "bad_region", "830000"},
		{"taiwan region 00", TaiwanPermit, "000000198001010012", "bad_region", "830000"},
		{"foreign pr gets resident", ForeignPR, "11010519491231002X", "wrong_type", ""},
		{"foreign pr region 0", ForeignPR, "001840199001010014", "bad_region", "9"},
		{"leap day 1900", ResidentID, "440306190002290025", "bad_date", ""},
		{"leap day 2001", ResidentID, "110105200102290013", "bad_date", ""},
		{"month 13", ResidentID, "110105194913310024", "bad_date", ""},
		{"day 00", ResidentID, "110105194912000026", "bad_date", ""},
		{"april 31", ResidentID, "110105194904310025", "bad_date", ""},
		{"year 1899", ResidentID, "110105189912310025", "bad_date", "1900"},
		{"year 2101", ResidentID, "110105210112310025", "bad_date", "2100"},
		{"legacy bad date", ResidentID, "130503670229001", "bad_date", ""},
		{"foreign pr bad date", ForeignPR, "911840199002300018", "bad_date", ""},
		{"resident check", ResidentID, "110105194912310021", "bad_check_digit", "X"},
		{"resident check x", ResidentID, "11010519491231003x", "bad_check_digit", "8"},
		{"hk check", HKMacauPermit, "810000199408230022", "bad_check_digit", "1"},
		{"foreign pr check", ForeignPR, "911840199001010019", "bad_check_digit", "8"},
		{"foreign pr 16", ForeignPR, "USA3110850100111", "bad_length", "16"},
		{"foreign pr 2017 digits", ForeignPR, "123311085010011", "bad_char", "1"},
		{"foreign pr 2017 letter", ForeignPR, "USA31108501001A", "bad_char", "15"},
		{"passport short", Passport, "E123", "bad_length", "4"},
		{"passport long", Passport, "E12345678901234567890", "bad_length", "21"},
		{"passport hyphen", Passport, "E-1234567", "bad_char", "2"},
		{"passport no digit", Passport, "ABCDEFG", "bad_char", ""},
		{"passport chinese", Passport, "E1234护照", "bad_char", "6"},
		{"uscc 17", USCC, "91110000600037341", "bad_length", "17"},
		{"uscc I", USCC, "91110000600037I41L", "bad_char", "15"},
		{"uscc region letter", USCC, "911A0000600037341L", "bad_char", "4"},
		{"uscc check", USCC, "91110000600037341K", "bad_check_digit", "L"},
		{"uscc embedded org check", USCC, "91110000600037342P", "bad_check_digit", "1"},
		{"org 8", OrgCode, "60003734", "bad_length", "8"},
		{"org 11", OrgCode, "60003734--1", "bad_length", "11"},
		{"org longer than any id", OrgCode, "000000000000000000000", "bad_length", "21"},
		{"resident longer than any id", ResidentID, strings.Repeat("1", 40), "bad_length", "40"},
		{"uscc longer than any id", USCC, strings.Repeat("1", 40), "bad_length", "40"},
		{"foreign pr longer than any id", ForeignPR, strings.Repeat("Ａ", 40), "bad_length", "40"},
		{"org hyphen place", OrgCode, "6000373-41", "bad_char", "9"},
		{"org body char", OrgCode, "6000373_-1", "bad_char", "8"},
		{"org check char", OrgCode, "60003734-A", "bad_char", "10"},
		{"org check char plain", OrgCode, "60003734A", "bad_char", "9"},
		{"org check", OrgCode, "60003734-2", "bad_check_digit", "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := Parse(tc.t, tc.raw)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("Parse(%s, %q): %v", tc.t, tc.raw, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Parse(%s, %q) = %+v, want %s", tc.t, tc.raw, id, tc.code)
			}
			e := checkError(t, err)
			if e.Code != tc.code {
				t.Fatalf("Parse(%s, %q): code %s (%s), want %s", tc.t, tc.raw, e.Code, e.EN, tc.code)
			}
			wantField := "id"
			if tc.code == "unknown_id_type" {
				wantField = "id_type"
			}
			if e.Field != wantField {
				t.Errorf("field %q, want %q", e.Field, wantField)
			}
			if !strings.Contains(e.ZH, tc.inMsg) || !strings.Contains(e.EN, tc.inMsg) {
				t.Errorf("messages %q / %q do not mention %q", e.ZH, e.EN, tc.inMsg)
			}
			if id != (ID{}) {
				t.Errorf("failed Parse returned %+v", id)
			}
		})
	}
}

// checkError asserts the error contract shared by every failure.
func checkError(t *testing.T, err error) *chengxin.Error {
	t.Helper()
	var e *chengxin.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not a *chengxin.Error", err, err)
	}
	if e.Kind != chengxin.KindInvalid || e.Code == "" || e.Field == "" || e.ZH == "" || e.EN == "" {
		t.Fatalf("incomplete error %+v", e)
	}
	return e
}

func TestCheckDigitMessage(t *testing.T) {
	_, err := Parse(ResidentID, "110105194912310021")
	e := checkError(t, err)
	if e.ZH != "校验位错误：应为 X" || e.EN != "check digit is wrong: expected X" {
		t.Errorf("messages %q / %q", e.ZH, e.EN)
	}
}

func TestMessagesHideTheID(t *testing.T) {
	for _, raw := range []string{"110105194912310021", "91110000600037341K", "60003734-2", "440306190002290025"} {
		for _, typ := range []IDType{ResidentID, USCC, OrgCode} {
			_, err := Parse(typ, raw)
			if err == nil {
				continue
			}
			if e := checkError(t, err); strings.Contains(e.ZH+e.EN, raw) {
				t.Errorf("Parse(%s, %q): message repeats the id: %v", typ, raw, e)
			}
		}
	}
}

func TestSameKeyAcrossForms(t *testing.T) {
	groups := [][]struct {
		t   IDType
		raw string
	}{
		{{USCC, "91110000600037341L"}, {OrgCode, "60003734-1"}, {OrgCode, "600037341"}, {OrgCode, "６０００３７３４－１"}},
		{{ResidentID, "130503670401001"}, {ResidentID, "130503196704010016"}},
		{{ResidentID, "810000199408230021"}, {HKMacauPermit, "810000199408230021"}},
		{{ResidentID, "911840199001010018"}, {ForeignPR, "911840199001010018"}},
	}
	for _, g := range groups {
		var key string
		for i, f := range g {
			id, err := Parse(f.t, f.raw)
			if err != nil {
				t.Fatalf("Parse(%s, %q): %v", f.t, f.raw, err)
			}
			if i > 0 && id.Key != key {
				t.Errorf("Parse(%s, %q).Key = %q, want %q", f.t, f.raw, id.Key, key)
			}
			key = id.Key
		}
	}
}

func TestKind(t *testing.T) {
	tests := []struct {
		t    IDType
		kind Kind
		ok   bool
	}{
		{ResidentID, Person, true},
		{HKMacauPermit, Person, true},
		{TaiwanPermit, Person, true},
		{ForeignPR, Person, true},
		{Passport, Person, true},
		{USCC, Org, true},
		{OrgCode, Org, true},
		{"", "", false},
		{"RESIDENT_ID", "", false},
	}
	for _, tc := range tests {
		if k, ok := tc.t.Kind(); k != tc.kind || ok != tc.ok {
			t.Errorf("%q.Kind() = %q, %v; want %q, %v", tc.t, k, ok, tc.kind, tc.ok)
		}
	}
}

func TestBirthDateSexAge(t *testing.T) {
	tests := []struct {
		t       IDType
		raw     string
		y, m, d int
		sex     string
	}{
		{ResidentID, "11010519491231002X", 1949, 12, 31, "female"},
		{ResidentID, "130503670401001", 1967, 4, 1, "male"},
		{HKMacauPermit, "82000020000229003X", 2000, 2, 29, "male"},
		{TaiwanPermit, "830000198001010018", 1980, 1, 1, "male"},
		{ForeignPR, "944840201203150025", 2012, 3, 15, "female"},
		{ForeignPR, "USA311085010011", 0, 0, 0, ""},
		{Passport, "E12345678", 0, 0, 0, ""},
		{USCC, "91110000600037341L", 0, 0, 0, ""},
		{OrgCode, "60003734-1", 0, 0, 0, ""},
	}
	for _, tc := range tests {
		id, err := Parse(tc.t, tc.raw)
		if err != nil {
			t.Fatalf("Parse(%s, %q): %v", tc.t, tc.raw, err)
		}
		y, m, d, ok := id.BirthDate()
		if ok != (tc.y != 0) || y != tc.y || m != tc.m || d != tc.d {
			t.Errorf("%s BirthDate() = %d-%d-%d %v, want %d-%d-%d", tc.raw, y, m, d, ok, tc.y, tc.m, tc.d)
		}
		if s := id.Sex(); s != tc.sex {
			t.Errorf("%s Sex() = %q, want %q", tc.raw, s, tc.sex)
		}
		if _, ok := id.AgeOn(time.Now()); ok != (tc.y != 0) {
			t.Errorf("%s AgeOn ok = %v", tc.raw, ok)
		}
	}
	if _, _, _, ok := (ID{Type: ResidentID, Value: "1101051949"}).BirthDate(); ok {
		t.Error("BirthDate of a hand-made short value is ok")
	}
	if s := (ID{Type: ResidentID, Value: "1101051949123100AX"}).Sex(); s != "" {
		t.Errorf("Sex of a hand-made bad value = %q", s)
	}

	leap, _ := Parse(ResidentID, "110105200002290013")
	cst := time.FixedZone("CST", 8*3600)
	ages := []struct {
		on   time.Time
		age  int
		okay bool
	}{
		{time.Date(2000, 2, 28, 0, 0, 0, 0, cst), 0, false},
		{time.Date(2000, 2, 29, 0, 0, 0, 0, cst), 0, true},
		{time.Date(2001, 2, 28, 23, 0, 0, 0, cst), 0, true},
		{time.Date(2001, 3, 1, 0, 0, 0, 0, cst), 1, true},
		{time.Date(2004, 2, 29, 0, 0, 0, 0, cst), 4, true},
		{time.Date(2018, 2, 28, 0, 0, 0, 0, cst), 17, true},
		{time.Date(2018, 3, 1, 0, 0, 0, 0, cst), 18, true},
		// 2018-02-28 16:00 UTC is already 1 March in Beijing: t's own calendar counts.
		{time.Date(2018, 2, 28, 16, 0, 0, 0, time.UTC).In(cst), 18, true},
	}
	for _, a := range ages {
		if age, ok := leap.AgeOn(a.on); age != a.age || ok != a.okay {
			t.Errorf("AgeOn(%v) = %d, %v; want %d, %v", a.on, age, ok, a.age, a.okay)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		s          string
		head, tail int
		want       string
	}{
		{"110105194912310022", 4, 4, "1101**********0022"},
		{"110105194912310022", 6, 0, "110105************"},
		{"张三丰", 1, 0, "张**"},
		{"张三丰", 1, 1, "张*丰"},
		{"张三", 1, 1, "*三"},
		{"张三", 1, 0, "张*"},
		{"张", 1, 0, "*"},
		{"张", 0, 1, "*"},
		{"ABCDEF", 3, 3, "***DEF"},
		{"ABCDEF", 0, 10, "*BCDEF"},
		{"ABCDEF", 10, 0, "******"},
		{"ABCDEF", -1, -1, "******"},
		{"ABCDEF", 2, 1, "AB***F"},
		{"", 4, 4, ""},
		{"E12345678", 1, 2, "E******78"},
	}
	for _, tc := range tests {
		if got := Mask(tc.s, tc.head, tc.tail); got != tc.want {
			t.Errorf("Mask(%q, %d, %d) = %q, want %q", tc.s, tc.head, tc.tail, got, tc.want)
		}
	}
}

// gen builds valid identifiers by computing their check characters.
type gen struct{ r *rand.Rand }

var provinces = []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}

func (g gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// date returns a random real YYYYMMDD between 1900 and 2100.
func (g gen) date() string {
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	return start.AddDate(0, 0, g.r.IntN(days+1)).Format("20060102")
}

func withGBCheck(s17 string) string { return s17 + string(gbCheckDigit([]byte(s17))) }

func (g gen) resident() string {
	p := provinces[g.r.IntN(len(provinces))]
	return withGBCheck(string(rune('0'+p/10)) + string(rune('0'+p%10)) + g.digits(4) + g.date() + g.digits(3))
}

func (g gen) orgCode() string {
	const chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, 8)
	for i := range b {
		b[i] = chars[g.r.IntN(len(chars))]
	}
	return string(b) + string(orgCheckChar(b))
}

func (g gen) uscc() string {
	const body = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for {
		org := g.orgCode()
		if strings.ContainsAny(org, "IOSVZ") {
			continue // not in the USCC alphabet
		}
		s := string(body[g.r.IntN(len(body))]) + string(body[g.r.IntN(len(body))]) + g.digits(6) + org
		sum := 0
		for i := range 17 {
			sum += strings.IndexByte(usccAlphabet, s[i]) * usccWeights[i]
		}
		return s + string(usccAlphabet[(31-sum%31)%31])
	}
}

func TestRoundTripGenerated(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(1, 2))}
	for range 1000 {
		res := g.resident()
		id := mustParse(t, ResidentID, strings.ToLower(res))
		if id.Value != res || id.Key != "I"+res {
			t.Fatalf("resident %s -> %+v", res, id)
		}
		if y, m, d, ok := id.BirthDate(); !ok || res[6:14] != time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Format("20060102") {
			t.Fatalf("resident %s BirthDate %d-%d-%d %v", res, y, m, d, ok)
		}
		if res[6:8] == "19" {
			legacy := mustParse(t, ResidentID, res[:6]+res[8:17])
			if legacy.Value != res {
				t.Fatalf("legacy %s -> %s, want %s", res[:6]+res[8:17], legacy.Value, res)
			}
		}
		// One wrong check character is always caught, and named.
		bad := res[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", res[17])+1+g.r.IntN(10))%11])
		_, err := Parse(ResidentID, bad)
		if e := checkError(t, err); e.Code != "bad_check_digit" || !strings.HasSuffix(e.EN, res[17:]) {
			t.Fatalf("resident %s: %v", bad, err)
		}

		pr := withGBCheck("9" + g.digits(5) + g.date() + g.digits(3))
		if id := mustParse(t, ForeignPR, pr); id.Key != "I"+pr {
			t.Fatalf("foreign pr %s -> %+v", pr, id)
		}

		oc := g.orgCode()
		hy := oc[:8] + "-" + oc[8:]
		if id := mustParse(t, OrgCode, oc); id.Value != hy || id.Key != "O"+oc {
			t.Fatalf("org code %s -> %+v", oc, id)
		}

		u := g.uscc()
		id = mustParse(t, USCC, u)
		if id.Value != u || id.Key != "O"+u[8:17] || mustParse(t, OrgCode, u[8:17]).Key != id.Key {
			t.Fatalf("uscc %s -> %+v", u, id)
		}
	}
}

func mustParse(t *testing.T, typ IDType, raw string) ID {
	t.Helper()
	id, err := Parse(typ, raw)
	if err != nil {
		t.Fatalf("Parse(%s, %q): %v", typ, raw, err)
	}
	return id
}

func TestAllocs(t *testing.T) {
	for _, c := range []struct {
		t   IDType
		raw string
	}{
		{ResidentID, "11010519491231002X"},
		{ResidentID, " 11010519491231002x "},
		{ResidentID, "130503670401001"},
		{USCC, "91110000600037341L"},
		{OrgCode, "600037341"},
		{Passport, "e 1234 5678"},
		{ForeignPR, "USA311085010011"},
	} {
		if n := testing.AllocsPerRun(100, func() { _, _ = Parse(c.t, c.raw) }); n > 1 {
			t.Errorf("Parse(%s, %q) allocates %v times, want at most 1", c.t, c.raw, n)
		}
	}
}

// fuzzParse checks the properties every parser keeps: no panic; success is
// idempotent (parsing the value again gives the same value and key) with an
// upper-case ASCII value; failure is a complete *chengxin.Error.
func fuzzParse(t *testing.T, typ IDType, raw string) {
	id, err := Parse(typ, raw)
	if err != nil {
		e := checkError(t, err)
		if !knownCodes[e.Code] {
			t.Fatalf("unknown code %q", e.Code)
		}
		return
	}
	for i := range len(id.Value) {
		if c := id.Value[i]; !isDigit(c) && !isUpper(c) && c != '-' {
			t.Fatalf("Parse(%s, %q).Value %q is not upper-case ASCII", typ, raw, id.Value)
		}
	}
	again, err := Parse(typ, id.Value)
	if err != nil {
		t.Fatalf("Parse(%s, %q) ok but its value %q fails: %v", typ, raw, id.Value, err)
	}
	if again != id {
		t.Fatalf("Parse(%s, %q) = %+v, again %+v", typ, raw, id, again)
	}
}

var knownCodes = map[string]bool{
	"empty": true, "bad_length": true, "bad_char": true, "bad_region": true,
	"bad_date": true, "bad_check_digit": true, "wrong_type": true,
}

func FuzzParseResidentID(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "130503670401001", "810000199408230021",
		"82000020000229003X", "830000198001010018", "911840199001010018", "440306190002290025", "１１０１０５１９４９１２３１００２ｘ", " 110105 ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, typ := range []IDType{ResidentID, HKMacauPermit, TaiwanPermit, ForeignPR} {
			fuzzParse(t, typ, raw)
		}
	})
}

func FuzzParseForeignPR(f *testing.F) {
	for _, s := range []string{"USA311085010011", "usa311085010011", "ＵＳＡ３１１０８５０１００１１", "123311085010011", "USA3110850100111"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) { fuzzParse(t, ForeignPR, raw) })
}

func FuzzParsePassport(f *testing.F) {
	for _, s := range []string{"E12345678", " g 1234 5678 ", "ｅ１２３４５６７８", "E-1234567", "ABCDEFG", "A1234567890123456789"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) { fuzzParse(t, Passport, raw) })
}

func FuzzParseUSCC(f *testing.F) {
	for _, s := range []string{"91110000600037341L", "91110000600037341l", "9131000010000018XY", "91110000600037342P", "91110000600037341K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) { fuzzParse(t, USCC, raw) })
}

func FuzzParseOrgCode(f *testing.F) {
	for _, s := range []string{"60003734-1", "600037341", "60003734－1", "10000018x", "6000373-41", "60003734-2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) { fuzzParse(t, OrgCode, raw) })
}

func BenchmarkParseResidentID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(ResidentID, "11010519491231002X"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseResidentIDLegacy(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(ResidentID, "130503670401001"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseUSCC(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(USCC, "91110000600037341L"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseOrgCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(OrgCode, "600037341"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMask(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Mask("110105194912310022", 4, 4)
	}
}
