package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/subject"
)

// Summary is what Load did, for the banner.
type Summary struct {
	Orgs, Entries, Checks, Hits, Feedback, Masked int
	Took                                          time.Duration
}

const (
	publishBatch = 5000 // rows per PublishBatch call
	checkWorkers = 32   // concurrent checks: each waits for a durable group commit
	listedShare  = 0.30 // share of checks about a listed subject
	maskedList   = "court.dishonest"
)

// Load creates the organisations (as admin), publishes every entry through
// PublishBatch, then plays out the platform's daily life: checks by the
// departments (clear subjects and listed ones, so there are blocks,
// restrictions, warnings, incentives, legal-representative hits and name
// mismatches), feedback on most hits, and courts masking a few hundred
// dishonest-list entries whose debtors performed (履行完毕) — some of them
// debtors who were just blocked and come back to find the way clear. Any row
// the platform rejects is an error.
//
// With clock set (the platform's clock), the checks are spread over the
// last HistoryDays days, more of them on recent days, and a few left
// without feedback become overdue, as on a real platform.
func Load(ctx context.Context, p *platform.Platform, admin *org.Org, ds *Dataset, checks int, clock *Clock) (Summary, error) {
	start := time.Now()
	var sum Summary
	for _, group := range [][]*Org{ds.Sources, ds.Departments, ds.Supervisors} {
		for _, o := range group {
			tok, err := p.CreateOrg(ctx, admin, o.Org)
			if err != nil {
				return sum, fmt.Errorf("create organisation %s: %w", o.Org.Code, err)
			}
			o.Token = tok
			sum.Orgs++
		}
	}

	ids, n, err := publishAll(ctx, p, ds)
	sum.Entries = n
	if err != nil {
		return sum, err
	}

	pl := planLoad(ds, p.Catalog(), checks, p.Now())
	actors := map[string]*org.Org{}
	for _, o := range ds.Departments {
		a, err := p.Authenticate(o.Token)
		if err != nil {
			return sum, fmt.Errorf("department %s: %w", o.Org.Code, err)
		}
		actors[o.Org.Code] = a
	}

	run := func(cs []plannedCheck) error {
		c, h, f, err := runChecks(ctx, p, actors, cs)
		sum.Checks += c
		sum.Hits += h
		sum.Feedback += f
		return err
	}
	if err := runHistory(run, pl.checks, clock); err != nil {
		return sum, err
	}

	// Debtors pay; the court masks their entries; the next check is clear.
	if src := sourceOf(ds.Sources, maskedList); src != nil && len(pl.masks) > 0 {
		court, err := p.Authenticate(src.Token)
		if err != nil {
			return sum, err
		}
		for k, i := range pl.masks {
			reason := maskReasons[k%len(maskReasons)]
			_, ok, err := p.ChangeState(ctx, court, ids[maskedList][i], entry.MaskedC, reason, "performed")
			if err != nil {
				return sum, fmt.Errorf("mask %s: %w", ds.Entries[maskedList][i].SourceRef, err)
			}
			if ok {
				sum.Masked++
			}
		}
	}
	if err := run(pl.after); err != nil {
		return sum, err
	}
	sum.Took = time.Since(start)
	return sum, nil
}

// runHistory runs the checks day by day over the past fortnight (all now,
// without a clock). Day d gets a share growing towards today.
func runHistory(run func([]plannedCheck) error, cs []plannedCheck, clock *Clock) error {
	if clock == nil {
		return run(cs)
	}
	defer clock.set(0)
	weights, total := make([]int, HistoryDays), 0
	for d := range weights {
		weights[d] = 6 + d // oldest day first
		total += weights[d]
	}
	from := 0
	for d, w := range weights {
		to := from + len(cs)*w/total
		if d == len(weights)-1 {
			to = len(cs)
		}
		// Office hours of that day.
		clock.set(-time.Duration(HistoryDays-1-d)*24*time.Hour - 3*time.Hour)
		if err := run(cs[from:to]); err != nil {
			return err
		}
		from = to
	}
	return nil
}

var maskReasons = []string{
	"被执行人已履行生效法律文书确定的全部义务",
	"被执行人已缴纳全部执行款，执行完毕",
	"被执行人与申请执行人达成和解并已履行完毕",
	"被执行人出售名下房产所得价款已交至法院，债务清偿完毕",
}

