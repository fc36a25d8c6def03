package platform

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/subject"
)

// Mask is how identifiers are shown where a role does not need them in
// full: the characters kept at the start and at the end. RULES.md §2 found no
// official rule; the default keeps 4 and 4 (37****19900****6639-style sites
// keep more or fewer), and an operator may set another (Options.Mask).
type Mask struct{ Head, Tail int }

// DefaultMask keeps the first 4 and the last 4 characters.
var DefaultMask = Mask{Head: 4, Tail: 4}

// MaskID shows an identifier as the platform's mask says.
func (p *Platform) MaskID(id string) string { return subject.Mask(id, p.mask.Head, p.mask.Tail) }

// PublicSearchLimit bounds one public search's answer.
const PublicSearchLimit = 50

// guessTypes are the identifier types tried, in order, when a public search
// names none.
var guessTypes = []subject.IDType{subject.ResidentID, subject.USCC, subject.OrgCode, subject.Passport}

// PublicQuery is a citizen's question: a name, an identifier or both.
type PublicQuery struct {
	Name   string
	ID     string
	IDType subject.IDType
	// Client is who asks (the connection's address): searches are limited
	// per client, wherever they come from. Empty: not limited.
	Client string
}

// The public window allows each client this many searches a minute, in
// bursts of up to PublicBurst.
const (
	PublicPerMinute = 30
	PublicBurst     = 10
)

// PublicRecord is what the public may see of an entry: never the whole
// identifier, never the entry's ID, only the public details.
type PublicRecord struct {
	List         string           `json:"list"`
	ListName     string           `json:"list_name"`
	Kind         catalog.ListKind `json:"kind"`
	Name         string           `json:"name"`
	IDMasked     string           `json:"id_masked"`
	LegalRepName string           `json:"legal_rep_name,omitempty"`
	SourceRef    string           `json:"source_ref"`
	Reason       string           `json:"reason"`
	PublishedAt  time.Time        `json:"published_at"`
	Court        string           `json:"court,omitempty"`
	Province     string           `json:"province,omitempty"`
	Obligation   string           `json:"obligation,omitempty"`
	Performance  string           `json:"performance,omitempty"`
}

// PublicSearch finds the active entries of black and red lists about a
// subject, by identifier and/or exact name, newest first. It needs no caller.
func (p *Platform) PublicSearch(ctx context.Context, q PublicQuery) ([]PublicRecord, error) {
	if q.Client != "" {
		if ok, wait := p.publicLimit.Allow(q.Client, p.clock()); !ok {
			e := chengxin.E(chengxin.KindRateLimited, "rate_limited", "", "查询过于频繁，请稍后再试", "too many searches; try again later")
			e.RetryAfter = wait
			return nil, e
		}
	}
	name := entry.NormName(strings.TrimSpace(q.Name))
	rawID := strings.TrimSpace(q.ID)
	if name == "" && rawID == "" {
		return nil, chengxin.Invalid("name", "required", "请输入名称或证件号码", "give a name or an id")
	}
	if len(name) > 256 {
		return nil, chengxin.Invalid("name", "too_long", "长度不能超过 256 字节", "longer than 256 bytes")
	}
	var key string
	if rawID != "" {
		id, err := parseAnyID(q.IDType, rawID)
		if err != nil {
			return nil, err
		}
		key = id.Key
	}
	cat := p.Catalog()
	var lists []string
	for _, l := range cat.Lists {
		if l.Kind == catalog.Black || l.Kind == catalog.Red {
			lists = append(lists, l.Code)
		}
	}
	found, err := p.store.PublicEntries(ctx, lists, key, name, PublicSearchLimit)
	if err != nil {
		return nil, err
	}
	now := p.clock()
	out := make([]PublicRecord, 0, len(found))
	for _, e := range found {
		if !e.Matches(now) {
			continue
		}
		out = append(out, p.publicRecord(cat, e))
	}
	return out, nil
}

// parseAnyID parses raw as t, or when t is empty as the first type it fits.
func parseAnyID(t subject.IDType, raw string) (subject.ID, error) {
	if t != "" {
		id, err := subject.Parse(t, raw)
		if err != nil {
			return id, chengxin.AsError(err)
		}
		return id, nil
	}
	var first error
	for _, t := range guessTypes {
		id, err := subject.Parse(t, raw)
		if err == nil {
			return id, nil
		}
		if first == nil {
			first = err
		}
	}
	return subject.ID{}, chengxin.Invalid("id", chengxin.AsError(first).Code,
		"证件号码格式不正确", "the id is not a valid identifier")
}

func (p *Platform) publicRecord(cat *catalog.Catalog, e *entry.Entry) PublicRecord {
	r := PublicRecord{List: e.List, Name: e.Record.Subject.Name,
		IDMasked:  p.MaskID(e.Record.Subject.ID),
		SourceRef: e.SourceRef, Reason: e.Record.Reason, PublishedAt: e.Record.PublishedAt}
	if l := cat.List(e.List); l != nil {
		r.ListName, r.Kind = l.Name, l.Kind
	}
	if rep := e.Record.Subject.LegalRep; rep != nil {
		r.LegalRepName = rep.Name
	}
	// Only these details are public (RULES.md §2); the others never leave.
	d := e.Record.Details
	r.Court, r.Province, r.Obligation, r.Performance = d["court"], d["province"], d["obligation"], d["performance"]
	return r
}

// RateLimiter is a token bucket per client: rate tokens a second up to
// burst. It lives in memory, so each node limits on its own.
type RateLimiter struct {
	rate  float64
	burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewRateLimiter allows perMinute requests a minute per client, with bursts
// of up to burst.
func NewRateLimiter(perMinute, burst int) *RateLimiter {
	return &RateLimiter{rate: float64(perMinute) / 60, burst: float64(burst), buckets: map[string]*bucket{}}
}

// maxBuckets bounds the memory the limiter keeps; full buckets are dropped
// first (they hold nothing a fresh one would not).
const maxBuckets = 100_000

// Allow takes a token of client's bucket at now. When there is none it
// reports how long until there will be.
func (l *RateLimiter) Allow(client string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[client]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[client] = b
	}
	if el := now.Sub(b.at).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

func (l *RateLimiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}
