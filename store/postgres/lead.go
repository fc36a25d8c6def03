package postgres

import (
	"context"
	"hash/fnv"
	"time"
)

// Lead blocks until this node holds the cluster-wide lock called name, then
// returns a context that ends when the lock is lost (its connection fails)
// or ctx ends. Work that only one node may do at a time — webhook delivery,
// whose order is promised — runs under it.
func (s *Store) Lead(ctx context.Context, name string) (context.Context, error) {
	h := fnv.New64a()
	h.Write([]byte("chengxin:" + name))
	key := int64(h.Sum64())
	for {
		conn, err := s.pool.Acquire(ctx)
		if err != nil {
			return nil, err
		}
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
			conn.Release()
			return nil, err
		}
		if got {
			held, cancel := context.WithCancel(ctx)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer cancel()
				t := time.NewTicker(2 * time.Second)
				defer t.Stop()
				for {
					select {
					case <-held.Done():
						// Ending the session frees the lock even if unlocking fails.
						conn.Conn().Close(context.Background())
						conn.Release()
						return
					case <-t.C:
						if err := conn.Ping(held); err != nil {
							conn.Conn().Close(context.Background())
							conn.Release()
							return
						}
					}
				}
			}()
			return held, nil
		}
		conn.Release()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}
