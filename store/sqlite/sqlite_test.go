package sqlite_test

import (
	"testing"

	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/store/sqlite"
	"github.com/chengxin/chengxin/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) platform.Store {
		s, err := sqlite.Open(t.Context(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
