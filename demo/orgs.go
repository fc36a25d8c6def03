package demo

import (
	"slices"
	"strings"

	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/org"
)

// DepartmentCount is how many Guiyang departments the platform connects
// (贵阳市失信被执行人联合惩戒云平台: 全市36个职能部门).
const DepartmentCount = 36

// source is a publishing body and the list-code prefixes it keeps.
type sourceTmpl struct {
	code, name string
	prefixes   []string
}

var sourceTmpls = []sourceTmpl{
	{"gz-court", "贵州省高级人民法院", []string{"court"}},
	{"gz-tax", "国家税务总局贵州省税务局", []string{"tax"}},
	{"gz-market", "贵州省市场监督管理局", []string{"market"}},
	{"gz-procurement", "贵州省财政厅", []string{"procurement"}},
	{"gy-customs", "贵阳海关", []string{"customs"}},
	{"gz-emergency", "贵州省应急管理厅", []string{"safety"}},
	{"gz-hrss", "贵州省人力资源和社会保障厅", []string{"labor"}},
}

// deptTmpl is one Guiyang body connected to the platform. items nil means
// every item of the catalog department dept; extra are items of other
// departments it also handles.
type deptTmpl struct {
	code, name string
	dept       string
	items      []string
	extra      []string
	prefix     string // its business numbers: BDC-2026-000123
	window     string // how its operators are named: 窗口03
	reserve    bool   // only used to make up the number
}

