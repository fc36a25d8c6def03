package auditlog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/subject"
)

var (
	t0 = time.Date(2026, 11, 22, 9, 30, 15, 123456000, entry.CST)
	t1 = t0.Add(90 * 24 * time.Hour)
)

func sampleEntry() (*entry.Entry, *entry.Version) {
	exp := t1
	rec := &entry.Record{
		Subject: entry.Subject{Kind: subject.Org, IDType: subject.USCC, ID: "91520100MA6DK8XW2Q", Name: "贵阳某某建设有限公司",
			LegalRep: &entry.Person{IDType: subject.ResidentID, ID: "52010219800101001X", Name: "张三"}},
		Reason:      "拒不履行生效法律文书确定的义务",
		LegalBasis:  "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条",
		PublishedAt: t0,
		ExpiresAt:   &exp,
		Details:     map[string]string{"case_no": "(2026)黔01执123号", "court": "贵阳市中级人民法院", "amount": "1200000.00", "a<b>&c": "x<y>"},
		Key:         "uscc:91520100MA6DK8XW2Q", LegalRepKey: "id:52010219800101001X",
	}
	e := &entry.Entry{ID: 42, List: "dishonest_debtors", SourceRef: "gy-court-2026-0001", State: entry.Active, Version: 1, Seq: 7, Record: *rec}
	v := &entry.Version{Version: 1, Seq: 7, Change: entry.Published, State: entry.Active, Actor: "gy-court/张法官",
		At: t0, Reason: "首次发布", ReasonCode: "initial", Record: rec}
	return e, v
}

func sampleCheck() *check.Record {
	return &check.Record{
		ID: "17", Org: "gy-land", Item: "real_estate_registration",
		Subject: check.Subject{Kind: subject.Org, IDType: subject.USCC, ID: "91520100MA6DK8XW2Q", Name: "贵阳某某建设有限公司"},
		Key:     "uscc:91520100MA6DK8XW2Q", Operator: "李四", Ref: "BDC-2026-000123", Outcome: catalog.Block,
		Hits: []check.HitRecord{
			{EntryID: "42", List: "dishonest_debtors", Role: "self", Measure: check.MeasureRef{Code: "M01", Name: "限制不动产交易", Action: catalog.Block, LegalBasis: "法释〔2017〕7号"}},
			{EntryID: "43", List: "tax_violators", Role: "legal_rep", Measure: check.MeasureRef{Code: "M07", Name: "提示", Action: catalog.Warn, LegalBasis: "税务总局公告2016年第24号"}},
		},
		NameMismatch: false, At: t0, LogIndex: 17,
	}
}

func sampleFeedback() *check.Feedback {
	return &check.Feedback{ID: 3, CheckID: "17", Org: "gy-land", Action: check.Intercepted, Note: "已暂停办理", Operator: "李四", At: t1, LogIndex: 18}
}

func sampleOrg() *org.Org {
	return &org.Org{Code: "gy-land", Name: "贵阳市自然资源局", Roles: []org.Role{org.Department, org.Supervisor},
		Lists: []string{"dishonest_debtors"}, Items: []string{"real_estate_registration", "land_transfer"},
		CreatedAt: t0, TokenHash: "c0ffee0123456789deadbeefc0ffee0123456789deadbeefc0ffee0123456789"}
}

func TestLeafShape(t *testing.T) {
	e, v := sampleEntry()
	for _, tc := range []struct {
		kind string
		leaf []byte
	}{
		{KindEntryVersion, EntryVersionLeaf(e.List, e.SourceRef, v)},
		{KindCheck, CheckLeaf(sampleCheck())},
		{KindFeedback, FeedbackLeaf(sampleFeedback())},
		{KindOrg, OrgLeaf(sampleOrg(), OrgCreated, t0)},
	} {
		if !json.Valid(tc.leaf) {
			t.Errorf("%s leaf is not JSON: %s", tc.kind, tc.leaf)
		}
		if prefix := `{"kind":"` + tc.kind + `","v":1,`; !bytes.HasPrefix(tc.leaf, []byte(prefix)) {
			t.Errorf("%s leaf does not start with %s: %s", tc.kind, prefix, tc.leaf)
		}
		if bytes.Contains(tc.leaf, []byte(`\u003c`)) || bytes.Contains(tc.leaf, []byte("\n")) {
			t.Errorf("%s leaf escapes HTML or has a newline: %s", tc.kind, tc.leaf)
		}
	}
	// The whole encoding of one leaf, pinned: a change to it is a change of
	// LeafVersion.
	want := `{"kind":"feedback","v":1,"check_id":17,"org":"gy-land","action":"intercepted","note":"已暂停办理","operator":"李四","at":` +
		fmt.Sprint(t1.UnixMicro()) + `}`
	if got := FeedbackLeaf(sampleFeedback()); string(got) != want {
		t.Errorf("FeedbackLeaf =\n%s\nwant\n%s", got, want)
	}
}

