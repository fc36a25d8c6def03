package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/catalog"
	"github.com/chengxin/chengxin/check"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
)

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func notFound(field, zh, en string) error {
	return chengxin.E(chengxin.KindNotFound, "not_found", field, zh, en)
}

// --- organisations ---

type orgBody struct {
	Code  string     `json:"code"`
	Name  string     `json:"name"`
	Roles []org.Role `json:"roles"`
	Lists []string   `json:"lists"`
	Items []string   `json:"items"`
}

func (s *Server) createOrg(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	var b orgBody
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	o := org.Org{Code: b.Code, Name: b.Name, Roles: b.Roles, Lists: b.Lists, Items: b.Items}
	token, err := s.p.CreateOrg(r.Context(), actor, o)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"code": o.Code, "name": o.Name, "roles": o.Roles,
		"lists": nonNil(o.Lists), "items": nonNil(o.Items), "token": token})
	return nil
}

func (s *Server) listOrgs(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	orgs, err := s.p.Orgs(actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"orgs": orgs})
	return nil
}

func (s *Server) rotateToken(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	code := r.PathValue("code")
	token, err := s.p.RotateToken(r.Context(), actor, code)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": code, "token": token})
	return nil
}

// --- catalog ---

func (s *Server) lists(w http.ResponseWriter, r *http.Request, _ *org.Org) error {
	writeJSON(w, http.StatusOK, s.p.Catalog().Lists)
	return nil
}

func (s *Server) measures(w http.ResponseWriter, r *http.Request, _ *org.Org) error {
	writeJSON(w, http.StatusOK, s.p.Catalog().Measures)
	return nil
}

type itemView struct {
	catalog.Item
	DepartmentName string `json:"department_name"`
}

func (s *Server) items(w http.ResponseWriter, r *http.Request, _ *org.Org) error {
	cat := s.p.Catalog()
	out := make([]itemView, len(cat.Items))
	for i, it := range cat.Items {
		out[i] = itemView{Item: it, DepartmentName: cat.Department(it.Department).Name}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getCatalog(w http.ResponseWriter, r *http.Request, _ *org.Org) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("X-Catalog-Version", s.p.Catalog().Version)
	w.Write(s.p.CatalogYAML())
	return nil
}

func (s *Server) putCatalog(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	if err := requireType(r, "application/yaml", "text/yaml", "application/x-yaml"); err != nil {
		return err
	}
	body, err := readBody(w, r, maxBody*4)
	if err != nil {
		return err
	}
	cat, err := s.p.ReplaceCatalog(r.Context(), actor, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": cat.Version, "lists": len(cat.Lists),
		"measures": len(cat.Measures), "departments": len(cat.Departments), "items": len(cat.Items)})
	return nil
}

// --- entries ---

type entryRef struct {
	EntryID string      `json:"entry_id"`
	Seq     int64       `json:"seq"`
	State   entry.State `json:"state"`
	Version int         `json:"version"`
	Created bool        `json:"created"`
	Changed bool        `json:"changed"`
}

func refOf(e *entry.Entry, created, changed bool) entryRef {
	return entryRef{EntryID: strconv.FormatInt(e.ID, 10), Seq: e.Seq, State: e.State, Version: e.Version, Created: created, Changed: changed}
}

func (s *Server) publish(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	var d entry.Draft
	if err := decodeJSON(w, r, &d); err != nil {
		return err
	}
	res, err := s.p.Publish(r.Context(), actor, r.PathValue("list"), d)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	writeJSON(w, status, refOf(res.Entry, res.Created, res.Changed))
	return nil
}

