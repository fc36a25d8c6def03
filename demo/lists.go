package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/subject"
)

// Generators of the lists other than the courts'. Each keeps published_at
// inside the list's default term, so that what is generated is in force.

// blackOrg is an organisation for a black or watch list: now and then one
// already on the dishonest list (trouble rarely comes alone), else new.
func (g *gen) blackOrg(c *city, industry string) company {
	return g.blackOrgAt(c, "", industry)
}

// blackOrgAt is blackOrg registered in region of c.
func (g *gen) blackOrgAt(c *city, region, industry string) company {
	if len(g.courtOrgs) > 20 && g.chance(0.1) {
		co := g.courtOrgs[g.r.IntN(len(g.courtOrgs))]
		if (c == nil || co.city == c) && (region == "" || co.id[2:8] == region) && (industry == "" || strings.Contains(co.name, industry)) {
			return co
		}
	}
	co := g.companyAt(c, region, industry)
	g.blackOrgs = append(g.blackOrgs, co)
	return co
}

// uniqueRef draws references from f until one is new on list. f draws its
// serial number with g.serial, which widens its range while draws collide,
// so a large data set never runs out of numbers.
func (g *gen) uniqueRef(list string, f func() string) string {
	for {
		if ref := f(); g.claimRef(list, ref) {
			g.misses = 0
			return ref
		}
		g.misses++
	}
}

// serial draws a document serial number from 1 to about hi.
func (g *gen) serial(hi int) int {
	return g.between(1, hi*(1+g.misses/8))
}

// withinTerm draws a publication date that leaves the list's default term
// running for at least a month.
func (g *gen) withinTerm(l *catalog.List, maxDays float64) time.Time {
	hi := maxDays
	if l.TermMonths > 0 {
		hi = min(hi, float64(l.TermMonths)*30.4-40)
	}
	return g.recentDaysAgo(10, max(hi, 11))
}

type taxBureau struct {
	name, prefix, city string
}

var taxBureaus = newWeighted([]taxBureau{
	{"国家税务总局贵州省税务局稽查局", "黔税稽罚", "guiyang"},
	{"国家税务总局贵阳市税务局第一稽查局", "筑税一稽罚", "guiyang"},
	{"国家税务总局贵阳市税务局第二稽查局", "筑税二稽罚", "guiyang"},
	{"国家税务总局遵义市税务局稽查局", "遵税稽罚", "zunyi"},
	{"国家税务总局毕节市税务局稽查局", "毕税稽罚", "bijie"},
	{"国家税务总局黔南布依族苗族自治州税务局稽查局", "黔南税稽罚", "qiannan"},
	{"国家税务总局六盘水市税务局稽查局", "六税稽罚", "liupanshui"},
}, []float64{2, 4, 3, 2, 1, 1, 1})

