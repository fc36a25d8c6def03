// Package console serves the web console: a supervisor's dashboard, a
// department's check desk, a source's publishing desk, the catalog and the
// public query window, server-rendered in Chinese with an English switch.
// It calls the platform directly, never the HTTP API. It logs neither URLs
// nor form values: both can carry identity numbers.
package console

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/httpapi"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/subject"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// maxUpload bounds a CSV upload.
const maxUpload = 32 << 20

// Console is the web console's handler.
type Console struct {
	p     *platform.Platform
	log   *slog.Logger
	s     *sessions
	pages map[string]*template.Template
	mux   *http.ServeMux

	// past holds the trend's finished days (checks, hits) by date: they do
	// not change, and the dashboard asks every two seconds.
	pastMu sync.Mutex
	past   map[string][2]int64
}

// New builds the console over p.
func New(ctx context.Context, p *platform.Platform, log *slog.Logger) (*Console, error) {
	key, err := p.SharedSecret(ctx, "console_session_key")
	if err != nil {
		return nil, fmt.Errorf("console session key: %w", err)
	}
	c := &Console{p: p, log: log, s: &sessions{key: key}, pages: map[string]*template.Template{}, past: map[string][2]int64{},
		mux: http.NewServeMux()}
	funcs := template.FuncMap{
		"when": func(t time.Time) string { return t.In(entry.CST).Format("2006-01-02 15:04:05") },
		"day":  func(t time.Time) string { return t.In(entry.CST).Format("2006-01-02") },
		"mask": p.MaskID,
		// itemName shows a business item as a clerk knows it, by its catalog name.
		"itemName": func(code string) string {
			if it := p.Catalog().Item(code); it != nil {
				return it.Name
			}
			return code
		},
		"pct": func(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" },
		"w": func(T map[string]string, prefix string, v any) string {
			k := prefix + toString(v)
			if s, ok := T[k]; ok {
				return s
			}
			return toString(v)
		},
		"list": func(s ...string) []string { return s },
		"inc":  func(i int) int { return i + 1 },
		"json": func(v any) template.JS { b, _ := json.Marshal(v); return template.JS(b) },
	}
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	pages, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		c.pages[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, f))
	}
	static, _ := fs.Sub(staticFS, "static")
	c.mux.Handle("GET /static/", http.StripPrefix("/static/", staticCache(http.FileServerFS(static))))
	c.mux.HandleFunc("GET /login", c.loginForm)
	c.mux.HandleFunc("POST /login", c.login)
	c.mux.HandleFunc("POST /logout", c.signedIn(c.logout))
	c.mux.HandleFunc("GET /{$}", c.signedIn(c.dashboard))
	c.mux.HandleFunc("GET /console/live", c.signedIn(c.live))
	c.mux.HandleFunc("GET /desk", c.signedIn(c.desk))
	c.mux.HandleFunc("POST /desk/feedback", c.signedIn(c.feedback))
	c.mux.HandleFunc("GET /source", c.signedIn(c.source))
	c.mux.HandleFunc("POST /source/publish", c.signedIn(c.publish))
	c.mux.HandleFunc("POST /source/upload", c.signedIn(c.upload))
	c.mux.HandleFunc("POST /source/entries/{id}/{change}", c.signedIn(c.changeState))
	c.mux.HandleFunc("GET /source/entries/{id}", c.signedIn(c.history))
	c.mux.HandleFunc("GET /catalog", c.signedIn(c.catalog))
	c.mux.HandleFunc("GET /public/search", c.publicSearch)
	c.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c.render(w, r, http.StatusNotFound, "error", &page{Title: "notfound", Data: "notfound"})
	})
	return c, nil
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case interface{ String() string }:
		return v.String()
	}
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

func staticCache(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// Handler serves the console, recovering from panics and setting the
// language cookie from ?lang=.
func (c *Console) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				c.log.Error("console panic", "route", r.Pattern, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		if l := r.URL.Query().Get("lang"); l == "zh" || l == "en" {
			http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
			r.AddCookie(&http.Cookie{Name: "lang", Value: l})
		}
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		c.mux.ServeHTTP(w, r)
	})
}

func langOf(r *http.Request) string {
	// ?lang= wins over the cookie it sets (AddCookie appends after the old one).
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		return l
	}
	if ck, err := r.Cookie("lang"); err == nil && ck.Value == "en" {
		return "en"
	}
	return "zh"
}

// page is what every template gets.
type page struct {
	T        map[string]string
	Lang     string
	Org      *org.Org
	CSRF     string
	Title    string
	Nav      []navItem
	Path     string
	LangLink string
	Error    string
	Flash    string
	Data     any
}

