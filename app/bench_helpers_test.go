package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// arrivals records when each change first reached a follower.
type arrivals struct {
	mu     sync.Mutex
	at     map[int64]time.Time
	signal chan struct{}
}

func newArrivals() *arrivals {
	return &arrivals{at: map[int64]time.Time{}, signal: make(chan struct{}, 1)}
}

func (a *arrivals) record(seqs []int64) {
	now := time.Now()
	a.mu.Lock()
	for _, s := range seqs {
		if _, ok := a.at[s]; !ok {
			a.at[s] = now
		}
	}
	a.mu.Unlock()
	select {
	case a.signal <- struct{}{}:
	default:
	}
}

// wait returns when seq arrived, failing after five seconds.
func (a *arrivals) wait(tb testing.TB, seq int64) time.Time {
	deadline := time.After(5 * time.Second)
	for {
		a.mu.Lock()
		at, ok := a.at[seq]
		a.mu.Unlock()
		if ok {
			return at
		}
		select {
		case <-a.signal:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			tb.Fatalf("change %d did not arrive in 5 s", seq)
		}
	}
}

type seqs struct {
	Changes []struct{ Seq int64 } `json:"changes"`
	Next    int64                 `json:"next"`
}

func (s seqs) list() []int64 {
	out := make([]int64, len(s.Changes))
	for i, c := range s.Changes {
		out[i] = c.Seq
	}
	return out
}

// longPoll follows a node's change feed as a department would, until stop.
func longPoll(wg *sync.WaitGroup, stop <-chan struct{}, url, token string, a *arrivals) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		after := int64(1)
		for {
			select {
			case <-stop:
				return
			default:
			}
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/v1/changes?after=%d&wait=2s", url, after), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				continue
			}
			var page seqs
			json.NewDecoder(res.Body).Decode(&page)
			res.Body.Close()
			a.record(page.list())
			after = max(after, page.Next)
		}
	}()
}

// checkLoad keeps n clients checking as fast as they can, until stop.
func checkLoad(wg *sync.WaitGroup, stop <-chan struct{}, url, token string, n int, done *atomic.Int64) {
	body := []byte(`{"item":"real_estate.transfer","subject":{"id_type":"resident_id","id":"11010519491231002X"}}`)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("POST", url+"/v1/checks", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				if res, err := http.DefaultClient.Do(req); err == nil {
					res.Body.Close()
					done.Add(1)
				}
			}
		}()
	}
}

// percentile of durations, in milliseconds.
func percentile(ds []time.Duration, p float64) float64 {
	slices.Sort(ds)
	return float64(ds[int(float64(len(ds)-1)*p)].Microseconds()) / 1000
}
