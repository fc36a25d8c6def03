package httpapi

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/org"
)

type checkpointView struct {
	Size         uint64    `json:"size"`
	Root         string    `json:"root"`
	Hash         string    `json:"hash"`
	Timestamp    time.Time `json:"timestamp"`
	Origin       string    `json:"origin"`
	Signature    string    `json:"signature"`
	SignatureAlg string    `json:"signature_alg"`
	PublicKey    string    `json:"public_key"`
}

func (s *Server) logCheckpoint(w http.ResponseWriter, r *http.Request, _ *org.Org) error {
	cp, err := s.p.Checkpoint(r.Context())
	if err != nil {
		return err
	}
	if cp == nil {
		return notFound("size", "审计日志尚无签名检查点", "the audit log has no signed checkpoint yet")
	}
	writeJSON(w, http.StatusOK, checkpointView{Size: cp.Size, Root: hex.EncodeToString(cp.Root), Hash: cp.Hash, Timestamp: cp.Time,
		Origin: cp.Origin, Signature: base64.StdEncoding.EncodeToString(cp.Signature), SignatureAlg: cp.SignatureAlg, PublicKey: cp.PublicKey})
	return nil
}

func hexPath(path [][]byte) []string {
	out := make([]string, len(path))
	for i, h := range path {
		out[i] = hex.EncodeToString(h)
	}
	return out
}

func (s *Server) logProof(w http.ResponseWriter, r *http.Request, _ *org.Org) error {
	index, err := requiredInt(r, "index")
	if err != nil {
		return err
	}
	size, err := requiredInt(r, "size")
	if err != nil {
		return err
	}
	p, err := s.p.InclusionProof(r.Context(), index, size)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"index": p.Index, "size": p.Size, "leaf_hash": hex.EncodeToString(p.LeafHash),
		"path": hexPath(p.Path), "root": hex.EncodeToString(p.Root)})
	return nil
}

func (s *Server) logConsistency(w http.ResponseWriter, r *http.Request, _ *org.Org) error {
	from, err := requiredInt(r, "from")
	if err != nil {
		return err
	}
	to, err := requiredInt(r, "to")
	if err != nil {
		return err
	}
	path, err := s.p.ConsistencyProof(r.Context(), from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": from, "to": to, "path": hexPath(path)})
	return nil
}

func (s *Server) logLeaf(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	index, err := strconv.ParseInt(r.PathValue("index"), 10, 64)
	if err != nil {
		return notFound("index", "日志项序号须为非负整数", "the leaf index must be a non-negative integer")
	}
	data, err := s.p.Leaf(r.Context(), actor, index)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"index": index, "data": base64.StdEncoding.EncodeToString(data)})
	return nil
}

func requiredInt(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, chengxin.Invalid(name, "required", "缺少参数 "+name, name+" is required")
	}
	return intParam(v, name, 0)
}