var deptTmpls = []deptTmpl{
	{code: "gy-natural-resources", name: "贵阳市自然资源和规划局（贵阳市不动产登记中心）", dept: "natural_resources", prefix: "BDC", window: "窗口"},
	{code: "gy-wudang-bdc", name: "贵阳市乌当区不动产登记中心", dept: "natural_resources", items: []string{"real_estate.transfer", "real_estate.first_registration"}, prefix: "WDBDC", window: "窗口"},
	{code: "gy-yunyan-bdc", name: "贵阳市云岩区不动产登记中心", dept: "natural_resources", items: []string{"real_estate.transfer", "real_estate.first_registration"}, prefix: "YYBDC", window: "窗口"},
	{code: "gy-housing", name: "贵阳市住房和城乡建设局", dept: "housing", prefix: "ZJ", window: "窗口"},
	{code: "gy-public-resources", name: "贵阳市公共资源交易中心", dept: "public_resources", prefix: "GGZY", window: "受理岗"},
	{code: "gy-finance", name: "贵阳市财政局", dept: "finance", prefix: "CZ", window: "窗口"},
	{code: "gy-ndrc", name: "贵阳市发展和改革委员会", dept: "development_reform", prefix: "FGTZ", window: "审批岗"},
	{code: "gy-education", name: "贵阳市教育局", dept: "education", prefix: "JY", window: "学籍岗"},
	{code: "gy-hr", name: "贵阳市人力资源和社会保障局", dept: "hr", prefix: "RS", window: "窗口"},
	{code: "gy-organization", name: "中共贵阳市委组织部", dept: "organization", extra: []string{"civil_service.recruit"}, prefix: "ZZ", window: "考察组"},
	{code: "gy-airport", name: "贵阳龙洞堡国际机场", dept: "civil_aviation", prefix: "KWE", window: "值机柜台"},
	{code: "gy-airline", name: "中国南方航空股份有限公司贵州分公司", dept: "civil_aviation", prefix: "CZ3", window: "售票柜台"},
	{code: "gy-railway", name: "中国铁路成都局集团有限公司贵阳车务段", dept: "railway", prefix: "E", window: "售票窗口"},
	{code: "gy-railway-north", name: "中国铁路成都局集团有限公司贵阳北站", dept: "railway", prefix: "E", window: "售票窗口"},
	{code: "gy-transport", name: "贵阳市交通委员会", dept: "transport", prefix: "JT", window: "窗口"},
	{code: "gy-culture-tourism", name: "贵阳市文化和旅游局", dept: "culture_tourism", prefix: "WL", window: "窗口"},
	{code: "gy-traffic-police", name: "贵阳市公安局交通管理局（车辆管理所）", dept: "public_security", items: []string{"vehicle.registration"}, prefix: "CGS", window: "窗口"},
	{code: "gy-exit-entry", name: "贵阳市公安局出入境管理支队", dept: "public_security", items: []string{"exit_entry.passport"}, prefix: "CRJ", window: "窗口"},
	{code: "gy-border", name: "贵阳出入境边防检查站", dept: "immigration", prefix: "BJ", window: "查验台"},
	{code: "gy-market", name: "贵阳市市场监督管理局", dept: "market", prefix: "SJ", window: "窗口"},
	{code: "gy-tax", name: "国家税务总局贵阳市税务局", dept: "tax", prefix: "SW", window: "办税窗口"},
	{code: "gy-customs-airport", name: "龙洞堡机场海关", dept: "customs", prefix: "HG", window: "通关岗"},
	{code: "gy-commerce", name: "贵阳市商务局", dept: "commerce", prefix: "SWJ", window: "窗口"},
	{code: "gy-sasac", name: "贵阳市人民政府国有资产监督管理委员会", dept: "sasac", prefix: "GZW", window: "干部科"},
	{code: "gy-establishment", name: "中共贵阳市委机构编制委员会办公室", dept: "establishment", prefix: "BB", window: "登记岗"},
	{code: "gy-financial-regulation", name: "国家金融监督管理总局贵州监管局", dept: "banking", items: []string{"banking.shareholder"}, prefix: "JRJG", window: "审查岗"},
	{code: "gy-bank", name: "贵阳银行股份有限公司", dept: "banking", items: []string{"banking.loan"}, prefix: "GYB", window: "信贷岗"},
	{code: "gy-insurer", name: "中国人民保险集团股份有限公司贵阳市分公司", dept: "banking", items: []string{"insurance.wealth_product", "insurance.safety_liability"}, prefix: "PICC", window: "承保岗"},
	{code: "gy-securities", name: "中国证券监督管理委员会贵州监管局", dept: "securities", prefix: "ZJJ", window: "审查岗"},
	{code: "gy-emergency", name: "贵阳市应急管理局", dept: "emergency", prefix: "YJ", window: "窗口"},
	{code: "gy-ecology", name: "贵阳市生态环境局", dept: "ecology", prefix: "HB", window: "窗口"},
	{code: "gy-civil-affairs", name: "贵阳市民政局", dept: "civil_affairs", prefix: "MZ", window: "窗口"},
	{code: "gy-health", name: "贵阳市卫生健康委员会", dept: "health", prefix: "WJ", window: "窗口"},
	{code: "gy-industry", name: "贵阳市工业和信息化局", dept: "industry", prefix: "GX", window: "窗口"},
	{code: "gy-civilization", name: "贵阳市精神文明建设委员会办公室", dept: "civilization", prefix: "WM", window: "评审组"},
	{code: "gy-government-services", name: "贵阳市政务服务中心", dept: "government_services", prefix: "ZW", window: "综合窗口"},
	// Reserves: used only if the catalog leaves the count short of 36.
	{code: "gy-nanming-bdc", name: "贵阳市南明区不动产登记中心", dept: "natural_resources", items: []string{"real_estate.transfer", "real_estate.first_registration"}, prefix: "NMBDC", window: "窗口", reserve: true},
	{code: "gy-guanshanhu-bdc", name: "贵阳市观山湖区不动产登记中心", dept: "natural_resources", items: []string{"real_estate.transfer", "real_estate.first_registration"}, prefix: "GSHBDC", window: "窗口", reserve: true},
	{code: "gy-huaxi-bdc", name: "贵阳市花溪区不动产登记中心", dept: "natural_resources", items: []string{"real_estate.transfer", "real_estate.first_registration"}, prefix: "HXBDC", window: "窗口", reserve: true},
	{code: "gy-baiyun-bdc", name: "贵阳市白云区不动产登记中心", dept: "natural_resources", items: []string{"real_estate.transfer", "real_estate.first_registration"}, prefix: "BYBDC", window: "窗口", reserve: true},
	{code: "gy-qingzhen-bdc", name: "清镇市不动产登记中心", dept: "natural_resources", items: []string{"real_estate.transfer", "real_estate.first_registration"}, prefix: "QZBDC", window: "窗口", reserve: true},
	{code: "gy-yunyan-market", name: "贵阳市云岩区市场监督管理局", dept: "market", prefix: "YYSJ", window: "窗口", reserve: true},
	{code: "gy-nanming-market", name: "贵阳市南明区市场监督管理局", dept: "market", prefix: "NMSJ", window: "窗口", reserve: true},
	{code: "gy-guanshanhu-gov-services", name: "贵阳市观山湖区政务服务中心", dept: "government_services", prefix: "GSHZW", window: "综合窗口", reserve: true},
}

