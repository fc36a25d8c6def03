package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestPublishBatch(t *testing.T) {
	e := newEnv(t)
	court := e.org("gz-court", "贵州省高级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	housing := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer"})
	const path = "/v1/lists/court.dishonest/entries:batch"
	a, b, c := residentID("520102", "19800101", 11), residentID("520103", "19810202", 23), residentID("520111", "19820303", 35)
	company := uscc("520112", "MA6H2K0D")

	type rowWant struct {
		ok          bool
		code, field string
	}
	tests := []struct {
		name     string
		ctype    string
		body     string
		accepted int
		rows     []rowWant
	}{{
		name:  "CSV with BOM, good and bad rows",
		ctype: "text/csv; charset=utf-8",
		body: "\xef\xbb\xbfsource_ref,kind,id_type,id,name,reason,legal_basis,published_at,expires_at,legal_rep_id,legal_rep_name,court\n" +
			"（2019）黔0102执1号,person,resident_id," + a + ",张一,拒不履行,（2018）黔0102民初1号,2026-05-01,,,,贵阳市南明区人民法院\n" +
			"（2019）黔0102执2号,person,resident_id,110105194912310021,张二,拒不履行,,2024-05-01,,,,\n" +
			"（2019）黔0102执3号,person,resident_id," + b + ",张三,拒不履行,,2024-13-01,,,,\n" +
			"（2019）黔0102执4号,org,uscc," + company + ",贵州某某公司,拒不履行,,,," + c + ",,\n" +
			"（2019）黔0102执5号,org,uscc," + company + ",贵州某某公司,拒不履行,,,,\n" +
			"（2019）黔0102执6号,org,uscc," + company + ",贵州某某公司,拒不履行,,,," + c + ",李四,\n",
		accepted: 2,
		rows: []rowWant{{ok: true}, {code: "bad_check_digit", field: "id"}, {code: "bad_date", field: "published_at"},
			{code: "required", field: "legal_rep_name"}, {code: "bad_csv", field: "[5]"}, {ok: true}},
	}, {
		name:  "NDJSON with a bad line",
		ctype: "application/x-ndjson",
		body: `{"source_ref":"N1","reason":"拒不履行","subject":{"kind":"person","id_type":"resident_id","id":"` + b + `","name":"张三"}}` + "\n" +
			`{"source_ref":"N2","reason":"拒不履行","subject":{"kind":"person"` + "\n\n" +
			`{"source_ref":"N3","reason":"拒不履行","colour":"red"}` + "\n",
		accepted: 1,
		rows:     []rowWant{{ok: true}, {code: "bad_json"}, {code: "unknown_field", field: "colour"}},
	}, {
		name:  "JSON array",
		ctype: "application/json",
		body: `[{"source_ref":"J1","reason":"拒不履行","subject":{"kind":"person","id_type":"resident_id","id":"` + c + `","name":"王五"}},` +
			`{"source_ref":"J2","reason":"拒不履行","subject":{"kind":"person","id_type":"passport","id":"E1234567","name":"Tom"},"published_at":"yesterday"}]`,
		accepted: 1,
		rows:     []rowWant{{ok: true}, {code: "bad_date", field: "published_at"}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", path, court, tc.ctype, []byte(tc.body))
			want(t, r, http.StatusOK)
			if r.get("accepted") != float64(tc.accepted) || r.get("rejected") != float64(len(tc.rows)-tc.accepted) {
				t.Fatalf("counts: %s", r.raw)
			}
			for i, w := range tc.rows {
				row := fmt.Sprint(i)
				if got := r.str("results", row, "entry_id") != ""; got != w.ok {
					t.Fatalf("row %d accepted=%v, want %v: %s", i+1, got, w.ok, r.raw)
				}
				if !w.ok && (r.str("results", row, "error", "code") != w.code || r.str("results", row, "error", "field") != w.field) {
					t.Fatalf("row %d error %v, want %s %s", i+1, r.get("results", row, "error"), w.code, w.field)
				}
			}
		})
	}

	// The good CSV rows decide checks; the extra column went into details.
	if ch := e.post("/v1/checks", housing, obj{"item": "real_estate.transfer", "subject": obj{"id_type": "resident_id", "id": a}}); ch.str("outcome") != "block" {
		t.Fatalf("batch row does not match: %s", ch.raw)
	}
	if ch := e.post("/v1/checks", housing, obj{"item": "real_estate.transfer", "subject": obj{"id_type": "resident_id", "id": b}}); ch.str("outcome") != "block" {
		t.Fatalf("NDJSON row does not match: %s", ch.raw)
	}

	// Sending the same rows again creates nothing new.
	again := e.do("POST", path, court, "text/csv", []byte("source_ref,kind,id_type,id,name,reason,legal_basis,published_at,court\n"+
		"（2019）黔0102执1号,person,resident_id,"+a+",张一,拒不履行,（2018）黔0102民初1号,2026-05-01,贵阳市南明区人民法院\n"))
	if again.get("accepted") != float64(1) || again.get("results", "0", "changed") != false {
		t.Fatalf("idempotent batch: %s", again.raw)
	}
}

func TestPublishBatchWholeRequestErrors(t *testing.T) {
	e := newEnv(t)
	court := e.org("gz-court", "贵州省高级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	const path = "/v1/lists/court.dishonest/entries:batch"
	tests := []struct {
		name, ctype, body string
		status            int
		code, field       string
	}{
		{"CSV missing a column", "text/csv", "source_ref,kind,id_type,id,name,reason,published_at\nx,person,resident_id,1,a,b,\n", 400, "missing_column", "legal_basis"},
		{"CSV header only", "text/csv", "source_ref,kind,id_type,id,name,reason,legal_basis,published_at\n", 400, "empty", ""},
		{"not an array", "application/json", `{"source_ref":"x"}`, 400, "bad_type", ""},
		{"XML", "application/xml", `<a/>`, 415, "unsupported_media_type", "Content-Type"},
		{"broken quote", "text/csv", "source_ref,kind,id_type,id,name,reason,legal_basis,published_at\n\"x,person\n", 400, "bad_csv", "[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", path, court, tc.ctype, []byte(tc.body))
			want(t, r, tc.status)
			if r.str("error", "code") != tc.code || r.str("error", "field") != tc.field {
				t.Fatalf("error %s, want %s %s", r.raw, tc.code, tc.field)
			}
		})
	}
	if !strings.Contains(e.do("POST", path, court, "text/csv", []byte("a\n")).str("error", "message"), "legal_basis") &&
		!strings.Contains(e.do("POST", path, court, "text/csv", []byte("a\n")).str("error", "message"), "source_ref") {
		t.Fatal("missing column not named in the message")
	}
}
