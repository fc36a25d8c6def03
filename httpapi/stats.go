package httpapi

import (
	"encoding/csv"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/subject"
)

// --- supervision figures ---

// statsPeriod reads from, to (RFC 3339) and sla (a Go duration, "24h").
func statsPeriod(r *http.Request) (platform.StatsPeriod, error) {
	var q platform.StatsPeriod
	v := r.URL.Query()
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		s := v.Get(f.name)
		if s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return q, chengxin.Invalid(f.name, "invalid_time", f.name+" 应为 RFC 3339 时间，如 2026-01-01T00:00:00+08:00",
				f.name+" must be an RFC 3339 time such as 2026-01-01T00:00:00+08:00")
		}
		*f.dst = t
	}
	if s := v.Get("sla"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return q, chengxin.Invalid("sla", "invalid_duration", "sla 应为正的时长，如 24h", "sla must be a positive duration such as 24h")
		}
		q.SLA = d
	}
	return q, nil
}

func (s *Server) statsOverview(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	q, err := statsPeriod(r)
	if err != nil {
		return err
	}
	o, err := s.p.StatsOverview(r.Context(), actor, q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (s *Server) statsDepartments(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	q, err := statsPeriod(r)
	if err != nil {
		return err
	}
	rep, err := s.p.StatsDepartments(r.Context(), actor, q)
	if err != nil {
		return err
	}
	if wantsCSV(r) {
		writeDepartmentsCSV(w, rep)
		return nil
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func wantsCSV(r *http.Request) bool {
	if f := r.URL.Query().Get("format"); f != "" {
		return f == "csv"
	}
	return strings.Contains(r.Header.Get("Accept"), "text/csv")
}

// departmentColumns is the CSV header.
var departmentColumns = []string{"code", "name", "checks", "hits", "blocks", "feedback", "feedback_rate", "feedback_overdue", "allowed_on_block"}

// writeDepartmentsCSV writes one row per department, UTF-8 with a byte order
// mark so that Excel reads the Chinese names right.
func writeDepartmentsCSV(w http.ResponseWriter, rep *platform.DepartmentReport) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="departments.csv"`)
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(w)
	cw.Write(departmentColumns)
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	for _, d := range rep.Departments {
		cw.Write([]string{d.Code, d.Name, n(d.Checks), n(d.Hits), n(d.Blocks), n(d.Feedback),
			strconv.FormatFloat(d.FeedbackRate, 'f', -1, 64), n(d.FeedbackOverdue), n(d.AllowedOnBlock)})
	}
	cw.Flush()
}

// --- the public query window ---

// publicSearch answers without a token. Clients are told apart by the
// connection's address only: X-Forwarded-For is the client's to forge.
func (s *Server) publicSearch(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	v := r.URL.Query()
	res, err := s.p.PublicSearch(r.Context(), platform.PublicQuery{Name: v.Get("name"), ID: v.Get("id"),
		IDType: subject.IDType(v.Get("id_type")), Client: host})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"results": res})
}
