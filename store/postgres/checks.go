package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/internal/rows"
)

var checkColumns = []string{"log_index", "org", "item", "id_type", "subject_id", "subject_key", "name", "operator", "ref", "outcome", "hits", "name_mismatch", "at", "leaf_hash"}

// SaveChecks implements platform.Store. The platform hands it a group of
// checks to commit together; a large group goes in by COPY. Each check's ID
// is its audit-log position.
func (s *Store) SaveChecks(ctx context.Context, checks []*check.Record) error {
	ctx = writing(ctx)
	if len(checks) == 0 {
		return nil
	}
	hits := make([][]byte, len(checks))
	for i, c := range checks {
		h, err := json.Marshal(c.Hits)
		if err != nil {
			return err
		}
		hits[i] = h
	}
	type numbers struct {
		id    string
		index int64
	}
	before := make([]numbers, len(checks))
	for i, c := range checks {
		before[i] = numbers{c.ID, c.LogIndex}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		leaf, err := takeNumbers(ctx, tx, "leaf", len(checks))
		if err != nil {
			return err
		}
		for i, c := range checks {
			c.LogIndex = leaf + int64(i)
			c.ID = strconv.FormatInt(c.LogIndex, 10)
		}
		if len(checks) >= copyMin {
			row := make([]any, len(checkColumns))
			_, err := tx.CopyFrom(ctx, pgx.Identifier{"checks"}, checkColumns, pgx.CopyFromSlice(len(checks), func(i int) ([]any, error) {
				c := checks[i]
				row[0], row[1], row[2], row[3], row[4], row[5], row[6] = c.LogIndex, c.Org, c.Item, string(c.Subject.IDType), c.Subject.ID, c.Key, c.Subject.Name
				row[7], row[8], row[9], row[10], row[11], row[12], row[13] = c.Operator, c.Ref, string(c.Outcome), hits[i], c.NameMismatch, rows.Micros(c.At), c.LeafHash
				return row, nil
			}))
			if err != nil {
				return fmt.Errorf("copy checks: %w", err)
			}
			return nil
		}
		n := len(checks)
		var (
			orgs, items, idTypes, subjectIDs, keys, names = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
			operators, refs, outcomes, hitTexts           = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
			mismatches                                    = make([]bool, n)
			ats, leaves                                   = make([]int64, n), make([]int64, n)
			leafHashes                                    = make([][]byte, n)
		)
		for i, c := range checks {
			orgs[i], items[i], idTypes[i], subjectIDs[i], keys[i], names[i] = c.Org, c.Item, string(c.Subject.IDType), c.Subject.ID, c.Key, c.Subject.Name
			operators[i], refs[i], outcomes[i], hitTexts[i] = c.Operator, c.Ref, string(c.Outcome), string(hits[i])
			mismatches[i], ats[i], leaves[i], leafHashes[i] = c.NameMismatch, rows.Micros(c.At), c.LogIndex, c.LeafHash
		}
		_, err = tx.Exec(ctx, `INSERT INTO checks (log_index, org, item, id_type, subject_id, subject_key, name, operator, ref, outcome, hits, name_mismatch, at, leaf_hash)
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bool[], $13::bigint[], $14::bytea[])`,
			leaves, orgs, items, idTypes, subjectIDs, keys, names, operators, refs, outcomes, hitTexts, mismatches, ats, leafHashes)
		if err != nil {
			return fmt.Errorf("insert checks: %w", err)
		}
		return nil
	})
	if err != nil {
		for i, c := range checks {
			c.ID, c.LogIndex = before[i].id, before[i].index
		}
	}
	return err
}

// checkIndex reads a check ID: its audit-log position.
func checkIndex(id string) (int64, error) {
	index, err := strconv.ParseInt(id, 10, 64)
	if err != nil || index < 0 {
		return 0, chengxin.E(chengxin.KindNotFound, "not_found", "check_id", "核查记录不存在："+id, "no such check: "+id)
	}
	return index, nil
}

// Check implements platform.Store.
func (s *Store) Check(ctx context.Context, id string) (*check.Record, error) {
	index, err := checkIndex(id)
	if err != nil {
		return nil, err
	}
	c := &check.Record{ID: id}
	var hits []byte
	var at int64
	err = s.pool.QueryRow(ctx, `SELECT org, item, id_type, subject_id, subject_key, name, operator, ref, outcome, hits, name_mismatch, at, log_index
		FROM checks WHERE log_index = $1`, index).Scan(&c.Org, &c.Item, &c.Subject.IDType, &c.Subject.ID, &c.Key, &c.Subject.Name,
		&c.Operator, &c.Ref, &c.Outcome, &hits, &c.NameMismatch, &at, &c.LogIndex)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, chengxin.E(chengxin.KindNotFound, "not_found", "check_id", "核查记录不存在："+id, "no such check: "+id)
	}
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", id, err)
	}
	c.At = rows.FromMicros(at)
	if err := json.Unmarshal(hits, &c.Hits); err != nil {
		return nil, fmt.Errorf("check %s hits: %w", id, err)
	}
	if c.Feedback, err = rows.All(s.query(ctx), rows.CheckFeedbackQuery, []any{index}, rows.ScanFeedback); err != nil {
		return nil, fmt.Errorf("feedback of %s: %w", id, err)
	}
	return c, nil
}