func TestLeavesDeterministic(t *testing.T) {
	e, v := sampleEntry()
	a := EntryVersionLeaf(e.List, e.SourceRef, v)
	keys := []string{"court", "a<b>&c", "amount", "case_no"}
	for r := range 2 * len(keys) {
		e2, v2 := sampleEntry()
		// The same details, inserted in another order each time.
		d := map[string]string{}
		for i := range keys {
			j := (i + r) % len(keys)
			if r >= len(keys) {
				j = (len(keys) - 1 - i + r) % len(keys)
			}
			d[keys[j]] = v.Record.Details[keys[j]]
		}
		v2.Record.Details = d
		if b := EntryVersionLeaf(e2.List, e2.SourceRef, v2); !bytes.Equal(a, b) {
			t.Fatalf("EntryVersionLeaf not deterministic:\n%s\n%s", a, b)
		}
	}
	if !bytes.Equal(CheckLeaf(sampleCheck()), CheckLeaf(sampleCheck())) ||
		!bytes.Equal(FeedbackLeaf(sampleFeedback()), FeedbackLeaf(sampleFeedback())) ||
		!bytes.Equal(OrgLeaf(sampleOrg(), OrgCreated, t0), OrgLeaf(sampleOrg(), OrgCreated, t0)) {
		t.Fatal("a leaf is not deterministic")
	}
	if !bytes.Contains(a, []byte(`"details":{"a<b>&c":"x<y>","amount":"1200000.00","case_no":"(2026)黔01执123号","court":"贵阳市中级人民法院"}`)) {
		t.Errorf("details not sorted or escaped: %s", a)
	}
}

// A record as the stores give it back — times in microseconds and another
// zone, the record column decoded from JSON, empty maps and lists as nil —
// gives the leaf it was written with.
func TestLeavesSurviveStorage(t *testing.T) {
	e, v := sampleEntry()
	want := EntryVersionLeaf(e.List, e.SourceRef, v)
	raw, err := json.Marshal(v.Record)
	if err != nil {
		t.Fatal(err)
	}
	var back entry.Record
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	v2 := *v
	v2.Record = &back
	v2.At = time.UnixMicro(v.At.UnixMicro()).UTC()
	v2.Seq, v2.LeafHash = 0, []byte("x") // numbered by the store; not part of the leaf
	if got := EntryVersionLeaf(e.List, e.SourceRef, &v2); !bytes.Equal(got, want) {
		t.Errorf("entry version read back gives another leaf:\n%s\n%s", got, want)
	}

	c := sampleCheck()
	want = CheckLeaf(c)
	c2 := *c
	hits, _ := json.Marshal(c.Hits)
	c2.Hits = nil
	json.Unmarshal(hits, &c2.Hits)
	c2.Subject.Kind = "" // not stored with a check
	c2.ID, c2.LogIndex, c2.Feedback = "", 0, []check.Feedback{*sampleFeedback()}
	c2.At = c.At.In(time.UTC).Add(999 * time.Nanosecond) // below the stored precision
	if got := CheckLeaf(&c2); !bytes.Equal(got, want) {
		t.Errorf("check read back gives another leaf:\n%s\n%s", got, want)
	}

	// nil and empty are the same stored value.
	empty := []struct{ a, b []byte }{
		{CheckLeaf(&check.Record{}), CheckLeaf(&check.Record{Hits: []check.HitRecord{}})},
		{OrgLeaf(&org.Org{}, OrgCreated, t0), OrgLeaf(&org.Org{Roles: []org.Role{}, Lists: []string{}, Items: []string{}}, OrgCreated, t0)},
		{leafWithDetails(nil), leafWithDetails(map[string]string{})},
	}
	for i, p := range empty {
		if !bytes.Equal(p.a, p.b) {
			t.Errorf("%d: nil and empty differ:\n%s\n%s", i, p.a, p.b)
		}
	}
	// A feedback's check ID is stored as the check's index.
	f1, f2 := sampleFeedback(), sampleFeedback()
	f2.CheckID = "017"
	if !bytes.Equal(FeedbackLeaf(f1), FeedbackLeaf(f2)) {
		t.Error("check IDs 17 and 017 give different leaves")
	}
}

