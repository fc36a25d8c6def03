package demo

import (
	"context"
	"log/slog"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/sqlite"
	"github.com/chengxin/chengxin/subject"
)

func shippedCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Parse(catalog.DefaultYAML())
	if err != nil {
		t.Fatalf("shipped catalog: %v", err)
	}
	return cat
}

var testNow = time.Date(2026, 11, 20, 10, 30, 0, 0, entry.CST)

func TestGenerateIsDeterministic(t *testing.T) {
	cat := shippedCatalog(t)
	a := Generate(cat, 3000, 42, testNow)
	b := Generate(cat, 3000, 42, testNow)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two datasets from the same seed differ")
	}
	c := Generate(cat, 3000, 43, testNow)
	if reflect.DeepEqual(a.Entries, c.Entries) {
		t.Fatal("datasets from different seeds are the same")
	}
	total := 0
	for _, ds := range a.Entries {
		total += len(ds)
	}
	if total != 3000 {
		t.Fatalf("generated %d entries, want 3000", total)
	}
	// The simulation is planned from the seed too.
	if pa, pb := planLoad(a, cat, 500, testNow), planLoad(b, cat, 500, testNow); !reflect.DeepEqual(pa, pb) {
		t.Fatal("two load plans from the same dataset differ")
	}
}

var caseNumber = regexp.MustCompile(`^（(20(1[6-9]|2[0-6]))）黔(\d{2}|\d{4})?执(恢)?\d+号$`)

