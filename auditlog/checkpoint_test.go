package auditlog

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var algs = []string{SM2, Ed25519}

func sampleCheckpoint(t testing.TB, hash string) *Checkpoint {
	h := mustHasher(t, hash)
	tr := NewTree(h)
	for i := range 10 {
		tr.Append([]byte{byte(i)})
	}
	return &Checkpoint{Origin: Origin, Size: tr.Size(), Root: tr.Root(), Hash: hash,
		Time: time.Date(2026, 11, 22, 12, 0, 0, 123456789, time.UTC)}
}

func TestCheckpointBody(t *testing.T) {
	c := sampleCheckpoint(t, SM3)
	want := "chengxin/v1\nchengxin\nsm3\n10\n" + base64.StdEncoding.EncodeToString(c.Root) + "\n" + "1795348800123456789\n"
	if got := string(c.Body()); got != want {
		t.Fatalf("Body =\n%q\nwant\n%q", got, want)
	}
	// The body does not depend on the time's zone.
	c2 := *c
	c2.Time = c.Time.In(time.FixedZone("CST", 8*3600))
	if !bytes.Equal(c.Body(), c2.Body()) {
		t.Fatal("Body depends on the time zone")
	}
}

func TestCheckpointSignVerify(t *testing.T) {
	for _, alg := range algs {
		for _, hash := range []string{SM3, SHA256} {
			t.Run(alg+"/"+hash, func(t *testing.T) {
				s, err := NewSigner(alg)
				if err != nil {
					t.Fatal(err)
				}
				if s.Alg() != alg {
					t.Fatalf("Alg = %q", s.Alg())
				}
				pub := s.PublicKeyPEM()
				if !bytes.HasPrefix(pub, []byte("-----BEGIN PUBLIC KEY-----")) {
					t.Fatalf("public key PEM: %s", pub)
				}
				c := sampleCheckpoint(t, hash)
				if err := s.Sign(c); err != nil {
					t.Fatal(err)
				}
				if c.SignatureAlg != alg || len(c.Signature) == 0 {
					t.Fatalf("Sign set %q, %x", c.SignatureAlg, c.Signature)
				}
				if err := Verify(pub, c); err != nil {
					t.Fatalf("Verify rejected a good checkpoint: %v", err)
				}
				if err := s.Verifier().Verify(c); err != nil {
					t.Fatalf("Signer.Verifier rejected a good checkpoint: %v", err)
				}
				other, _ := NewSigner(alg)
				otherAlg := Ed25519
				if alg == Ed25519 {
					otherAlg = SM2
				}
				stranger, _ := NewSigner(otherAlg)
				for _, m := range []mutation[*Checkpoint]{
					{"size", func(c *Checkpoint) { c.Size++ }},
					{"size down", func(c *Checkpoint) { c.Size-- }},
					{"root", func(c *Checkpoint) { c.Root = flip(c.Root, 5) }},
					{"time", func(c *Checkpoint) { c.Time = c.Time.Add(time.Nanosecond) }},
					{"hash", func(c *Checkpoint) { c.Hash = map[string]string{SM3: SHA256, SHA256: SM3}[c.Hash] }},
					{"origin", func(c *Checkpoint) { c.Origin = "chengxin-test" }},
					{"signature", func(c *Checkpoint) { c.Signature = flip(c.Signature, len(c.Signature)-1) }},
					{"signature first byte", func(c *Checkpoint) { c.Signature = flip(c.Signature, 0) }},
					{"signature truncated", func(c *Checkpoint) { c.Signature = c.Signature[:len(c.Signature)-1] }},
					{"signature empty", func(c *Checkpoint) { c.Signature = nil }},
					{"signature alg", func(c *Checkpoint) { c.SignatureAlg = otherAlg }},
					{"another key's signature", func(c *Checkpoint) { other.Sign(c) }},
					{"a stranger's signature", func(c *Checkpoint) { stranger.Sign(c) }},
				} {
					bad := *c
					bad.Root, bad.Signature = clone(c.Root), clone(c.Signature)
					m.f(&bad)
					if Verify(pub, &bad) == nil {
						t.Errorf("Verify accepted a checkpoint with a changed %s", m.name)
					}
				}
				if Verify(other.PublicKeyPEM(), c) == nil {
					t.Error("Verify accepted another key")
				}
				if Verify(stranger.PublicKeyPEM(), c) == nil {
					t.Error("Verify accepted a key of the other algorithm")
				}
				// SM2 signatures are randomised; both verify.
				c2 := *c
				s.Sign(&c2)
				if err := Verify(pub, &c2); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

func TestCheckpointValidate(t *testing.T) {
	s, _ := NewSigner(Ed25519)
	for _, m := range []mutation[*Checkpoint]{
		{"empty origin", func(c *Checkpoint) { c.Origin = "" }},
		{"origin with a newline", func(c *Checkpoint) { c.Origin = "chengxin\nsm3" }},
		{"unknown hash", func(c *Checkpoint) { c.Hash = "md5" }},
		{"no hash", func(c *Checkpoint) { c.Hash = "" }},
		{"short root", func(c *Checkpoint) { c.Root = c.Root[:31] }},
		{"no root", func(c *Checkpoint) { c.Root = nil }},
		{"zero time", func(c *Checkpoint) { c.Time = time.Time{} }},
		{"time past 2262", func(c *Checkpoint) { c.Time = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }},
	} {
		c := sampleCheckpoint(t, SM3)
		m.f(c)
		if err := s.Sign(c); err == nil {
			t.Errorf("Sign accepted a checkpoint with %s", m.name)
		}
	}
}

func TestCheckpointJSON(t *testing.T) {
	s, _ := NewSigner(SM2)
	c := sampleCheckpoint(t, SM3)
	c.Time = c.Time.In(time.FixedZone("CST", 8*3600))
	if err := s.Sign(c); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"size":10`, `"root":"`, `"hash":"sm3"`, `"timestamp":"2026-11-22T20:00:00.123456789+08:00"`, `"origin":"chengxin"`, `"signature_alg":"sm2"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	var back Checkpoint
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if err := Verify(s.PublicKeyPEM(), &back); err != nil {
		t.Fatalf("checkpoint read back from JSON does not verify: %v (%s)", err, b)
	}
	// As served by GET /v1/log/checkpoint (with the public key), or with the
	// signed integer timestamp.
	var m map[string]any
	json.Unmarshal(b, &m)
	m["public_key"] = string(s.PublicKeyPEM())
	m["timestamp"] = c.Time.UnixNano()
	b2, _ := json.Marshal(m)
	var back2 Checkpoint
	if err := json.Unmarshal(b2, &back2); err != nil {
		t.Fatal(err)
	}
	if err := Verify(s.PublicKeyPEM(), &back2); err != nil {
		t.Fatalf("checkpoint with an integer timestamp does not verify: %v (%s)", err, b2)
	}
	for _, bad := range []string{`{"root":"zz"}`, `{"signature":"%%%"}`, `{"timestamp":"yesterday"}`, `[]`} {
		if json.Unmarshal([]byte(bad), new(Checkpoint)) == nil {
			t.Errorf("Unmarshal accepted %s", bad)
		}
	}
}

func TestParseSignerRoundTrip(t *testing.T) {
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			s, _ := NewSigner(alg)
			priv, err := s.PrivateKeyPEM()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(priv, []byte("-----BEGIN PRIVATE KEY-----")) {
				t.Fatalf("private key PEM: %s", priv)
			}
			s2, err := ParseSigner(priv)
			if err != nil {
				t.Fatal(err)
			}
			if s2.Alg() != alg || !bytes.Equal(s2.PublicKeyPEM(), s.PublicKeyPEM()) {
				t.Fatalf("parsed signer: %s %s", s2.Alg(), s2.PublicKeyPEM())
			}
			priv2, _ := s2.PrivateKeyPEM()
			if !bytes.Equal(priv, priv2) {
				t.Error("PrivateKeyPEM does not round-trip")
			}
			c := sampleCheckpoint(t, SM3)
			if err := s2.Sign(c); err != nil {
				t.Fatal(err)
			}
			if err := Verify(s.PublicKeyPEM(), c); err != nil {
				t.Fatalf("the parsed key's signature does not verify with the original public key: %v", err)
			}
		})
	}
	for _, bad := range [][]byte{nil, []byte("not pem"), NewTestPEM("PUBLIC KEY"), NewTestPEM("PRIVATE KEY")} {
		if _, err := ParseSigner(bad); err == nil {
			t.Errorf("ParseSigner accepted %q", bad)
		}
	}
	if _, err := NewSigner("rsa"); err == nil {
		t.Error("NewSigner accepted rsa")
	}
	if s, err := NewSigner(""); err != nil || s.Alg() != SM2 {
		t.Errorf("NewSigner(\"\") = %v, %v; want an SM2 signer", s, err)
	}
	s, _ := NewSigner(SM2)
	if _, err := ParseVerifier(func() []byte { b, _ := s.PrivateKeyPEM(); return b }()); err == nil {
		t.Error("ParseVerifier accepted a private key")
	}
}

// NewTestPEM returns a PEM block of the given type holding garbage.
func NewTestPEM(typ string) []byte {
	return []byte("-----BEGIN " + typ + "-----\nAAECAwQ=\n-----END " + typ + "-----\n")
}

func TestLoadOrCreateKey(t *testing.T) {
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "keys", "log.key") // the directory is created too
			s, err := LoadOrCreateKey(path, alg)
			if err != nil {
				t.Fatal(err)
			}
			if s.Alg() != alg {
				t.Fatalf("created a %s key", s.Alg())
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Fatalf("key file mode %04o, want 0600", fi.Mode().Perm())
			}
			if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm()&0o077 != 0 {
				t.Errorf("key directory mode %04o", di.Mode().Perm())
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("key directory holds %d files (temporary files left?)", len(entries))
			}
			s2, err := LoadOrCreateKey(path, alg)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(s.PublicKeyPEM(), s2.PublicKeyPEM()) {
				t.Fatal("the key loaded back differs from the key created")
			}
			if s3, err := LoadOrCreateKey(path, ""); err != nil || !bytes.Equal(s3.PublicKeyPEM(), s.PublicKeyPEM()) {
				t.Fatalf("loading with no algorithm named: %v", err)
			}
			other := map[string]string{SM2: Ed25519, Ed25519: SM2}[alg]
			if _, err := LoadOrCreateKey(path, other); err == nil || !strings.Contains(err.Error(), "configured") {
				t.Errorf("a %s key was used when %s was asked for: %v", alg, other, err)
			}
			for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
				if err := os.Chmod(path, mode); err != nil {
					t.Fatal(err)
				}
				_, err := LoadOrCreateKey(path, alg)
				if err == nil || !strings.Contains(err.Error(), "group or others") {
					t.Errorf("a key file of mode %04o was used: %v", mode, err)
				}
			}
			os.Chmod(path, 0o400) // owner read-only is fine
			if _, err := LoadOrCreateKey(path, alg); err != nil {
				t.Errorf("a key file of mode 0400 was refused: %v", err)
			}
		})
	}
	dir := t.TempDir()
	if _, err := LoadOrCreateKey(filepath.Join(dir, "k"), "rsa"); err == nil {
		t.Error("LoadOrCreateKey accepted rsa")
	}
	if _, err := LoadOrCreateKey(dir, SM2); err == nil {
		t.Error("LoadOrCreateKey used a directory as a key file")
	}
	garbage := filepath.Join(dir, "garbage.key")
	os.WriteFile(garbage, []byte("nonsense"), 0o600)
	if _, err := LoadOrCreateKey(garbage, SM2); err == nil {
		t.Error("LoadOrCreateKey accepted a file that is not a key")
	}
}

// Two processes starting at once end up with the same key.
func TestLoadOrCreateKeyRace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.key")
	const n = 8
	pubs := make(chan []byte, n)
	for range n {
		go func() {
			s, err := LoadOrCreateKey(path, SM2)
			if err != nil {
				t.Error(err)
				pubs <- nil
				return
			}
			pubs <- s.PublicKeyPEM()
		}()
	}
	first := <-pubs
	for range n - 1 {
		if p := <-pubs; !bytes.Equal(p, first) {
			t.Fatal("concurrent LoadOrCreateKey calls returned different keys")
		}
	}
}
