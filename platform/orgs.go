package platform

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/auditlog"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
)

// orgCache answers "whose token is this" without touching the store.
type orgCache struct {
	mu      sync.RWMutex
	byToken map[string]*org.Org
	byCode  map[string]*org.Org

	// On a shared store an unknown token may belong to an organisation
	// another node just created; the cache is reread at most once a second.
	missMu   sync.Mutex
	lastMiss time.Time
}

func (c *orgCache) load(ctx context.Context, s Store) error {
	all, err := s.Orgs(ctx)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byToken = make(map[string]*org.Org, len(all))
	c.byCode = make(map[string]*org.Org, len(all))
	for _, o := range all {
		c.put(o)
	}
	return nil
}

func (c *orgCache) put(o *org.Org) {
	if old := c.byCode[o.Code]; old != nil {
		delete(c.byToken, old.TokenHash)
	}
	c.byCode[o.Code] = o
	c.byToken[o.TokenHash] = o
}

var errUnauthorized = chengxin.E(chengxin.KindUnauthorized, "unauthorized", "",
	"未提供令牌或令牌无效", "missing or unknown token")

// Authenticate returns the organisation a bearer token belongs to.
func (p *Platform) Authenticate(token string) (*org.Org, error) {
	if token == "" {
		return nil, errUnauthorized
	}
	h := org.HashToken(token)
	p.orgs.mu.RLock()
	o := p.orgs.byToken[h]
	p.orgs.mu.RUnlock()
	if o == nil && p.shared && p.rereadOrgs() {
		p.orgs.mu.RLock()
		o = p.orgs.byToken[h]
		p.orgs.mu.RUnlock()
	}
	if o == nil {
		return nil, errUnauthorized
	}
	return o, nil
}

// rereadOrgs reloads the organisations unless that was done within the
// last second, and reports whether it did.
func (p *Platform) rereadOrgs() bool {
	p.orgs.missMu.Lock()
	defer p.orgs.missMu.Unlock()
	if time.Since(p.orgs.lastMiss) < time.Second {
		return false
	}
	p.orgs.lastMiss = time.Now()
	if err := p.orgs.load(context.Background(), p.store); err != nil {
		p.log.Error("reread organisations", "err", err)
		return false
	}
	return true
}

// Forbidden is the error for a known caller without the role or scope.
func Forbidden(zh, en string) error {
	return chengxin.E(chengxin.KindForbidden, "forbidden", "", zh, en)
}

func requireRole(actor *org.Org, r org.Role) error {
	if actor.Has(r) {
		return nil
	}
	return Forbidden("当前机构无权执行该操作（需要角色 "+string(r)+"）", "this organisation lacks the role "+string(r))
}

// CreateOrg registers an organisation and returns its token, shown only now.
func (p *Platform) CreateOrg(ctx context.Context, actor *org.Org, o org.Org) (string, error) {
	if err := requireRole(actor, org.Admin); err != nil {
		return "", err
	}
	if err := org.Validate(&o, p.Catalog()); err != nil {
		return "", err
	}
	token, hash := org.NewToken()
	o.TokenHash = hash
	o.CreatedAt = p.clock().In(entry.CST)
	if err := p.store.CreateOrg(ctx, &o, p.audit.leaf(auditlog.OrgLeaf(&o, auditlog.OrgCreated, o.CreatedAt))); err != nil {
		return "", err
	}
	p.orgs.mu.Lock()
	p.orgs.put(&o)
	p.orgs.mu.Unlock()
	p.log.Info("organisation created", "org", o.Code, "roles", o.Roles, "by", actor.Code)
	return token, nil
}

// RotateToken gives an organisation a new token; the old one stops working.
func (p *Platform) RotateToken(ctx context.Context, actor *org.Org, code string) (string, error) {
	if err := requireRole(actor, org.Admin); err != nil {
		return "", err
	}
	token, hash := org.NewToken()
	if err := p.setToken(ctx, code, hash); err != nil {
		return "", err
	}
	p.log.Info("token rotated", "org", code, "by", actor.Code)
	return token, nil
}