// taxMajor is one 重大税收违法失信主体 (国家税务总局令第54号).
func (g *gen) taxMajor(l *catalog.List) entry.Draft {
	b := taxBureaus.pick(g.r)
	pub := g.withinTerm(l, 3*365)
	decided := g.before(pub, 20, 120)
	ref := g.uniqueRef(l.Code, func() string {
		return fmt.Sprintf("%s〔%d〕%d号", b.prefix, decided.Year(), g.serial(320))
	})
	var subj entry.Subject
	details := map[string]string{"inspection_body": b.name, "decision_date": day(decided)}
	if pickKind(l, 0.85, g) == subject.Org {
		co := g.blackOrg(cityByKey[b.city], "")
		subj = co.subject()
		details["finance_head"] = g.newPerson(co.city, 0.4, false).name
	} else {
		subj = g.newPerson(cityByKey[b.city], 0.7, false).subject()
	}
	y := decided.Year() - g.between(1, 3)
	period := fmt.Sprintf("经%s检查，发现其在%d年01月01日至%d年12月31日期间，主要存在以下问题：", b.name, y, y+g.between(0, 1))
	var reason, basis, facts, penalty string
	x := g.r.Float64()
	if subj.Kind == subject.Person && x < 0.7 {
		// A person: mostly the unreported income of a sole trader or a live streamer.
		tax := g.amount(1_000_000, 20_000_000, 1)
		reason, basis = "偷税", "《中华人民共和国税收征收管理法》第六十三条"
		facts = fmt.Sprintf("%s通过隐匿收入、虚假申报等手段，少缴个人所得税等税款合计%s。", period, yuan(tax))
		penalty = fmt.Sprintf("依照《中华人民共和国税收征收管理法》等相关法律法规的有关规定，对其处以追缴税款%s的行政处理、处以罚款%s的行政处罚", yuan(tax), yuan(tax))
		x = 2
	}
	switch {
	case x > 1:
	case x < 0.35:
		tax := g.amount(1_000_000, 30_000_000, 1)
		method := []string{"账外经营、隐匿收入", "虚列成本费用", "进行虚假纳税申报", "利用个人账户收取货款不申报收入"}[g.r.IntN(4)]
		reason, basis = "偷税", "《中华人民共和国税收征收管理法》第六十三条"
		facts = fmt.Sprintf("%s采取%s等手段，少缴增值税、企业所得税等税款合计%s。", period, method, yuan(tax))
		penalty = fmt.Sprintf("依照《中华人民共和国税收征收管理法》等相关法律法规的有关规定，对其处以追缴税款%s的行政处理、处以罚款%s的行政处罚", yuan(tax), yuan(tax/2))
	case x < 0.65:
		n, amt := g.between(8, 600), g.amount(500_000, 80_000_000, 100)
		reason, basis = "虚开增值税专用发票", "《中华人民共和国发票管理办法》"
		facts = fmt.Sprintf("%s对外虚开增值税专用发票%d份，金额%s，税额%s。", period, n, yuan(amt), yuan(amt*13/100))
		penalty = "依照《中华人民共和国税收征收管理法》等相关法律法规的有关规定，对其处以罚款" + yuan(g.amount(50_000, 500_000, 1000)) + "的行政处罚，并依法移送公安机关"
	case x < 0.78:
		n, amt := g.between(20, 900), g.amount(500_000, 20_000_000, 100)
		reason, basis = "虚开普通发票", "《中华人民共和国发票管理办法》"
		facts = fmt.Sprintf("%s对外虚开普通发票%d份，金额%s。", period, n, yuan(amt))
		penalty = "依照《中华人民共和国发票管理办法》等相关法律法规的有关规定，对其处以罚款" + yuan(g.amount(50_000, 500_000, 1000)) + "的行政处罚"
	case x < 0.92:
		tax := g.amount(100_000, 5_000_000, 100)
		reason, basis = "逃避追缴欠税", "《中华人民共和国税收征收管理法》第六十五条"
		facts = fmt.Sprintf("%s欠缴税款%s，采取转移、隐匿财产的手段，妨碍税务机关追缴欠缴的税款。", period, yuan(tax))
		penalty = fmt.Sprintf("依照《中华人民共和国税收征收管理法》等相关法律法规的有关规定，对其处以追缴欠缴税款%s的行政处理、处以罚款%s的行政处罚", yuan(tax), yuan(tax))
	default:
		tax := g.amount(200_000, 10_000_000, 100)
		reason, basis = "骗取出口退税", "《中华人民共和国税收征收管理法》第六十六条"
		facts = fmt.Sprintf("%s以假报出口手段骗取出口退税款%s。", period, yuan(tax))
		penalty = fmt.Sprintf("依照《中华人民共和国税收征收管理法》等相关法律法规的有关规定，对其处以追缴骗取的退税款%s的行政处理、处以罚款%s的行政处罚，停止为其办理出口退税", yuan(tax), yuan(tax))
	}
	details["case_nature"], details["facts"], details["penalty"] = reason, facts, penalty
	return entry.Draft{SourceRef: ref, Subject: subj, Reason: reason, LegalBasis: basis, PublishedAt: stamp(pub), Details: details}
}