var supervisorTmpls = []struct{ code, name string }{
	{"gy-credit-office", "贵阳市社会信用体系建设领导小组办公室（市发展和改革委员会）"},
	{"gy-court-enforcement", "贵阳市中级人民法院执行局"},
	{"gz-court-enforcement", "贵州省高级人民法院执行局"},
}

// deptInfo is what checks need to know about a department beyond its Org.
type deptInfo struct {
	prefix, window string
}

// buildSources gives every catalog list exactly one source.
func buildSources(cat *catalog.Catalog) []*Org {
	var out []*Org
	byCode := map[string]*Org{}
	get := func(code, name string) *Org {
		if o := byCode[code]; o != nil {
			return o
		}
		o := &Org{Org: org.Org{Code: code, Name: name, Roles: []org.Role{org.Source}}}
		byCode[code] = o
		out = append(out, o)
		return o
	}
	// Known sources first, in a fixed order, then the others as lists need them.
	for _, t := range sourceTmpls {
		for _, l := range cat.Lists {
			if slices.Contains(t.prefixes, listPrefix(l.Code)) {
				o := get(t.code, t.name)
				o.Org.Lists = append(o.Org.Lists, l.Code)
			}
		}
	}
	for _, l := range cat.Lists {
		if sourceOf(out, l.Code) != nil {
			continue
		}
		p := listPrefix(l.Code)
		name := "贵州省" + strings.TrimSuffix(l.Source, "部门")
		if l.Source == "" {
			name = "贵州省" + l.Name + "发布单位"
		}
		o := get("gz-"+strings.ReplaceAll(p, "_", "-"), name)
		o.Org.Lists = append(o.Org.Lists, l.Code)
	}
	return out
}

func listPrefix(code string) string {
	if i := strings.IndexByte(code, '.'); i >= 0 {
		return code[:i]
	}
	return code
}

func sourceOf(srcs []*Org, list string) *Org {
	for _, o := range srcs {
		if slices.Contains(o.Org.Lists, list) {
			return o
		}
	}
	return nil
}