func leafWithDetails(d map[string]string) []byte {
	e, v := sampleEntry()
	v.Record.Details = d
	return EntryVersionLeaf(e.List, e.SourceRef, v)
}

type mutation[T any] struct {
	name string
	f    func(T)
}

func TestEntryVersionLeafCoversEveryField(t *testing.T) {
	type ev struct {
		e *entry.Entry
		v *entry.Version
	}
	muts := []mutation[ev]{
		{"list", func(x ev) { x.e.List = "tax_violators" }},
		{"source_ref", func(x ev) { x.e.SourceRef += "x" }},
		{"version", func(x ev) { x.v.Version++ }},
		{"change", func(x ev) { x.v.Change = entry.Updated }},
		{"state", func(x ev) { x.v.State = entry.Masked }},
		{"actor", func(x ev) { x.v.Actor = "someone else" }},
		{"at", func(x ev) { x.v.At = x.v.At.Add(time.Microsecond) }},
		{"reason", func(x ev) { x.v.Reason = "" }},
		{"reason_code", func(x ev) { x.v.ReasonCode = "performed" }},
		{"record nil", func(x ev) { x.v.Record = nil }},
		{"subject kind", func(x ev) { x.v.Record.Subject.Kind = subject.Person }},
		{"subject id_type", func(x ev) { x.v.Record.Subject.IDType = subject.OrgCode }},
		{"subject id", func(x ev) { x.v.Record.Subject.ID = "91520100MA6DK8XW3Q" }},
		{"subject name", func(x ev) { x.v.Record.Subject.Name = "贵阳某某建设有限责任公司" }},
		{"legal_rep nil", func(x ev) { x.v.Record.Subject.LegalRep = nil }},
		{"legal_rep id_type", func(x ev) { x.v.Record.Subject.LegalRep.IDType = subject.Passport }},
		{"legal_rep id", func(x ev) { x.v.Record.Subject.LegalRep.ID = "520102198001010028" }},
		{"legal_rep name", func(x ev) { x.v.Record.Subject.LegalRep.Name = "李四" }},
		{"legal_rep empty", func(x ev) { *x.v.Record.Subject.LegalRep = entry.Person{} }},
		{"record reason", func(x ev) { x.v.Record.Reason += "。" }},
		{"legal_basis", func(x ev) { x.v.Record.LegalBasis = "" }},
		{"published_at", func(x ev) { x.v.Record.PublishedAt = x.v.Record.PublishedAt.Add(-time.Microsecond) }},
		{"expires_at", func(x ev) { later := t1.AddDate(1, 0, 0); x.v.Record.ExpiresAt = &later }},
		{"expires_at nil", func(x ev) { x.v.Record.ExpiresAt = nil }},
		{"expires_at zero", func(x ev) { x.v.Record.ExpiresAt = &time.Time{} }},
		{"details value", func(x ev) { x.v.Record.Details["amount"] = "1200000.01" }},
		{"details key", func(x ev) {
			x.v.Record.Details["Amount"] = x.v.Record.Details["amount"]
			delete(x.v.Record.Details, "amount")
		}},
		{"details added", func(x ev) { x.v.Record.Details["new"] = "" }},
		{"details removed", func(x ev) { delete(x.v.Record.Details, "court") }},
		{"details nil", func(x ev) { x.v.Record.Details = nil }},
		{"name with invalid UTF-8", func(x ev) { x.v.Record.Subject.Name = "\xff" }},
	}
	e, v := sampleEntry()
	base := EntryVersionLeaf(e.List, e.SourceRef, v)
	seen := map[string]string{string(base): "base"}
	for _, m := range muts {
		e, v := sampleEntry()
		// Deep copies, so that mutations do not leak between cases.
		rec := *v.Record
		rec.Details = maps.Clone(rec.Details)
		rep := *rec.Subject.LegalRep
		rec.Subject.LegalRep = &rep
		v.Record = &rec
		m.f(ev{e, v})
		got := EntryVersionLeaf(e.List, e.SourceRef, v)
		if prev, dup := seen[string(got)]; dup {
			t.Errorf("changing %s gives the same leaf as %s: %s", m.name, prev, got)
		}
		seen[string(got)] = m.name
	}
}