// SaveFeedback implements platform.Store.
func (s *Store) SaveFeedback(ctx context.Context, f *check.Feedback) error {
	ctx = writing(ctx)
	index, err := checkIndex(f.CheckID)
	if err != nil {
		return err
	}
	var id, leaf int64
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if leaf, err = takeNumbers(ctx, tx, "leaf", 1); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO feedback (check_id, org, action, note, operator, at, log_index, leaf_hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
			index, f.Org, string(f.Action), f.Note, f.Operator, rows.Micros(f.At), leaf, f.LeafHash).Scan(&id)
	})
	if err != nil {
		return err
	}
	f.ID, f.LogIndex = id, leaf
	return nil
}

// CreateOrg implements platform.Store.
func (s *Store) CreateOrg(ctx context.Context, o *org.Org, leafHash []byte) error {
	ctx = writing(ctx)
	roles, _ := json.Marshal(o.Roles)
	lists, _ := json.Marshal(o.Lists)
	items, _ := json.Marshal(o.Items)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO orgs (code, name, roles, lists, items, token_hash, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
			o.Code, o.Name, string(roles), string(lists), string(items), o.TokenHash, rows.Micros(o.CreatedAt)); err != nil {
			return err
		}
		return orgEvent(ctx, tx, o, "org.created", o.CreatedAt, leafHash)
	})
	if uniqueViolation(err) == "orgs_pkey" {
		return chengxin.E(chengxin.KindConflict, "exists", "code", "机构代码已存在："+o.Code, "organisation code already taken: "+o.Code)
	}
	return err
}

// SetOrgToken implements platform.Store.
func (s *Store) SetOrgToken(ctx context.Context, o *org.Org, at time.Time, leafHash []byte) error {
	ctx = writing(ctx)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE orgs SET token_hash = $1 WHERE code = $2`, o.TokenHash, o.Code); err != nil {
			return err
		}
		return orgEvent(ctx, tx, o, "org.token_rotated", at, leafHash)
	})
}

// orgEvent logs an organisation change; the log index is taken last, as
// late in the transaction as possible, since every writer waits on it.
func orgEvent(ctx context.Context, tx pgx.Tx, o *org.Org, change string, at time.Time, leafHash []byte) error {
	roles, _ := json.Marshal(o.Roles)
	lists, _ := json.Marshal(o.Lists)
	items, _ := json.Marshal(o.Items)
	leaf, err := takeNumbers(ctx, tx, "leaf", 1)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO org_events (log_index, org, change, name, roles, lists, items, at, leaf_hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
		leaf, o.Code, change, o.Name, string(roles), string(lists), string(items), rows.Micros(at), leafHash)
	return err
}

// Orgs implements platform.Store.
func (s *Store) Orgs(ctx context.Context) ([]*org.Org, error) {
	return rows.All(s.query(ctx), `SELECT `+rows.OrgColumns+` FROM orgs ORDER BY code`, nil, rows.ScanOrg)
}

// SaveCatalog implements platform.Store.
func (s *Store) SaveCatalog(ctx context.Context, version string, yaml []byte, actor string, at time.Time) error {
	ctx = writing(ctx)
	_, err := s.pool.Exec(ctx, `INSERT INTO catalog_versions (version, yaml, actor, at) VALUES ($1,$2,$3,$4)`, version, yaml, actor, rows.Micros(at))
	if uniqueViolation(err) == "catalog_versions_version_key" {
		return chengxin.E(chengxin.KindConflict, "version_exists", "version", "目录版本已存在："+version+"，请使用新的版本号", "catalog version already exists: "+version+"; use a new version")
	}
	return err
}

// LatestCatalog implements platform.Store.
func (s *Store) LatestCatalog(ctx context.Context) ([]byte, error) {
	var y []byte
	err := s.pool.QueryRow(ctx, `SELECT yaml FROM catalog_versions ORDER BY id DESC LIMIT 1`).Scan(&y)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return y, err
}

// LogAccess implements platform.Store.
func (s *Store) LogAccess(ctx context.Context, a platform.Access) error {
	ctx = writing(ctx)
	_, err := s.pool.Exec(ctx, `INSERT INTO access_log (org, action, target, at) VALUES ($1,$2,$3,$4)`, a.Org, a.Action, a.Target, rows.Micros(a.At))
	return err
}
