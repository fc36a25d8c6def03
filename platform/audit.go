package platform

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/transparency-dev/merkle"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/auditlog"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
)

// audit is the tamper-evident log: every record carries the hash of its
// canonical leaf, written with it; checkpoints sign the tree's root.
type audit struct {
	hasher merkle.LogHasher
	signer *auditlog.Signer // nil: this node never signs

	mu     sync.Mutex
	hashes [][]byte // leaf hashes read so far, in log order
	tree   *auditlog.Tree
}

// LogOptions configure the audit log; the hash and signature algorithm are
// fixed when the log begins and kept in the store.
type LogOptions struct {
	Hash         string // "sm3" (default) or "sha256"
	SignatureAlg string // "sm2" (default) or "ed25519"
	KeyPath      string // the signing key; created owner-only if absent; empty: never sign
	// CheckpointEvery is how often a checkpoint is signed while leaves
	// arrive; 0 means every second, <0 never (tests sign by hand).
	CheckpointEvery time.Duration
}

func openAudit(ctx context.Context, s Store, opt LogOptions) (*audit, error) {
	hash, err := fixedSetting(ctx, s, "hash", opt.Hash, auditlog.DefaultHash)
	if err != nil {
		return nil, err
	}
	alg, err := fixedSetting(ctx, s, "signature_alg", opt.SignatureAlg, auditlog.DefaultSignatureAlg)
	if err != nil {
		return nil, err
	}
	h, err := auditlog.NewHasher(hash)
	if err != nil {
		return nil, err
	}
	a := &audit{hasher: h, tree: auditlog.NewTree(h)}
	if opt.KeyPath != "" {
		if a.signer, err = auditlog.LoadOrCreateKey(opt.KeyPath, alg); err != nil {
			return nil, fmt.Errorf("audit log key: %w", err)
		}
	}
	return a, nil
}

// fixedSetting returns the stored log setting, storing want (or def) on
// first use; asking for another value later is an error, not a silent change.
func fixedSetting(ctx context.Context, s Store, key, want, def string) (string, error) {
	if want == "" {
		want = def
	}
	if err := s.SetLogMeta(ctx, key, want); err != nil {
		return "", err
	}
	got, err := s.LogMeta(ctx, key)
	if err != nil {
		return "", err
	}
	if got != want && want != def {
		return "", fmt.Errorf("the audit log was begun with %s %s; it cannot change to %s", key, got, want)
	}
	return got, nil
}

func (a *audit) leaf(data []byte) []byte { return a.hasher.HashLeaf(data) }

// extend reads stored leaf hashes up to size into the tree.
func (a *audit) extend(ctx context.Context, s Store, size int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	const chunk = 20000
	for have := int64(len(a.hashes)); have < size; have = int64(len(a.hashes)) {
		hs, err := s.LeafHashes(ctx, have, min(have+chunk, size))
		if err != nil {
			return err
		}
		for _, h := range hs {
			a.hashes = append(a.hashes, h)
			a.tree.AppendHash(h)
		}
	}
	return nil
}

func (a *audit) leafHash(i uint64) ([]byte, error) {
	return a.hashes[i], nil
}

// checkpoint signs the log as it stands, if it grew since the last one.
func (p *Platform) checkpoint(ctx context.Context) (*auditlog.Checkpoint, error) {
	if p.audit.signer == nil {
		return nil, nil
	}
	size, err := p.store.LogSize(ctx)
	if err != nil {
		return nil, err
	}
	last, err := p.store.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if last != nil && int64(last.Size) >= size {
		return &last.Checkpoint, nil
	}
	if err := p.audit.extend(ctx, p.store, size); err != nil {
		return nil, err
	}
	p.audit.mu.Lock()
	treeSize, root := p.audit.tree.State()
	p.audit.mu.Unlock()
	cp := &auditlog.Checkpoint{Origin: auditlog.Origin, Size: treeSize, Root: root,
		Hash: auditlog.HashName(p.audit.hasher), Time: p.clock().In(entry.CST)}
	if err := p.audit.signer.Sign(cp); err != nil {
		return nil, err
	}
	if err := p.store.SaveCheckpoint(ctx, cp, string(p.audit.signer.PublicKeyPEM())); err != nil {
		return nil, err
	}
	return cp, nil
}