func TestCheckLeafCoversEveryField(t *testing.T) {
	muts := []mutation[*check.Record]{
		{"org", func(c *check.Record) { c.Org = "gy-tax" }},
		{"item", func(c *check.Record) { c.Item = "land_transfer" }},
		{"subject id_type", func(c *check.Record) { c.Subject.IDType = subject.OrgCode }},
		{"subject id", func(c *check.Record) { c.Subject.ID = "91520100MA6DK8XW3Q" }},
		{"subject name", func(c *check.Record) { c.Subject.Name = "" }},
		{"subject key", func(c *check.Record) { c.Key = "uscc:X" }},
		{"operator", func(c *check.Record) { c.Operator = "王五" }},
		{"ref", func(c *check.Record) { c.Ref = "" }},
		{"outcome", func(c *check.Record) { c.Outcome = catalog.Clear }},
		{"hits nil", func(c *check.Record) { c.Hits = nil }},
		{"hit removed", func(c *check.Record) { c.Hits = c.Hits[:1] }},
		{"hits reordered", func(c *check.Record) { c.Hits[0], c.Hits[1] = c.Hits[1], c.Hits[0] }},
		{"hit entry_id", func(c *check.Record) { c.Hits[0].EntryID = "44" }},
		{"hit list", func(c *check.Record) { c.Hits[0].List = "x" }},
		{"hit role", func(c *check.Record) { c.Hits[0].Role = "legal_rep" }},
		{"measure code", func(c *check.Record) { c.Hits[1].Measure.Code = "M08" }},
		{"measure name", func(c *check.Record) { c.Hits[1].Measure.Name = "x" }},
		{"measure action", func(c *check.Record) { c.Hits[1].Measure.Action = catalog.Restrict }},
		{"measure legal_basis", func(c *check.Record) { c.Hits[1].Measure.LegalBasis = "" }},
		{"name_mismatch", func(c *check.Record) { c.NameMismatch = true }},
		{"at", func(c *check.Record) { c.At = c.At.Add(time.Microsecond) }},
	}
	base := CheckLeaf(sampleCheck())
	if !bytes.Equal(base, CheckLeaf(sampleCheck())) {
		t.Fatal("not deterministic")
	}
	seen := map[string]string{string(base): "base"}
	for _, m := range muts {
		c := sampleCheck()
		m.f(c)
		got := CheckLeaf(c)
		if prev, dup := seen[string(got)]; dup {
			t.Errorf("changing %s gives the same leaf as %s: %s", m.name, prev, got)
		}
		seen[string(got)] = m.name
	}
}

func TestFeedbackLeafCoversEveryField(t *testing.T) {
	muts := []mutation[*check.Feedback]{
		{"check_id", func(f *check.Feedback) { f.CheckID = "16" }},
		{"check_id not a number", func(f *check.Feedback) { f.CheckID = "abc" }},
		{"check_id as text", func(f *check.Feedback) { f.CheckID = "17 " }},
		{"org", func(f *check.Feedback) { f.Org = "gy-tax" }},
		{"action", func(f *check.Feedback) { f.Action = check.Allowed }},
		{"note", func(f *check.Feedback) { f.Note = "已暂停办理。" }},
		{"operator", func(f *check.Feedback) { f.Operator = "" }},
		{"at", func(f *check.Feedback) { f.At = f.At.Add(-time.Microsecond) }},
	}
	base := FeedbackLeaf(sampleFeedback())
	seen := map[string]string{string(base): "base"}
	for _, m := range muts {
		f := sampleFeedback()
		m.f(f)
		got := FeedbackLeaf(f)
		if prev, dup := seen[string(got)]; dup {
			t.Errorf("changing %s gives the same leaf as %s: %s", m.name, prev, got)
		}
		seen[string(got)] = m.name
	}
}

