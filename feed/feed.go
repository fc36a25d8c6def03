// Package feed is the ordered change log of list entries as departments and
// sources follow it: pages of changes, webhook subscriptions, their
// signatures and retry policy. It does no I/O.
package feed

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/entry"
)

// Change is one entry change: the entry as that change left it.
type Change struct {
	Seq   int64
	Type  entry.ChangeType
	At    time.Time
	Entry entry.Entry
}

// Page is a run of changes and the cursor to ask from next. Next can pass
// the last change shown: changes a caller may not see are skipped, not
// shown as gaps.
type Page struct {
	Changes []Change
	Next    int64
}

// Subscription is a webhook: changes the organisation may see are POSTed to
// URL in seq order, signed with Secret, until acknowledged with a 2xx.
type Subscription struct {
	ID           string
	Org          string
	URL          string
	Secret       string
	Cursor       int64 // last seq acknowledged
	CreatedAt    time.Time
	LastAttempt  time.Time
	LastSuccess  time.Time
	LastError    string
	FailingSince time.Time // zero while deliveries succeed
	Delivered    int64
}

// FailingAfter is how long a subscription may fail before it is flagged as
// failing; it is never dropped.
const FailingAfter = 24 * time.Hour

// Status is "ok", "retrying" (failing for less than FailingAfter) or
// "failing".
func (s *Subscription) Status(now time.Time) string {
	switch {
	case s.FailingSince.IsZero():
		return "ok"
	case now.Sub(s.FailingSince) < FailingAfter:
		return "retrying"
	}
	return "failing"
}

// ValidateSubscription checks what a department sends to subscribe.
func ValidateSubscription(rawURL, secret string) error {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if rawURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return chengxin.Invalid("url", "bad_url", "url 必须是完整的 http(s) 地址，例如 https://dept.example.gov.cn/chengxin/hook",
			"url must be an absolute http(s) URL, e.g. https://dept.example.gov.cn/chengxin/hook")
	}
	if u.User != nil {
		return chengxin.Invalid("url", "bad_url", "url 不能包含用户名或密码", "url must not carry credentials")
	}
	if len(secret) < 16 || !utf8.ValidString(secret) {
		return chengxin.Invalid("secret", "weak_secret", "secret 至少 16 个字符，用于对推送内容签名", "secret must be at least 16 characters; it signs every delivery")
	}
	if len(secret) > 256 || len(rawURL) > 2048 {
		return chengxin.Invalid("secret", "too_long", "secret 或 url 过长", "secret or url too long")
	}
	return nil
}

// Sign is the X-Chengxin-Signature value of a body: sha256=<hex HMAC>.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is body's signature with secret, in
// constant time; receivers use it.
func Verify(secret string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(signature))
}

// Backoff is the wait before retry number failures (1 for the first retry):
// doubling from first, capped at max.
func Backoff(failures int, first, max time.Duration) time.Duration {
	d := first
	for i := 1; i < failures && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}