// Checkpoint signs the log now (if it grew) and returns the newest
// checkpoint; nil when none was ever signed.
func (p *Platform) Checkpoint(ctx context.Context) (*StoredCheckpoint, error) {
	if _, err := p.checkpoint(ctx); err != nil {
		return nil, err
	}
	return p.store.LatestCheckpoint(ctx)
}

// checkpointLoop signs a checkpoint every period while leaves arrive. On a
// shared store only the node that holds the "checkpoint" role signs.
func (p *Platform) checkpointLoop(every time.Duration, leader interface {
	Lead(ctx context.Context, name string) (context.Context, error)
}) {
	defer p.done.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-p.stop
		cancel()
	}()
	for ctx.Err() == nil {
		run := ctx
		if leader != nil {
			held, err := leader.Lead(ctx, "checkpoint")
			if err != nil {
				continue
			}
			run = held
		}
		t := time.NewTicker(every)
		for run.Err() == nil {
			select {
			case <-run.Done():
			case <-t.C:
				if _, err := p.checkpoint(run); err != nil && run.Err() == nil {
					p.log.Error("sign checkpoint", "err", err)
				}
			}
		}
		t.Stop()
	}
}

// Proof is an inclusion proof of one leaf in the tree of a size.
type Proof struct {
	Index, Size int64
	LeafHash    []byte
	Path        [][]byte
	Root        []byte
}

func (p *Platform) logBounds(ctx context.Context, sizes ...int64) error {
	size, err := p.store.LogSize(ctx)
	if err != nil {
		return err
	}
	for _, s := range sizes {
		if s < 0 || s > size {
			return chengxin.Invalid("size", "beyond_log", fmt.Sprintf("日志目前只有 %d 项", size), fmt.Sprintf("the log has %d leaves", size))
		}
	}
	return p.audit.extend(ctx, p.store, size)
}

// InclusionProof proves that leaf index is in the tree of size.
func (p *Platform) InclusionProof(ctx context.Context, index, size int64) (*Proof, error) {
	if index < 0 || index >= size {
		return nil, chengxin.Invalid("index", "bad_index", "index 须满足 0 ≤ index < size", "index must satisfy 0 ≤ index < size")
	}
	if err := p.logBounds(ctx, size); err != nil {
		return nil, err
	}
	p.audit.mu.Lock()
	defer p.audit.mu.Unlock()
	path, err := auditlog.InclusionProof(p.audit.hasher, uint64(index), uint64(size), p.audit.leafHash)
	if err != nil {
		return nil, err
	}
	root, err := p.audit.rootAt(size)
	if err != nil {
		return nil, err
	}
	return &Proof{Index: index, Size: size, LeafHash: p.audit.hashes[index], Path: path, Root: root}, nil
}

// ConsistencyProof proves that the tree of size from is a prefix of the
// tree of size to.
func (p *Platform) ConsistencyProof(ctx context.Context, from, to int64) ([][]byte, error) {
	if from < 1 || from > to {
		return nil, chengxin.Invalid("from", "bad_range", "须满足 1 ≤ from ≤ to", "from and to must satisfy 1 ≤ from ≤ to")
	}
	if err := p.logBounds(ctx, to); err != nil {
		return nil, err
	}
	p.audit.mu.Lock()
	defer p.audit.mu.Unlock()
	return auditlog.ConsistencyProof(p.audit.hasher, uint64(from), uint64(to), p.audit.leafHash)
}

// rootAt is the root of the first size leaves; the caller holds mu.
func (a *audit) rootAt(size int64) ([]byte, error) {
	if uint64(size) == a.tree.Size() {
		return a.tree.Root(), nil
	}
	t := auditlog.NewTree(a.hasher)
	for _, h := range a.hashes[:size] {
		t.AppendHash(h)
	}
	return t.Root(), nil
}

