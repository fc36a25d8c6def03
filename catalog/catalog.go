// Package catalog is the data that decides what a hit means: the lists
// (blacklists and red lists), the measures each list triggers with their
// legal basis, and the departments' business items bound to measures.
// The catalog is data (YAML), shipped embedded and replaceable by an admin.
package catalog

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/subject"
)

//go:embed catalog.yaml
var defaultYAML []byte

// DefaultYAML is the catalog the project ships.
func DefaultYAML() []byte { return defaultYAML }

// ListKind says what being on a list means.
type ListKind string

const (
	Black ListKind = "black"
	Red   ListKind = "red"
	Watch ListKind = "watch"
)

// Action is what a measure tells a department to do. Their order is their
// strength: a check's outcome is the strongest action among its hits.
type Action string

const (
	Clear     Action = "clear"
	Incentive Action = "incentive"
	Warn      Action = "warn"
	Restrict  Action = "restrict"
	Block     Action = "block"
)

// Strength orders actions; an unknown action is 0.
func (a Action) Strength() int {
	switch a {
	case Incentive:
		return 1
	case Warn:
		return 2
	case Restrict:
		return 3
	case Block:
		return 4
	}
	return 0
}

// List is a named register kept by a source.
type List struct {
	Code         string         `yaml:"code" json:"code"`
	Name         string         `yaml:"name" json:"name"`
	NameEN       string         `yaml:"name_en" json:"name_en"`
	Kind         ListKind       `yaml:"kind" json:"kind"`
	Source       string         `yaml:"source" json:"source"`
	SubjectKinds []subject.Kind `yaml:"subject_kinds" json:"subject_kinds"`
	// TermMonths is the default term; 0 means no fixed term.
	TermMonths int    `yaml:"term_months" json:"term_months"`
	LegalBasis string `yaml:"legal_basis" json:"legal_basis"`
	// MinAge bars persons younger than this from the list (court.dishonest: 18).
	MinAge int `yaml:"min_age,omitempty" json:"min_age,omitempty"`
}

// Measure is one punishment or reward with the law that allows it.
type Measure struct {
	Code             string         `yaml:"code" json:"code"`
	Name             string         `yaml:"name" json:"name"`
	NameEN           string         `yaml:"name_en" json:"name_en"`
	Action           Action         `yaml:"action" json:"action"`
	LegalBasis       string         `yaml:"legal_basis" json:"legal_basis"`
	Memorandum       string         `yaml:"memorandum" json:"memorandum"`
	Lists            []string       `yaml:"lists" json:"lists"`
	SubjectKinds     []subject.Kind `yaml:"subject_kinds" json:"subject_kinds"`
	ReachesLegalRep  bool           `yaml:"reaches_legal_rep" json:"reaches_legal_rep"`
	ImplementingBody string         `yaml:"implementing_body" json:"implementing_body"`
}

// Department is a kind of body that holds business items.
type Department struct {
	Code   string `yaml:"code" json:"code"`
	Name   string `yaml:"name" json:"name"`
	NameEN string `yaml:"name_en" json:"name_en"`
}

// Item is a department's business item (事项), bound to measures.
type Item struct {
	Code       string   `yaml:"code" json:"code"`
	Name       string   `yaml:"name" json:"name"`
	NameEN     string   `yaml:"name_en" json:"name_en"`
	Department string   `yaml:"department" json:"department"`
	Measures   []string `yaml:"measures" json:"measures"`
}

// Catalog is one validated version of the whole catalog.
type Catalog struct {
	Version     string       `yaml:"version" json:"version"`
	Lists       []List       `yaml:"lists" json:"lists"`
	Measures    []Measure    `yaml:"measures" json:"measures"`
	Departments []Department `yaml:"departments" json:"departments"`
	Items       []Item       `yaml:"items" json:"items"`

	lists    map[string]*List
	measures map[string]*Measure
	depts    map[string]*Department
	items    map[string]*Item
}

// List returns the list with code, or nil.
func (c *Catalog) List(code string) *List { return c.lists[code] }

// Measure returns the measure with code, or nil.
func (c *Catalog) Measure(code string) *Measure { return c.measures[code] }

// Item returns the item with code, or nil.
func (c *Catalog) Item(code string) *Item { return c.items[code] }

// Department returns the department with code, or nil.
func (c *Catalog) Department(code string) *Department { return c.depts[code] }