// annual returns the date a yearly tax-credit evaluation is published
// (April, for the year before) for the latest year already published, and
// that year.
func (g *gen) annual() (time.Time, int) {
	p := time.Date(g.now.Year(), 4, 20, 10, 0, 0, 0, entry.CST)
	if !p.Before(g.now.AddDate(0, 0, -1)) {
		p = p.AddDate(-1, 0, 0)
	}
	return p, p.Year() - 1
}

var dGradeReasons = []string{
	"存在逃避缴纳税款、逃避追缴欠税、骗取出口退税、虚开增值税专用发票等行为，经判决构成涉税犯罪",
	"存在逃避缴纳税款行为，未构成犯罪，但逃避缴纳税款金额10万元以上且占各税种应纳税总额10%以上",
	"在规定期限内未按税务机关处理结论缴纳或者足额缴纳税款、滞纳金和罚款",
	"提供虚假申报材料享受税收优惠政策",
	"有非正常户记录或者由非正常户直接责任人员注册登记或者负责经营",
	"由D级纳税人的直接责任人员注册登记或者负责经营",
	"以暴力、威胁方法拒不缴纳税款或者拒绝、阻挠税务机关依法实施税务稽查执法行为",
}

// taxD is one grade-D taxpayer of the yearly evaluation (纳税信用管理办法).
func (g *gen) taxD(l *catalog.List) entry.Draft {
	p, y := g.annual()
	if g.chance(0.45) && p.AddDate(1, 0, 0).After(g.now.AddDate(0, 0, 30)) { // the evaluation before, still in its two years
		p, y = p.AddDate(-1, 0, 0), y-1
	}
	pub := g.office(p.AddDate(0, 0, g.between(0, 10)))
	if pub.After(g.now) {
		pub = g.office(p)
	}
	ref := g.uniqueRef(l.Code, func() string { return fmt.Sprintf("%d年度纳税信用D级-%05d", y, g.serial(99999)) })
	var subj entry.Subject
	if pickKind(l, 0.8, g) == subject.Org {
		subj = g.blackOrg(nil, "").subject()
	} else {
		subj = g.newPerson(nil, 0.7, false).subject()
	}
	return entry.Draft{SourceRef: ref, Subject: subj,
		Reason:      dGradeReasons[g.r.IntN(len(dGradeReasons))],
		PublishedAt: stamp(pub),
		Details:     map[string]string{"evaluation_year": itoa(y), "evaluator": "国家税务总局贵州省税务局"}}
}

// taxA is one grade-A taxpayer: a red-list company.
func (g *gen) taxA(l *catalog.List) entry.Draft {
	p, y := g.annual()
	ref := g.uniqueRef(l.Code, func() string { return fmt.Sprintf("%d年度纳税信用A级-%05d", y, g.serial(99999)) })
	co := g.newCompany(nil, "")
	g.aGrade = append(g.aGrade, co)
	details := map[string]string{"evaluation_year": itoa(y), "evaluator": "国家税务总局贵州省税务局"}
	if g.chance(0.35) {
		details["consecutive_years"] = fmt.Sprintf("连续%d年评为A级", g.between(3, 6))
	}
	return entry.Draft{SourceRef: ref, Subject: co.subject(),
		Reason:      fmt.Sprintf("%d年度纳税信用评价为A级", y),
		PublishedAt: stamp(g.office(p)),
		Details:     details}
}

// customsAEO is one advanced-certification enterprise; most are also grade-A
// taxpayers.
func (g *gen) customsAEO(l *catalog.List) entry.Draft {
	var co company
	if len(g.aGrade) > 20 && g.chance(0.4) {
		co = g.aGrade[g.r.IntN(len(g.aGrade))]
	} else {
		co = g.newCompany(nil, []string{"商贸", "电子商务", "酒业", "科技", "医药", "茶业", "机械设备"}[g.r.IntN(7)])
	}
	pub := g.withinTerm(l, 6*365)
	ref := g.uniqueRef(l.Code, func() string { return "AEOCN5201" + digits(g.r, 6) })
	return entry.Draft{SourceRef: ref, Subject: co.subject(),
		Reason:      "经海关认证为高级认证企业",
		PublishedAt: stamp(pub),
		Details:     map[string]string{"certifier": "贵阳海关", "certified_date": day(pub)}}
}

