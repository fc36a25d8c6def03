package demo

import (
	"fmt"
	"time"

	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/subject"
)

// court is a Guizhou court with the code its case numbers carry (黔 + the
// digits of its division code) and a rough yearly count of enforcement cases.
type court struct {
	code   string // "黔0112"; "黔" alone is the high court
	name   string
	city   string // key into cityByKey; "" for the high court
	mid    string // the intermediate court above it
	maxSeq int
}

var courtTable = []struct {
	c court
	w float64
}{
	{court{"黔01", "贵阳市中级人民法院", "guiyang", "黔01", 1500}, 2},
	{court{"黔0102", "贵阳市南明区人民法院", "guiyang", "黔01", 9000}, 6},
	{court{"黔0103", "贵阳市云岩区人民法院", "guiyang", "黔01", 9500}, 7},
	{court{"黔0111", "贵阳市花溪区人民法院", "guiyang", "黔01", 5000}, 4},
	{court{"黔0112", "贵阳市乌当区人民法院", "guiyang", "黔01", 3500}, 3},
	{court{"黔0113", "贵阳市白云区人民法院", "guiyang", "黔01", 3000}, 2.5},
	{court{"黔0115", "贵阳市观山湖区人民法院", "guiyang", "黔01", 6000}, 4},
	{court{"黔0121", "开阳县人民法院", "guiyang", "黔01", 2000}, 1.5},
	{court{"黔0122", "息烽县人民法院", "guiyang", "黔01", 1500}, 1},
	{court{"黔0123", "修文县人民法院", "guiyang", "黔01", 2000}, 1.5},
	{court{"黔0181", "清镇市人民法院", "guiyang", "黔01", 2500}, 2},
	{court{"黔03", "遵义市中级人民法院", "zunyi", "黔03", 1200}, 1.5},
	{court{"黔0302", "遵义市红花岗区人民法院", "zunyi", "黔03", 5000}, 4},
	{court{"黔0303", "遵义市汇川区人民法院", "zunyi", "黔03", 4000}, 3},
	{court{"黔0304", "遵义市播州区人民法院", "zunyi", "黔03", 3000}, 2},
	{court{"黔0382", "仁怀市人民法院", "zunyi", "黔03", 3500}, 2.5},
	{court{"黔0381", "赤水市人民法院", "zunyi", "黔03", 1200}, 0.8},
	{court{"黔0330", "习水县人民法院", "zunyi", "黔03", 1500}, 1.2},
	{court{"黔0328", "湄潭县人民法院", "zunyi", "黔03", 1500}, 1},
	{court{"黔0322", "桐梓县人民法院", "zunyi", "黔03", 1500}, 1},
	{court{"黔05", "毕节市中级人民法院", "bijie", "黔05", 900}, 1},
	{court{"黔0502", "毕节市七星关区人民法院", "bijie", "黔05", 4500}, 3},
	{court{"黔0521", "大方县人民法院", "bijie", "黔05", 1500}, 1},
	{court{"黔0523", "金沙县人民法院", "bijie", "黔05", 1500}, 1},
	{court{"黔0524", "织金县人民法院", "bijie", "黔05", 1500}, 1},
	{court{"黔0526", "威宁彝族回族苗族自治县人民法院", "bijie", "黔05", 1500}, 1},
	{court{"黔26", "黔东南苗族侗族自治州中级人民法院", "qiandongnan", "黔26", 800}, 0.8},
	{court{"黔2601", "凯里市人民法院", "qiandongnan", "黔26", 4000}, 3},
	{court{"黔2631", "黎平县人民法院", "qiandongnan", "黔26", 1000}, 0.8},
	{court{"黔2622", "黄平县人民法院", "qiandongnan", "黔26", 800}, 0.5},
	{court{"黔2625", "镇远县人民法院", "qiandongnan", "黔26", 800}, 0.5},
	{court{"黔27", "黔南布依族苗族自治州中级人民法院", "qiannan", "黔27", 800}, 0.8},
	{court{"黔2701", "都匀市人民法院", "qiannan", "黔27", 3500}, 2.5},
	{court{"黔2702", "福泉市人民法院", "qiannan", "黔27", 1200}, 0.8},
	{court{"黔2730", "龙里县人民法院", "qiannan", "黔27", 1500}, 1},
	{court{"黔2731", "惠水县人民法院", "qiannan", "黔27", 1200}, 0.8},
	{court{"黔2725", "瓮安县人民法院", "qiannan", "黔27", 1200}, 0.8},
	{court{"黔04", "安顺市中级人民法院", "anshun", "黔04", 700}, 0.6},
	{court{"黔0402", "安顺市西秀区人民法院", "anshun", "黔04", 3500}, 2.5},
	{court{"黔0403", "安顺市平坝区人民法院", "anshun", "黔04", 1200}, 0.8},
	{court{"黔0422", "普定县人民法院", "anshun", "黔04", 1000}, 0.6},
	{court{"黔02", "六盘水市中级人民法院", "liupanshui", "黔02", 700}, 0.6},
	{court{"黔0201", "六盘水市钟山区人民法院", "liupanshui", "黔02", 3500}, 2.5},
	{court{"黔0281", "盘州市人民法院", "liupanshui", "黔02", 2500}, 1.5},
	{court{"黔0204", "六盘水市水城区人民法院", "liupanshui", "黔02", 1500}, 1},
	{court{"黔0203", "六枝特区人民法院", "liupanshui", "黔02", 1200}, 0.8},
	{court{"黔06", "铜仁市中级人民法院", "tongren", "黔06", 600}, 0.5},
	{court{"黔0602", "铜仁市碧江区人民法院", "tongren", "黔06", 3000}, 2},
	{court{"黔0603", "铜仁市万山区人民法院", "tongren", "黔06", 800}, 0.5},
	{court{"黔0624", "思南县人民法院", "tongren", "黔06", 1000}, 0.7},
	{court{"黔0628", "松桃苗族自治县人民法院", "tongren", "黔06", 1000}, 0.7},
	{court{"黔23", "黔西南布依族苗族自治州中级人民法院", "qianxinan", "黔23", 600}, 0.5},
	{court{"黔2301", "兴义市人民法院", "qianxinan", "黔23", 3500}, 2.5},
	{court{"黔2302", "兴仁市人民法院", "qianxinan", "黔23", 1000}, 0.8},
	{court{"黔2328", "安龙县人民法院", "qianxinan", "黔23", 800}, 0.6},
	{court{"黔", "贵州省高级人民法院", "", "黔", 60}, 0.05},
}

