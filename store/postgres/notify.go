package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reconnection backoff of a change listener, and how often an idle listener
// checks that its connection is still alive (a dropped network path gives
// no error until something is sent).
const (
	listenBackoffMin = 100 * time.Millisecond
	listenBackoffMax = 5 * time.Second
	listenPing       = 30 * time.Second
)

type listener struct {
	cancel context.CancelFunc
}

// ChangeNotifications signals on the returned channel whenever some node
// commits entry changes. Signals coalesce: one pending signal stands for
// any number of commits, so a receiver reads the change log from its cursor
// after each one. The listener runs on a dedicated connection; when that
// drops it reconnects with backoff and then signals once, since changes may
// have been missed meanwhile. The channel is closed when ctx ends or the
// store is closed.
func (s *Store) ChangeNotifications(ctx context.Context) (<-chan struct{}, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, fmt.Errorf("listen for changes: store closed")
	}
	ctx, cancel := context.WithCancel(ctx)
	l := &listener{cancel: cancel}
	s.listeners[l] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	stop := func() {
		cancel()
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
		s.wg.Done()
	}

	// The first LISTEN happens before returning, so every commit after
	// this call is signalled.
	conn, err := s.listen(ctx)
	if err != nil {
		stop()
		return nil, err
	}
	ch := make(chan struct{}, 1)
	signal := func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	go func() {
		defer stop()
		defer close(ch)
		for {
			s.follow(ctx, conn, signal)
			conn.Close(context.WithoutCancel(ctx))
			if conn = s.relisten(ctx); conn == nil {
				return
			}
			signal()
		}
	}()
	return ch, nil
}

// listen opens a connection of its own, outside the pool, and listens on it.
func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	cfg := s.pool.Config().ConnConfig.Copy()
	// Named, so an operator can tell it apart in pg_stat_activity.
	name := cfg.RuntimeParams["application_name"]
	if name == "" {
		name = "chengxin"
	}
	cfg.RuntimeParams["application_name"] = name + " listener"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("listen for changes: %w", err)
	}
	if _, err := conn.Exec(ctx, `LISTEN `+changesChannel); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("listen for changes: %w", err)
	}
	return conn, nil
}

// follow signals every notification until the connection fails or ctx ends.
func (s *Store) follow(ctx context.Context, conn *pgx.Conn, signal func()) {
	for ctx.Err() == nil {
		wctx, cancel := context.WithTimeout(ctx, listenPing)
		_, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			signal()
		case ctx.Err() != nil || conn.IsClosed():
			return
		default:
			// Idle for listenPing: make sure the server is still there.
			pctx, cancel := context.WithTimeout(ctx, listenPing)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return
			}
		}
	}
}

// relisten reconnects with backoff; nil when ctx ended first.
func (s *Store) relisten(ctx context.Context) *pgx.Conn {
	wait := listenBackoffMin
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		if conn, err := s.listen(ctx); err == nil {
			return conn
		}
		wait = min(2*wait, listenBackoffMax)
	}
}