var customsReasons = []struct{ reason, basis string }{
	{"有走私犯罪或者走私行为", "《中华人民共和国海关企业信用管理办法》"},
	{"违反海关监管规定被海关行政处罚，处罚金额累计超过100万元", "《中华人民共和国海关企业信用管理办法》"},
	{"拖欠应缴税款或者拖欠应缴罚没款项，经海关催缴逾期仍未缴纳", "《中华人民共和国海关企业信用管理办法》"},
	{"提供虚假资料骗取海关认证", "《中华人民共和国海关企业信用管理办法》"},
}

// customsDishonest is one 海关失信企业.
func (g *gen) customsDishonest(l *catalog.List) entry.Draft {
	co := g.blackOrg(nil, []string{"商贸", "电子商务", "物流", "科技", "实业"}[g.r.IntN(5)])
	pub := g.withinTerm(l, 4*365)
	ref := g.uniqueRef(l.Code, func() string { return fmt.Sprintf("贵关信用〔%d〕%d号", pub.Year(), g.serial(60)) })
	c := customsReasons[g.r.IntN(len(customsReasons))]
	return entry.Draft{SourceRef: ref, Subject: co.subject(), Reason: c.reason, LegalBasis: c.basis, PublishedAt: stamp(pub),
		Details: map[string]string{"authority": "贵阳海关", "decision_date": day(pub)}}
}

// regulator is a market regulator, the prefix of its document numbers and
// where the companies it lists are registered ("" city: anywhere in the
// province; "" region: anywhere in the city).
type regulator struct{ name, prefix, city, region string }

func (rg regulator) company(g *gen, industry string) company {
	var c *city
	if rg.city != "" {
		c = cityByKey[rg.city]
	} else {
		c = guizhouCity.pick(g.r)
	}
	return g.blackOrgAt(c, rg.region, industry)
}

var marketRegulators = newWeighted([]regulator{
	{"贵州省市场监督管理局", "黔市监", "", ""}, {"贵阳市市场监督管理局", "筑市监", "guiyang", ""},
	{"贵阳市南明区市场监督管理局", "南市监", "guiyang", "520102"}, {"贵阳市云岩区市场监督管理局", "云市监", "guiyang", "520103"},
	{"贵阳市花溪区市场监督管理局", "花市监", "guiyang", "520111"}, {"贵阳市乌当区市场监督管理局", "乌市监", "guiyang", "520112"},
	{"贵阳市白云区市场监督管理局", "白市监", "guiyang", "520113"}, {"贵阳市观山湖区市场监督管理局", "观市监", "guiyang", "520115"},
	{"清镇市市场监督管理局", "清市监", "guiyang", "520181"}, {"遵义市市场监督管理局", "遵市监", "zunyi", ""},
}, []float64{1, 3, 3, 3, 2, 1.5, 1.5, 2, 1, 2})

var seriousReasons = []struct{ reason, basis string }{
	{"因通过登记的住所或者经营场所无法联系被列入经营异常名录满三年仍未纠正", "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）"},
	{"提交虚假材料或者采取其他欺诈手段隐瞒重要事实取得公司登记，受到撤销登记的行政处罚", "《中华人民共和国公司法》；《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）"},
	{"生产经营不符合食品安全标准的食品，受到较重行政处罚", "《中华人民共和国食品安全法》；《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）"},
	{"发布虚假广告，受到较重行政处罚", "《中华人民共和国广告法》；《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）"},
	{"哄抬价格，受到较重行政处罚", "《中华人民共和国价格法》；《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）"},
	{"销售伪劣产品，受到较重行政处罚", "《中华人民共和国产品质量法》；《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）"},
}

