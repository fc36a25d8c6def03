package catalog

import (
	"slices"
	"strings"
	"testing"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/subject"
)

func defaultCatalog(t *testing.T) *Catalog {
	t.Helper()
	c, err := Parse(DefaultYAML())
	if err != nil {
		t.Fatalf("the shipped catalog does not parse: %v", err)
	}
	return c
}

func TestDefaultCounts(t *testing.T) {
	c := defaultCatalog(t)
	if c.Version != "2026.11-1" {
		t.Errorf("version = %q, want 2026.11-1", c.Version)
	}
	used := map[string]bool{}
	for _, it := range c.Items {
		used[it.Department] = true
	}
	for _, tc := range []struct {
		what     string
		got, min int
	}{
		{"lists", len(c.Lists), 10},
		{"measures", len(c.Measures), 36},
		{"departments", len(c.Departments), 24},
		{"items", len(c.Items), 55},
		{"departments used by items", len(used), 20},
	} {
		if tc.got < tc.min {
			t.Errorf("%s: %d, want at least %d", tc.what, tc.got, tc.min)
		}
	}
}

func TestDefaultRequiredCodes(t *testing.T) {
	c := defaultCatalog(t)
	if l := c.List("court.dishonest"); l == nil {
		t.Fatal("list court.dishonest is missing")
	} else if l.Kind != Black || l.MinAge != 18 || l.TermMonths != 0 ||
		!Has(l.SubjectKinds, subject.Person) || !Has(l.SubjectKinds, subject.Org) {
		t.Errorf("court.dishonest = %+v", *l)
	}
	for _, tc := range []struct {
		item, dept, measure string
	}{
		{"real_estate.transfer", "natural_resources", "consumption.real_estate"},
		{"civil_aviation.ticket", "civil_aviation", "consumption.flight"},
		{"railway.ticket", "railway", "consumption.train_high_class"},
		{"public_bidding.bid", "public_resources", "bidding.ban"},
		{"private_school.enrol", "education", "consumption.private_school"},
		{"civil_service.recruit", "hr", "civil_service.ban"},
	} {
		it := c.Item(tc.item)
		if it == nil {
			t.Errorf("item %s is missing", tc.item)
			continue
		}
		if it.Department != tc.dept {
			t.Errorf("item %s: department %s, want %s", tc.item, it.Department, tc.dept)
		}
		if !slices.Contains(it.Measures, tc.measure) {
			t.Errorf("item %s: measures %v lack %s", tc.item, it.Measures, tc.measure)
		}
		if !slices.Contains(c.ListsOfItem(tc.item), "court.dishonest") {
			t.Errorf("item %s: lists %v lack court.dishonest", tc.item, c.ListsOfItem(tc.item))
		}
	}
}

func TestDefaultConsumptionRestrictions(t *testing.T) {
	c := defaultCatalog(t)
	for _, code := range []string{
		"consumption.flight", "consumption.train_high_class", "consumption.star_hotel",
		"consumption.real_estate", "consumption.office_rental", "consumption.vehicle",
		"consumption.travel", "consumption.private_school", "consumption.insurance",
	} {
		m := c.Measure(code)
		if m == nil {
			t.Errorf("measure %s is missing", code)
			continue
		}
		if m.Action != Block {
			t.Errorf("%s: action %s, want block", code, m.Action)
		}
		for _, l := range []string{"court.dishonest", "court.consumption_restricted"} {
			if !slices.Contains(m.Lists, l) {
				t.Errorf("%s: not triggered by %s (lists %v)", code, l, m.Lists)
			}
		}
		// 法释〔2015〕17号第三条第二款: an organisation debtor's legal representative is restricted too.
		if !m.ReachesLegalRep {
			t.Errorf("%s: does not reach the legal representative", code)
		}
		if !strings.Contains(m.LegalBasis, "法释〔2015〕17号") {
			t.Errorf("%s: legal basis %q does not cite 法释〔2015〕17号", code, m.LegalBasis)
		}
	}
	if f := c.Measure("consumption.flight"); f != nil && (Has(f.SubjectKinds, subject.Org) || !Has(f.SubjectKinds, subject.Person)) {
		t.Errorf("consumption.flight subject kinds %v, want [person]", f.SubjectKinds)
	}
}