// publishAll publishes every list's drafts through its source, in batches,
// and returns the entry IDs by list and draft index.
func publishAll(ctx context.Context, p *platform.Platform, ds *Dataset) (map[string][]int64, int, error) {
	ids := make(map[string][]int64, len(ds.Entries))
	total := 0
	for _, code := range ds.listOrder() {
		drafts := ds.Entries[code]
		src := sourceOf(ds.Sources, code)
		if src == nil {
			return ids, total, fmt.Errorf("no source publishes %s", code)
		}
		actor, err := p.Authenticate(src.Token)
		if err != nil {
			return ids, total, fmt.Errorf("source %s: %w", src.Org.Code, err)
		}
		ids[code] = make([]int64, len(drafts))
		var bad []string
		rejected := 0
		for from := 0; from < len(drafts); from += publishBatch {
			to := min(from+publishBatch, len(drafts))
			rows := make([]platform.Row, to-from)
			for i := range rows {
				rows[i] = platform.Row{Row: from + i + 1, Draft: drafts[from+i]}
			}
			res, err := p.PublishBatch(ctx, actor, code, rows)
			if err != nil {
				return ids, total, fmt.Errorf("publish %s rows %d–%d: %w", code, from+1, to, err)
			}
			for i, r := range res {
				if r.Err != nil || r.Entry == nil {
					rejected++
					if len(bad) < 5 {
						bad = append(bad, fmt.Sprintf("row %d (%s): %v", r.Row, drafts[from+i].SourceRef, r.Err))
					}
					continue
				}
				ids[code][from+i] = r.Entry.ID
				total++
			}
		}
		if rejected > 0 {
			return ids, total, fmt.Errorf("%s: %d of %d generated rows rejected: %s", code, rejected, len(drafts), strings.Join(bad, "; "))
		}
	}
	return ids, total, nil
}

