package httpapi

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/chengxin/chengxin"
	"github.com/chengxin/chengxin/entry"
	"github.com/chengxin/chengxin/org"
	"github.com/chengxin/chengxin/platform"
	"github.com/chengxin/chengxin/subject"
)

// maxBatchRows bounds one upload; larger files go in several requests.
const maxBatchRows = 200_000

func (s *Server) publishBatch(w http.ResponseWriter, r *http.Request, actor *org.Org) error {
	if err := requireType(r, "application/json", "application/x-ndjson", "text/csv"); err != nil {
		return err
	}
	body, err := readBody(w, r, maxBatchBody)
	if err != nil {
		return err
	}
	var rows []platform.Row
	switch mediaType(r) {
	case "application/json":
		rows, err = jsonRows(body)
	case "application/x-ndjson":
		rows, err = ndjsonRows(body)
	default:
		rows, err = csvRows(body)
	}
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return badRequest("empty", "", "没有任何数据行", "the batch has no rows")
	}
	if len(rows) > maxBatchRows {
		return chengxin.E(chengxin.KindTooLarge, "too_many_rows", "", fmt.Sprintf("一次最多 %d 行，请分批上传", maxBatchRows), fmt.Sprintf("at most %d rows per request; split the upload", maxBatchRows))
	}
	results, err := s.p.PublishBatch(r.Context(), actor, r.PathValue("list"), rows)
	if err != nil {
		return err
	}
	type rowResult struct {
		Row int `json:"row"`
		*entryRef
		Error *errorBody `json:"error,omitempty"`
	}
	out := make([]rowResult, len(results))
	accepted := 0
	for i, res := range results {
		out[i].Row = res.Row
		if res.Err != nil {
			eb := errorJSON(r, res.Err)
			if mediaType(r) == "text/csv" {
				eb.Field = csvColumn(eb.Field)
			}
			out[i].Error = &eb
			continue
		}
		accepted++
		ref := refOf(res.Entry, res.Created, res.Changed)
		out[i].entryRef = &ref
	}
	writeJSON(w, http.StatusOK, map[string]any{"accepted": accepted, "rejected": len(results) - accepted, "results": out})
	return nil
}

func rowError(err error, row int) error {
	return chengxin.AsError(err).At(fmt.Sprintf("[%d]", row))
}

// jsonRows reads an array of drafts; an element that does not decode fails
// its own row only.
func jsonRows(body []byte) ([]platform.Row, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, jsonError(err)
	}
	rows := make([]platform.Row, len(raw))
	for i, m := range raw {
		rows[i].Row = i + 1
		if err := unmarshalStrict(m, &rows[i].Draft); err != nil {
			rows[i].Err = err
		}
	}
	return rows, nil
}

func ndjsonRows(body []byte) ([]platform.Row, error) {
	var rows []platform.Row
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), maxBody)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		row := platform.Row{Row: line}
		if err := unmarshalStrict(text, &row.Draft); err != nil {
			row.Err = err
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, badRequest("bad_ndjson", fmt.Sprintf("[%d]", line+1), "NDJSON 行过长或无法读取", "an NDJSON line is too long or unreadable")
	}
	return rows, nil
}

// csvColumns maps a draft's fields to the CSV columns that carry them, so
// that a clerk's error names the column in their spreadsheet.
var csvColumns = map[string]string{
	"subject.kind": "kind", "subject.id_type": "id_type", "subject.id": "id", "subject.name": "name",
	"subject.legal_rep.id_type": "legal_rep_id_type", "subject.legal_rep.id": "legal_rep_id",
	"subject.legal_rep.name": "legal_rep_name", "subject.legal_rep": "legal_rep_id",
}

func csvColumn(field string) string {
	if c, ok := csvColumns[field]; ok {
		return c
	}
	return strings.TrimPrefix(field, "details.")
}

// csvRequired are the columns API.md names; the rest are optional, and an
// unknown column goes into details.
var csvRequired = []string{"source_ref", "kind", "id_type", "id", "name", "reason", "legal_basis", "published_at"}

var csvKnown = map[string]bool{"source_ref": true, "kind": true, "id_type": true, "id": true, "name": true, "reason": true,
	"legal_basis": true, "published_at": true, "expires_at": true, "legal_rep_id_type": true, "legal_rep_id": true, "legal_rep_name": true}

// csvRows reads a CSV with a header row. Rows are numbered from 1 for the
// first data row, as a clerk counts them below the header.
func csvRows(body []byte) ([]platform.Row, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, badRequest("bad_csv", "header", "CSV 缺少表头行", "the CSV has no header row")
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			return nil, badRequest("bad_csv", "header", "表头列重复："+h, "duplicate column: "+h)
		}
		col[h] = i
	}
	for _, c := range csvRequired {
		if _, ok := col[c]; !ok {
			return nil, badRequest("missing_column", c, "CSV 表头缺少列："+c, "the CSV header lacks the column "+c)
		}
	}
	var rows []platform.Row
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		row := platform.Row{Row: n}
		var perr *csv.ParseError
		switch {
		case errors.As(err, &perr) && perr.Err == csv.ErrFieldCount:
		case err != nil:
			// A broken quote makes the rest of the file unreadable.
			return nil, badRequest("bad_csv", fmt.Sprintf("[%d]", n), "CSV 第 "+strconv.Itoa(n)+" 行格式错误："+err.Error(), "CSV row "+strconv.Itoa(n)+" is malformed: "+err.Error())
		}
		if len(rec) != len(header) {
			row.Err = rowError(badRequest("bad_csv", "", fmt.Sprintf("该行有 %d 列，表头有 %d 列", len(rec), len(header)),
				fmt.Sprintf("the row has %d columns, the header %d", len(rec), len(header))), n)
			rows = append(rows, row)
			continue
		}
		row.Draft = csvDraft(header, col, rec)
		rows = append(rows, row)
	}
	return rows, nil
}

func csvDraft(header []string, col map[string]int, rec []string) entry.Draft {
	get := func(name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	d := entry.Draft{
		SourceRef:   get("source_ref"),
		Subject:     entry.Subject{Kind: subject.Kind(get("kind")), IDType: subject.IDType(get("id_type")), ID: get("id"), Name: get("name")},
		Reason:      get("reason"),
		LegalBasis:  get("legal_basis"),
		PublishedAt: get("published_at"),
		ExpiresAt:   get("expires_at"),
	}
	if get("legal_rep_id") != "" || get("legal_rep_name") != "" {
		d.Subject.LegalRep = &entry.Person{IDType: subject.IDType(get("legal_rep_id_type")), ID: get("legal_rep_id"), Name: get("legal_rep_name")}
		if d.Subject.LegalRep.IDType == "" {
			d.Subject.LegalRep.IDType = subject.ResidentID
		}
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !csvKnown[h] && strings.TrimSpace(rec[i]) != "" {
			if d.Details == nil {
				d.Details = map[string]string{}
			}
			d.Details[h] = strings.TrimSpace(rec[i])
		}
	}
	return d
}
