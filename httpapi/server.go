// Package httpapi serves the v1 HTTP contract (API.md) over the platform.
package httpapi

import (
	_ "embed"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
)

//go:embed openapi.yaml
var openAPI []byte

// Route is one served method and path, as the OpenAPI document names it.
type Route struct {
	Method, Path string
}

// Server is the HTTP adapter.
type Server struct {
	p      *platform.Platform
	log    *slog.Logger
	mux    *http.ServeMux
	routes []Route

	// observe, if set, is told of every request (metrics).
	observe func(route string, status int, took time.Duration)
}

// Observe sets a function told of every request: its route pattern (never
// the URL), status and duration.
func (s *Server) Observe(fn func(route string, status int, took time.Duration)) { s.observe = fn }

type authedHandler func(w http.ResponseWriter, r *http.Request, actor *org.Org) error

// New builds the handler tree.
func New(p *platform.Platform, log *slog.Logger) *Server {
	s := &Server{p: p, log: log, mux: http.NewServeMux()}

	s.open("GET /healthz", s.health)
	s.open("GET /openapi.yaml", s.openapi)

	s.authed("POST /v1/orgs", s.createOrg)
	s.authed("GET /v1/orgs", s.listOrgs)
	s.authed("POST /v1/orgs/{code}/token", s.rotateToken)

	s.authed("GET /v1/lists", s.lists)
	s.authed("GET /v1/measures", s.measures)
	s.authed("GET /v1/items", s.items)
	s.authed("GET /v1/catalog", s.getCatalog)
	s.authed("PUT /v1/catalog", s.putCatalog)

	s.authed("POST /v1/lists/{list}/entries", s.publish)
	s.authed("POST /v1/lists/{list}/entries:batch", s.publishBatch)
	s.authed("GET /v1/entries/{id}", s.getEntry)
	s.authed("POST /v1/entries/{id}/mask", s.mask)
	s.authed("POST /v1/entries/{id}/remove", s.remove)
	s.authed("POST /v1/entries/{id}/restore", s.restore)

	s.authed("POST /v1/checks", s.check)
	s.authed("POST /v1/checks:batch", s.checkBatch)
	s.authed("GET /v1/checks/{id}", s.getCheck)
	s.authed("POST /v1/checks/{id}/feedback", s.feedback)

	s.authed("GET /v1/changes", s.changes)
	s.authed("POST /v1/subscriptions", s.subscribe)
	s.authed("GET /v1/subscriptions", s.listSubscriptions)
	s.authed("GET /v1/subscriptions/{id}", s.getSubscription)
	s.authed("DELETE /v1/subscriptions/{id}", s.deleteSubscription)

	s.authed("GET /v1/log/checkpoint", s.logCheckpoint)
	s.authed("GET /v1/log/proof", s.logProof)
	s.authed("GET /v1/log/consistency", s.logConsistency)
	s.authed("GET /v1/log/leaves/{index}", s.logLeaf)

	s.authed("GET /v1/stats/overview", s.statsOverview)
	s.authed("GET /v1/stats/departments", s.statsDepartments)
	s.open("GET /v1/public/search", s.publicSearch)

	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, notFound("route", "没有这个接口："+r.Method+" "+r.URL.Path, "no such route: "+r.Method+" "+r.URL.Path))
	})
	return s
}

// Routes lists what the server serves, for the OpenAPI conformance test.
func (s *Server) Routes() []Route { return s.routes }

// OpenAPI is the served OpenAPI document.
func OpenAPI() []byte { return openAPI }

func (s *Server) open(pattern string, h http.HandlerFunc) {
	s.add(pattern)
	s.mux.HandleFunc(pattern, h)
}

func (s *Server) authed(pattern string, h authedHandler) {
	s.add(pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		actor, err := s.p.Authenticate(bearer(r))
		if err == nil {
			if rec, ok := w.(*statusRecorder); ok {
				rec.actor = actor.Code
			}
			err = h(w, r, actor)
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	})
}

func (s *Server) add(pattern string) {
	method, path, _ := strings.Cut(pattern, " ")
	s.routes = append(s.routes, Route{Method: method, Path: path})
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// Handler wraps the routes in recovery and access logging. The log names the
// route pattern, never the URL or body: both can carry identity numbers.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "route", r.Pattern, "panic", v)
				s.writeError(rec, r, nil)
			}
			took := time.Since(start)
			if s.observe != nil {
				s.observe(r.Pattern, rec.status, took)
			}
			if r.Pattern != "GET /healthz" {
				s.log.Debug("request", "route", r.Pattern, "status", rec.status, "org", rec.actor, "took", took)
			}
		}()
		s.mux.ServeHTTP(rec, r)
	})
}

// statusRecorder notes the status and, once authenticated, the caller, for
// the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	actor  string
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "entries_indexed": s.p.IndexLen()})
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Write(openAPI)
}