var (
	courts = func() *weighted[*court] {
		vals := make([]*court, len(courtTable))
		ws := make([]float64, len(courtTable))
		for i := range courtTable {
			vals[i], ws[i] = &courtTable[i].c, courtTable[i].w
		}
		return newWeighted(vals, ws)
	}()
	courtByCode = func() map[string]*court {
		m := map[string]*court{}
		for i := range courtTable {
			m[courtTable[i].c.code] = &courtTable[i].c
		}
		return m
	}()
)

func (c *court) cityOf() *city { return cityByKey[c.city] }

// The six statutory grounds of listing (法释〔2017〕7号 第一条), as the
// national list states the debtor's conduct, with how often each is used.
var grounds = newWeighted([]int{0, 1, 2, 3, 4, 5}, []float64{64, 2, 5, 22, 5, 2})

var groundText = [6]string{
	"有履行能力而拒不履行生效法律文书确定义务",
	"以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
	"以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
	"违反财产报告制度",
	"违反限制消费令",
	"无正当理由拒不履行执行和解协议",
}

// Lenders that sue in Guizhou courts.
var lenders = []string{
	"贵阳银行股份有限公司", "贵阳农村商业银行股份有限公司", "贵州银行股份有限公司", "中国农业银行股份有限公司贵阳分行",
	"中国建设银行股份有限公司贵州省分行", "中国工商银行股份有限公司贵阳分行", "贵阳乌当富民村镇银行股份有限公司",
	"贵州花溪农村商业银行股份有限公司", "招商银行股份有限公司贵阳分行", "贵州清镇农村商业银行股份有限公司",
	"中国邮政储蓄银行股份有限公司贵阳市分行", "遵义农村商业银行股份有限公司",
}

