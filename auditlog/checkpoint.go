package auditlog

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Origin is the origin line of chengxin's checkpoints.
const Origin = "chengxin"

// bodyHeader is the first line of a checkpoint body: the format's name and
// version.
const bodyHeader = "chengxin/v1"

// Checkpoint is a signed statement that the log had Size leaves with root
// hash Root at Time.
type Checkpoint struct {
	Origin       string    // "chengxin"
	Size         uint64    // number of leaves
	Root         []byte    // RFC 6962 root hash of the first Size leaves
	Hash         string    // "sm3" | "sha256"
	Time         time.Time // when the log was at this size; signed to the nanosecond
	Signature    []byte
	SignatureAlg string // "sm2" | "ed25519"
}

// Body is the exact signed text:
//
//	chengxin/v1\n<origin>\n<hash>\n<size>\n<base64 root>\n<unix nanos>\n
//
// with the root in standard, padded base64. Sign and Verify reject a
// checkpoint for which this text would be ambiguous (see Validate).
func (c *Checkpoint) Body() []byte {
	b := make([]byte, 0, 128)
	b = append(b, bodyHeader...)
	b = append(b, '\n')
	b = append(b, c.Origin...)
	b = append(b, '\n')
	b = append(b, c.Hash...)
	b = append(b, '\n')
	b = strconv.AppendUint(b, c.Size, 10)
	b = append(b, '\n')
	b = base64.StdEncoding.AppendEncode(b, c.Root)
	b = append(b, '\n')
	b = strconv.AppendInt(b, c.Time.UnixNano(), 10)
	return append(b, '\n')
}

// Validate reports whether the checkpoint's statement is well formed: an
// origin without line breaks, a known hash, a root of that hash's size and a
// time that Unix nanoseconds can represent (years 1678 to 2262).
func (c *Checkpoint) Validate() error {
	if c.Origin == "" || strings.ContainsAny(c.Origin, "\n\r") {
		return errors.New("auditlog: checkpoint origin must be one non-empty line")
	}
	h, err := NewHasher(c.Hash)
	if err != nil || c.Hash == "" {
		return fmt.Errorf("auditlog: checkpoint hash %q: want %q or %q", c.Hash, SM3, SHA256)
	}
	if len(c.Root) != h.Size() {
		return fmt.Errorf("auditlog: checkpoint root of %d bytes, want %d", len(c.Root), h.Size())
	}
	if c.Time.IsZero() || !time.Unix(0, c.Time.UnixNano()).Equal(c.Time) {
		return fmt.Errorf("auditlog: checkpoint time %v cannot be signed", c.Time)
	}
	return nil
}

// checkpointJSON is the JSON form of a checkpoint: the form GET
// /v1/log/checkpoint serves (less its public_key), and the form a witness
// keeps for `chengxin log verify --checkpoint FILE`.
type checkpointJSON struct {
	Size         uint64    `json:"size"`
	Root         string    `json:"root"` // hex
	Hash         string    `json:"hash"`
	Timestamp    time.Time `json:"timestamp"` // RFC 3339 with nanoseconds: exactly the signed time
	Origin       string    `json:"origin"`
	Signature    string    `json:"signature"` // base64
	SignatureAlg string    `json:"signature_alg"`
}

// MarshalJSON encodes c as {"size", "root" (hex), "hash", "timestamp"
// (RFC 3339 with nanoseconds), "origin", "signature" (base64),
// "signature_alg"}: all a client needs to rebuild Body and verify it.
//
// Beware: a struct that embeds Checkpoint inherits this method (and
// UnmarshalJSON), so its own fields would not be encoded; give such a struct
// its own JSON methods or a named field.
func (c Checkpoint) MarshalJSON() ([]byte, error) {
	return json.Marshal(checkpointJSON{
		Size: c.Size, Root: hex.EncodeToString(c.Root), Hash: c.Hash, Timestamp: c.Time,
		Origin: c.Origin, Signature: base64.StdEncoding.EncodeToString(c.Signature), SignatureAlg: c.SignatureAlg,
	})
}

// UnmarshalJSON decodes the form MarshalJSON writes; other fields (such as
// "public_key") are ignored. "timestamp" may also be an integer of Unix
// nanoseconds, as in Body.
func (c *Checkpoint) UnmarshalJSON(b []byte) error {
	var j struct {
		checkpointJSON
		Timestamp json.RawMessage `json:"timestamp"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	root, err := hex.DecodeString(j.Root)
	if err != nil {
		return fmt.Errorf("auditlog: checkpoint root: %w", err)
	}
	sig, err := base64.StdEncoding.DecodeString(j.Signature)
	if err != nil {
		return fmt.Errorf("auditlog: checkpoint signature: %w", err)
	}
	var t time.Time
	if ts := strings.TrimSpace(string(j.Timestamp)); ts != "" && ts != "null" {
		if ns, err := strconv.ParseInt(ts, 10, 64); err == nil {
			t = time.Unix(0, ns).UTC()
		} else if err := json.Unmarshal(j.Timestamp, &t); err != nil {
			return fmt.Errorf("auditlog: checkpoint timestamp: %w", err)
		}
	}
	*c = Checkpoint{Origin: j.Origin, Size: j.Size, Root: root, Hash: j.Hash, Time: t,
		Signature: sig, SignatureAlg: j.SignatureAlg}
	return nil
}