func TestOrgLeafCoversEveryFieldButTheToken(t *testing.T) {
	type oc struct {
		o      *org.Org
		change *string
		at     *time.Time
	}
	muts := []mutation[oc]{
		{"code", func(x oc) { x.o.Code = "gy-tax" }},
		{"name", func(x oc) { x.o.Name = "贵阳市税务局" }},
		{"roles", func(x oc) { x.o.Roles = x.o.Roles[:1] }},
		{"roles order", func(x oc) { x.o.Roles[0], x.o.Roles[1] = x.o.Roles[1], x.o.Roles[0] }},
		{"lists", func(x oc) { x.o.Lists = append(x.o.Lists, "red_list") }},
		{"lists nil", func(x oc) { x.o.Lists = nil }},
		{"items", func(x oc) { x.o.Items[1] = "bidding" }},
		{"change", func(x oc) { *x.change = OrgTokenRotated }},
		{"at", func(x oc) { *x.at = x.at.Add(time.Microsecond) }},
	}
	o := sampleOrg()
	base := OrgLeaf(o, OrgCreated, t0)
	for _, secret := range []string{o.TokenHash, o.TokenHash[:16], "token"} {
		if bytes.Contains(base, []byte(secret)) {
			t.Fatalf("OrgLeaf contains %q: %s", secret, base)
		}
	}
	o.TokenHash = org.HashToken("cx_another")
	if !bytes.Equal(OrgLeaf(o, OrgCreated, t0), base) {
		t.Error("the token hash changes the leaf")
	}
	seen := map[string]string{string(base): "base"}
	for _, m := range muts {
		o := sampleOrg()
		change, at := OrgCreated, t0
		m.f(oc{o, &change, &at})
		got := OrgLeaf(o, change, at)
		if prev, dup := seen[string(got)]; dup {
			t.Errorf("changing %s gives the same leaf as %s: %s", m.name, prev, got)
		}
		seen[string(got)] = m.name
	}
}

// Valid text is encoded exactly as encoding/json encodes it (without HTML
// escaping); text that is not UTF-8 is encoded injectively.
func TestTextEncoding(t *testing.T) {
	var all strings.Builder
	for c := rune(0); c < 0x80; c++ {
		all.WriteRune(c)
	}
	valid := []string{"", "abc", all.String(), "诚信 联合奖惩", "emoji 😀", "\u2028\u2029", "\ufffd", `\ufffd`, "<>&'\"\\/", "\x7f", "é\u00a0\u200b"}
	for _, s := range valid {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		want := strings.TrimSuffix(buf.String(), "\n")
		if got := string(appendText(nil, s)); got != want {
			t.Errorf("appendText(%q) = %s, encoding/json gives %s", s, got, want)
		}
		var back string
		if err := json.Unmarshal(appendText(nil, s), &back); err != nil || back != s {
			t.Errorf("appendText(%q) decodes to %q, %v", s, back, err)
		}
	}
	distinct := []string{"\xff", "\xfe", "\ufffd", "a\xffb", "a\xfeb", "a\ufffdb", `a\udcffb`, "\xc3", "\xc3\x28", "\xed\xa0\x80", "\xf0\x9f\x98"}
	seen := map[string]string{}
	for _, s := range distinct {
		enc := string(appendText(nil, s))
		if !json.Valid([]byte(enc)) {
			t.Errorf("appendText(%q) = %s is not JSON", s, enc)
		}
		if prev, dup := seen[enc]; dup {
			t.Errorf("appendText(%q) = appendText(%q) = %s", s, prev, enc)
		}
		seen[enc] = s
	}
	if got := string(appendText(nil, "a\xffb")); got != `"a\udcffb"` {
		t.Errorf("invalid byte encoded as %s", got)
	}
}