type navItem struct {
	Href, Key string
	Active    bool
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, pg *page) {
	pg.Lang = langOf(r)
	pg.T = words(pg.Lang)
	pg.Path = r.URL.Path
	other := "en"
	if pg.Lang == "en" {
		other = "zh"
	}
	q := r.URL.Query()
	q.Set("lang", other)
	q.Del("id") // never echo an identity number into the page
	pg.LangLink = r.URL.Path + "?" + q.Encode()
	if r.Method != http.MethodGet {
		pg.LangLink = r.URL.Path + "?lang=" + other
		if strings.HasPrefix(r.URL.Path, "/desk") {
			pg.LangLink = "/desk?lang=" + other
		} else if strings.HasPrefix(r.URL.Path, "/source") {
			pg.LangLink = "/source?lang=" + other
		}
	}
	if pg.Org != nil {
		for _, n := range navFor(pg.Org) {
			n.Active = n.Href == r.URL.Path
			pg.Nav = append(pg.Nav, n)
		}
	}
	var buf bytes.Buffer
	if err := c.pages[name].ExecuteTemplate(&buf, "layout", pg); err != nil {
		c.log.Error("console template", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func navFor(o *org.Org) []navItem {
	var out []navItem
	if o.CanReadAll() {
		out = append(out, navItem{Href: "/", Key: "nav_dashboard"})
	}
	if o.Has(org.Department) {
		out = append(out, navItem{Href: "/desk", Key: "nav_desk"})
	}
	if o.Has(org.Source) {
		out = append(out, navItem{Href: "/source", Key: "nav_source"})
	}
	return append(out, navItem{Href: "/catalog", Key: "nav_catalog"}, navItem{Href: "/public/search", Key: "nav_public"})
}

// home is where an organisation lands after sign-in.
func home(o *org.Org) string {
	switch {
	case o.CanReadAll():
		return "/"
	case o.Has(org.Department):
		return "/desk"
	case o.Has(org.Source):
		return "/source"
	}
	return "/catalog"
}

// session is a signed-in request.
type session struct {
	org  *org.Org
	csrf string
}

type sessionHandler func(w http.ResponseWriter, r *http.Request, s *session)

// signedIn requires a valid session (redirecting to /login) and, on POST, its
// CSRF token (403 without it).
func (c *Console) signedIn(h sessionHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code, raw, ok := c.s.read(r, time.Now())
		var o *org.Org
		if ok {
			o = c.p.OrgByCode(code)
		}
		if o == nil {
			if r.Method == http.MethodGet && r.URL.Path != "/console/live" {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
			} else {
				c.forbidden(w, r, nil)
			}
			return
		}
		if r.Method == http.MethodPost {
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
				r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
				r.ParseMultipartForm(1 << 20)
			}
			if !c.s.checkCSRF(r, raw) {
				c.forbidden(w, r, o)
				return
			}
		}
		h(w, r, &session{org: o, csrf: c.s.csrf(raw)})
	}
}

func (c *Console) forbidden(w http.ResponseWriter, r *http.Request, o *org.Org) {
	c.render(w, r, http.StatusForbidden, "error", &page{Title: "forbidden", Org: o, Data: "forbidden_text"})
}

// errText is an error in the page's language.
func errText(lang string, err error) string {
	var ce *chengxin.Error
	if errors.As(err, &ce) {
		msg := ce.ZH
		if lang == "en" {
			msg = ce.EN
		}
		if ce.Field != "" {
			msg = ce.Field + ": " + msg
		}
		return msg
	}
	if lang == "en" {
		return "internal error"
	}
	return "内部错误"
}

// ---- sign-in ----

func (c *Console) loginForm(w http.ResponseWriter, r *http.Request) {
	if code, _, ok := c.s.read(r, time.Now()); ok {
		if o := c.p.OrgByCode(code); o != nil {
			http.Redirect(w, r, home(o), http.StatusSeeOther)
			return
		}
	}
	c.render(w, r, http.StatusOK, "login", &page{Title: "signin_title", CSRF: preToken(w, r)})
}

func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if !checkPre(r) {
		c.forbidden(w, r, nil)
		return
	}
	o, err := c.p.Authenticate(strings.TrimSpace(r.PostFormValue("token")))
	if err != nil {
		pg := &page{Title: "signin_title", CSRF: preToken(w, r)}
		pg.Error = words(langOf(r))["bad_token"]
		c.render(w, r, http.StatusUnauthorized, "login", pg)
		return
	}
	clearCookie(w, r, preCookie)
	c.s.issue(w, r, o.Code, time.Now())
	http.Redirect(w, r, home(o), http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, s *session) {
	clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// ---- dashboard ----

type liveFigures struct {
	Today   platform.Overview          `json:"today"`
	Month   platform.Overview          `json:"month"`
	Trend   *trend                     `json:"trend"`
	Ranking []platform.DepartmentStats `json:"ranking"`
	At      string                     `json:"at"`
}

// trend is checks and hits per day over the last 14 days.
type trend struct {
	Days   []string `json:"days"`
	Checks []int64  `json:"checks"`
	Hits   []int64  `json:"hits"`
}

func (c *Console) figures(r *http.Request, actor *org.Org) (*liveFigures, error) {
	now := c.p.Now().In(entry.CST)
	start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, entry.CST)
	today, err := c.p.StatsOverview(r.Context(), actor, platform.StatsPeriod{From: start, To: now.Add(time.Second)})
	if err != nil {
		return nil, err
	}
	month, err := c.p.StatsOverview(r.Context(), actor, platform.StatsPeriod{To: now.Add(time.Second)})
	if err != nil {
		return nil, err
	}
	t := &trend{}
	for i := 13; i >= 1; i-- {
		from := start.AddDate(0, 0, -i)
		n, err := c.pastDay(r, actor, from, now)
		if err != nil {
			return nil, err
		}
		t.Days, t.Checks, t.Hits = append(t.Days, from.Format("01-02")), append(t.Checks, n[0]), append(t.Hits, n[1])
	}
	t.Days, t.Checks, t.Hits = append(t.Days, start.Format("01-02")), append(t.Checks, today.Checks), append(t.Hits, today.Hits)
	rep, err := c.p.StatsDepartments(r.Context(), actor, platform.StatsPeriod{To: now.Add(time.Second)})
	if err != nil {
		return nil, err
	}
	// Best feedback first; among equals, fewer overdue reports first.
	ranking := rep.Departments
	slices.SortStableFunc(ranking, func(a, b platform.DepartmentStats) int {
		if a.FeedbackRate != b.FeedbackRate {
			if a.FeedbackRate > b.FeedbackRate {
				return -1
			}
			return 1
		}
		return int(a.FeedbackOverdue - b.FeedbackOverdue)
	})
	return &liveFigures{Today: *today, Month: *month, Trend: t, Ranking: ranking, At: now.Format("15:04:05")}, nil
}

// pastDay counts a finished day's checks and hits, once: a day that ended
// less than a minute ago may still have checks being committed.
func (c *Console) pastDay(r *http.Request, actor *org.Org, from, now time.Time) ([2]int64, error) {
	key := from.Format(time.DateOnly)
	c.pastMu.Lock()
	n, ok := c.past[key]
	c.pastMu.Unlock()
	if ok {
		return n, nil
	}
	to := from.AddDate(0, 0, 1)
	o, err := c.p.StatsOverview(r.Context(), actor, platform.StatsPeriod{From: from, To: to})
	if err != nil {
		return n, err
	}
	n = [2]int64{o.Checks, o.Hits}
	if now.Sub(to) > time.Minute {
		c.pastMu.Lock()
		c.past[key] = n
		c.pastMu.Unlock()
	}
	return n, nil
}

func (c *Console) dashboard(w http.ResponseWriter, r *http.Request, s *session) {
	if !s.org.CanReadAll() {
		http.Redirect(w, r, home(s.org), http.StatusSeeOther)
		return
	}
	live, err := c.figures(r, s.org)
	if err != nil {
		c.fail(w, r, s, err)
		return
	}
	c.render(w, r, http.StatusOK, "dashboard", &page{Title: "nav_dashboard", Org: s.org, CSRF: s.csrf, Data: live})
}

func (c *Console) live(w http.ResponseWriter, r *http.Request, s *session) {
	if !s.org.CanReadAll() {
		c.forbidden(w, r, s.org)
		return
	}
	live, err := c.figures(r, s.org)
	if err != nil {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(live)
}

func (c *Console) fail(w http.ResponseWriter, r *http.Request, s *session, err error) {
	status := http.StatusInternalServerError
	var ce *chengxin.Error
	if errors.As(err, &ce) {
		status = http.StatusBadRequest
		if ce.Kind == chengxin.KindForbidden {
			status = http.StatusForbidden
		}
	} else {
		c.log.Error("console", "route", r.Pattern, "err", err)
	}
	pg := &page{Title: "error", Org: s.org, CSRF: s.csrf, Data: "error"}
	pg.Error = errText(langOf(r), err)
	c.render(w, r, status, "error", pg)
}

// ---- department desk ----

type deskData struct {
	Recent, Awaiting []*check.Record
	Catalog          *catalog.Catalog
}

func (c *Console) desk(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderDesk(w, r, s, http.StatusOK, "", r.URL.Query().Get("ok") == "1")
}

func (c *Console) renderDesk(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg string, saved bool) {
	if !s.org.Has(org.Department) {
		http.Redirect(w, r, home(s.org), http.StatusSeeOther)
		return
	}
	recent, err := c.p.OrgChecks(r.Context(), s.org, false, 30)
	if err != nil {
		c.fail(w, r, s, err)
		return
	}
	awaiting, err := c.p.OrgChecks(r.Context(), s.org, true, 50)
	if err != nil {
		c.fail(w, r, s, err)
		return
	}
	pg := &page{Title: "nav_desk", Org: s.org, CSRF: s.csrf, Error: errMsg,
		Data: &deskData{Recent: recent, Awaiting: awaiting, Catalog: c.p.Catalog()}}
	if saved {
		pg.Flash = "feedback_saved"
	}
	c.render(w, r, status, "desk", pg)
}

func (c *Console) feedback(w http.ResponseWriter, r *http.Request, s *session) {
	f := check.Feedback{Action: check.FeedbackAction(r.PostFormValue("action")), Note: strings.TrimSpace(r.PostFormValue("note")), Operator: "console"}
	if _, err := c.p.Feedback(r.Context(), s.org, r.PostFormValue("check_id"), f); err != nil {
		var ce *chengxin.Error
		if !errors.As(err, &ce) {
			c.fail(w, r, s, err)
			return
		}
		c.renderDesk(w, r, s, http.StatusBadRequest, errText(langOf(r), err), false)
		return
	}
	http.Redirect(w, r, "/desk?ok=1", http.StatusSeeOther)
}

// ---- source desk ----

type sourceData struct {
	Lists   []catalog.List
	Entries []*entry.Entry
	Upload  *uploadResult
	IDTypes []subject.IDType
}

type uploadResult struct {
	Accepted, Rejected int
	Errors             []rowErr
}

type rowErr struct {
	Row int
	Msg string
}

func (c *Console) source(w http.ResponseWriter, r *http.Request, s *session) {
	var flash string
	switch r.URL.Query().Get("ok") {
	case "published":
		flash = "published"
	case "changed":
		flash = "changed"
	}
	c.renderSource(w, r, s, http.StatusOK, "", flash, nil)
}

func (c *Console) renderSource(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg, flash string, up *uploadResult) {
	if !s.org.Has(org.Source) {
		http.Redirect(w, r, home(s.org), http.StatusSeeOther)
		return
	}
	entries, err := c.p.RecentEntries(r.Context(), s.org, 30)
	if err != nil {
		c.fail(w, r, s, err)
		return
	}
	d := &sourceData{Entries: entries, Upload: up, IDTypes: []subject.IDType{subject.ResidentID, subject.USCC, subject.OrgCode, subject.Passport,
		subject.HKMacauPermit, subject.TaiwanPermit, subject.ForeignPR}}
	for _, l := range c.p.Catalog().Lists {
		if s.org.CanPublish(l.Code) {
			d.Lists = append(d.Lists, l)
		}
	}
	pg := &page{Title: "nav_source", Org: s.org, CSRF: s.csrf, Error: errMsg, Flash: flash, Data: d}
	if r.Header.Get("X-Fragment") == "upload" && up != nil {
		var buf bytes.Buffer
		pg.Lang = langOf(r)
		pg.T = words(pg.Lang)
		if err := c.pages["source"].ExecuteTemplate(&buf, "upload_result", pg); err == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			w.Write(buf.Bytes())
			return
		}
	}
	c.render(w, r, status, "source", pg)
}

func (c *Console) publish(w http.ResponseWriter, r *http.Request, s *session) {
	v := r.PostFormValue
	d := entry.Draft{
		SourceRef:  strings.TrimSpace(v("source_ref")),
		Subject:    entry.Subject{Kind: subject.Kind(v("kind")), IDType: subject.IDType(v("id_type")), ID: strings.TrimSpace(v("id")), Name: strings.TrimSpace(v("name"))},
		Reason:     strings.TrimSpace(v("reason")),
		LegalBasis: strings.TrimSpace(v("legal_basis")),
	}
	if court := strings.TrimSpace(v("court")); court != "" {
		d.Details = map[string]string{"court": court}
	}
	res, err := c.p.Publish(r.Context(), s.org, v("list"), d)
	if err != nil {
		c.renderSource(w, r, s, http.StatusBadRequest, errText(langOf(r), err), "", nil)
		return
	}
	_ = res
	http.Redirect(w, r, "/source?ok=published", http.StatusSeeOther)
}

func (c *Console) upload(w http.ResponseWriter, r *http.Request, s *session) {
	lang := langOf(r)
	file, _, err := r.FormFile("file")
	if err != nil {
		c.renderSource(w, r, s, http.StatusBadRequest, errText(lang, chengxin.Invalid("file", "required", "请选择 CSV 文件", "choose a CSV file")), "", &uploadResult{})
		return
	}
	body, err := io.ReadAll(file)
	file.Close()
	if err != nil {
		c.renderSource(w, r, s, http.StatusBadRequest, errText(lang, chengxin.Invalid("file", "too_large", "文件过大", "the file is too large")), "", &uploadResult{})
		return
	}
	rows, err := httpapi.ParseCSV(body)
	if err == nil && len(rows) == 0 {
		err = chengxin.Invalid("file", "empty", "没有任何数据行", "the batch has no rows")
	}
	if err != nil {
		c.renderSource(w, r, s, http.StatusBadRequest, errText(lang, err), "", &uploadResult{})
		return
	}
	results, err := c.p.PublishBatch(r.Context(), s.org, r.PostFormValue("list"), rows)
	if err != nil {
		c.renderSource(w, r, s, http.StatusBadRequest, errText(lang, err), "", &uploadResult{})
		return
	}
	up := &uploadResult{}
	for _, res := range results {
		if res.Err != nil {
			up.Rejected++
			up.Errors = append(up.Errors, rowErr{Row: res.Row, Msg: errText(lang, res.Err)})
		} else {
			up.Accepted++
		}
	}
	c.renderSource(w, r, s, http.StatusOK, "", "", up)
}

var changes = map[string]entry.ChangeType{"mask": entry.MaskedC, "remove": entry.RemovedC, "restore": entry.Restored}

func (c *Console) changeState(w http.ResponseWriter, r *http.Request, s *session) {
	change, ok := changes[r.PathValue("change")]
	id, err := platform.ParseEntryID(r.PathValue("id"))
	if !ok || err != nil {
		c.render(w, r, http.StatusNotFound, "error", &page{Title: "notfound", Org: s.org, CSRF: s.csrf, Data: "notfound"})
		return
	}
	if _, _, err := c.p.ChangeState(r.Context(), s.org, id, change, r.PostFormValue("reason"), ""); err != nil {
		c.renderSource(w, r, s, http.StatusBadRequest, errText(langOf(r), err), "", nil)
		return
	}
	http.Redirect(w, r, "/source?ok=changed", http.StatusSeeOther)
}

func (c *Console) history(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := platform.ParseEntryID(r.PathValue("id"))
	if err != nil {
		c.fail(w, r, s, err)
		return
	}
	e, err := c.p.Entry(r.Context(), s.org, id)
	if err != nil {
		c.fail(w, r, s, err)
		return
	}
	// The full number only to the entry's own source.
	full := s.org.CanPublish(e.List)
	c.render(w, r, http.StatusOK, "history", &page{Title: "entry_history", Org: s.org, CSRF: s.csrf,
		Data: map[string]any{"Entry": e, "Full": full}})
}

// ---- catalog ----

func (c *Console) catalog(w http.ResponseWriter, r *http.Request, s *session) {
	c.render(w, r, http.StatusOK, "catalog", &page{Title: "nav_catalog", Org: s.org, CSRF: s.csrf, Data: c.p.Catalog()})
}

// ---- public search ----

type publicData struct {
	Name, ID string
	Asked    bool
	Results  []platform.PublicRecord
}

func (c *Console) publicSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &publicData{Name: strings.TrimSpace(q.Get("name")), ID: strings.TrimSpace(q.Get("id"))}
	pg := &page{Title: "public_title", Data: d}
	if code, raw, ok := c.s.read(r, time.Now()); ok {
		pg.Org, pg.CSRF = c.p.OrgByCode(code), c.s.csrf(raw)
	}
	status := http.StatusOK
	if d.Name != "" || d.ID != "" {
		d.Asked = true
		res, err := c.p.PublicSearch(r.Context(), platform.PublicQuery{Name: d.Name, ID: d.ID, Client: clientIP(r)})
		switch {
		case chengxin.IsKind(err, chengxin.KindRateLimited):
			pg.Error = words(langOf(r))["rate_limited"]
			status = http.StatusTooManyRequests
		case err != nil:
			pg.Error = errText(langOf(r), err)
			status = http.StatusBadRequest
		default:
			d.Results = res
		}
	}
	// The asked ID is not echoed back into the form: the page must never
	// show a full number.
	d.ID = ""
	c.render(w, r, status, "public", pg)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