// ListsOfItem returns the codes of the lists whose entries an item's measures
// act on: what a department holding the item needs to see.
func (c *Catalog) ListsOfItem(item string) []string {
	it := c.items[item]
	if it == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, m := range it.Measures {
		for _, l := range c.measures[m].Lists {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out
}

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$`)

// Parse reads and validates a catalog. Every reference must resolve and every
// measure must cite its legal basis (国办发〔2020〕49号: no measure without one).
func Parse(data []byte) (*Catalog, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Catalog
	if err := dec.Decode(&c); err != nil {
		return nil, chengxin.Invalid("catalog", "bad_yaml",
			"目录文件无法解析："+err.Error(), "catalog cannot be parsed: "+err.Error())
	}
	var extra any
	if dec.Decode(&extra) != io.EOF {
		return nil, chengxin.Invalid("catalog", "bad_yaml", "目录文件只能包含一个 YAML 文档", "the catalog must be a single YAML document")
	}
	if err := c.index(); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Catalog) index() error {
	if strings.TrimSpace(c.Version) == "" {
		return invalid("version", "缺少版本号", "version is missing")
	}
	c.lists = make(map[string]*List, len(c.Lists))
	for i := range c.Lists {
		l := &c.Lists[i]
		f := fmt.Sprintf("lists[%d]", i)
		if err := checkCode(f, l.Code, c.lists[l.Code] != nil); err != nil {
			return err
		}
		if l.Name == "" {
			return invalid(f+".name", "名单缺少名称", "list has no name")
		}
		if l.Kind != Black && l.Kind != Red && l.Kind != Watch {
			return invalid(f+".kind", "名单类型须为 black、red 或 watch", "kind must be black, red or watch")
		}
		if err := checkKinds(f+".subject_kinds", l.SubjectKinds); err != nil {
			return err
		}
		if l.TermMonths < 0 {
			return invalid(f+".term_months", "期限不能为负数", "term_months cannot be negative")
		}
		if l.MinAge < 0 {
			return invalid(f+".min_age", "最低年龄不能为负数", "min_age cannot be negative")
		}
		c.lists[l.Code] = l
	}
	c.measures = make(map[string]*Measure, len(c.Measures))
	for i := range c.Measures {
		m := &c.Measures[i]
		f := fmt.Sprintf("measures[%d]", i)
		if err := checkCode(f, m.Code, c.measures[m.Code] != nil); err != nil {
			return err
		}
		if m.Name == "" {
			return invalid(f+".name", "措施缺少名称", "measure has no name")
		}
		if m.Action.Strength() == 0 {
			return invalid(f+".action", "措施动作须为 block、restrict、warn 或 incentive", "action must be block, restrict, warn or incentive")
		}
		if strings.TrimSpace(m.LegalBasis) == "" {
			return invalid(f+".legal_basis", "措施必须载明法律依据", "a measure must cite its legal basis")
		}
		if len(m.Lists) == 0 {
			return invalid(f+".lists", "措施至少由一个名单触发", "a measure needs at least one triggering list")
		}
		if err := noDuplicates(f+".lists", m.Lists); err != nil {
			return err
		}
		for j, l := range m.Lists {
			list := c.lists[l]
			if list == nil {
				return invalid(fmt.Sprintf("%s.lists[%d]", f, j), "未知名单："+l, "unknown list: "+l)
			}
			if (list.Kind == Red) != (m.Action == Incentive) {
				return invalid(fmt.Sprintf("%s.lists[%d]", f, j), "激励措施只能由红名单触发，惩戒措施只能由黑名单或关注名单触发",
					"incentives are triggered by red lists only, punishments by black or watch lists only")
			}
		}
		if err := checkKinds(f+".subject_kinds", m.SubjectKinds); err != nil {
			return err
		}
		c.measures[m.Code] = m
	}
	c.depts = make(map[string]*Department, len(c.Departments))
	for i := range c.Departments {
		d := &c.Departments[i]
		f := fmt.Sprintf("departments[%d]", i)
		if err := checkCode(f, d.Code, c.depts[d.Code] != nil); err != nil {
			return err
		}
		if d.Name == "" {
			return invalid(f+".name", "部门缺少名称", "department has no name")
		}
		c.depts[d.Code] = d
	}
	c.items = make(map[string]*Item, len(c.Items))
	for i := range c.Items {
		it := &c.Items[i]
		f := fmt.Sprintf("items[%d]", i)
		if err := checkCode(f, it.Code, c.items[it.Code] != nil); err != nil {
			return err
		}
		if it.Name == "" {
			return invalid(f+".name", "事项缺少名称", "item has no name")
		}
		if c.depts[it.Department] == nil {
			return invalid(f+".department", "未知部门："+it.Department, "unknown department: "+it.Department)
		}
		if len(it.Measures) == 0 {
			return invalid(f+".measures", "事项至少绑定一项措施", "an item needs at least one measure")
		}
		if err := noDuplicates(f+".measures", it.Measures); err != nil {
			return err
		}
		for j, m := range it.Measures {
			if c.measures[m] == nil {
				return invalid(fmt.Sprintf("%s.measures[%d]", f, j), "未知措施："+m, "unknown measure: "+m)
			}
		}
		c.items[it.Code] = it
	}
	return nil
}

func checkCode(field, code string, taken bool) error {
	if !codePattern.MatchString(code) {
		return invalid(field+".code", "代码须为小写字母、数字、下划线和点："+code, "code must be lower-case letters, digits, '_' and '.': "+code)
	}
	if taken {
		return invalid(field+".code", "代码重复："+code, "duplicate code: "+code)
	}
	return nil
}

func noDuplicates(field string, codes []string) error {
	seen := make(map[string]bool, len(codes))
	for i, c := range codes {
		if seen[c] {
			return invalid(fmt.Sprintf("%s[%d]", field, i), "重复引用："+c, "listed twice: "+c)
		}
		seen[c] = true
	}
	return nil
}

func checkKinds(field string, kinds []subject.Kind) error {
	if len(kinds) == 0 {
		return invalid(field, "至少列出一种主体类型（person、org）", "name at least one subject kind (person, org)")
	}
	for _, k := range kinds {
		if k != subject.Person && k != subject.Org {
			return invalid(field, "主体类型须为 person 或 org", "subject kind must be person or org")
		}
	}
	return nil
}

func invalid(field, zh, en string) error {
	return chengxin.Invalid(field, "invalid_catalog", zh, en)
}

// Has reports whether kinds contains k.
func Has(kinds []subject.Kind, k subject.Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}
