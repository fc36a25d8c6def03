package platform

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/auditlog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/subject"
)

// CheckRequest is a department's question: may this subject do this item?
type CheckRequest struct {
	Item     string
	Subject  check.Subject
	Operator string
	Ref      string
}

// MaxBatchChecks bounds one batch check request.
const MaxBatchChecks = 1000

// maxGroup bounds how many checks one commit carries.
const maxGroup = 2048

type pendingChecks struct {
	records []*check.Record
	done    chan error
}

// Check decides one check and returns it once its record is durable.
func (p *Platform) Check(ctx context.Context, actor *org.Org, req CheckRequest) (*check.Record, error) {
	if err := p.mayCheck(actor, req.Item); err != nil {
		return nil, err
	}
	rec, err := p.decide(actor, req, "subject", p.clock())
	if err != nil {
		return nil, err
	}
	if err := p.persist(ctx, []*check.Record{rec}); err != nil {
		return nil, err
	}
	return rec, nil
}

// BatchResult is one subject's answer in a batch: a record or an error.
type BatchResult struct {
	Record *check.Record
	Err    error
}

// CheckBatch decides one item for many subjects; each subject counts as one
// check. A bad identifier fails its own result only.
func (p *Platform) CheckBatch(ctx context.Context, actor *org.Org, item string, reqs []CheckRequest) ([]BatchResult, error) {
	if err := p.mayCheck(actor, item); err != nil {
		return nil, err
	}
	if len(reqs) == 0 {
		return nil, chengxin.Invalid("subjects", "required", "subjects 不能为空", "subjects is empty")
	}
	if len(reqs) > MaxBatchChecks {
		return nil, chengxin.Invalid("subjects", "too_many", fmt.Sprintf("一次最多核查 %d 个主体", MaxBatchChecks), fmt.Sprintf("at most %d subjects per batch", MaxBatchChecks))
	}
	now := p.clock()
	out := make([]BatchResult, len(reqs))
	recs := make([]*check.Record, 0, len(reqs))
	for i, r := range reqs {
		r.Item = item
		rec, err := p.decide(actor, r, fmt.Sprintf("subjects[%d]", i), now)
		if err != nil {
			out[i].Err = err
			continue
		}
		out[i].Record = rec
		recs = append(recs, rec)
	}
	if len(recs) > 0 {
		if err := p.persist(ctx, recs); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (p *Platform) mayCheck(actor *org.Org, item string) error {
	if !p.index.HasItem(item) {
		return chengxin.Invalid("item", "unknown_item", "未知事项："+item, "unknown item: "+item)
	}
	if !actor.CanCheck(item) {
		return Forbidden("当前机构未承担事项 "+item+"，无权核查", "this organisation does not hold the item "+item)
	}
	return nil
}

// decide answers a check from the index alone. field names the subject in
// the request, for errors.
func (p *Platform) decide(actor *org.Org, req CheckRequest, field string, now time.Time) (*check.Record, error) {
	id, err := subject.Parse(req.Subject.IDType, req.Subject.ID)
	if err != nil {
		return nil, chengxin.AsError(err).At(field)
	}
	if kind, _ := id.Type.Kind(); req.Subject.Kind != "" && req.Subject.Kind != kind {
		return nil, chengxin.Invalid(field+".id_type", "wrong_kind", "证件类型与主体类型不符", "id_type does not name a "+string(req.Subject.Kind))
	}
	for _, f := range []struct{ name, value string }{{"operator", req.Operator}, {"ref", req.Ref}, {field + ".name", req.Subject.Name}} {
		if len(f.value) > 256 {
			return nil, chengxin.Invalid(f.name, "too_long", "长度不能超过 256 字节", "longer than 256 bytes")
		}
	}
	name := entry.NormName(strings.TrimSpace(req.Subject.Name))
	var buf [16]check.Hit
	d := p.index.Decide(req.Item, id.Key, name, now, buf[:0])
	rec := &check.Record{
		Org:          actor.Code,
		Item:         req.Item,
		Subject:      check.Subject{Kind: req.Subject.Kind, IDType: id.Type, ID: id.Value, Name: name},
		Key:          id.Key,
		Operator:     req.Operator,
		Ref:          req.Ref,
		Outcome:      d.Outcome,
		Hits:         check.NewHitRecords(d.Hits),
		NameMismatch: d.NameMismatch,
		At:           now.In(entry.CST),
	}
	rec.LeafHash = p.audit.leaf(auditlog.CheckLeaf(rec))
	return rec, nil
}

// persist hands records to the group-commit writer and waits until they are
// durable: a check is acknowledged only once its record cannot be lost. The
// store gives each its ID: its position in the audit log.
func (p *Platform) persist(ctx context.Context, recs []*check.Record) error {
	pc := &pendingChecks{records: recs, done: make(chan error, 1)}
	select {
	case p.checks <- pc:
	case <-p.stop:
		return errStopping
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the write happens whatever the caller does; wait for it.
	return <-pc.done
}

// writeChecks commits queued checks in groups: one transaction (one fsync)
// carries every check that arrived while the previous one was committing.
func (p *Platform) writeChecks() {
	defer p.done.Done()
	var group []*pendingChecks
	var recs []*check.Record
	for {
		var first *pendingChecks
		select {
		case first = <-p.checks:
		case <-p.stop:
			// Drain what was accepted before stopping.
			select {
			case first = <-p.checks:
			default:
				return
			}
		}
		group = append(group[:0], first)
		recs = append(recs[:0], first.records...)
	fill:
		for len(recs) < maxGroup {
			select {
			case pc := <-p.checks:
				group = append(group, pc)
				recs = append(recs, pc.records...)
			default:
				break fill
			}
		}
		start := time.Now()
		err := p.store.SaveChecks(context.Background(), recs)
		p.counters.commitNanos.Add(int64(time.Since(start)))
		if err != nil {
			p.counters.commitFailed.Add(1)
			p.log.Error("save checks", "count", len(recs), "err", err)
			err = fmt.Errorf("save check: %w", err)
		} else {
			p.counters.commits.Add(1)
			p.counters.committed.Add(int64(len(recs)))
			for _, r := range recs {
				p.counters.checks[r.Outcome.Strength()].Add(1)
			}
		}
		for _, pc := range group {
			pc.done <- err
		}
	}
}

// StoredCheck returns a check with its feedback to the department that made
// it, a supervisor or an admin.
func (p *Platform) StoredCheck(ctx context.Context, actor *org.Org, id string) (*check.Record, error) {
	rec, err := p.store.Check(ctx, id)
	if err != nil {
		return nil, err
	}
	if rec.Org != actor.Code && !actor.CanReadAll() {
		return nil, Forbidden("只有发起核查的部门或监督单位可以查看", "only the department that made the check or a supervisor may read it")
	}
	if err := p.store.LogAccess(ctx, Access{Org: actor.Code, Action: "check.read", Target: id, At: p.clock()}); err != nil {
		return nil, err
	}
	return rec, nil
}

// Feedback records what the department did with a check's hits.
func (p *Platform) Feedback(ctx context.Context, actor *org.Org, checkID string, f check.Feedback) (*check.Feedback, error) {
	rec, err := p.store.Check(ctx, checkID)
	if err != nil {
		return nil, err
	}
	if rec.Org != actor.Code {
		return nil, Forbidden("只有发起核查的部门可以反馈", "only the department that made the check may report on it")
	}
	if err := check.ValidateFeedback(rec.Outcome, &f); err != nil {
		return nil, err
	}
	f.CheckID, f.Org, f.At = checkID, actor.Code, p.clock().In(entry.CST)
	f.LeafHash = p.audit.leaf(auditlog.FeedbackLeaf(&f))
	if err := p.store.SaveFeedback(ctx, &f); err != nil {
		return nil, fmt.Errorf("feedback on %s: %w", checkID, err)
	}
	p.counters.feedbackTotal.Add(1)
	return &f, nil
}
