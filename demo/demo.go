// Package demo generates a realistic Guizhou data set — the courts' dishonest
// debtors and consumption-restriction orders, the tax, market, procurement,
// customs, work-safety and wage-arrears lists, the red lists — with the 36
// Guiyang departments that check against them, and loads it into a platform
// through its public methods, so that every domain rule applies to it. It is
// what `chengxin demo` serves.
//
// Everything is generated: the names, ID numbers (with valid check digits),
// credit codes and case numbers belong to no one. A seed gives the same world
// every time.
package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
)

// Org is a generated organisation and, after Load, its token (shown to the
// demo user).
type Org struct {
	Org   org.Org
	Token string
}

// Dataset is a generated demo world.
type Dataset struct {
	// Sources publish the lists: every catalog list has exactly one.
	Sources []*Org
	// Departments are the 36 Guiyang bodies that check; together they hold
	// every catalog item.
	Departments []*Org
	// Supervisors watch the dashboard: the credit office and the courts'
	// enforcement bureaus.
	Supervisors []*Org
	// Entries are the drafts to publish, by list code.
	Entries map[string][]entry.Draft

	seed int64
	now  time.Time
	dept map[string]deptInfo
}

// listPlan is how n entries are shared among the lists this package knows,
// in per cent, and the order they are generated in (cross-listing draws on
// the lists generated before).
var listPlan = []struct {
	code  string
	share float64
}{
	{"court.dishonest", 55},
	{"court.consumption_restricted", 25},
	{"tax.major_violation", 2.5},
	{"tax.d_grade", 2},
	{"market.serious_illegal", 2},
	{"market.abnormal_operation", 4},
	{"procurement.serious_violation", 1},
	{"safety.serious_violation", 1},
	{"labor.wage_arrears", 2},
	{"customs.dishonest", 0.5},
	{"tax.a_grade", 4},
	{"customs.aeo", 1},
}

// unknownShare is the share of a list added to the catalog after this
// package was written.
const unknownShare = 1

// Generate builds a dataset of about n entries (exactly n, shared among the
// catalog's lists) as of now. The same catalog, n, seed and now give the same
// dataset.
func Generate(cat *catalog.Catalog, n int, seed int64, now time.Time) *Dataset {
	g := newGen(seed, now, n)
	ds := &Dataset{
		Sources:     buildSources(cat),
		Supervisors: buildSupervisors(),
		Entries:     make(map[string][]entry.Draft),
		seed:        seed,
		now:         now,
	}
	ds.Departments, ds.dept = buildDepartments(cat)

	order, counts := shareOut(cat, n)
	for _, code := range order {
		l := cat.List(code)
		k := counts[code]
		drafts := make([]entry.Draft, 0, k)
		var soon map[int]bool
		if code == "court.dishonest" {
			soon = pickSoon(g.r, k)
		}
		for i := range k {
			drafts = append(drafts, g.draft(l, soon[i]))
		}
		ds.Entries[code] = drafts
	}
	return ds
}

// pickSoon chooses which dishonest-list entries end their term within the
// next week: about 200 of 55,000.
func pickSoon(r *rand.Rand, k int) map[int]bool {
	want := min(200, max(1, k/275))
	if k == 0 {
		return nil
	}
	out := make(map[int]bool, want)
	for len(out) < min(want, k) {
		out[r.IntN(k)] = true
	}
	return out
}

func (g *gen) draft(l *catalog.List, soon bool) entry.Draft {
	switch l.Code {
	case "court.dishonest":
		return g.dishonest(l, soon)
	case "court.consumption_restricted":
		return g.restricted(l)
	case "tax.major_violation":
		return g.taxMajor(l)
	case "tax.d_grade":
		return g.taxD(l)
	case "tax.a_grade":
		return g.taxA(l)
	case "market.serious_illegal":
		return g.marketSerious(l)
	case "market.abnormal_operation":
		return g.abnormal(l)
	case "procurement.serious_violation":
		return g.procurement(l)
	case "customs.dishonest":
		return g.customsDishonest(l)
	case "customs.aeo":
		return g.customsAEO(l)
	case "safety.serious_violation":
		return g.safety(l)
	case "labor.wage_arrears":
		return g.wageArrears(l)
	}
	return g.generic(l)
}

// shareOut splits n among the catalog's lists by their shares (largest
// remainder, so the counts add up to n) and returns the generation order.
func shareOut(cat *catalog.Catalog, n int) ([]string, map[string]int) {
	var order []string
	share := map[string]float64{}
	for _, p := range listPlan {
		if cat.List(p.code) != nil {
			order = append(order, p.code)
			share[p.code] = p.share
		}
	}
	for _, l := range cat.Lists {
		if _, ok := share[l.Code]; !ok {
			order = append(order, l.Code)
			share[l.Code] = unknownShare
		}
	}
	total := 0.0
	for _, c := range order {
		total += share[c]
	}
	counts := make(map[string]int, len(order))
	rem := make([]float64, len(order))
	given := 0
	for i, c := range order {
		exact := float64(n) * share[c] / total
		counts[c] = int(exact)
		rem[i] = exact - float64(counts[c])
		given += counts[c]
	}
	idx := make([]int, len(order))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case rem[a] > rem[b]:
			return -1
		case rem[a] < rem[b]:
			return 1
		}
		return 0
	})
	for i := 0; given < n && len(idx) > 0; i = (i + 1) % len(idx) {
		counts[order[idx[i]]]++
		given++
	}
	return order, counts
}