func TestGeneratedDataIsValid(t *testing.T) {
	cat := shippedCatalog(t)
	const n = 20000
	ds := Generate(cat, n, 7, testNow)

	count := map[string]int{}
	for code, drafts := range ds.Entries {
		count[code] = len(drafts)
		l := cat.List(code)
		if l == nil {
			t.Fatalf("entries for %s, which the catalog does not have", code)
		}
		refs := map[string]bool{}
		for i, d := range drafts {
			rec, err := entry.Validate(d, l, testNow, nil)
			if err != nil {
				t.Fatalf("%s[%d] %s: %v", code, i, d.SourceRef, err)
			}
			if refs[d.SourceRef] {
				t.Fatalf("%s: source_ref %s twice", code, d.SourceRef)
			}
			refs[d.SourceRef] = true
			id, err := subject.Parse(d.Subject.IDType, d.Subject.ID)
			if err != nil {
				t.Fatalf("%s[%d] subject %s %s: %v", code, i, d.Subject.IDType, d.Subject.ID, err)
			}
			if id.Value != d.Subject.ID {
				t.Fatalf("%s[%d]: id %s is not in normal form %s", code, i, d.Subject.ID, id.Value)
			}
			if d.Subject.Kind == subject.Org {
				if d.Subject.IDType != subject.USCC || d.Subject.ID[:2] != "91" || d.Subject.ID[2:4] != "52" {
					t.Fatalf("%s[%d]: organisation id %s is not a Guizhou company's USCC", code, i, d.Subject.ID)
				}
				rep := d.Subject.LegalRep
				if rep == nil {
					t.Fatalf("%s[%d]: organisation without a legal representative", code, i)
				}
				if _, err := subject.Parse(rep.IDType, rep.ID); err != nil || rep.Name == "" {
					t.Fatalf("%s[%d] legal rep %s: %v", code, i, rep.ID, err)
				}
			}
			if !rec.PublishedAt.Before(testNow) {
				t.Fatalf("%s[%d]: published %v, not before now", code, i, rec.PublishedAt)
			}
			if rec.ExpiresAt != nil && !rec.ExpiresAt.After(testNow) {
				t.Fatalf("%s[%d]: expired %v before now", code, i, rec.ExpiresAt)
			}
			if sex := d.Details["sex"]; sex != "" && (sex == "男") != (id.Sex() == "male") {
				t.Fatalf("%s[%d]: sex %s does not match id %s", code, i, sex, d.Subject.ID)
			}
			if code == "court.dishonest" {
				if !caseNumber.MatchString(d.SourceRef) {
					t.Fatalf("court.dishonest[%d]: case number %q", i, d.SourceRef)
				}
				if age, ok := id.AgeOn(rec.PublishedAt); ok && age < 18 {
					t.Fatalf("court.dishonest[%d]: a minor (%d)", i, age)
				}
				for _, k := range []string{"court", "province", "obligation", "performance", "filing_date", "basis_issuer"} {
					if d.Details[k] == "" {
						t.Fatalf("court.dishonest[%d]: no %s", i, k)
					}
				}
				if rec.ExpiresAt == nil {
					t.Fatalf("court.dishonest[%d]: no term", i)
				}
			}
		}
	}
	if count["court.dishonest"] < n*50/100 || count["court.consumption_restricted"] < n*22/100 {
		t.Errorf("shares off: %v", count)
	}
	if red := count["tax.a_grade"] + count["customs.aeo"]; red < n*4/100 || red > n*6/100 {
		t.Errorf("red lists hold %d of %d", red, n)
	}
	soon := 0
	for _, d := range ds.Entries["court.dishonest"] {
		if exp, _ := entry.ParseTime("", d.ExpiresAt); exp.Before(testNow.AddDate(0, 0, 8)) {
			soon++
		}
	}
	if soon < 10 || soon > 200 {
		t.Errorf("%d dishonest-list entries end within a week, want a few dozen", soon)
	}

	// Organisations: valid for the catalog, one source per list, 36
	// departments holding every item.
	codes := map[string]bool{}
	for _, group := range [][]*Org{ds.Sources, ds.Departments, ds.Supervisors} {
		for _, o := range group {
			oo := o.Org
			if err := org.Validate(&oo, cat); err != nil {
				t.Fatalf("organisation %s: %v", o.Org.Code, err)
			}
			if codes[o.Org.Code] {
				t.Fatalf("organisation code %s twice", o.Org.Code)
			}
			codes[o.Org.Code] = true
		}
	}
	for _, l := range cat.Lists {
		k := 0
		for _, s := range ds.Sources {
			if slices.Contains(s.Org.Lists, l.Code) {
				k++
			}
		}
		if k != 1 {
			t.Errorf("list %s has %d sources", l.Code, k)
		}
	}
	if len(ds.Departments) != DepartmentCount {
		t.Fatalf("%d departments, want %d", len(ds.Departments), DepartmentCount)
	}
	for _, it := range cat.Items {
		if !slices.ContainsFunc(ds.Departments, func(o *Org) bool { return o.Org.CanCheck(it.Code) }) {
			t.Errorf("no department holds %s", it.Code)
		}
	}

	// The subjects the simulation checks are valid too.
	pl := planLoad(ds, cat, 2000, testNow)
	for _, cs := range [][]plannedCheck{pl.checks, pl.after} {
		for _, c := range cs {
			if _, err := subject.Parse(c.subj.IDType, c.subj.ID); err != nil {
				t.Fatalf("check subject %s %s: %v", c.subj.IDType, c.subj.ID, err)
			}
		}
	}
	if got := len(pl.checks) + len(pl.after); got != 2000 {
		t.Errorf("planned %d checks, want 2000", got)
	}
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p, err := platform.Open(ctx, store, platform.Options{ExpiryEvery: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close(); store.Close() })
	if _, err := p.EnsureAdmin(ctx, "test-admin-token"); err != nil {
		t.Fatal(err)
	}
	admin, err := p.Authenticate("test-admin-token")
	if err != nil {
		t.Fatal(err)
	}

	const n, checks = 5000, 600
	start := time.Now()
	ds := Generate(p.Catalog(), n, 20170901, p.Now())
	sum, err := Load(ctx, p, admin, ds, checks, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("n=%d checks=%d: %+v (generate+load %v)", n, checks, sum, time.Since(start).Round(time.Millisecond))

	if sum.Entries != n {
		t.Errorf("%d entries loaded, want %d", sum.Entries, n)
	}
	if want := len(ds.Sources) + len(ds.Departments) + len(ds.Supervisors); sum.Orgs != want {
		t.Errorf("%d organisations, want %d", sum.Orgs, want)
	}
	if len(ds.Departments) != DepartmentCount {
		t.Errorf("%d departments", len(ds.Departments))
	}
	for _, it := range p.Catalog().Items {
		if !slices.ContainsFunc(ds.Departments, func(o *Org) bool {
			a, err := p.Authenticate(o.Token)
			return err == nil && a.CanCheck(it.Code)
		}) {
			t.Errorf("no department holds %s", it.Code)
		}
	}
	if sum.Checks != checks || sum.Hits == 0 || sum.Feedback == 0 || sum.Masked == 0 || sum.Feedback > sum.Hits {
		t.Errorf("summary %+v", sum)
	}
	for _, o := range ds.Departments {
		if o.Token == "" {
			t.Fatalf("department %s has no token", o.Org.Code)
		}
	}
	if got := p.IndexLen(); got != n-sum.Masked {
		t.Errorf("index holds %d entries, want %d", got, n-sum.Masked)
	}

	var dept *Org
	for _, o := range ds.Departments {
		if o.Org.CanCheck("real_estate.transfer") {
			dept = o
			break
		}
	}
	actor, err := p.Authenticate(dept.Token)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(item string, s entry.Subject) *check.Record {
		t.Helper()
		rec, err := p.Check(ctx, actor, platform.CheckRequest{Item: item,
			Subject: check.Subject{IDType: s.IDType, ID: s.ID, Name: s.Name}, Operator: "窗口01", Ref: "BDC-TEST-1"})
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}

	pl := planLoad(ds, p.Catalog(), checks, p.Now())
	if len(pl.masks) != sum.Masked {
		t.Fatalf("plan masks %d, Load masked %d", len(pl.masks), sum.Masked)
	}
	dishonest := ds.Entries["court.dishonest"]
	for _, i := range pl.masks[:min(5, len(pl.masks))] {
		if rec := ask("real_estate.transfer", dishonest[i].Subject); rec.Outcome != catalog.Clear {
			t.Errorf("masked %s (%s): outcome %s, want clear", dishonest[i].SourceRef, dishonest[i].Subject.Name, rec.Outcome)
		}
	}

	masked := map[int]bool{}
	for _, i := range pl.masks {
		masked[i] = true
	}
	blocked, repHits := 0, 0
	for i, d := range dishonest {
		if masked[i] || blocked >= 5 {
			continue
		}
		if exp, _ := entry.ParseTime("", d.ExpiresAt); exp.Before(p.Now().AddDate(0, 0, 10)) {
			continue
		}
		rec := ask("real_estate.transfer", d.Subject)
		if rec.Outcome != catalog.Block || len(rec.Hits) == 0 || rec.NameMismatch {
			t.Fatalf("listed %s (%s): %+v, want block", d.SourceRef, d.Subject.Name, rec)
		}
		if !slices.ContainsFunc(rec.Hits, func(h check.HitRecord) bool {
			return h.List == "court.dishonest" && h.EntryID != "" && h.Role == "self"
		}) {
			t.Errorf("hits %+v do not name the entry", rec.Hits)
		}
		blocked++
		// An organisation's legal representative cannot buy a house either
		// (限制消费 reaches him).
		if rep := d.Subject.LegalRep; rep != nil && repHits == 0 {
			rec := ask("real_estate.transfer", entry.Subject{IDType: rep.IDType, ID: rep.ID, Name: rep.Name})
			if rec.Outcome != catalog.Block || !slices.ContainsFunc(rec.Hits, func(h check.HitRecord) bool { return h.Role == "legal_rep" }) {
				t.Errorf("legal representative %s: %+v, want a legal_rep block", rep.Name, rec)
			}
			repHits++
		}
		// A wrong name is reported, not ignored.
		if blocked == 1 {
			s := d.Subject
			s.Name = misspell(newGen(1, testNow, 0).r, s.Name)
			if rec := ask("real_estate.transfer", s); !rec.NameMismatch || rec.Outcome != catalog.Block {
				t.Errorf("misspelt %s as %s: %+v, want block with name_mismatch", d.Subject.Name, s.Name, rec)
			}
		}
	}
	if blocked == 0 {
		t.Fatal("found no active listed subject to check")
	}
}

// BenchmarkGenerateLoad measures the demo at its default size:
//
//	go test ./demo -run '^$' -bench GenerateLoad -benchtime 1x
func BenchmarkGenerateLoad(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		store, err := sqlite.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		p, err := platform.Open(ctx, store, platform.Options{ExpiryEvery: -1, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.EnsureAdmin(ctx, "bench-admin-token"); err != nil {
			b.Fatal(err)
		}
		admin, _ := p.Authenticate("bench-admin-token")
		b.StartTimer()

		start := time.Now()
		ds := Generate(p.Catalog(), 100_000, 20170901, p.Now())
		gen := time.Since(start)
		sum, err := Load(ctx, p, admin, ds, 2000, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("generate %v, load %v, total %v: %+v", gen.Round(time.Millisecond), sum.Took.Round(time.Millisecond),
			time.Since(start).Round(time.Millisecond), sum)

		b.StopTimer()
		p.Close()
		store.Close()
		b.StartTimer()
	}
}

func BenchmarkGenerate(b *testing.B) {
	cat := shippedCatalog(b)
	for range b.N {
		Generate(cat, 100_000, 1, testNow)
	}
}