// basis is the enforcement basis: the document the court enforces.
type basis struct {
	doc, issuer, kind string // kind: civil, mediation, appeal, criminal, arbitration, special
}

// enforcementBasis draws the document a case at ct enforces, issued some
// months before filing.
func (g *gen) enforcementBasis(ct *court, filing time.Time) basis {
	y := filing.AddDate(0, 0, -g.between(45, 800)).Year()
	mid := courtByCode[ct.mid]
	switch x := g.r.Float64(); {
	case x < 0.58:
		return basis{fmt.Sprintf("（%d）%s民初%d号民事判决书", y, ct.code, g.between(1, ct.maxSeq*2)), ct.name, "civil"}
	case x < 0.73:
		return basis{fmt.Sprintf("（%d）%s民初%d号民事调解书", y, ct.code, g.between(1, ct.maxSeq*2)), ct.name, "mediation"}
	case x < 0.83 && mid != nil && mid != ct:
		return basis{fmt.Sprintf("（%d）%s民终%d号民事判决书", y, mid.code, g.between(1, 9000)), mid.name, "appeal"}
	case x < 0.89:
		return basis{fmt.Sprintf("（%d）%s刑初%d号刑事判决书", y, ct.code, g.between(1, max(60, ct.maxSeq/8))), ct.name, "criminal"}
	case x < 0.95 && ct.city == "guiyang":
		return basis{fmt.Sprintf("（%d）筑仲字第%04d号裁决书", y, g.between(1, 2500)), "贵阳仲裁委员会", "arbitration"}
	default:
		return basis{fmt.Sprintf("（%d）%s民特%d号民事裁定书", y, ct.code, g.between(1, max(50, ct.maxSeq/10))), ct.name, "special"}
	}
}

// obligation is what the effective document orders the debtor to do, and
// the sum of money in it (0 when it is not one sum).
func (g *gen) obligation(kind subject.Kind, b basis) (string, int) {
	money := func(text string, v int, rest string) (string, int) { return text + yuan(v) + rest, v }
	if b.kind == "criminal" {
		if g.chance(0.6) {
			return money("缴纳罚金", g.amount(2000, 200000, 1000), "")
		}
		return money("退赔被害人"+g.maskedName()+"等经济损失", g.amount(10000, 2000000, 100), "")
	}
	if kind == subject.Org {
		switch x := g.r.Float64(); {
		case x < 0.28:
			return money("支付货款", g.amount(50000, 5000000, 100), "及逾期付款违约金")
		case x < 0.50:
			return money("支付工程款", g.amount(100000, 30000000, 100), "及利息")
		case x < 0.68:
			return money("偿还"+lenders[g.r.IntN(len(lenders))]+"借款本金", g.amount(200000, 50000000, 10000), "及利息、罚息")
		case x < 0.82:
			return money(fmt.Sprintf("支付%s等%d人劳动报酬", g.maskedName(), g.between(2, 60)), g.amount(20000, 1500000, 100), "")
		case x < 0.92:
			return money("支付租金", g.amount(30000, 2000000, 100), "及违约金")
		default:
			return money("赔偿"+g.maskedName()+"各项损失", g.amount(10000, 3000000, 100), "")
		}
	}
	switch x := g.r.Float64(); {
	case x < 0.30:
		return money("偿还"+lenders[g.r.IntN(len(lenders))]+"借款本金", g.amount(20000, 2000000, 1000), "及利息")
	case x < 0.52:
		return money("偿还"+g.maskedName()+"借款本金", g.amount(5000, 1500000, 1000), "及利息")
	case x < 0.62:
		return money("偿还信用卡透支本金", g.amount(5000, 200000, 1), "及利息、滞纳金")
	case x < 0.70:
		return money("支付货款", g.amount(5000, 800000, 100), "")
	case x < 0.77:
		return money("支付"+g.maskedName()+"劳动报酬", g.amount(3000, 150000, 100), "")
	case x < 0.85:
		return money("赔偿"+g.maskedName()+"各项损失", g.amount(5000, 600000, 100), "")
	case x < 0.90:
		return money("返还购房款", g.amount(50000, 1500000, 1000), "")
	case x < 0.94:
		return money("支付租金", g.amount(6000, 300000, 100), "")
	case x < 0.97:
		return fmt.Sprintf("每月支付子女抚养费%d元至子女年满十八周岁", g.between(6, 30)*100), 0
	default:
		return money("返还彩礼", g.amount(20000, 200000, 1000), "")
	}
}

