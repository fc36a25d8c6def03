package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/feed"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
)

// maxWait bounds a long poll; proxies commonly cut idle requests at 60 s.
const maxWait = 55 * time.Second

func (s *Server) changes(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	q := r.URL.Query()
	after, err := intParam(q.Get("after"), "after", 0)
	if err != nil {
		return err
	}
	limit, err := intParam(q.Get("limit"), "limit", 100)
	if err != nil {
		return err
	}
	var wait time.Duration
	if w := q.Get("wait"); w != "" {
		if wait, err = time.ParseDuration(w); err != nil || wait < 0 {
			return chengxin.Invalid("wait", "bad_wait", "wait 须为时长，如 30s", "wait must be a duration such as 30s")
		}
		wait = min(wait, maxWait)
	}
	page, err := s.p.Changes(r.Context(), actor, after, int(limit), wait)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"changes": platform.Views(actor, page.Changes), "next": page.Next})
	return nil
}

func intParam(s, field string, def int64) (int64, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, chengxin.Invalid(field, "bad_number", field+" 须为非负整数", field+" must be a non-negative integer")
	}
	return n, nil
}

type subscribeBody struct {
	URL    string `json:"url"`
	Secret string `json:"secret"`
	After  *int64 `json:"after"`
}

type subscriptionView struct {
	ID           string     `json:"id"`
	Org          string     `json:"org"`
	URL          string     `json:"url"`
	Cursor       int64      `json:"cursor"`
	Lag          int64      `json:"lag"`
	Status       string     `json:"status"`
	Delivered    int64      `json:"delivered"`
	CreatedAt    time.Time  `json:"created_at"`
	LastAttempt  *time.Time `json:"last_attempt,omitempty"`
	LastSuccess  *time.Time `json:"last_success,omitempty"`
	LastError    string     `json:"last_error,omitempty"`
	FailingSince *time.Time `json:"failing_since,omitempty"`
}

func (s *Server) subscriptionView(sub *feed.Subscription, head int64) subscriptionView {
	opt := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	return subscriptionView{ID: sub.ID, Org: sub.Org, URL: sub.URL, Cursor: sub.Cursor, Lag: max(head-sub.Cursor, 0),
		Status: sub.Status(s.p.Now()), Delivered: sub.Delivered, CreatedAt: sub.CreatedAt, LastAttempt: opt(sub.LastAttempt),
		LastSuccess: opt(sub.LastSuccess), LastError: sub.LastError, FailingSince: opt(sub.FailingSince)}
}

func (s *Server) subscribe(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	var b subscribeBody
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	sub, err := s.p.Subscribe(r.Context(), actor, b.URL, b.Secret, b.After)
	if err != nil {
		return err
	}
	head, err := s.p.Head(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.subscriptionView(sub, head))
	return nil
}

func (s *Server) listSubscriptions(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	subs, err := s.p.Subscriptions(r.Context(), actor)
	if err != nil {
		return err
	}
	head, err := s.p.Head(r.Context())
	if err != nil {
		return err
	}
	out := make([]subscriptionView, len(subs))
	for i, sub := range subs {
		out[i] = s.subscriptionView(sub, head)
	}
	writeJSON(w, http.StatusOK, map[string]any{"subscriptions": out})
	return nil
}

func (s *Server) getSubscription(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	sub, err := s.p.Subscription(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	head, err := s.p.Head(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.subscriptionView(sub, head))
	return nil
}

func (s *Server) deleteSubscription(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	if err := s.p.Unsubscribe(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
