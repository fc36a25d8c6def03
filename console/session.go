package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	sessionCookie = "cx_session"
	preCookie     = "cx_pre" // the sign-in form's double-submit CSRF token
	sessionTTL    = 8 * time.Hour
)

// sessions signs cookies with a key the nodes share (kept in the store), so
// a load balancer may send a signed-in user to any node, and sessions
// outlive a restart.
type sessions struct{ key []byte }

func (s *sessions) mac(parts ...string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(m.Sum(nil))
}

// issue sets the session cookie for org code.
func (s *sessions) issue(w http.ResponseWriter, r *http.Request, code string, now time.Time) {
	body := base64.RawURLEncoding.EncodeToString([]byte(code + "|" + strconv.FormatInt(now.Add(sessionTTL).Unix(), 10)))
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: body + "." + s.mac("session", body), Path: "/",
		MaxAge: int(sessionTTL / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

// read returns the org code of a valid session and the raw cookie value.
func (s *sessions) read(r *http.Request, now time.Time) (code, raw string, ok bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", "", false
	}
	body, sig, found := strings.Cut(c.Value, ".")
	if !found || !hmac.Equal([]byte(sig), []byte(s.mac("session", body))) {
		return "", "", false
	}
	dec, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return "", "", false
	}
	code, exp, found := strings.Cut(string(dec), "|")
	until, err := strconv.ParseInt(exp, 10, 64)
	if !found || err != nil || now.Unix() >= until {
		return "", "", false
	}
	return code, c.Value, true
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

// csrf is the form token bound to a session cookie.
func (s *sessions) csrf(raw string) string { return s.mac("csrf", raw) }

// checkCSRF compares the posted token with the session's.
func (s *sessions) checkCSRF(r *http.Request, raw string) bool {
	got := r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf(raw))) == 1
}

// preToken returns the sign-in form's token, setting its cookie if needed.
func preToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCookie); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	b := make([]byte, 16)
	rand.Read(b)
	v := hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: preCookie, Value: v, Path: "/login", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	return v
}

func checkPre(r *http.Request) bool {
	c, err := r.Cookie(preCookie)
	got := r.PostFormValue("csrf")
	return err == nil && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) == 1
}
