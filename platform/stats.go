package platform

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
)

// DefaultFeedbackSLA is how long a department has to report on a check with
// hits before the check counts as overdue.
const DefaultFeedbackSLA = 24 * time.Hour

// DefaultStatsPeriod is how far back the figures reach when no start is given.
const DefaultStatsPeriod = 30 * 24 * time.Hour

// CheckStat is one group of checks: one organisation, item and outcome.
type CheckStat struct {
	Org     string
	Item    string
	Outcome catalog.Action
	// Checks is how many checks the group holds; Feedback how many received
	// at least one feedback; Overdue how many received none within the SLA;
	// AllowedOnBlock how many block checks were last reported "allowed".
	Checks, Feedback, Overdue, AllowedOnBlock int64
}

// StatsPeriod bounds the figures: checks made in [From, To), with SLA the
// time allowed for feedback. Zero fields take the defaults.
type StatsPeriod struct {
	From, To time.Time
	SLA      time.Duration
}

// Figures are the counts shared by the overview and a department's row.
type Figures struct {
	Checks          int64   `json:"checks"`
	Hits            int64   `json:"hits"`
	Blocks          int64   `json:"blocks"`
	Feedback        int64   `json:"feedback"`
	FeedbackRate    float64 `json:"feedback_rate"`
	FeedbackOverdue int64   `json:"feedback_overdue"`
	AllowedOnBlock  int64   `json:"allowed_on_block"`
}

func (f *Figures) add(s CheckStat) {
	f.Checks += s.Checks
	if s.Outcome != catalog.Clear {
		f.Hits += s.Checks
		f.Feedback += s.Feedback
		f.FeedbackOverdue += s.Overdue
	}
	if s.Outcome == catalog.Block {
		f.Blocks += s.Checks
		f.AllowedOnBlock += s.AllowedOnBlock
	}
}

func (f *Figures) finish() {
	if f.Hits > 0 {
		f.FeedbackRate = math.Round(float64(f.Feedback)/float64(f.Hits)*10000) / 10000
	}
}

// Overview is the platform-wide figures of a period.
type Overview struct {
	From          time.Time `json:"from"`
	To            time.Time `json:"to"`
	EntriesActive int64     `json:"entries_active"`
	Figures
}

// ItemFigures is a department's checks of one item.
type ItemFigures struct {
	Item   string `json:"item"`
	Checks int64  `json:"checks"`
	Hits   int64  `json:"hits"`
	Blocks int64  `json:"blocks"`
}

// DepartmentStats is one department's row of the scorecard.
type DepartmentStats struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Figures
	// MedianFeedbackMinutes is the median wait for the first feedback on a
	// hit; nil when no hit received feedback.
	MedianFeedbackMinutes *float64      `json:"median_feedback_minutes"`
	Items                 []ItemFigures `json:"items"`
	ItemsNeverChecked     []string      `json:"items_never_checked"`
}

// DepartmentReport is the scorecard of a period.
type DepartmentReport struct {
	From        time.Time         `json:"from"`
	To          time.Time         `json:"to"`
	Departments []DepartmentStats `json:"departments"`
}

// period fills in the defaults and checks the bounds.
func (p *Platform) period(q StatsPeriod) (StatsPeriod, error) {
	now := p.clock()
	if q.To.IsZero() {
		q.To = now
	}
	if q.From.IsZero() {
		q.From = q.To.Add(-DefaultStatsPeriod)
	}
	if q.SLA == 0 {
		q.SLA = DefaultFeedbackSLA
	}
	if q.SLA < 0 {
		return q, chengxin.Invalid("sla", "invalid", "sla 必须为正的时长，如 24h", "sla must be a positive duration such as 24h")
	}
	if !q.From.Before(q.To) {
		return q, chengxin.Invalid("from", "invalid", "from 必须早于 to", "from must be before to")
	}
	q.From, q.To = q.From.In(entry.CST), q.To.In(entry.CST)
	return q, nil
}