// buildDepartments makes exactly DepartmentCount department organisations
// that together hold every item of the catalog.
func buildDepartments(cat *catalog.Catalog) ([]*Org, map[string]deptInfo) {
	type cand struct {
		o       *Org
		info    deptInfo
		reserve bool
	}
	itemsOf := func(dept string) []string {
		var out []string
		for _, it := range cat.Items {
			if it.Department == dept {
				out = append(out, it.Code)
			}
		}
		return out
	}
	var cands []cand
	haveDept := map[string]bool{}
	for _, t := range deptTmpls {
		var items []string
		if t.items == nil {
			items = itemsOf(t.dept)
		} else {
			for _, c := range t.items {
				if cat.Item(c) != nil {
					items = append(items, c)
				}
			}
		}
		for _, c := range t.extra {
			if cat.Item(c) != nil && !slices.Contains(items, c) {
				items = append(items, c)
			}
		}
		if len(items) == 0 {
			continue
		}
		if !t.reserve {
			haveDept[t.dept] = true
		}
		cands = append(cands, cand{o: &Org{Org: org.Org{Code: t.code, Name: t.name, Roles: []org.Role{org.Department}, Items: items}},
			info: deptInfo{t.prefix, t.window}, reserve: t.reserve})
	}
	// Catalog departments no template covers get a body of their own.
	for _, d := range cat.Departments {
		if haveDept[d.Code] {
			continue
		}
		items := itemsOf(d.Code)
		if len(items) == 0 {
			continue
		}
		code := "gy-" + strings.ReplaceAll(strings.ReplaceAll(d.Code, "_", "-"), ".", "-")
		prefix := strings.ToUpper(strings.NewReplacer("_", "", ".", "").Replace(d.Code))
		cands = append(cands, cand{o: &Org{Org: org.Org{Code: code, Name: "贵阳市" + d.Name, Roles: []org.Role{org.Department}, Items: items}},
			info: deptInfo{prefix[:min(4, len(prefix))], "窗口"}})
	}
	// Pick the primaries, then reserves up to the count.
	var out []*Org
	info := map[string]deptInfo{}
	for _, c := range cands {
		if !c.reserve {
			out = append(out, c.o)
			info[c.o.Org.Code] = c.info
		}
	}
	for _, c := range cands {
		if c.reserve && len(out) < DepartmentCount {
			out = append(out, c.o)
			info[c.o.Org.Code] = c.info
		}
	}
	// Items nobody holds yet (a template naming its items explicitly while the
	// catalog added one) go to the first body of their department, or the last.
	held := map[string]bool{}
	for _, o := range out {
		for _, it := range o.Org.Items {
			held[it] = true
		}
	}
	for _, it := range cat.Items {
		if held[it.Code] {
			continue
		}
		target := out[len(out)-1]
		for _, o := range out {
			if deptOf(cat, o) == it.Department {
				target = o
				break
			}
		}
		target.Org.Items = append(target.Org.Items, it.Code)
	}
	// Still short: district-level copies of the busiest departments.
	districts := []string{"南明区", "云岩区", "花溪区", "乌当区", "白云区", "观山湖区", "清镇市", "修文县", "开阳县", "息烽县"}
	for i := 0; len(out) < DepartmentCount; i++ {
		src := out[i%len(out)]
		d := districts[(i/len(out))%len(districts)]
		name := strings.Replace(src.Org.Name, "贵阳市", "贵阳市"+d, 1)
		code := src.Org.Code + "-" + itoa(i/len(out)+1)
		out = append(out, &Org{Org: org.Org{Code: code, Name: name, Roles: []org.Role{org.Department}, Items: slices.Clone(src.Org.Items)}})
		info[code] = info[src.Org.Code]
	}
	// Too many (a catalog with more than 36 departments): the surplus bodies'
	// items go to the last body kept.
	for len(out) > DepartmentCount {
		last := out[len(out)-1]
		out = out[:len(out)-1]
		keep := out[len(out)-1]
		for _, it := range last.Org.Items {
			if !slices.Contains(keep.Org.Items, it) {
				keep.Org.Items = append(keep.Org.Items, it)
			}
		}
		delete(info, last.Org.Code)
	}
	return out, info
}

// deptOf is the catalog department of an organisation's first item.
func deptOf(cat *catalog.Catalog, o *Org) string {
	if len(o.Org.Items) == 0 {
		return ""
	}
	if it := cat.Item(o.Org.Items[0]); it != nil {
		return it.Department
	}
	return ""
}

func buildSupervisors() []*Org {
	out := make([]*Org, len(supervisorTmpls))
	for i, t := range supervisorTmpls {
		out[i] = &Org{Org: org.Org{Code: t.code, Name: t.name, Roles: []org.Role{org.Supervisor}}}
	}
	return out
}