// caseRef draws a case number at ct in year, unique on list.
func (g *gen) caseRef(list string, ct *court, year int, kind string) string {
	return g.uniqueRef(list, func() string {
		return fmt.Sprintf("（%d）%s%s%d号", year, ct.code, kind, g.serial(ct.maxSeq))
	})
}

// debtor picks who a court case is against: a person or an organisation,
// new or (rarely) one already listed with another case.
func (g *gen) debtor(l *catalog.List, orgShare float64, ct *court, reuse []person, reuseOrgs []company, reuseShare float64) (entry.Subject, *person) {
	kind := pickKind(l, orgShare, g)
	c := ct.cityOf()
	if kind == subject.Org {
		if len(reuseOrgs) > 20 && g.chance(reuseShare) {
			co := reuseOrgs[g.r.IntN(len(reuseOrgs))]
			return co.subject(), nil
		}
		co := g.newCompany(c, "")
		if l.Code == "court.dishonest" {
			g.courtOrgs = append(g.courtOrgs, co)
		}
		return co.subject(), nil
	}
	var p person
	if len(reuse) > 20 && g.chance(reuseShare) {
		p = reuse[g.r.IntN(len(reuse))]
	} else {
		p = g.newPerson(c, 0.76, true)
		if l.Code == "court.dishonest" {
			g.courtPersons = append(g.courtPersons, p)
		}
	}
	return p.subject(), &p
}

// pickKind chooses a subject kind the list takes, org with orgShare.
func pickKind(l *catalog.List, orgShare float64, g *gen) subject.Kind {
	person, org := catalog.Has(l.SubjectKinds, subject.Person), catalog.Has(l.SubjectKinds, subject.Org)
	switch {
	case person && org:
		if g.chance(orgShare) {
			return subject.Org
		}
		return subject.Person
	case org:
		return subject.Org
	}
	return subject.Person
}

