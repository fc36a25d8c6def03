package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/internal/rows"
)

// SaveChecks implements platform.Store.
func (s *Store) SaveChecks(ctx context.Context, checks []*check.Record) error {
	return s.write(ctx, func(tx *sql.Conn) error {
		args := make([]any, 0, len(checks)*14)
		for _, c := range checks {
			hits, err := json.Marshal(c.Hits)
			if err != nil {
				return err
			}
			c.LogIndex = s.leaf()
			c.ID = strconv.FormatInt(c.LogIndex, 10)
			args = append(args, c.LogIndex, c.Org, c.Item, c.Subject.IDType, c.Subject.ID, c.Key, c.Subject.Name,
				c.Operator, c.Ref, c.Outcome, hits, c.NameMismatch, rows.Micros(c.At), c.LeafHash)
		}
		return s.insertRows(ctx, tx, `INSERT INTO checks
			(log_index, org, item, id_type, subject_id, subject_key, name, operator, ref, outcome, hits, name_mismatch, at, leaf_hash) VALUES `, 14, args)
	})
}

// Check implements platform.Store.
func (s *Store) Check(ctx context.Context, id string) (*check.Record, error) {
	c := &check.Record{ID: id}
	var hits []byte
	var at int64
	notFound := chengxin.E(chengxin.KindNotFound, "not_found", "check_id", "核查记录不存在："+id, "no such check: "+id)
	index, perr := strconv.ParseInt(id, 10, 64)
	if perr != nil || index < 0 {
		return nil, notFound
	}
	err := s.r.QueryRowContext(ctx, `SELECT org, item, id_type, subject_id, subject_key, name, operator, ref, outcome, hits, name_mismatch, at, log_index
		FROM checks WHERE log_index = ?`, index).Scan(&c.Org, &c.Item, &c.Subject.IDType, &c.Subject.ID, &c.Key, &c.Subject.Name,
		&c.Operator, &c.Ref, &c.Outcome, &hits, &c.NameMismatch, &at, &c.LogIndex)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
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
	checkIndex, err := strconv.ParseInt(f.CheckID, 10, 64)
	if err != nil {
		return chengxin.E(chengxin.KindNotFound, "not_found", "check_id", "核查记录不存在："+f.CheckID, "no such check: "+f.CheckID)
	}
	return s.write(ctx, func(tx *sql.Conn) error {
		f.LogIndex = s.leaf()
		res, err := tx.ExecContext(ctx, `INSERT INTO feedback (check_id, org, action, note, operator, at, log_index, leaf_hash) VALUES (?,?,?,?,?,?,?,?)`,
			checkIndex, f.Org, f.Action, f.Note, f.Operator, rows.Micros(f.At), f.LogIndex, f.LeafHash)
		if err != nil {
			return err
		}
		f.ID, err = res.LastInsertId()
		return err
	})
}

// CreateOrg implements platform.Store.
func (s *Store) CreateOrg(ctx context.Context, o *org.Org, leafHash []byte) error {
	roles, _ := json.Marshal(o.Roles)
	lists, _ := json.Marshal(o.Lists)
	items, _ := json.Marshal(o.Items)
	err := s.write(ctx, func(tx *sql.Conn) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO orgs (code, name, roles, lists, items, token_hash, created_at) VALUES (?,?,?,?,?,?,?)`,
			o.Code, o.Name, roles, lists, items, o.TokenHash, rows.Micros(o.CreatedAt)); err != nil {
			return err
		}
		return s.orgEvent(ctx, tx, o, "org.created", o.CreatedAt, leafHash)
	})
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: orgs.code") {
		return chengxin.E(chengxin.KindConflict, "exists", "code", "机构代码已存在："+o.Code, "organisation code already taken: "+o.Code)
	}
	return err
}

// SetOrgToken implements platform.Store.
func (s *Store) SetOrgToken(ctx context.Context, o *org.Org, at time.Time, leafHash []byte) error {
	return s.write(ctx, func(tx *sql.Conn) error {
		if _, err := tx.ExecContext(ctx, `UPDATE orgs SET token_hash = ? WHERE code = ?`, o.TokenHash, o.Code); err != nil {
			return err
		}
		return s.orgEvent(ctx, tx, o, "org.token_rotated", at, leafHash)
	})
}

func (s *Store) orgEvent(ctx context.Context, tx *sql.Conn, o *org.Org, change string, at time.Time, leafHash []byte) error {
	roles, _ := json.Marshal(o.Roles)
	lists, _ := json.Marshal(o.Lists)
	items, _ := json.Marshal(o.Items)
	_, err := tx.ExecContext(ctx, `INSERT INTO org_events (log_index, org, change, name, roles, lists, items, at, leaf_hash) VALUES (?,?,?,?,?,?,?,?,?)`,
		s.leaf(), o.Code, change, o.Name, roles, lists, items, rows.Micros(at), leafHash)
	return err
}

// Orgs implements platform.Store.
func (s *Store) Orgs(ctx context.Context) ([]*org.Org, error) {
	return rows.All(s.query(ctx), `SELECT `+rows.OrgColumns+` FROM orgs ORDER BY code`, nil, rows.ScanOrg)
}

// SaveCatalog implements platform.Store.
func (s *Store) SaveCatalog(ctx context.Context, version string, yaml []byte, actor string, at time.Time) error {
	err := s.write(ctx, func(tx *sql.Conn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO catalog_versions (version, yaml, actor, at) VALUES (?,?,?,?)`, version, yaml, actor, rows.Micros(at))
		return err
	})
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return chengxin.E(chengxin.KindConflict, "version_exists", "version", "目录版本已存在："+version+"，请使用新的版本号", "catalog version already exists: "+version+"; use a new version")
	}
	return err
}

// LatestCatalog implements platform.Store.
func (s *Store) LatestCatalog(ctx context.Context) ([]byte, error) {
	var y []byte
	err := s.r.QueryRowContext(ctx, `SELECT yaml FROM catalog_versions ORDER BY id DESC LIMIT 1`).Scan(&y)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return y, err
}

// LogAccess implements platform.Store.
func (s *Store) LogAccess(ctx context.Context, a platform.Access) error {
	return s.write(ctx, func(tx *sql.Conn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO access_log (org, action, target, at) VALUES (?,?,?,?)`, a.Org, a.Action, a.Target, rows.Micros(a.At))
		return err
	})
}