// marketSerious is one 严重违法失信名单 entry.
func (g *gen) marketSerious(l *catalog.List) entry.Draft {
	rg := marketRegulators.pick(g.r)
	pub := g.withinTerm(l, 3*365)
	ref := g.uniqueRef(l.Code, func() string { return fmt.Sprintf("%s严违〔%d〕%d号", rg.prefix, pub.Year(), g.serial(150)) })
	x := g.r.IntN(10)
	c := seriousReasons[0]
	if x >= 5 {
		c = seriousReasons[1+g.r.IntN(len(seriousReasons)-1)]
	}
	var subj entry.Subject
	if pickKind(l, 0.9, g) == subject.Org {
		subj = rg.company(g, "").subject()
	} else {
		subj = g.newPerson(cityByKey[rg.city], 0.65, false).subject()
	}
	return entry.Draft{SourceRef: ref, Subject: subj, Reason: c.reason, LegalBasis: c.basis, PublishedAt: stamp(pub),
		Details: map[string]string{"authority": rg.name, "decision_date": day(pub)}}
}

var abnormalReasons = newWeighted([]struct{ reason, basis string }{
	{"未按照《企业信息公示暂行条例》第八条规定的期限公示年度报告", "《企业经营异常名录管理暂行办法》第四条第（一）项"},
	{"通过登记的住所或者经营场所无法联系", "《企业经营异常名录管理暂行办法》第四条第（四）项"},
	{"未在市场监督管理部门依照《企业信息公示暂行条例》第十条规定责令的期限内公示有关企业信息", "《企业经营异常名录管理暂行办法》第四条第（二）项"},
	{"公示企业信息隐瞒真实情况、弄虚作假", "《企业经营异常名录管理暂行办法》第四条第（三）项"},
}, []float64{60, 30, 5, 5})

// abnormal is one 经营异常名录 entry.
func (g *gen) abnormal(l *catalog.List) entry.Draft {
	rg := marketRegulators.pick(g.r)
	pub := g.withinTerm(l, 5*365)
	ref := g.uniqueRef(l.Code, func() string { return fmt.Sprintf("%s异列〔%d〕%d号", rg.prefix, pub.Year(), g.serial(3000)) })
	c := abnormalReasons.pick(g.r)
	co := rg.company(g, "")
	return entry.Draft{SourceRef: ref, Subject: co.subject(), Reason: c.reason, LegalBasis: c.basis, PublishedAt: stamp(pub),
		Details: map[string]string{"authority": rg.name, "decision_date": day(pub)}}
}

var procurementReasons = []string{
	"提供虚假材料谋取中标、成交",
	"采取不正当手段诋毁、排挤其他供应商",
	"与采购人、其他供应商或者采购代理机构恶意串通",
	"向采购人、采购代理机构行贿或者提供其他不正当利益",
	"在招标采购过程中与采购人进行协商谈判",
	"拒绝有关部门监督检查或者提供虚假情况",
}

// purchases pairs buyers with what such a buyer buys.
var purchases = []struct {
	buyer string
	what  []string
}{
	{"贵阳市第一中学", []string{"学生公寓家具", "教学设备", "食堂食材配送服务"}},
	{"贵阳市云岩区教育局", []string{"校园安防监控系统", "教学一体机", "学生课桌椅"}},
	{"贵阳市公安局", []string{"执法记录仪", "警用装备", "公务用车"}},
	{"贵州医科大学附属医院", []string{"医疗设备", "医用耗材", "物业管理服务"}},
	{"贵阳市南明区城市管理局", []string{"市政道路绿化养护服务", "环卫作业车辆", "智慧城管信息化建设"}},
	{"贵阳市观山湖区人民政府办公室", []string{"办公设备", "物业管理服务", "政务信息系统运维服务"}},
	{"贵阳市第二人民医院", []string{"医疗设备", "医院信息系统升级"}},
	{"贵阳学院", []string{"实验室设备", "图书", "学生公寓家具"}},
	{"黔南布依族苗族自治州人民医院", []string{"医疗设备", "医用耗材"}},
	{"遵义市第一人民医院", []string{"医疗设备", "物业管理服务"}},
	{"贵阳市大数据发展管理局", []string{"政务云服务", "数据安全防护设备", "信息系统等级保护测评服务"}},
}

