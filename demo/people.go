package demo

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/subject"
)

// weighted picks from a table of (value, weight) pairs by cumulative weight.
type weighted[T any] struct {
	vals []T
	cum  []float64
}

func newWeighted[T any](vals []T, weights []float64) *weighted[T] {
	w := &weighted[T]{vals: vals, cum: make([]float64, len(weights))}
	total := 0.0
	for i, x := range weights {
		total += x
		w.cum[i] = total
	}
	return w
}

func (w *weighted[T]) pick(r *rand.Rand) T {
	x := r.Float64() * w.cum[len(w.cum)-1]
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return w.vals[lo]
}

// Surnames by approximate frequency in Guizhou (national order, with the
// province's 杨, 罗, 吴, 龙, 石, 韦, 潘 weighted up), per mille.
var surnames = func() *weighted[string] {
	const table = "王71 李70 张65 刘53 陈46 杨48 黄25 赵22 吴26 周18 徐13 孙11 马11 朱10 胡13 郭9 何12 林8 罗20 高9 " +
		"郑8 梁7 谢8 宋6 唐8 许5 韩5 冯6 邓8 曹5 彭6 曾6 肖5 田8 董4 袁6 潘7 于3 蒋5 蔡4 余5 杜4 叶4 程4 魏4 " +
		"苏3 吕3 丁3 任4 卢3 姚3 沈2 钟3 姜2 崔2 谭4 陆3 汪3 范3 石8 龙8 韦5 蒙2 班1 封1 雷4 熊5 金2 廖4 " +
		"贺2 邹3 母1 穆1 敖1 申1 文2 付3 令狐0.5 欧阳0.5"
	var vals []string
	var ws []float64
	for _, f := range strings.Fields(table) {
		i := strings.IndexAny(f, "0123456789")
		vals = append(vals, f[:i])
		ws = append(ws, atof(f[i:]))
	}
	return newWeighted(vals, ws)
}()

func atof(s string) float64 {
	v, frac, div := 0.0, false, 1.0
	for _, c := range s {
		if c == '.' {
			frac = true
			continue
		}
		v = v*10 + float64(c-'0')
		if frac {
			div *= 10
		}
	}
	return v / div
}

// Given-name pools by sex: characters that end a name (or make a one-character
// name), characters that start a two-character name, and whole names typical
// of people born before 1970.
var (
	maleLast    = []rune("伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林磊国建文志兵成海峰东亮毅坤江贵福祥发荣生德庆忠松林彬勋昌洪云武")
	maleFirst   = []rune("建国志永德明文小家俊子浩宇晓海金正天世兴光学绍开有继庆启昌先云仕")
	maleOld     = []string{"建国", "建华", "国强", "国华", "志强", "德明", "永红", "光荣", "文华", "建军", "卫东", "红兵", "正荣", "世明", "福贵", "发贵", "贵华", "明亮", "国富", "忠华", "开明", "永贵", "德富", "绍华"}
	femaleLast  = []rune("芳娜敏静丽艳娟霞秀英玲燕萍红梅琳雪婷倩慧颖琴兰凤洁莉丹春云玉桂珍晶欢媛佳蓉露瑶琼莎")
	femaleFirst = []rune("秀玉春丽小晓雪美海金红思欣佳雅梦婷慧桂淑小明")
	femaleOld   = []string{"秀英", "桂英", "玉兰", "秀兰", "桂兰", "淑珍", "玉梅", "秀珍", "桂芳", "春梅", "凤英", "秀芳", "玉珍", "红梅", "素芬", "玉芬", "德芬", "光碧", "正芬", "开琼"}
)

// homophones give the wrong-character spellings departments actually send,
// for name-mismatch checks.
var homophones = map[rune][]rune{
	'伟': []rune("玮炜"), '明': []rune("铭鸣"), '丽': []rune("莉俐"), '华': []rune("桦骅"), '军': []rune("君钧"),
	'静': []rune("婧靖"), '芳': []rune("方舫"), '杰': []rune("洁捷"), '涛': []rune("韬滔"), '刚': []rune("钢岗"),
	'平': []rune("萍坪"), '辉': []rune("晖徽"), '红': []rune("宏鸿"), '兵': []rune("斌彬"), '林': []rune("琳霖"),
	'英': []rune("瑛莹"), '玲': []rune("铃羚"), '燕': []rune("艳雁"), '梅': []rune("媚玫"), '云': []rune("芸耘"),
	'峰': []rune("锋丰"), '海': []rune("瀚"), '强': []rune("蔷"), '勇': []rune("永咏"), '飞': []rune("菲斐"),
}

// region is a six-digit division code and the name of the place.
type region struct{ code, name string }

