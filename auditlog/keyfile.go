package auditlog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LoadOrCreateKey is the only function of this package that does I/O.
//
// It reads the PKCS#8 private key PEM at path or, if there is no file there,
// generates a key of alg ("sm2", the default for "", or "ed25519") and writes
// it with mode 0600, creating the directory (mode 0700) if needed. The new
// file appears atomically: no process ever reads a half-written key, and if
// two processes race the first key written wins and both use it.
//
// It refuses an existing key file that group or others may access (any mode
// bit in 0077), that is not a regular file, or that holds a key of another
// algorithm than a non-empty alg.
func LoadOrCreateKey(path, alg string) (*Signer, error) {
	if alg != "" && alg != SM2 && alg != Ed25519 {
		return nil, fmt.Errorf("auditlog: unknown signature algorithm %q (want %q or %q)", alg, SM2, Ed25519)
	}
	s, err := loadKey(path, alg)
	if !errors.Is(err, fs.ErrNotExist) {
		return s, err
	}
	if s, err = NewSigner(alg); err != nil {
		return nil, err
	}
	pemBytes, err := s.PrivateKeyPEM()
	if err != nil {
		return nil, err
	}
	switch err := writeNewKey(path, pemBytes); {
	case errors.Is(err, fs.ErrExist):
		return loadKey(path, alg) // another process wrote one first
	case err != nil:
		return nil, err
	}
	return s, nil
}

func loadKey(path, alg string) (*Signer, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("auditlog: key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("auditlog: key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("auditlog: key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("auditlog: key file %s has mode %04o, which lets group or others access the signing key; refusing to use it (chmod 600 it, and replace the key if others may have read it)", path, perm)
	}
	b, err := readAll(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("auditlog: key file %s: %w", path, err)
	}
	s, err := ParseSigner(b)
	if err != nil {
		return nil, fmt.Errorf("auditlog: key file %s: %w", path, err)
	}
	if alg != "" && s.Alg() != alg {
		return nil, fmt.Errorf("auditlog: key file %s holds an %s key, but %s is configured", path, s.Alg(), alg)
	}
	return s, nil
}

func readAll(f *os.File, size int64) ([]byte, error) {
	if size > 1<<20 {
		return nil, errors.New("larger than 1 MiB: not a key")
	}
	b := make([]byte, size)
	n, err := f.ReadAt(b, 0)
	if n == len(b) {
		err = nil
	}
	return b[:n], err
}

// writeNewKey writes b to path with mode 0600 unless path exists (then an
// error wrapping fs.ErrExist): to a temporary file first, synced, then
// hard-linked into place, which fails rather than replace an existing file.
func writeNewKey(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("auditlog: key directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("auditlog: key file: %w", err)
	}
	name := tmp.Name()
	defer os.Remove(name)
	err = tmp.Chmod(0o600) // CreateTemp already uses 0600; say so explicitly
	if err == nil {
		_, err = tmp.Write(b)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("auditlog: writing key file: %w", err)
	}
	if err := os.Link(name, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		return fmt.Errorf("auditlog: key file: %w", err)
	}
	if d, err := os.Open(dir); err == nil { // make the new name durable
		d.Sync()
		d.Close()
	}
	return nil
}