// Leaf returns the canonical bytes of one leaf, rebuilt from its stored
// record. Leaves name people, so only supervisors, admins and the
// organisation the record belongs to may read one.
func (p *Platform) Leaf(ctx context.Context, actor *org.Org, index int64) ([]byte, error) {
	var rec *LogRecord
	size, err := p.store.LogSize(ctx)
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= size {
		return nil, chengxin.E(chengxin.KindNotFound, "not_found", "index", fmt.Sprintf("日志中没有第 %d 项", index), fmt.Sprintf("no leaf %d", index))
	}
	if err := p.store.LogRecords(ctx, index, index+1, func(r *LogRecord) error { rec = r; return nil }); err != nil {
		return nil, err
	}
	if !actor.CanReadAll() && !owns(actor, rec) {
		return nil, Forbidden("只能查看本机构记录的日志项", "only the organisation a leaf records, supervisors and admins may read it")
	}
	if err := p.store.LogAccess(ctx, Access{Org: actor.Code, Action: "log.leaf.read", Target: fmt.Sprint(index), At: p.clock()}); err != nil {
		return nil, err
	}
	return LeafData(rec), nil
}

func owns(actor *org.Org, r *LogRecord) bool {
	switch {
	case r.Version != nil:
		return actor.CanPublish(r.Entry.List)
	case r.Check != nil:
		return r.Check.Org == actor.Code
	case r.Feedback != nil:
		return r.Feedback.Org == actor.Code
	}
	return r.Org != nil && r.Org.Code == actor.Code
}

// LeafData is a stored record's canonical leaf bytes.
func LeafData(r *LogRecord) []byte {
	switch {
	case r.Version != nil:
		return auditlog.EntryVersionLeaf(r.Entry.List, r.Entry.SourceRef, r.Version)
	case r.Check != nil:
		return auditlog.CheckLeaf(r.Check)
	case r.Feedback != nil:
		return auditlog.FeedbackLeaf(r.Feedback)
	}
	return auditlog.OrgLeaf(r.Org, r.OrgChange, r.OrgAt)
}

// Describe names a log record for a person reading a verification report.
func Describe(r *LogRecord) string {
	switch {
	case r.Version != nil:
		return fmt.Sprintf("entry %d (%s %s) version %d, %s", r.Entry.ID, r.Entry.List, r.Entry.SourceRef, r.Version.Version, r.Version.Change)
	case r.Check != nil:
		return fmt.Sprintf("check %s by %s", r.Check.ID, r.Check.Org)
	case r.Feedback != nil:
		return fmt.Sprintf("feedback %d on check %s by %s", r.Feedback.ID, r.Feedback.CheckID, r.Feedback.Org)
	}
	return fmt.Sprintf("organisation %s, %s", r.Org.Code, r.OrgChange)
}

// VerifyReport is what a full verification found.
type VerifyReport struct {
	Size        int64
	Root        []byte
	Checkpoints int
}