func TestDefaultConsistency(t *testing.T) {
	c := defaultCatalog(t)
	for _, l := range c.Lists {
		if l.NameEN == "" || l.Source == "" || l.LegalBasis == "" {
			t.Errorf("list %s lacks name_en, source or legal_basis", l.Code)
		}
	}
	for _, m := range c.Measures {
		if m.NameEN == "" || m.ImplementingBody == "" || m.Memorandum == "" {
			t.Errorf("measure %s lacks name_en, implementing_body or memorandum", m.Code)
		}
		for _, l := range m.Lists {
			// a measure must be able to reach someone the list can hold
			if !slices.ContainsFunc(m.SubjectKinds, func(k subject.Kind) bool { return Has(c.List(l).SubjectKinds, k) }) &&
				!(m.ReachesLegalRep && Has(c.List(l).SubjectKinds, subject.Org)) {
				t.Errorf("measure %s can never apply to an entry of %s", m.Code, l)
			}
		}
	}
	for _, d := range c.Departments {
		if d.NameEN == "" {
			t.Errorf("department %s lacks name_en", d.Code)
		}
	}
	for _, it := range c.Items {
		if it.NameEN == "" {
			t.Errorf("item %s lacks name_en", it.Code)
		}
		if len(it.Measures) == 0 {
			t.Errorf("item %s is bound to no measure", it.Code)
		}
		for _, m := range it.Measures {
			if c.Measure(m) == nil {
				t.Errorf("item %s: measure %s does not resolve", it.Code, m)
			}
		}
	}
	// a train ticket is not a flight, and the tolerance item exercises both paths
	for _, tc := range []struct {
		item, measure string
		want          bool
	}{
		{"railway.ticket", "consumption.flight", false},
		{"civil_aviation.ticket", "consumption.train_high_class", false},
		{"admin_approval.tolerance", "incentive.tolerance", true},
		{"admin_approval.tolerance", "approval.no_commitment", true},
	} {
		if got := slices.Contains(c.Item(tc.item).Measures, tc.measure); got != tc.want {
			t.Errorf("item %s binds %s: %v, want %v", tc.item, tc.measure, got, tc.want)
		}
	}
	var incentive, punishment bool
	for _, m := range c.Item("admin_approval.tolerance").Measures {
		if c.Measure(m).Action == Incentive {
			incentive = true
		} else {
			punishment = true
		}
	}
	if !incentive || !punishment {
		t.Errorf("admin_approval.tolerance: incentive %v, punishment %v; want both", incentive, punishment)
	}
}

func TestListsOfItem(t *testing.T) {
	c := defaultCatalog(t)
	if got := c.ListsOfItem("real_estate.transfer"); !slices.Contains(got, "court.dishonest") {
		t.Errorf("ListsOfItem(real_estate.transfer) = %v, want court.dishonest among them", got)
	}
	if got := c.ListsOfItem("no.such_item"); got != nil {
		t.Errorf("ListsOfItem(unknown) = %v, want nil", got)
	}
	got := c.ListsOfItem("admin_approval.tolerance")
	for _, l := range []string{"tax.a_grade", "court.dishonest"} {
		if !slices.Contains(got, l) {
			t.Errorf("ListsOfItem(admin_approval.tolerance) = %v, want %s among them", got, l)
		}
	}
}

// base is the smallest valid catalog; each invalid case changes one thing.
const base = `version: "t"
lists:
  - code: court.dishonest
    name: 失信被执行人名单
    kind: black
    source: 人民法院
    subject_kinds: [person, org]
    term_months: 24
    legal_basis: 法释〔2017〕7号
  - code: tax.a_grade
    name: 纳税信用A级纳税人
    kind: red
    source: 税务机关
    subject_kinds: [org]
    term_months: 12
    legal_basis: 纳税信用管理办法
measures:
  - code: consumption.flight
    name: 限制乘坐飞机
    action: block
    legal_basis: 法释〔2015〕17号第三条
    lists: [court.dishonest]
    subject_kinds: [person]
    reaches_legal_rep: true
    implementing_body: 民航
departments:
  - code: civil_aviation
    name: 民航
items:
  - code: civil_aviation.ticket
    name: 民航购票
    department: civil_aviation
    measures: [consumption.flight]
`

