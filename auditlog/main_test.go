package auditlog

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
)

var (
	encodingMu    sync.Mutex
	leavesChecked int
	encodingFails []string
)

// TestMain makes every leaf that any test builds check the hand encoder
// against encoding/json, and fails the run if they ever differ.
func TestMain(m *testing.M) {
	encodeHook = func(v leafStruct, b []byte) {
		std := encodeStd(v)
		encodingMu.Lock()
		defer encodingMu.Unlock()
		leavesChecked++
		if !bytes.Equal(std, b) {
			encodingFails = append(encodingFails, fmt.Sprintf("hand: %s\njson: %s", b, std))
		}
	}
	code := m.Run()
	for _, f := range encodingFails {
		fmt.Fprintf(os.Stderr, "FAIL: the hand leaf encoder differs from encoding/json:\n%s\n", f)
		code = 1
	}
	os.Exit(code)
}

// Leaves full of characters that need escaping, and of none.
func TestFastEncodingMatchesEncodingJSON(t *testing.T) {
	weird := []string{"", "a\"b\\c", "<script>&amp;</script>", "\x00\x01\x1f\x7f", "\n\r\t\b\f", "\u2028\u2029", "\xff\xfe", "诚信😀", "\ufffd", `\udcff`}
	encodingMu.Lock()
	before := leavesChecked
	encodingMu.Unlock()
	for _, s := range weird {
		e, v := sampleEntry()
		v.Actor, v.Reason = s, s
		v.Record.Subject.Name, v.Record.Details = s, map[string]string{s: s, s + "x": ""}
		EntryVersionLeaf(s, s, v)
		v.Record = nil
		EntryVersionLeaf(e.List, e.SourceRef, v)
		c := sampleCheck()
		c.Subject.Name, c.Hits[0].Measure.Name, c.Ref = s, s, s
		CheckLeaf(c)
		c.Hits = nil
		CheckLeaf(c)
		FeedbackLeaf(&check.Feedback{CheckID: s, Note: s})
		OrgLeaf(&org.Org{Code: s, Roles: []org.Role{org.Role(s)}, Lists: []string{s, s}}, s, time.Time{})
		EntryVersionLeaf(s, s, &entry.Version{Record: &entry.Record{}})
	}
	encodingMu.Lock()
	defer encodingMu.Unlock()
	if leavesChecked-before != 7*len(weird) {
		t.Fatalf("%d leaves checked, want %d", leavesChecked-before, 7*len(weird))
	}
	if len(encodingFails) > 0 {
		t.Fatalf("%d leaves encoded differently (listed at the end of the run)", len(encodingFails))
	}
}