// VerifyLog recomputes every leaf from the stored records and the tree from
// the leaves, and checks every stored checkpoint: its signature, and that
// the log at its size still has its root. saved, if not nil, is a
// checkpoint kept by a witness: the log must have only grown since. The
// error names the first record or checkpoint that no longer matches.
func VerifyLog(ctx context.Context, s Store, saved *auditlog.Checkpoint) (*VerifyReport, error) {
	hash, err := s.LogMeta(ctx, "hash")
	if err != nil {
		return nil, err
	}
	if hash == "" {
		hash = auditlog.DefaultHash
	}
	h, err := auditlog.NewHasher(hash)
	if err != nil {
		return nil, err
	}
	size, err := s.LogSize(ctx)
	if err != nil {
		return nil, err
	}
	cps, err := s.Checkpoints(ctx)
	if err != nil {
		return nil, err
	}
	roots := map[uint64][]byte{} // the sizes whose roots must be compared
	for _, cp := range cps {
		if err := auditlog.Verify([]byte(cp.PublicKey), &cp.Checkpoint); err != nil {
			return nil, fmt.Errorf("checkpoint of size %d: bad signature: %w", cp.Size, err)
		}
		roots[cp.Size] = nil
	}
	if saved != nil {
		if err := verifySaved(saved, cps); err != nil {
			return nil, err
		}
		roots[saved.Size] = nil
	}
	tree := auditlog.NewTree(h)
	latest := map[int64]*LogRecord{}     // each entry's last logged version
	records := map[int64]*entry.Record{} // and the last record it logged
	err = s.LogRecords(ctx, 0, size, func(r *LogRecord) error {
		got := h.HashLeaf(LeafData(r))
		if !bytes.Equal(got, r.LeafHash) {
			return fmt.Errorf("leaf %d: %s no longer matches its logged hash", r.Index, Describe(r))
		}
		if r.Version != nil {
			latest[r.Entry.ID] = r
			if r.Version.Record != nil {
				records[r.Entry.ID] = r.Version.Record
			}
		}
		tree.AppendHash(got)
		if _, ok := roots[tree.Size()]; ok {
			roots[tree.Size()] = tree.Root()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, cp := range cps {
		if err := matchRoot(roots, cp.Size, cp.Root, size, "checkpoint"); err != nil {
			return nil, err
		}
	}
	if err := verifyCurrent(ctx, s, latest, records); err != nil {
		return nil, err
	}
	if saved != nil {
		if err := matchRoot(roots, saved.Size, saved.Root, size, "the saved checkpoint"); err != nil {
			return nil, err
		}
	}
	return &VerifyReport{Size: size, Root: tree.Root(), Checkpoints: len(cps)}, nil
}

// verifyCurrent checks that every entry's current state — what decides
// checks after a restart — is its last logged version: a state flipped in
// place (a masked debtor made active again) must not pass.
func verifyCurrent(ctx context.Context, s Store, latest map[int64]*LogRecord, records map[int64]*entry.Record) error {
	active := map[int64]bool{}
	err := s.ScanActive(ctx, func(e *entry.Entry) error {
		active[e.ID] = true
		last := latest[e.ID]
		if last == nil {
			return fmt.Errorf("entry %d (%s %s) is active but has no logged history", e.ID, e.List, e.SourceRef)
		}
		if e.State != last.Version.State || e.Version != last.Version.Version {
			return fmt.Errorf("entry %d (%s %s) is %s at version %d, but its last logged version is %d, %s",
				e.ID, e.List, e.SourceRef, e.State, e.Version, last.Version.Version, last.Version.State)
		}
		if want := records[e.ID]; want == nil || !entry.Same(&e.Record, want) {
			return fmt.Errorf("entry %d (%s %s): its current record is not the one last logged", e.ID, e.List, e.SourceRef)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for id, last := range latest {
		if last.Version.State == entry.Active && !active[id] {
			return fmt.Errorf("entry %d (%s %s) was last logged active but is no longer in force", id, last.Entry.List, last.Entry.SourceRef)
		}
	}
	return nil
}

func matchRoot(roots map[uint64][]byte, size uint64, want []byte, logSize int64, what string) error {
	if size > uint64(logSize) {
		return fmt.Errorf("%s of size %d: the log has only %d leaves: it was truncated", what, size, logSize)
	}
	if size == 0 {
		return nil
	}
	if !bytes.Equal(roots[size], want) {
		return fmt.Errorf("%s of size %d: the log's root at that size differs: a logged record was altered or removed", what, size)
	}
	return nil
}

// verifySaved checks a witness's checkpoint: its own signature, by a key
// the log has signed with.
func verifySaved(saved *auditlog.Checkpoint, cps []*StoredCheckpoint) error {
	for _, cp := range cps {
		if err := auditlog.Verify([]byte(cp.PublicKey), saved); err == nil {
			return nil
		}
	}
	return fmt.Errorf("the saved checkpoint of size %d is not signed by any key this log has used", saved.Size)
}

// SharedSecret returns a random secret that every node sharing the store
// sees the same, created on first use (the console signs sessions with it).
// It lives with the log's fixed settings.
func (p *Platform) SharedSecret(ctx context.Context, name string) ([]byte, error) {
	b := make([]byte, 32)
	rand.Read(b)
	if err := p.store.SetLogMeta(ctx, name, hex.EncodeToString(b)); err != nil {
		return nil, err
	}
	v, err := p.store.LogMeta(ctx, name)
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}