func TestParseBase(t *testing.T) {
	c, err := Parse([]byte(base))
	if err != nil {
		t.Fatalf("base catalog: %v", err)
	}
	if got := c.ListsOfItem("civil_aviation.ticket"); !slices.Equal(got, []string{"court.dishonest"}) {
		t.Errorf("ListsOfItem = %v", got)
	}
}

func TestParseInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		field          string
		code           string
		// mention is a word the English message must contain
		mention string
	}{
		{"unknown key", "    term_months: 24\n", "    term_months: 24\n    colour: red\n",
			"catalog", "bad_yaml", "colour"},
		{"unknown list in a measure", "    lists: [court.dishonest]\n", "    lists: [court.nobody]\n",
			"measures[0].lists[0]", "invalid_catalog", "court.nobody"},
		{"measure without legal basis", "    legal_basis: 法释〔2015〕17号第三条\n", "",
			"measures[0].legal_basis", "invalid_catalog", "legal basis"},
		{"blank legal basis", "    legal_basis: 法释〔2015〕17号第三条\n", "    legal_basis: \"  \"\n",
			"measures[0].legal_basis", "invalid_catalog", "legal basis"},
		{"incentive triggered by a black list", "    action: block\n", "    action: incentive\n",
			"measures[0].lists[0]", "invalid_catalog", "incentives"},
		{"punishment triggered by a red list", "    lists: [court.dishonest]\n", "    lists: [court.dishonest, tax.a_grade]\n",
			"measures[0].lists[1]", "invalid_catalog", "red lists"},
		{"duplicate list code", "  - code: tax.a_grade\n", "  - code: court.dishonest\n",
			"lists[1].code", "invalid_catalog", "duplicate"},
		{"item with unknown department", "    department: civil_aviation\n", "    department: airport\n",
			"items[0].department", "invalid_catalog", "airport"},
		{"item with unknown measure", "    measures: [consumption.flight]\n", "    measures: [consumption.yacht]\n",
			"items[0].measures[0]", "invalid_catalog", "consumption.yacht"},
		{"bad action", "    action: block\n", "    action: forbid\n",
			"measures[0].action", "invalid_catalog", "action"},
		{"clear is not a measure action", "    action: block\n", "    action: clear\n",
			"measures[0].action", "invalid_catalog", "action"},
		{"bad list kind", "    kind: black\n", "    kind: grey\n",
			"lists[0].kind", "invalid_catalog", "kind"},
		{"bad subject kind", "    subject_kinds: [person]\n", "    subject_kinds: [company]\n",
			"measures[0].subject_kinds", "invalid_catalog", "subject kind"},
		{"measure without lists", "    lists: [court.dishonest]\n", "",
			"measures[0].lists", "invalid_catalog", "triggering list"},
		{"bad code", "  - code: civil_aviation\n", "  - code: Civil-Aviation\n",
			"departments[0].code", "invalid_catalog", "code"},
		{"missing version", "version: \"t\"\n", "",
			"version", "invalid_catalog", "version"},
		{"negative term", "    term_months: 12\n", "    term_months: -1\n",
			"lists[1].term_months", "invalid_catalog", "negative"},
		{"list named twice in a measure", "    lists: [court.dishonest]\n", "    lists: [court.dishonest, court.dishonest]\n",
			"measures[0].lists[1]", "invalid_catalog", "twice"},
		{"item without measures", "    measures: [consumption.flight]\n", "    measures: []\n",
			"items[0].measures", "invalid_catalog", "at least one measure"},
		{"a second YAML document", "    measures: [consumption.flight]\n", "    measures: [consumption.flight]\n---\nx: 1\n",
			"catalog", "bad_yaml", "single"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("base has no %q", tc.old)
			}
			_, err := Parse([]byte(strings.Replace(base, tc.old, tc.new, 1)))
			if err == nil {
				t.Fatal("accepted")
			}
			e := chengxin.AsError(err)
			if e.Kind != chengxin.KindInvalid || e.Field != tc.field || e.Code != tc.code {
				t.Errorf("got kind %s, field %q, code %s; want invalid, %q, %s (%v)",
					e.Kind, e.Field, e.Code, tc.field, tc.code, err)
			}
			if !strings.Contains(e.EN, tc.mention) {
				t.Errorf("message %q does not mention %q", e.EN, tc.mention)
			}
			if e.ZH == "" {
				t.Error("no Chinese message")
			}
		})
	}
}
