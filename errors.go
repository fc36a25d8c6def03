// Package chengxin holds what every part of the platform shares: the error
// kinds that decide an HTTP status, and the clock that terms run on.
package chengxin

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error for the caller; the HTTP adapter maps it to a status.
type Kind string

const (
	KindInvalid      Kind = "invalid"      // the request is well-formed but a value is wrong (422)
	KindBadRequest   Kind = "bad_request"  // the request cannot be read (400)
	KindUnauthorized Kind = "unauthorized" // no or unknown token (401)
	KindForbidden    Kind = "forbidden"    // a known caller without the role or scope (403)
	KindNotFound     Kind = "not_found"    // (404)
	KindConflict     Kind = "conflict"     // the state does not allow the change (409)
	KindTooLarge     Kind = "too_large"    // (413)
	KindUnsupported  Kind = "unsupported"  // wrong content type (415)
	KindRateLimited  Kind = "rate_limited" // (429)
	KindUnavailable  Kind = "unavailable"  // shutting down, store gone (503)
	KindInternal     Kind = "internal"     // never shown in detail (500)
)

// Error is a failure a caller can act on: Kind decides the status, Code and
// Field tell a program what went wrong, ZH and EN tell a person.
type Error struct {
	Kind  Kind
	Code  string
	Field string
	ZH    string
	EN    string
	// RetryAfter, for a rate-limited caller, is when to try again.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.EN)
	}
	return e.Code + ": " + e.EN
}

// At returns a copy of e naming field, prefixed to any field e already names
// ("subject" + "id" = "subject.id"; a row index "[3]" joins without a dot).
func (e *Error) At(field string) *Error {
	c := *e
	switch {
	case c.Field == "":
		c.Field = field
	case c.Field[0] == '[':
		c.Field = field + c.Field
	default:
		c.Field = field + "." + c.Field
	}
	return &c
}

// E builds an *Error.
func E(kind Kind, code, field, zh, en string) *Error {
	return &Error{Kind: kind, Code: code, Field: field, ZH: zh, EN: en}
}

// Invalid is the common case: a field's value is wrong.
func Invalid(field, code, zh, en string) *Error {
	return E(KindInvalid, code, field, zh, en)
}

// AsError finds the *Error in err's chain; an error without one is internal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Code: "internal", ZH: "服务器内部错误", EN: "internal error"}
}

// IsKind reports whether err carries an *Error of kind k.
func IsKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}
