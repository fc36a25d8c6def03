package demo

import (
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/subject"
)

// gen draws the demo world. Everything it makes comes from r, so a seed
// gives the same world every time.
type gen struct {
	r     *rand.Rand
	now   time.Time // China time
	keys  map[string]struct{}
	refs  map[string]struct{}
	names map[string]struct{}
	reps  []person // legal representatives made so far, for the odd one with two companies

	misses int // consecutive reference collisions, see serial

	courtPersons []person  // on court.dishonest, for repeat cases and cross-listing
	courtOrgs    []company // on court.dishonest
	blackOrgs    []company // on the other black and watch lists
	aGrade       []company // on tax.a_grade, most AEO enterprises are among them
}

// newGen starts a generator for about n subjects.
func newGen(seed int64, now time.Time, n int) *gen {
	return &gen{
		r:     rand.New(rand.NewPCG(uint64(seed), 0x6368656e67786e)), // "chengxn"
		now:   now.In(entry.CST),
		keys:  make(map[string]struct{}, n+n/2),
		refs:  make(map[string]struct{}, n),
		names: make(map[string]struct{}, n/2),
	}
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// between draws uniformly in [lo, hi].
func (g *gen) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

// claim records a subject key; false when it was taken.
func (g *gen) claim(key string) bool {
	if _, ok := g.keys[key]; ok {
		return false
	}
	g.keys[key] = struct{}{}
	return true
}

// claimRef records a source reference on a list; false when taken.
func (g *gen) claimRef(list, ref string) bool {
	k := list + "\x00" + ref
	if _, ok := g.refs[k]; ok {
		return false
	}
	g.refs[k] = struct{}{}
	return true
}

// newPerson makes a person not made before, born in Guizhou (mostly in c
// when given) or, for some, elsewhere. maleShare is the share of men.
func (g *gen) newPerson(c *city, maleShare float64, foreign bool) person {
	r := g.r
	if foreign {
		switch x := r.Float64(); {
		case x < 0.004:
			f := foreigners[r.IntN(len(foreigners))]
			for {
				p := person{idType: subject.Passport, id: f.passport(r), name: f.names[r.IntN(len(f.names))], male: r.Float64() < maleShare, nationality: f.nationality}
				if g.claim("P" + p.id) {
					return p
				}
			}
		case x < 0.007:
			return g.gbPerson(subject.HKMacauPermit, []string{"810000", "820000"}[r.IntN(2)], maleShare)
		case x < 0.008:
			return g.gbPerson(subject.TaiwanPermit, "830000", maleShare)
		}
	}
	var reg string
	switch {
	case c != nil && r.Float64() < 0.7:
		reg = c.idRegion(r)
	case r.Float64() < 0.88:
		reg = guizhouCity.pick(r).idRegion(r)
	default:
		reg = otherRegions.pick(r).code
	}
	return g.gbPerson(subject.ResidentID, reg, maleShare)
}

// gbPerson makes a person with a GB 11643 number in region.
func (g *gen) gbPerson(t subject.IDType, reg string, maleShare float64) person {
	r := g.r
	maxYear := min(2000, g.now.Year()-25) // adults five years back, whatever now is
	for {
		male := r.Float64() < maleShare
		y := min(birthYear(r), maxYear)
		m, d := randomDate(r, y)
		seq := r.IntN(500) * 2
		if male {
			seq++
		}
		if seq == 0 {
			seq = 2
		}
		id := gb11643(reg, y, m, d, seq)
		if !g.claim("I" + id) {
			continue
		}
		return person{idType: t, id: id, name: chineseName(r, male, y), male: male,
			birth: time.Date(y, time.Month(m), d, 0, 0, 0, 0, entry.CST)}
	}
}

// company is a generated organisation with its legal representative.
type company struct {
	id   string
	name string
	rep  person
	city *city
}

func (c company) subject() entry.Subject {
	return entry.Subject{Kind: subject.Org, IDType: subject.USCC, ID: c.id, Name: c.name, LegalRep: c.rep.entryPerson()}
}

var (
	brandA = []rune("鑫宏恒盛华金永瑞兴隆顺泰丰源达通诚信嘉鼎博聚汇润天中万亿众安新黔筑云凯宇昊锦铭明德福荣昌伟正长乾坤同佳")
	brandB = []rune("达源通盛泰丰华信诚发鑫宇辉成远峰昌隆邦翔瑞兴川海阳创科林航能途和康越杰祥腾捷程基茂晟")
	places = []string{"林城", "黔灵", "甲秀", "筑城", "黔中", "多彩", "云岭", "乌江", "红枫", "娄山", "梵净", "南江", "百花", "阳明", "爽爽", "山水"}

	industries = newWeighted(
		[]string{"建筑工程", "房地产开发", "商贸", "科技", "建材", "劳务", "酒业", "矿业", "物流", "餐饮管理",
			"装饰工程", "投资管理", "农业开发", "茶业", "医药", "汽车销售服务", "置业", "物业管理", "旅游开发", "大数据科技",
			"信息技术", "混凝土", "运输", "市政工程", "园林绿化工程", "食品", "机械设备", "广告传媒", "电子商务", "环保科技",
			"能源", "实业"},
		[]float64{10, 7, 12, 8, 5, 4, 3, 2, 4, 4, 5, 2, 4, 1.5, 2, 2, 2, 2, 1.5, 2, 3, 1.5, 3, 3, 2, 2, 2, 2, 2, 1.5, 1, 3})

	newBodies = []string{"MA6D", "MA6E", "MA6H", "MA6J", "MAAJ", "MAAK"}
	oldBodies = []string{"21", "70", "73", "75", "77", "66", "68", "69", "55", "56", "57", "58", "59", "09", "08", "32", "33", "34"}
)

// newCompany makes an organisation in c (a random prefecture if nil). Give
// an industry to fix it ("" draws one).
func (g *gen) newCompany(c *city, industry string) company {
	return g.companyAt(c, "", industry)
}

// companyAt makes an organisation registered in region of c ("" for any of
// its regions).
func (g *gen) companyAt(c *city, region, industry string) company {
	r := g.r
	if c == nil {
		c = guizhouCity.pick(r)
	}
	if industry == "" {
		industry = industries.pick(r)
		if c.key == "zunyi" && r.Float64() < 0.2 {
			industry = "酒业" // 仁怀, 茅台镇
		}
	}
	var name string
	for {
		var b strings.Builder
		b.WriteString(c.abbr[r.IntN(len(c.abbr))])
		if r.Float64() < 0.08 {
			b.WriteString(places[r.IntN(len(places))])
		}
		a := brandA[r.IntN(len(brandA))]
		z := brandB[r.IntN(len(brandB))]
		if a == z {
			continue
		}
		b.WriteRune(a)
		b.WriteRune(z)
		b.WriteString(industry)
		switch x := r.Float64(); {
		case x < 0.02:
			b.WriteString("股份有限公司")
		case x < 0.10:
			b.WriteString("有限责任公司")
		default:
			b.WriteString("有限公司")
		}
		name = b.String()
		if _, taken := g.names[name]; !taken {
			g.names[name] = struct{}{}
			break
		}
	}
	var id string
	for {
		var body string
		if r.Float64() < 0.6 {
			body = newBodies[r.IntN(len(newBodies))] + alnum(r, 4)
		} else {
			body = oldBodies[r.IntN(len(oldBodies))] + digits(r, 6)
		}
		reg := region
		if reg == "" {
			reg = c.companyRegion(r)
		}
		id = uscc("91", reg, body)
		if g.claim("O" + id[8:17]) {
			break
		}
	}
	var rep person
	if len(g.reps) > 20 && r.Float64() < 0.06 {
		rep = g.reps[r.IntN(len(g.reps))] // one boss, two companies
	} else {
		rep = g.newPerson(c, 0.8, false)
		g.reps = append(g.reps, rep)
	}
	return company{id: id, name: name, rep: rep, city: c}
}

func alnum(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = usccAlphabet[r.IntN(len(usccAlphabet))]
	}
	return string(b)
}