// city is a prefecture: its city-level division code, the current district
// codes, and the legacy codes still found on ID cards issued before the
// districts were reorganised.
type city struct {
	key     string
	name    string
	code    string   // city-level division code, for companies registered with the city
	abbr    []string // company-name prefixes
	regions []region
	legacy  []region
}

func (c *city) idRegion(r *rand.Rand) string {
	if len(c.legacy) > 0 && r.Float64() < 0.15 {
		return c.legacy[r.IntN(len(c.legacy))].code
	}
	return c.regions[r.IntN(len(c.regions))].code
}

func (c *city) companyRegion(r *rand.Rand) string {
	if r.Float64() < 0.3 {
		return c.code
	}
	return c.regions[r.IntN(len(c.regions))].code
}

var cities = []*city{
	{key: "guiyang", name: "贵阳市", code: "520100", abbr: []string{"贵阳", "贵州", "贵阳市", "贵州省"}, regions: []region{
		{"520102", "南明区"}, {"520103", "云岩区"}, {"520111", "花溪区"}, {"520112", "乌当区"}, {"520113", "白云区"},
		{"520115", "观山湖区"}, {"520121", "开阳县"}, {"520122", "息烽县"}, {"520123", "修文县"}, {"520181", "清镇市"}},
		legacy: []region{{"520114", "小河区"}}},
	{key: "zunyi", name: "遵义市", code: "520300", abbr: []string{"遵义", "贵州", "遵义市"}, regions: []region{
		{"520302", "红花岗区"}, {"520303", "汇川区"}, {"520304", "播州区"}, {"520322", "桐梓县"}, {"520323", "绥阳县"},
		{"520328", "湄潭县"}, {"520330", "习水县"}, {"520381", "赤水市"}, {"520382", "仁怀市"}},
		legacy: []region{{"522101", "遵义市"}, {"522121", "遵义县"}}},
	{key: "bijie", name: "毕节市", code: "520500", abbr: []string{"毕节", "贵州"}, regions: []region{
		{"520502", "七星关区"}, {"520521", "大方县"}, {"520523", "金沙县"}, {"520524", "织金县"}, {"520526", "威宁彝族回族苗族自治县"},
		{"520581", "黔西市"}},
		legacy: []region{{"522401", "毕节市"}, {"522422", "大方县"}, {"522423", "黔西县"}}},
	{key: "qiandongnan", name: "黔东南苗族侗族自治州", code: "522600", abbr: []string{"凯里", "黔东南", "贵州"}, regions: []region{
		{"522601", "凯里市"}, {"522622", "黄平县"}, {"522625", "镇远县"}, {"522631", "黎平县"}, {"522632", "榕江县"}}},
	{key: "qiannan", name: "黔南布依族苗族自治州", code: "522700", abbr: []string{"都匀", "黔南", "贵州"}, regions: []region{
		{"522701", "都匀市"}, {"522702", "福泉市"}, {"522725", "瓮安县"}, {"522730", "龙里县"}, {"522731", "惠水县"}}},
	{key: "anshun", name: "安顺市", code: "520400", abbr: []string{"安顺", "贵州"}, regions: []region{
		{"520402", "西秀区"}, {"520403", "平坝区"}, {"520422", "普定县"}, {"520423", "镇宁布依族苗族自治县"}},
		legacy: []region{{"522501", "安顺市"}}},
	{key: "liupanshui", name: "六盘水市", code: "520200", abbr: []string{"六盘水", "贵州"}, regions: []region{
		{"520201", "钟山区"}, {"520203", "六枝特区"}, {"520204", "水城区"}, {"520281", "盘州市"}},
		legacy: []region{{"520221", "水城县"}, {"520222", "盘县"}}},
	{key: "tongren", name: "铜仁市", code: "520600", abbr: []string{"铜仁", "贵州"}, regions: []region{
		{"520602", "碧江区"}, {"520603", "万山区"}, {"520624", "思南县"}, {"520628", "松桃苗族自治县"}},
		legacy: []region{{"522201", "铜仁市"}, {"522225", "思南县"}}},
	{key: "qianxinan", name: "黔西南布依族苗族自治州", code: "522300", abbr: []string{"兴义", "黔西南", "贵州"}, regions: []region{
		{"522301", "兴义市"}, {"522302", "兴仁市"}, {"522328", "安龙县"}}},
}

var cityByKey = func() map[string]*city {
	m := map[string]*city{}
	for _, c := range cities {
		m[c.key] = c
	}
	return m
}()

// guizhouCity picks a prefecture by population share.
var guizhouCity = newWeighted(cities, []float64{35, 18, 10, 8, 8, 5, 6, 5, 5})