// listOrder is the lists in the order of their sources, then the catalog's.
func (ds *Dataset) listOrder() []string {
	var out []string
	for _, s := range ds.Sources {
		for _, l := range s.Org.Lists {
			if _, ok := ds.Entries[l]; ok && !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	var rest []string
	for l := range ds.Entries {
		if !slices.Contains(out, l) {
			rest = append(rest, l)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// runChecks makes the planned checks from checkWorkers goroutines and reports
// on the hits as planned.
func runChecks(ctx context.Context, p *platform.Platform, actors map[string]*org.Org, cs []plannedCheck) (checks, hits, feedback int, err error) {
	if len(cs) == 0 {
		return 0, 0, 0, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var nc, nh, nf atomic.Int64
	var once sync.Once
	var first error
	fail := func(e error) {
		once.Do(func() { first = e; cancel() })
	}
	jobs := make(chan *plannedCheck)
	var wg sync.WaitGroup
	for range min(checkWorkers, len(cs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				actor := actors[c.dept]
				rec, err := p.Check(ctx, actor, platform.CheckRequest{Item: c.item, Subject: c.subj, Operator: c.operator, Ref: c.ref})
				if err != nil {
					fail(fmt.Errorf("check by %s for %s: %w", c.dept, c.item, err))
					continue
				}
				nc.Add(1)
				if rec.Outcome == catalog.Clear {
					continue
				}
				nh.Add(1)
				f, ok := c.feedback(rec)
				if !ok {
					continue // left for the supervisors to chase
				}
				if _, err := p.Feedback(ctx, actor, rec.ID, f); err != nil {
					fail(fmt.Errorf("feedback by %s on %s: %w", c.dept, rec.ID, err))
					continue
				}
				nf.Add(1)
			}
		}()
	}
	for i := range cs {
		if ctx.Err() != nil {
			break
		}
		jobs <- &cs[i]
	}
	close(jobs)
	wg.Wait()
	if first == nil && ctx.Err() != nil && !errors.Is(ctx.Err(), context.Canceled) {
		first = ctx.Err()
	}
	return int(nc.Load()), int(nh.Load()), int(nf.Load()), first
}

// plannedCheck is one check the simulation makes.
type plannedCheck struct {
	dept          string
	item          string
	subj          check.Subject
	operator, ref string
	listed        *target // nil: a subject on no list
	roll          float64 // decides the feedback
	note          int
}

type targetMode uint8

const (
	selfPerson targetMode = iota
	selfOrg
	legalRep
)

// target is a listed subject a check is about.
type target struct {
	list string
	idx  int
	mode targetMode
}

// What departments write when they report. Allowing a blocked business needs
// a reason; the courts' notes are about the 限制消费 exemption a court may
// grant (法释〔2015〕17号 第三条第二款) or payment not yet reflected.
var (
	courtAllowNotes = []string{
		"经执行法院书面同意，准许其以非本人财产支付该笔必要费用，予以办理",
		"当事人出示执行法院出具的结清证明，经电话核实后予以办理",
		"系因就医需要，执行法院已批准其必要的出行，予以放行",
		"经核实当事人已向法院缴纳全部执行款，屏蔽信息尚未同步，先行办理",
	}
	otherAllowNotes = []string{
		"经核实该主体已完成信用修复，公示信息尚未同步，予以办理",
		"经集体研究，该事项属保障基本民生需要，依法予以办理",
	}
	courtStopNotes = []string{
		"已告知当事人其被列入失信被执行人名单，暂停办理",
		"已告知当事人可向执行法院申请屏蔽或与申请执行人协商履行",
		"已向当事人出具不予受理告知书",
		"",
	}
	otherStopNotes = []string{
		"已告知当事人其存在严重失信记录，依法不予办理",
		"已向当事人出具不予受理告知书",
		"",
	}
	restrictNotes  = []string{"按限制措施从严审查", "不适用告知承诺制，要求提交全部材料", "作为重要考量因素，暂缓办理", ""}
	incentiveNotes = []string{"适用容缺受理", "开通绿色通道，优先办理", "按需领用发票", "降低抽查比例"}
)

// feedback is what the department reports on a check; false when it reports
// nothing (about one hit in seven, for the supervisors to chase).
func (c *plannedCheck) feedback(rec *check.Record) (check.Feedback, bool) {
	f := check.Feedback{Operator: c.operator}
	court := len(rec.Hits) > 0 && strings.HasPrefix(rec.Hits[0].List, "court.")
	pick := func(notes []string) string { return notes[c.note%len(notes)] }
	switch rec.Outcome {
	case catalog.Block, catalog.Restrict:
		switch {
		case c.roll < 0.05 && court:
			f.Action, f.Note = check.Allowed, pick(courtAllowNotes)
		case c.roll < 0.05:
			f.Action, f.Note = check.Allowed, pick(otherAllowNotes)
		case c.roll < 0.87 && rec.Outcome == catalog.Restrict:
			f.Action, f.Note = check.Restricted, pick(restrictNotes)
		case c.roll < 0.87 && court:
			f.Action, f.Note = check.Intercepted, pick(courtStopNotes)
		case c.roll < 0.87:
			f.Action, f.Note = check.Intercepted, pick(otherStopNotes)
		default:
			return f, false
		}
	case catalog.Warn:
		if c.roll >= 0.82 {
			return f, false
		}
		f.Action, f.Note = check.Warned, "已列为重点关注，加强审查"
	case catalog.Incentive:
		if c.roll >= 0.85 {
			return f, false
		}
		f.Action, f.Note = check.Incentivized, pick(incentiveNotes)
	default:
		return f, false
	}
	return f, true
}

// loadPlan is the simulation, decided in advance and from the seed alone.
type loadPlan struct {
	checks []plannedCheck // before the masks
	masks  []int          // indexes into Entries[maskedList]
	after  []plannedCheck // after the masks: blocked debtors who paid, and a few more
}

// Department traffic: the windows where most people come.
var deptWeight = map[string]float64{
	"gy-natural-resources": 3, "gy-wudang-bdc": 2, "gy-yunyan-bdc": 2, "gy-airport": 3, "gy-airline": 2,
	"gy-railway": 3, "gy-railway-north": 2, "gy-public-resources": 2, "gy-education": 1.5, "gy-housing": 2,
	"gy-market": 2, "gy-tax": 2, "gy-government-services": 2,
}

// itemOrgShare is the share of organisations among the applicants for items
// that both persons and organisations apply for.
var itemOrgShare = map[string]float64{
	"real_estate.transfer": 0.12, "real_estate.first_registration": 0.3, "housing.sale_contract": 0.1,
	"housing.office_lease": 0.6, "vehicle.registration": 0.15, "hotel.star_booking": 0.05,
	"insurance.wealth_product": 0.1, "banking.loan": 0.45, "subsidy.apply": 0.6,
}

// planLoad decides the checks and masks of Load. now is only used for
// comparing terms; the plan depends on the dataset and the seed.
func planLoad(ds *Dataset, cat *catalog.Catalog, checks int, now time.Time) *loadPlan {
	r := rand.New(rand.NewPCG(uint64(ds.seed), 0x636865636b73)) // "checks"
	when := ds.now
	if when.IsZero() {
		when = now
	}
	checks = max(checks, 0)
	total := 0
	for _, d := range ds.Entries {
		total += len(d)
	}
	g := newGen(ds.seed^0x5eed, when, total+checks)
	count := map[string]int{} // subject key → entries naming it, as subject or legal representative
	type pools struct{ persons, orgs, reps []int }
	pool := map[string]*pools{}
	for _, code := range ds.listOrder() {
		pl := &pools{}
		pool[code] = pl
		for i, d := range ds.Entries[code] {
			if id, err := subject.Parse(d.Subject.IDType, d.Subject.ID); err == nil {
				count[id.Key]++
				g.keys[id.Key] = struct{}{}
			}
			if d.Subject.LegalRep != nil {
				if id, err := subject.Parse(d.Subject.LegalRep.IDType, d.Subject.LegalRep.ID); err == nil {
					count[id.Key]++
					g.keys[id.Key] = struct{}{}
				}
				pl.reps = append(pl.reps, i)
			}
			if d.Subject.Kind == subject.Org {
				pl.orgs = append(pl.orgs, i)
			} else {
				pl.persons = append(pl.persons, i)
			}
		}
	}

	// What a check on each item can hit.
	type way struct {
		list string
		mode targetMode
	}
	ways := map[string][]way{}
	personish := map[string]bool{}
	orgish := map[string]bool{}
	for _, it := range cat.Items {
		for _, mc := range it.Measures {
			m := cat.Measure(mc)
			if m == nil {
				continue
			}
			if catalog.Has(m.SubjectKinds, subject.Person) || m.ReachesLegalRep {
				personish[it.Code] = true
			}
			if catalog.Has(m.SubjectKinds, subject.Org) {
				orgish[it.Code] = true
			}
			for _, lc := range m.Lists {
				pl := pool[lc]
				if pl == nil {
					continue
				}
				add := func(w way) {
					if !slices.Contains(ways[it.Code], w) {
						ways[it.Code] = append(ways[it.Code], w)
					}
				}
				if catalog.Has(m.SubjectKinds, subject.Person) && len(pl.persons) > 0 {
					add(way{lc, selfPerson})
				}
				if catalog.Has(m.SubjectKinds, subject.Org) && len(pl.orgs) > 0 {
					add(way{lc, selfOrg})
				}
				if m.ReachesLegalRep && len(pl.reps) > 0 {
					add(way{lc, legalRep})
				}
			}
		}
	}

	depts := make([]*Org, 0, len(ds.Departments))
	ws := make([]float64, 0, len(ds.Departments))
	for _, o := range ds.Departments {
		if len(o.Org.Items) == 0 {
			continue
		}
		depts = append(depts, o)
		w, ok := deptWeight[o.Org.Code]
		if !ok {
			w = 1
		}
		ws = append(ws, w)
	}
	if len(depts) == 0 {
		return &loadPlan{}
	}
	pickDept := newWeighted(depts, ws)
	seqs := map[string]int{}

	mk := func(o *Org, item string) plannedCheck {
		info, ok := ds.dept[o.Org.Code]
		if !ok {
			info = deptInfo{strings.ToUpper(strings.ReplaceAll(strings.TrimPrefix(o.Org.Code, "gy-"), "-", "")), "窗口"}
		}
		seqs[o.Org.Code] += 1 + r.IntN(40)
		c := plannedCheck{dept: o.Org.Code, item: item, roll: r.Float64(), note: r.IntN(1000),
			operator: fmt.Sprintf("%s%02d", info.window, 1+r.IntN(16))}
		switch info.prefix {
		case "E": // a 12306 order
			c.ref = "E" + digits(r, 9)
		case "CZ3": // a China Southern ticket
			c.ref = "784-" + digits(r, 10)
		default:
			c.ref = fmt.Sprintf("%s-%d-%06d", info.prefix, when.Year(), seqs[o.Org.Code])
		}
		return c
	}
	clear := func(c *plannedCheck) {
		share, ok := itemOrgShare[c.item]
		if !ok {
			share = 0.75 // licences, bidding, funds: mostly organisations
		}
		isOrg := orgish[c.item] && (!personish[c.item] || r.Float64() < share)
		if isOrg {
			co := g.newCompany(nil, "")
			c.subj = check.Subject{IDType: subject.USCC, ID: co.id, Name: co.name}
			return
		}
		p := g.newPerson(nil, 0.52, true)
		c.subj = check.Subject{IDType: p.idType, ID: p.id, Name: p.name}
	}
	listed := func(c *plannedCheck) bool {
		ww := ways[c.item]
		if len(ww) == 0 {
			return false
		}
		w := ww[r.IntN(len(ww))]
		if w.mode == legalRep && r.Float64() < 0.4 { // legal representatives are checked less often
			w = ww[r.IntN(len(ww))]
		}
		// Where an item rewards, the applicants who come are mostly the
		// trustworthy ones.
		if red := slices.DeleteFunc(slices.Clone(ww), func(w way) bool { return !isRed(cat, w.list) }); len(red) > 0 && r.Float64() < 0.6 {
			w = red[r.IntN(len(red))]
		}
		pl := pool[w.list]
		var idx int
		switch w.mode {
		case selfPerson:
			idx = pl.persons[r.IntN(len(pl.persons))]
		case selfOrg:
			idx = pl.orgs[r.IntN(len(pl.orgs))]
		default:
			idx = pl.reps[r.IntN(len(pl.reps))]
		}
		d := ds.Entries[w.list][idx]
		c.listed = &target{w.list, idx, w.mode}
		s := d.Subject
		switch w.mode {
		case legalRep:
			c.subj = check.Subject{IDType: s.LegalRep.IDType, ID: s.LegalRep.ID, Name: s.LegalRep.Name}
		default:
			c.subj = check.Subject{IDType: s.IDType, ID: s.ID, Name: s.Name}
		}
		// The identity chain: some departments still send the 15-digit ID
		// or the old organisation code.
		switch {
		case c.subj.IDType == subject.ResidentID && strings.HasPrefix(c.subj.ID[6:], "19") && r.Float64() < 0.04:
			c.subj.ID = c.subj.ID[:6] + c.subj.ID[8:17]
		case c.subj.IDType == subject.USCC && r.Float64() < 0.12:
			c.subj.IDType, c.subj.ID = subject.OrgCode, c.subj.ID[8:16]+"-"+c.subj.ID[16:17]
		}
		if r.Float64() < 0.05 {
			c.subj.Name = misspell(r, c.subj.Name)
		}
		return true
	}
	plan := func() plannedCheck {
		o := pickDept.pick(r)
		c := mk(o, o.Org.Items[r.IntN(len(o.Org.Items))])
		if r.Float64() >= listedShare || !listed(&c) {
			clear(&c)
		}
		return c
	}

	reserve := min(20, checks/50)
	out := &loadPlan{checks: make([]plannedCheck, 0, checks)}
	for range checks - reserve {
		out.checks = append(out.checks, plan())
	}

	// Masks: dishonest-list entries whose subject is on no other entry, whose
	// term is not about to end anyway; first debtors just blocked (they pay
	// and come back, as 封某全 and 徐某 did), then others.
	dishonest := ds.Entries[maskedList]
	want := min(300, max(1, len(dishonest)/180))
	if len(dishonest) == 0 {
		want = 0
	}
	maskable := func(i int) bool {
		d := dishonest[i]
		id, err := subject.Parse(d.Subject.IDType, d.Subject.ID)
		if err != nil || count[id.Key] != 1 {
			return false
		}
		if rep := d.Subject.LegalRep; rep != nil {
			rid, err := subject.Parse(rep.IDType, rep.ID)
			if err != nil || count[rid.Key] != 1 {
				return false
			}
		}
		if d.ExpiresAt != "" {
			if t, err := entry.ParseTime("expires_at", d.ExpiresAt); err != nil || t.Before(when.AddDate(0, 0, 30)) {
				return false
			}
		}
		return true
	}
	chosen := map[int]bool{}
	for i := range out.checks {
		c := &out.checks[i]
		if len(out.masks) >= want/3 || len(out.after) >= reserve {
			break
		}
		if c.listed == nil || c.listed.list != maskedList || c.listed.mode == legalRep || chosen[c.listed.idx] || !maskable(c.listed.idx) {
			continue
		}
		chosen[c.listed.idx] = true
		out.masks = append(out.masks, c.listed.idx)
		again := mk(depts[slices.IndexFunc(depts, func(o *Org) bool { return o.Org.Code == c.dept })], c.item)
		again.subj = c.subj
		again.subj.Name = d0(ds, c.listed) // they come back with their own name spelt right
		out.after = append(out.after, again)
	}
	for tries := 0; len(out.masks) < want && tries < want*50; tries++ {
		i := r.IntN(len(dishonest))
		if chosen[i] || !maskable(i) {
			continue
		}
		chosen[i] = true
		out.masks = append(out.masks, i)
	}
	for len(out.after) < reserve {
		out.after = append(out.after, plan())
	}
	return out
}

func isRed(cat *catalog.Catalog, list string) bool {
	l := cat.List(list)
	return l != nil && l.Kind == catalog.Red
}

// d0 is the listed name of a target.
func d0(ds *Dataset, t *target) string {
	s := ds.Entries[t.list][t.idx].Subject
	if t.mode == legalRep {
		return s.LegalRep.Name
	}
	return s.Name
}