// dishonest is one entry of 失信被执行人名单. soon makes its term end within
// the next week, so that expiry shows in the demo.
func (g *gen) dishonest(l *catalog.List, soon bool) entry.Draft {
	ct := courts.pick(g.r)
	ground := grounds.pick(g.r)
	var pub, exp time.Time
	ext := 0
	if soon {
		exp = g.now.Add(time.Duration(6*3600+g.r.IntN(7*86400-6*3600)) * time.Second).Truncate(time.Second)
		pub = exp.AddDate(-2, 0, 0)
	} else {
		if ground == 0 || g.chance(0.2) {
			pub = g.recentDaysAgo(20, 5*365-45)
		} else {
			pub = g.recentDaysAgo(20, 700)
		}
		// Two years, extended a year at a time while the debtor still has
		// not performed (法释〔2017〕7号 第二条: 可以延长一至三年).
		exp = pub.AddDate(2, 0, 0)
		for exp.Before(g.now.AddDate(0, 0, 30)) && ext < 3 {
			exp = exp.AddDate(1, 0, 0)
			ext++
		}
	}
	var filing time.Time
	caseType := "执"
	if g.chance(0.12) {
		caseType = "执恢"
	}
	switch x := g.r.Float64(); {
	case caseType == "执恢":
		filing = g.before(pub, 30, 150)
	case x < 0.70:
		filing = g.before(pub, 60, 200)
	case x < 0.95:
		filing = g.before(pub, 200, 730)
	default:
		filing = g.before(pub, 730, 1800)
	}
	if y := filing.Year(); y < 2016 {
		filing = filing.AddDate(2016-y, 0, 0)
	}
	subj, p := g.debtor(l, 0.18, ct, g.courtPersons, g.courtOrgs, 0.03)
	b := g.enforcementBasis(ct, filing)
	obligation, sum := g.obligation(subj.Kind, b)
	details := map[string]string{
		"court":        ct.name,
		"province":     "贵州",
		"obligation":   obligation,
		"filing_date":  day(filing),
		"basis_issuer": b.issuer,
		"performance":  "全部未履行",
	}
	if sum >= 2000 && g.chance(0.12) {
		paid := max(100, int(float64(sum)*(0.05+0.6*g.r.Float64()))/100*100)
		details["performance"] = "部分未履行"
		details["performed_part"] = "已履行" + yuan(paid)
		details["unperformed_part"] = "未履行" + yuan(sum-paid) + "及相应利息"
	}
	if caseType == "执恢" {
		details["original_case"] = fmt.Sprintf("（%d）%s执%d号", filing.Year()-g.between(1, 4), ct.code, g.between(1, ct.maxSeq))
	}
	if ext > 0 && ground != 0 {
		details["term_extension"] = fmt.Sprintf("延长%d年", ext)
	}
	if p != nil {
		if p.nationality != "" {
			details["nationality"] = p.nationality
		} else {
			details["sex"] = p.sexZH()
			details["age"] = itoa(p.ageOn(pub))
		}
	}
	return entry.Draft{
		SourceRef:   g.caseRef(l.Code, ct, filing.Year(), caseType),
		Subject:     subj,
		Reason:      groundText[ground],
		LegalBasis:  b.doc,
		PublishedAt: stamp(pub),
		ExpiresAt:   stamp(exp),
		Details:     details,
	}
}

// restricted is one 限制消费令 (法释〔2015〕17号): issued in an enforcement
// case against a debtor who did not perform within the notice period.
func (g *gen) restricted(l *catalog.List) entry.Draft {
	ct := courts.pick(g.r)
	pub := g.withinTerm(l, 5*365-45)
	filing := g.before(pub, 20, 240)
	if y := filing.Year(); y < 2016 {
		filing = filing.AddDate(2016-y, 0, 0)
	}
	subj, p := g.debtor(l, 0.25, ct, g.courtPersons, g.courtOrgs, 0.08)
	b := g.enforcementBasis(ct, filing)
	ref := g.caseRef(l.Code, ct, filing.Year(), "执")
	obligation, _ := g.obligation(subj.Kind, b)
	details := map[string]string{
		"court":        ct.name,
		"province":     "贵州",
		"obligation":   obligation,
		"filing_date":  day(filing),
		"basis_doc":    b.doc,
		"basis_issuer": b.issuer,
		"order_date":   day(pub),
	}
	if subj.Kind == subject.Org {
		details["restricted_persons"] = "法定代表人" + subj.LegalRep.Name
	}
	if p != nil && p.nationality == "" {
		details["sex"] = p.sexZH()
	}
	return entry.Draft{
		SourceRef:   ref,
		Subject:     subj,
		Reason:      "未按执行通知书指定的期间履行生效法律文书确定的给付义务",
		LegalBasis:  ref + "限制消费令",
		PublishedAt: stamp(pub),
		Details:     details,
	}
}
