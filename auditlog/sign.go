package auditlog

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// Signature algorithms.
const (
	SM2     = "sm2"
	Ed25519 = "ed25519"
)

// DefaultSignatureAlg is the algorithm used when none is configured.
const DefaultSignatureAlg = SM2

// Signer signs checkpoints with an SM2 or an Ed25519 private key.
type Signer struct {
	alg string
	sm2 *sm2.PrivateKey
	ed  ed25519.PrivateKey
	pub []byte // PKIX "PUBLIC KEY" PEM
}

// NewSigner generates a fresh key for alg: "sm2" (also the default for "")
// or "ed25519".
func NewSigner(alg string) (*Signer, error) {
	switch alg {
	case SM2, "":
		k, err := sm2.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("auditlog: generating an SM2 key: %w", err)
		}
		return newSigner(k)
	case Ed25519:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("auditlog: generating an Ed25519 key: %w", err)
		}
		return newSigner(k)
	}
	return nil, fmt.Errorf("auditlog: unknown signature algorithm %q (want %q or %q)", alg, SM2, Ed25519)
}

func newSigner(key any) (*Signer, error) {
	s := &Signer{}
	var pub any
	switch k := key.(type) {
	case *sm2.PrivateKey:
		s.alg, s.sm2, pub = SM2, k, &k.PublicKey
	case ed25519.PrivateKey:
		s.alg, s.ed, pub = Ed25519, k, k.Public()
	default:
		return nil, fmt.Errorf("auditlog: unsupported private key %T (want SM2 or Ed25519)", key)
	}
	der, err := smx509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("auditlog: encoding the public key: %w", err)
	}
	s.pub = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	return s, nil
}

// ParseSigner reads a PKCS#8 "PRIVATE KEY" PEM holding an SM2 or an Ed25519
// key.
func ParseSigner(privatePEM []byte) (*Signer, error) {
	block, _ := pem.Decode(privatePEM)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("auditlog: no PKCS#8 \"PRIVATE KEY\" PEM block")
	}
	key, err := smx509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("auditlog: private key: %w", err)
	}
	return newSigner(key)
}

// Alg returns "sm2" or "ed25519".
func (s *Signer) Alg() string { return s.alg }

// Sign signs c.Body() and sets c.Signature and c.SignatureAlg. SM2 signs
// per GB/T 32918.2 with the default user ID 1234567812345678 and gives an
// ASN.1 DER signature; Ed25519 per RFC 8032.
func (s *Signer) Sign(c *Checkpoint) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var sig []byte
	switch s.alg {
	case SM2:
		var err error
		if sig, err = sm2.SignASN1(rand.Reader, s.sm2, c.Body(), sm2.DefaultSM2SignerOpts); err != nil {
			return fmt.Errorf("auditlog: SM2 signature: %w", err)
		}
	case Ed25519:
		sig = ed25519.Sign(s.ed, c.Body())
	default:
		return errors.New("auditlog: signer has no key")
	}
	c.Signature, c.SignatureAlg = sig, s.alg
	return nil
}

// PublicKeyPEM returns the PKIX "PUBLIC KEY" PEM of the signer's key.
func (s *Signer) PublicKeyPEM() []byte { return clone(s.pub) }

// PrivateKeyPEM returns the PKCS#8 "PRIVATE KEY" PEM of the signer's key.
func (s *Signer) PrivateKeyPEM() ([]byte, error) {
	var key any = s.ed
	if s.alg == SM2 {
		key = s.sm2
	}
	der, err := smx509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("auditlog: encoding the private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// Verifier checks checkpoint signatures against one public key.
type Verifier struct {
	alg string
	sm2 *ecdsa.PublicKey
	ed  ed25519.PublicKey
}

// Verifier returns the verifier of the signer's own signatures.
func (s *Signer) Verifier() *Verifier {
	if s.alg == SM2 {
		return &Verifier{alg: SM2, sm2: &s.sm2.PublicKey}
	}
	return &Verifier{alg: Ed25519, ed: s.ed.Public().(ed25519.PublicKey)}
}

// ParseVerifier reads a PKIX "PUBLIC KEY" PEM holding an SM2 or an Ed25519
// public key.
func ParseVerifier(publicPEM []byte) (*Verifier, error) {
	block, _ := pem.Decode(publicPEM)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, errors.New("auditlog: no PKIX \"PUBLIC KEY\" PEM block")
	}
	pub, err := smx509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("auditlog: public key: %w", err)
	}
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if !sm2.IsSM2PublicKey(k) {
			return nil, errors.New("auditlog: an EC public key that is not on the SM2 curve")
		}
		return &Verifier{alg: SM2, sm2: k}, nil
	case ed25519.PublicKey:
		return &Verifier{alg: Ed25519, ed: k}, nil
	}
	return nil, fmt.Errorf("auditlog: unsupported public key %T (want SM2 or Ed25519)", pub)
}

// Alg returns "sm2" or "ed25519".
func (v *Verifier) Alg() string { return v.alg }

// Verify returns nil if c is well formed, names the verifier's algorithm and
// carries a valid signature over c.Body().
func (v *Verifier) Verify(c *Checkpoint) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.SignatureAlg != v.alg {
		return fmt.Errorf("auditlog: checkpoint signed with %q, the key is %q", c.SignatureAlg, v.alg)
	}
	ok := false
	switch v.alg {
	case SM2:
		ok = sm2.VerifyASN1WithSM2(v.sm2, nil, c.Body(), c.Signature)
	case Ed25519:
		ok = len(c.Signature) == ed25519.SignatureSize && ed25519.Verify(v.ed, c.Body(), c.Signature)
	}
	if !ok {
		return errors.New("auditlog: checkpoint signature is not valid")
	}
	return nil
}

// Verify returns nil if the signature of c over c.Body() is valid for the
// PKIX "PUBLIC KEY" PEM publicPEM. To check many checkpoints against one key,
// parse it once with ParseVerifier.
func Verify(publicPEM []byte, c *Checkpoint) error {
	v, err := ParseVerifier(publicPEM)
	if err != nil {
		return err
	}
	return v.Verify(c)
}