func (p *Platform) setToken(ctx context.Context, code, hash string) error {
	p.orgs.mu.Lock()
	defer p.orgs.mu.Unlock()
	old := p.orgs.byCode[code]
	if old == nil {
		return chengxin.E(chengxin.KindNotFound, "not_found", "code", "机构不存在："+code, "no such organisation: "+code)
	}
	o := *old
	o.TokenHash = hash
	at := p.clock().In(entry.CST)
	if err := p.store.SetOrgToken(ctx, &o, at, p.audit.leaf(auditlog.OrgLeaf(&o, auditlog.OrgTokenRotated, at))); err != nil {
		return err
	}
	p.orgs.put(&o)
	return nil
}

// Orgs lists the organisations, for an admin or supervisor.
func (p *Platform) Orgs(actor *org.Org) ([]*org.Org, error) {
	if !actor.CanReadAll() {
		return nil, Forbidden("仅管理员或监督单位可查看机构列表", "only an admin or supervisor may list organisations")
	}
	p.orgs.mu.RLock()
	defer p.orgs.mu.RUnlock()
	out := make([]*org.Org, 0, len(p.orgs.byCode))
	for _, o := range p.orgs.byCode {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b *org.Org) int {
		if a.Code < b.Code {
			return -1
		}
		return 1
	})
	return out, nil
}

// EnsureAdmin sets the admin's token. With token empty, an admin that exists
// keeps its token and a first start gets a generated one, returned to be
// printed once.
func (p *Platform) EnsureAdmin(ctx context.Context, token string) (generated string, err error) {
	p.orgs.mu.RLock()
	exists := p.orgs.byCode[org.AdminCode] != nil
	p.orgs.mu.RUnlock()
	if token == "" && exists {
		return "", nil
	}
	hash := org.HashToken(token)
	if token == "" {
		generated, hash = org.NewToken()
	}
	if exists {
		return generated, p.setToken(ctx, org.AdminCode, hash)
	}
	o := &org.Org{Code: org.AdminCode, Name: "平台管理员", Roles: []org.Role{org.Admin}, CreatedAt: p.clock().In(entry.CST), TokenHash: hash}
	if err := p.store.CreateOrg(ctx, o, p.audit.leaf(auditlog.OrgLeaf(o, auditlog.OrgCreated, o.CreatedAt))); err != nil {
		return "", err
	}
	p.orgs.mu.Lock()
	p.orgs.put(o)
	p.orgs.mu.Unlock()
	return generated, nil
}

// CatalogYAML returns the catalog in force as its source text.
func (p *Platform) CatalogYAML() []byte {
	p.catalogMu.RLock()
	defer p.catalogMu.RUnlock()
	return p.catalogYAML
}

// ReplaceCatalog validates and installs a new catalog version. It refuses a
// catalog that drops a list or item an organisation still holds.
func (p *Platform) ReplaceCatalog(ctx context.Context, actor *org.Org, data []byte) (*catalog.Catalog, error) {
	if err := requireRole(actor, org.Admin); err != nil {
		return nil, err
	}
	cat, err := catalog.Parse(data)
	if err != nil {
		return nil, err
	}
	p.orgs.mu.RLock()
	for _, o := range p.orgs.byCode {
		if err := org.CheckScopes(o, cat); err != nil {
			p.orgs.mu.RUnlock()
			e := chengxin.AsError(err)
			return nil, chengxin.E(chengxin.KindConflict, "in_use", e.Field,
				"机构 "+o.Code+" 仍在使用："+e.ZH, "organisation "+o.Code+" still uses it: "+e.EN)
		}
	}
	p.orgs.mu.RUnlock()
	p.catalogMu.Lock()
	defer p.catalogMu.Unlock()
	if err := p.store.SaveCatalog(ctx, cat.Version, data, actor.Code, p.clock()); err != nil {
		return nil, err
	}
	p.catalogYAML = data
	p.index.SetCatalog(cat)
	p.log.Info("catalog replaced", "version", cat.Version, "by", actor.Code)
	return cat, nil
}