// Times. Everything official happens on a working day in office hours.

// daysAgo returns a moment between lo and hi days before now (lo >= 1), in
// office hours, never after now.
func (g *gen) daysAgo(lo, hi float64) time.Time {
	d := lo + g.r.Float64()*(hi-lo)
	return g.office(g.now.Add(-time.Duration(d * 24 * float64(time.Hour))))
}

// recentDaysAgo is daysAgo skewed towards recent days, as lists grow.
func (g *gen) recentDaysAgo(lo, hi float64) time.Time {
	d := lo + math.Pow(g.r.Float64(), 1.3)*(hi-lo)
	return g.office(g.now.Add(-time.Duration(d * 24 * float64(time.Hour))))
}

// office moves t to a working day (back to Friday from a weekend) at a time
// between 08:30 and 17:30.
func (g *gen) office(t time.Time) time.Time {
	t = t.In(entry.CST)
	switch t.Weekday() {
	case time.Saturday:
		t = t.AddDate(0, 0, -1)
	case time.Sunday:
		t = t.AddDate(0, 0, -2)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 8, 30, 0, 0, entry.CST).Add(time.Duration(g.r.IntN(9*3600)) * time.Second)
}

// before returns a working day lo to hi days before t.
func (g *gen) before(t time.Time, lo, hi int) time.Time {
	return g.office(t.AddDate(0, 0, -g.between(lo, hi)))
}

func stamp(t time.Time) string { return t.In(entry.CST).Format(time.RFC3339) }
func day(t time.Time) string   { return t.In(entry.CST).Format("2006-01-02") }

// yuan formats an amount of money as the documents do.
func yuan(v int) string { return itoa(v) + "元" }

func itoa(v int) string {
	if v < 0 {
		return "-" + itoa(-v)
	}
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return string(b[i:])
}

// amount draws a sum of money log-uniformly in [lo, hi], rounded to round.
func (g *gen) amount(lo, hi, round float64) int {
	v := math.Exp(math.Log(lo) + g.r.Float64()*(math.Log(hi)-math.Log(lo)))
	return int(math.Max(round, math.Round(v/round)*round))
}

// maskedName is how a judgment names a private party: 王某, 李某某.
func (g *gen) maskedName() string {
	s := surnames.pick(g.r)
	if g.chance(0.4) {
		return s + "某某"
	}
	return s + "某"
}