type entryView struct {
	EntryID   string          `json:"entry_id"`
	List      string          `json:"list"`
	SourceRef string          `json:"source_ref"`
	State     entry.State     `json:"state"`
	Version   int             `json:"version"`
	Seq       int64           `json:"seq"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Record    entry.Record    `json:"record"`
	Versions  []entry.Version `json:"versions"`
}

func (s *Server) getEntry(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	id, err := platform.ParseEntryID(r.PathValue("id"))
	if err != nil {
		return err
	}
	e, err := s.p.Entry(r.Context(), actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, entryView{EntryID: strconv.FormatInt(e.ID, 10), List: e.List, SourceRef: e.SourceRef,
		State: e.State, Version: e.Version, Seq: e.Seq, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, Record: e.Record, Versions: e.Versions})
	return nil
}

type stateBody struct {
	Reason     string `json:"reason"`
	ReasonCode string `json:"reason_code"`
}

func (s *Server) mask(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	return s.changeState(w, r, actor, entry.MaskedC)
}

func (s *Server) remove(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	return s.changeState(w, r, actor, entry.RemovedC)
}

func (s *Server) restore(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	return s.changeState(w, r, actor, entry.Restored)
}

func (s *Server) changeState(w http.ResponseWriter, r *http.Request, actor *org.Org, change entry.ChangeType) error {
	id, err := platform.ParseEntryID(r.PathValue("id"))
	if err != nil {
		return err
	}
	var b stateBody
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	e, changed, err := s.p.ChangeState(r.Context(), actor, id, change, b.Reason, b.ReasonCode)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, refOf(e, false, changed))
	return nil
}

// --- checks ---

type checkBody struct {
	Item     string        `json:"item"`
	Subject  check.Subject `json:"subject"`
	Operator string        `json:"operator"`
	Ref      string        `json:"ref"`
}

type receipt struct {
	LogIndex int64 `json:"log_index"`
}

type checkView struct {
	CheckID      string            `json:"check_id"`
	Outcome      catalog.Action    `json:"outcome"`
	Item         string            `json:"item"`
	Hits         []check.HitRecord `json:"hits"`
	NameMismatch bool              `json:"name_mismatch"`
	CheckedAt    time.Time         `json:"checked_at"`
	Receipt      receipt           `json:"receipt"`
}

func viewOf(c *check.Record) checkView {
	hits := c.Hits
	if hits == nil {
		hits = []check.HitRecord{}
	}
	return checkView{CheckID: c.ID, Outcome: c.Outcome, Item: c.Item, Hits: hits, NameMismatch: c.NameMismatch,
		CheckedAt: c.At, Receipt: receipt{LogIndex: c.LogIndex}}
}

func (s *Server) check(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	var b checkBody
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	rec, err := s.p.Check(r.Context(), actor, platform.CheckRequest{Item: b.Item, Subject: b.Subject, Operator: b.Operator, Ref: b.Ref})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewOf(rec))
	return nil
}

type batchSubject struct {
	check.Subject
	Ref string `json:"ref"`
}

type checkBatchBody struct {
	Item     string         `json:"item"`
	Operator string         `json:"operator"`
	Subjects []batchSubject `json:"subjects"`
}

func (s *Server) checkBatch(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	var b checkBatchBody
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	reqs := make([]platform.CheckRequest, len(b.Subjects))
	for i, sub := range b.Subjects {
		reqs[i] = platform.CheckRequest{Subject: sub.Subject, Operator: b.Operator, Ref: sub.Ref}
	}
	res, err := s.p.CheckBatch(r.Context(), actor, b.Item, reqs)
	if err != nil {
		return err
	}
	out := make([]any, len(res))
	for i, x := range res {
		if x.Err != nil {
			out[i] = map[string]any{"error": errorJSON(r, x.Err)}
		} else {
			out[i] = viewOf(x.Record)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
	return nil
}

type storedCheckView struct {
	checkView
	Org      string           `json:"org"`
	Subject  check.Subject    `json:"subject"`
	Operator string           `json:"operator,omitempty"`
	Ref      string           `json:"ref,omitempty"`
	Feedback []check.Feedback `json:"feedback"`
}

func (s *Server) getCheck(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	c, err := s.p.StoredCheck(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	fb := c.Feedback
	if fb == nil {
		fb = []check.Feedback{}
	}
	writeJSON(w, http.StatusOK, storedCheckView{checkView: viewOf(c), Org: c.Org, Subject: c.Subject,
		Operator: c.Operator, Ref: c.Ref, Feedback: fb})
	return nil
}

type feedbackBody struct {
	Action   check.FeedbackAction `json:"action"`
	Note     string               `json:"note"`
	Operator string               `json:"operator"`
}

func (s *Server) feedback(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	var b feedbackBody
	if err := decodeJSON(w, r, &b); err != nil {
		return err
	}
	f, err := s.p.Feedback(r.Context(), actor, r.PathValue("id"), check.Feedback{Action: b.Action, Note: b.Note, Operator: b.Operator})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, f)
	return nil
}