// Other provinces: people from the neighbours and the coast who owe money in
// Guizhou.
var otherRegions = newWeighted([]region{
	{"510104", "成都市锦江区"}, {"510107", "成都市武侯区"}, {"500103", "重庆市渝中区"}, {"500112", "重庆市渝北区"},
	{"530102", "昆明市五华区"}, {"430102", "长沙市芙蓉区"}, {"440106", "广州市天河区"}, {"440304", "深圳市福田区"},
	{"330782", "义乌市"}, {"350582", "晋江市"}, {"350583", "南安市"}, {"420106", "武汉市武昌区"}, {"450102", "南宁市兴宁区"},
}, []float64{12, 8, 10, 8, 5, 6, 5, 5, 3, 4, 3, 4, 4})

// foreigners are the few passport holders on the court lists.
var foreigners = []struct {
	nationality string
	names       []string
	passport    func(r *rand.Rand) string
}{
	{"韩国", []string{"KIM MINJUN", "PARK JIHOON", "LEE SEOYEON", "CHOI DONGHYUN"}, func(r *rand.Rand) string { return "M" + digits(r, 8) }},
	{"越南", []string{"NGUYEN VAN HUNG", "TRAN THI MAI", "LE VAN NAM"}, func(r *rand.Rand) string { return "C" + digits(r, 7) }},
	{"美国", []string{"JOHN SMITH", "MICHAEL BROWN", "DAVID MILLER"}, func(r *rand.Rand) string { return "5" + digits(r, 8) }},
	{"马来西亚", []string{"TAN WEI MING", "LIM CHEE KEONG"}, func(r *rand.Rand) string { return "A" + digits(r, 8) }},
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// person is a generated natural person.
type person struct {
	idType      subject.IDType
	id          string
	name        string
	male        bool
	birth       time.Time // zero for passports
	nationality string
}

func (p person) entryPerson() *entry.Person {
	return &entry.Person{IDType: p.idType, ID: p.id, Name: p.name}
}

func (p person) subject() entry.Subject {
	return entry.Subject{Kind: subject.Person, IDType: p.idType, ID: p.id, Name: p.name}
}

// age on t in whole years.
func (p person) ageOn(t time.Time) int {
	y := t.Year() - p.birth.Year()
	if t.Month() < p.birth.Month() || (t.Month() == p.birth.Month() && t.Day() < p.birth.Day()) {
		y--
	}
	return y
}

func (p person) sexZH() string {
	if p.male {
		return "男"
	}
	return "女"
}

// chineseName builds a name for a person born in year.
func chineseName(r *rand.Rand, male bool, year int) string {
	s := surnames.pick(r)
	last, first, old := femaleLast, femaleFirst, femaleOld
	if male {
		last, first, old = maleLast, maleFirst, maleOld
	}
	single := 0.22
	switch {
	case year < 1970 && r.Float64() < 0.35:
		return s + old[r.IntN(len(old))]
	case year >= 1975 && year < 1992:
		single = 0.32
	}
	if r.Float64() < single {
		return s + string(last[r.IntN(len(last))])
	}
	a := first[r.IntN(len(first))]
	b := last[r.IntN(len(last))]
	for b == a {
		b = last[r.IntN(len(last))]
	}
	return s + string(a) + string(b)
}

// misspell returns the name as a department might type it wrongly: a
// homophone in the given name, or failing that another character.
func misspell(r *rand.Rand, name string) string {
	rs := []rune(name)
	for i := len(rs) - 1; i >= 1; i-- {
		if alt, ok := homophones[rs[i]]; ok {
			rs[i] = alt[r.IntN(len(alt))]
			return string(rs)
		}
	}
	if last := rs[len(rs)-1]; last < 0x80 {
		// A romanised name: one letter off, as typed from a passport.
		if last == 'N' {
			rs[len(rs)-1] = 'M'
		} else {
			rs[len(rs)-1] = 'N'
		}
		return string(rs)
	}
	c := maleLast[r.IntN(len(maleLast))]
	if c == rs[len(rs)-1] {
		c = femaleLast[r.IntN(len(femaleLast))]
	}
	rs[len(rs)-1] = c
	return string(rs)
}

// birthYear draws a year of birth in 1950–2000, most debtors being middle-aged.
func birthYear(r *rand.Rand) int {
	// Sum of two uniforms: a triangle peaking at 1975.
	y := 1950 + int((r.Float64()+r.Float64())*25.5)
	return min(max(y, 1950), 2000)
}

var daysInMonth = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func randomDate(r *rand.Rand, year int) (int, int) {
	m := 1 + r.IntN(12)
	n := daysInMonth[m]
	if m == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		n = 29
	}
	return m, 1 + r.IntN(n)
}