func mayReadStats(actor *org.Org) error {
	if !actor.CanReadAll() {
		return Forbidden("仅监督单位或管理员可查看统计", "only a supervisor or the admin may read the figures")
	}
	return nil
}

// checkStats checks the caller and the period and aggregates its checks.
func (p *Platform) checkStats(ctx context.Context, actor *org.Org, q StatsPeriod) (StatsPeriod, []CheckStat, error) {
	if err := mayReadStats(actor); err != nil {
		return q, nil, err
	}
	q, err := p.period(q)
	if err != nil {
		return q, nil, err
	}
	stats, err := p.store.CheckStats(ctx, q.From, q.To, p.clock().Add(-q.SLA))
	return q, stats, err
}

// StatsOverview returns the platform-wide figures of a period.
func (p *Platform) StatsOverview(ctx context.Context, actor *org.Org, q StatsPeriod) (*Overview, error) {
	q, stats, err := p.checkStats(ctx, actor, q)
	if err != nil {
		return nil, err
	}
	// Entries in force are what the index holds: no need to count them again.
	o := &Overview{From: q.From, To: q.To, EntriesActive: int64(p.index.Len())}
	for _, s := range stats {
		o.add(s)
	}
	o.finish()
	return o, nil
}

// StatsDepartments returns one row per organisation with the department
// role, including those that made no check in the period.
func (p *Platform) StatsDepartments(ctx context.Context, actor *org.Org, q StatsPeriod) (*DepartmentReport, error) {
	q, stats, err := p.checkStats(ctx, actor, q)
	if err != nil {
		return nil, err
	}
	delays, err := p.store.FeedbackDelays(ctx, q.From, q.To)
	if err != nil {
		return nil, err
	}
	byOrg := map[string][]CheckStat{}
	for _, s := range stats {
		byOrg[s.Org] = append(byOrg[s.Org], s)
	}
	all, err := p.Orgs(actor)
	if err != nil {
		return nil, err
	}
	rep := &DepartmentReport{From: q.From, To: q.To, Departments: []DepartmentStats{}}
	for _, o := range all {
		if !o.Has(org.Department) {
			continue
		}
		d := DepartmentStats{Code: o.Code, Name: o.Name, Items: []ItemFigures{}, ItemsNeverChecked: []string{}}
		items := map[string]*ItemFigures{}
		for _, it := range o.Items {
			items[it] = &ItemFigures{Item: it}
		}
		for _, s := range byOrg[o.Code] {
			d.add(s)
			it := items[s.Item]
			if it == nil {
				it = &ItemFigures{Item: s.Item}
				items[s.Item] = it
			}
			it.Checks += s.Checks
			if s.Outcome != catalog.Clear {
				it.Hits += s.Checks
			}
			if s.Outcome == catalog.Block {
				it.Blocks += s.Checks
			}
		}
		d.finish()
		for _, it := range items {
			d.Items = append(d.Items, *it)
		}
		slices.SortFunc(d.Items, func(a, b ItemFigures) int { return cmp.Compare(a.Item, b.Item) })
		for _, it := range o.Items {
			if items[it].Checks == 0 {
				d.ItemsNeverChecked = append(d.ItemsNeverChecked, it)
			}
		}
		slices.Sort(d.ItemsNeverChecked)
		d.MedianFeedbackMinutes = medianMinutes(delays[o.Code])
		rep.Departments = append(rep.Departments, d)
	}
	return rep, nil
}

// medianMinutes is the median of ds in minutes, to one decimal; nil for none.
func medianMinutes(ds []time.Duration) *float64 {
	if len(ds) == 0 {
		return nil
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	m := ds[len(ds)/2]
	if len(ds)%2 == 0 {
		m = (ds[len(ds)/2-1] + m) / 2
	}
	v := math.Round(m.Minutes()*10) / 10
	return &v
}