var projectSites = []string{"观山湖区", "南明区", "云岩区", "花溪区", "乌当区", "白云区", "清镇市", "修文县", "开阳县", "息烽县", "贵安新区", "遵义市汇川区", "都匀市"}
var projectKinds = []string{"棚户区改造安置房项目", "保障性住房项目", "道路改造工程", "中学教学楼工程", "人民医院综合楼工程", "标准化厂房项目", "商住楼项目", "污水处理厂配套管网工程"}

func (g *gen) project() string {
	return projectSites[g.r.IntN(len(projectSites))] + projectKinds[g.r.IntN(len(projectKinds))]
}

// procurement is one 政府采购严重违法失信行为记录: banned for one to three
// years, the ban being the entry's term.
func (g *gen) procurement(l *catalog.List) entry.Draft {
	years := g.between(1, 3)
	pub := g.recentDaysAgo(10, float64(years)*365-40)
	exp := pub.AddDate(years, 0, 0)
	authority, prefix := "贵州省财政厅", "黔财采罚"
	if g.chance(0.6) {
		authority, prefix = "贵阳市财政局", "筑财采罚"
	}
	ref := g.uniqueRef(l.Code, func() string { return fmt.Sprintf("%s〔%d〕%d号", prefix, pub.Year(), g.serial(80)) })
	i := g.r.IntN(len(procurementReasons))
	var subj entry.Subject
	if pickKind(l, 0.95, g) == subject.Org {
		subj = g.blackOrg(nil, []string{"商贸", "科技", "信息技术", "建筑工程", "物业管理", "机械设备", "医药", "食品"}[g.r.IntN(8)]).subject()
	} else {
		subj = g.newPerson(nil, 0.7, false).subject()
	}
	pu := purchases[g.r.IntN(len(purchases))]
	project := pu.buyer + pu.what[g.r.IntN(len(pu.what))] + "采购项目"
	return entry.Draft{SourceRef: ref, Subject: subj, Reason: procurementReasons[i],
		LegalBasis:  fmt.Sprintf("《中华人民共和国政府采购法》第七十七条第一款第（%s）项", []string{"一", "二", "三", "四", "五", "六"}[i]),
		PublishedAt: stamp(pub), ExpiresAt: stamp(exp),
		Details: map[string]string{
			"authority":  authority,
			"project":    project,
			"penalty":    fmt.Sprintf("处以采购金额千分之五的罚款，列入不良行为记录名单，%d年内禁止参加政府采购活动", years),
			"ban_period": day(pub) + "至" + day(exp.AddDate(0, 0, -1)),
		}}
}

var safetyReasons = []string{
	"发生较大生产安全事故，对事故发生负有责任",
	"未依法取得安全生产许可证擅自从事生产经营活动",
	"瞒报、谎报生产安全事故",
	"被责令停产停业整顿，仍不具备安全生产条件而擅自恢复生产",
}

var safetyIndustries = []struct {
	industry  string
	accidents []string
}{
	{"煤业", []string{"顶板", "瓦斯爆炸", "透水", "煤与瓦斯突出"}},
	{"矿业", []string{"顶板", "透水", "炸药爆炸"}},
	{"建筑工程", []string{"高处坠落", "坍塌", "起重伤害"}},
	{"市政工程", []string{"坍塌", "有限空间中毒窒息"}},
	{"化工", []string{"爆炸", "中毒窒息", "火灾"}},
	{"运输", []string{"道路交通"}},
}

