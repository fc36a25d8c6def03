// Package org holds the organisations that use the platform, their roles and
// scopes, and their bearer tokens (kept only as hashes).
package org

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
)

// Role is what an organisation may do.
type Role string

const (
	Source     Role = "source"     // publishes to its lists
	Department Role = "department" // checks its items
	Supervisor Role = "supervisor" // reads everything, changes nothing
	Admin      Role = "admin"      // manages organisations and the catalog
)

// AdminCode is the organisation the admin token belongs to.
const AdminCode = "admin"

// Org is one organisation.
type Org struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Roles     []Role    `json:"roles"`
	Lists     []string  `json:"lists,omitempty"`
	Items     []string  `json:"items,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	TokenHash string    `json:"-"`
}

// Has reports whether o holds role r.
func (o *Org) Has(r Role) bool { return slices.Contains(o.Roles, r) }

// CanPublish reports whether o may publish to list.
func (o *Org) CanPublish(list string) bool {
	return o.Has(Source) && slices.Contains(o.Lists, list)
}

// CanCheck reports whether o may check item.
func (o *Org) CanCheck(item string) bool {
	return o.Has(Department) && slices.Contains(o.Items, item)
}

// CanReadAll reports whether o may read every entry and check.
func (o *Org) CanReadAll() bool { return o.Has(Supervisor) || o.Has(Admin) }

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,63}$`)

// Validate checks an organisation against the catalog.
func Validate(o *Org, cat *catalog.Catalog) error {
	if !codePattern.MatchString(o.Code) {
		return chengxin.Invalid("code", "bad_code", "机构代码须为 2–64 位小写字母、数字或连字符", "code must be 2–64 lower-case letters, digits or '-'")
	}
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		return chengxin.Invalid("name", "required", "机构名称不能为空", "name is required")
	}
	if len(o.Roles) == 0 {
		return chengxin.Invalid("roles", "required", "至少指定一个角色", "at least one role is required")
	}
	for i, r := range o.Roles {
		switch r {
		case Source, Department, Supervisor, Admin:
		default:
			return chengxin.Invalid(fmt.Sprintf("roles[%d]", i), "bad_role", "角色须为 source、department、supervisor 或 admin", "role must be source, department, supervisor or admin")
		}
	}
	if o.Has(Source) && len(o.Lists) == 0 {
		return chengxin.Invalid("lists", "required", "信息提供单位须指定可发布的名单", "a source must name the lists it publishes to")
	}
	if o.Has(Department) && len(o.Items) == 0 {
		return chengxin.Invalid("items", "required", "联合奖惩单位须指定其办理的事项", "a department must name the items it checks")
	}
	return CheckScopes(o, cat)
}

// CheckScopes reports a list or item o names that cat does not have.
func CheckScopes(o *Org, cat *catalog.Catalog) error {
	for i, l := range o.Lists {
		if cat.List(l) == nil {
			return chengxin.Invalid(fmt.Sprintf("lists[%d]", i), "unknown_list", "未知名单："+l, "unknown list: "+l)
		}
	}
	for i, it := range o.Items {
		if cat.Item(it) == nil {
			return chengxin.Invalid(fmt.Sprintf("items[%d]", i), "unknown_item", "未知事项："+it, "unknown item: "+it)
		}
	}
	return nil
}

// NewToken returns a fresh bearer token and the hash to store.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = "cx_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return token, HashToken(token)
}

// HashToken is how tokens are stored and looked up: a high-entropy token needs
// no slow hash, only one that cannot be reversed.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
