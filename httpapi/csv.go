package httpapi

import "github.com/chengxin/chengxin/platform"

// ParseCSV reads a batch CSV as POST /v1/lists/{list}/entries:batch does, for
// the console's upload.
func ParseCSV(body []byte) ([]platform.Row, error) { return csvRows(body) }