// safety is one 安全生产严重失信主体.
func (g *gen) safety(l *catalog.List) entry.Draft {
	pub := g.withinTerm(l, 3*365)
	authority, prefix, c := "贵州省应急管理厅", "黔应急失信", guizhouCity.pick(g.r)
	if g.chance(0.5) {
		authority, prefix, c = "贵阳市应急管理局", "筑应急失信", cityByKey["guiyang"]
	}
	ref := g.uniqueRef(l.Code, func() string { return fmt.Sprintf("%s〔%d〕%d号", prefix, pub.Year(), g.serial(60)) })
	i := g.r.IntN(len(safetyReasons))
	details := map[string]string{"authority": authority, "decision_date": day(pub)}
	ind := safetyIndustries[g.r.IntN(len(safetyIndustries))]
	var subj entry.Subject
	if pickKind(l, 0.85, g) == subject.Org {
		subj = g.blackOrg(c, ind.industry).subject()
	} else {
		subj = g.newPerson(c, 0.9, false).subject()
		details["role"] = "主要负责人"
	}
	if i == 0 {
		acc := g.before(pub, 60, 400)
		details["accident"] = fmt.Sprintf("%s发生%s事故，造成%d人死亡", day(acc), ind.accidents[g.r.IntN(len(ind.accidents))], g.between(3, 6))
	}
	return entry.Draft{SourceRef: ref, Subject: subj, Reason: safetyReasons[i],
		LegalBasis: "《中华人民共和国安全生产法》；《安全生产严重失信主体名单管理办法》（应急管理部令第11号）", PublishedAt: stamp(pub), Details: details}
}

// wageArrears is one 拖欠农民工工资失信联合惩戒对象.
func (g *gen) wageArrears(l *catalog.List) entry.Draft {
	pub := g.withinTerm(l, 3*365)
	authority, prefix := "贵阳市人力资源和社会保障局", "筑人社欠薪"
	if g.chance(0.35) {
		authority, prefix = "贵州省人力资源和社会保障厅", "黔人社欠薪"
	}
	ref := g.uniqueRef(l.Code, func() string { return fmt.Sprintf("%s〔%d〕%d号", prefix, pub.Year(), g.serial(90)) })
	reason := "克扣、无故拖欠农民工工资，数额达到认定拒不支付劳动报酬罪数额标准"
	if g.chance(0.15) {
		reason = "因拖欠农民工工资违法行为引发群体性事件、极端事件造成严重不良社会影响"
	}
	var subj entry.Subject
	if pickKind(l, 0.7, g) == subject.Org {
		subj = g.blackOrg(nil, []string{"建筑工程", "劳务", "市政工程", "装饰工程", "园林绿化工程"}[g.r.IntN(5)]).subject()
	} else {
		subj = g.newPerson(nil, 0.92, false).subject() // 包工头
	}
	return entry.Draft{SourceRef: ref, Subject: subj, Reason: reason,
		LegalBasis:  "《保障农民工工资支付条例》；《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）",
		PublishedAt: stamp(pub),
		Details: map[string]string{
			"authority": authority,
			"arrears":   yuan(g.amount(30000, 3000000, 100)),
			"workers":   itoa(g.between(5, 180)) + "人",
			"project":   g.project(),
		}}
}

// generic is an entry of a list this package does not know: a new list an
// admin added to the catalog.
func (g *gen) generic(l *catalog.List) entry.Draft {
	pub := g.withinTerm(l, 3*365)
	ref := g.uniqueRef(l.Code, func() string { return fmt.Sprintf("%s-%d-%05d", l.Code, pub.Year(), g.serial(99999)) })
	var subj entry.Subject
	if pickKind(l, 0.7, g) == subject.Org {
		if l.Kind == catalog.Red {
			subj = g.newCompany(nil, "").subject()
		} else {
			subj = g.blackOrg(nil, "").subject()
		}
	} else {
		subj = g.newPerson(nil, 0.7, false).subject()
	}
	reason := "列入" + l.Name
	return entry.Draft{SourceRef: ref, Subject: subj, Reason: reason, PublishedAt: stamp(pub)}
}
