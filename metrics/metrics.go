// Package metrics exposes what an on-call operator watches, for Prometheus,
// with pprof beside it, on a listener of its own (not the public API).
package metrics

import (
	"context"
	"net/http"
	"net/http/pprof"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chengxin/chengxin/platform"
)

// Metrics is one node's registry.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// New registers the node's metrics.
func New(p *platform.Platform) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "chengxin_http_requests_total",
			Help: "HTTP requests by route pattern and status code."}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "chengxin_http_request_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10, 60}}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.latency, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), &platformCollector{p: p})
	return m
}

// Observe records one HTTP request; the route is the pattern, never the URL
// (URLs can carry identity numbers).
func (m *Metrics) Observe(route string, status int, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}

// Handler serves /metrics and /debug/pprof/.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

var (
	descChecks        = prometheus.NewDesc("chengxin_checks_total", "Checks committed, by outcome.", []string{"outcome"}, nil)
	descCommits       = prometheus.NewDesc("chengxin_check_commits_total", "Group commits of check records.", nil, nil)
	descCommitted     = prometheus.NewDesc("chengxin_checks_committed_total", "Check records in group commits; over commits, the mean group size.", nil, nil)
	descCommitSecs    = prometheus.NewDesc("chengxin_check_commit_seconds_total", "Time spent committing check groups.", nil, nil)
	descCommitFail    = prometheus.NewDesc("chengxin_check_commit_failures_total", "Group commits that failed (their checks were answered with an error).", nil, nil)
	descEntryChanges  = prometheus.NewDesc("chengxin_entry_changes_total", "Entry changes stored by this node.", nil, nil)
	descFeedback      = prometheus.NewDesc("chengxin_feedback_total", "Feedback reports stored by this node.", nil, nil)
	descIndex         = prometheus.NewDesc("chengxin_index_entries", "Active entries in this node's check index.", nil, nil)
	descLogLeaves     = prometheus.NewDesc("chengxin_audit_log_leaves", "Leaves in the audit log.", nil, nil)
	descCheckpoint    = prometheus.NewDesc("chengxin_audit_checkpoint_size", "Size of the newest signed checkpoint.", nil, nil)
	descCheckpointAge = prometheus.NewDesc("chengxin_audit_checkpoint_age_seconds", "Age of the newest signed checkpoint.", nil, nil)
	descSubs          = prometheus.NewDesc("chengxin_subscriptions", "Webhook subscriptions by status (ok, retrying, failing).", []string{"status"}, nil)
	descSubLag        = prometheus.NewDesc("chengxin_subscription_lag_max", "The largest number of changes a subscription is behind.", nil, nil)
)

// platformCollector reads the platform's counters at scrape time.
type platformCollector struct{ p *platform.Platform }

func (c *platformCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descChecks, descCommits, descCommitted, descCommitSecs, descCommitFail, descEntryChanges,
		descFeedback, descIndex, descLogLeaves, descCheckpoint, descCheckpointAge, descSubs, descSubLag} {
		ch <- d
	}
}

func (c *platformCollector) Collect(ch chan<- prometheus.Metric) {
	n := c.p.Counters()
	for outcome, v := range n.ChecksByOutcome {
		ch <- prometheus.MustNewConstMetric(descChecks, prometheus.CounterValue, float64(v), string(outcome))
	}
	ch <- prometheus.MustNewConstMetric(descCommits, prometheus.CounterValue, float64(n.CheckCommits))
	ch <- prometheus.MustNewConstMetric(descCommitted, prometheus.CounterValue, float64(n.ChecksCommitted))
	ch <- prometheus.MustNewConstMetric(descCommitSecs, prometheus.CounterValue, n.CommitSeconds)
	ch <- prometheus.MustNewConstMetric(descCommitFail, prometheus.CounterValue, float64(n.CommitFailures))
	ch <- prometheus.MustNewConstMetric(descEntryChanges, prometheus.CounterValue, float64(n.EntryChanges))
	ch <- prometheus.MustNewConstMetric(descFeedback, prometheus.CounterValue, float64(n.Feedback))
	ch <- prometheus.MustNewConstMetric(descIndex, prometheus.GaugeValue, float64(n.IndexEntries))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if size, cpSize, age, err := c.p.LogState(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descLogLeaves, prometheus.GaugeValue, float64(size))
		ch <- prometheus.MustNewConstMetric(descCheckpoint, prometheus.GaugeValue, float64(cpSize))
		ch <- prometheus.MustNewConstMetric(descCheckpointAge, prometheus.GaugeValue, age.Seconds())
	}
	subs, err := c.p.AllSubscriptions(ctx)
	head, herr := c.p.Head(ctx)
	if err != nil || herr != nil {
		return
	}
	by := map[string]int{"ok": 0, "retrying": 0, "failing": 0}
	var lag int64
	for _, s := range subs {
		by[s.Status(c.p.Now())]++
		lag = max(lag, head-s.Cursor)
	}
	for status, v := range by {
		ch <- prometheus.MustNewConstMetric(descSubs, prometheus.GaugeValue, float64(v), status)
	}
	ch <- prometheus.MustNewConstMetric(descSubLag, prometheus.GaugeValue, float64(lag))
}
