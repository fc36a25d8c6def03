package httpapi_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A supervisor's figures after a day of checks: hits answered in time,
// "allowed" on a block, a hit left unanswered past the 24 h SLA, and a
// department item never checked.
func TestStats(t *testing.T) {
	e := newEnv(t)
	court := e.org("gy-court", "贵阳市中级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	housing := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer", "real_estate.first_registration"})
	airport := e.org("gy-airport", "贵阳龙洞堡国际机场", []string{"department"}, nil, []string{"civil_aviation.ticket"})
	ndrc := e.org("gy-ndrc", "贵阳市发展和改革委员会", []string{"supervisor"}, nil, nil)

	debtor := residentID("520112", "19750314", 131)
	masked := residentID("520112", "19760101", 7)
	for i, id := range []string{debtor, masked} {
		r := e.post("/v1/lists/court.dishonest/entries", court, obj{"source_ref": "（2025）黔01执" + string(rune('1'+i)) + "号",
			"subject": obj{"kind": "person", "id_type": "resident_id", "id": id, "name": "封某全"}, "reason": "有履行能力而拒不履行"})
		want(t, r, http.StatusCreated)
		if id == masked {
			want(t, e.post("/v1/entries/"+r.str("entry_id")+"/mask", court, obj{"reason": "已履行", "reason_code": "performed"}), http.StatusOK)
		}
	}

	start := e.clock.Now()
	check := func(token, item, id string) string {
		t.Helper()
		r := e.post("/v1/checks", token, obj{"item": item, "subject": obj{"id_type": "resident_id", "id": id}})
		want(t, r, http.StatusOK)
		return r.str("check_id")
	}
	clean := residentID("520102", "19900101", 5)
	h1 := check(housing, "real_estate.transfer", debtor)
	h2 := check(housing, "real_estate.transfer", debtor)
	check(housing, "real_estate.transfer", clean)
	check(airport, "civil_aviation.ticket", debtor) // never answered
	check(airport, "civil_aviation.ticket", clean)

	e.clock.Advance(30 * time.Minute)
	want(t, e.post("/v1/checks/"+h1+"/feedback", housing, obj{"action": "intercepted"}), http.StatusCreated)
	want(t, e.post("/v1/checks/"+h2+"/feedback", housing, obj{"action": "intercepted"}), http.StatusCreated)
	e.clock.Advance(time.Minute)
	want(t, e.post("/v1/checks/"+h2+"/feedback", housing, obj{"action": "allowed", "note": "法院出具准予消费证明"}), http.StatusCreated)
	e.clock.Advance(24 * time.Hour)

	ts := func(t time.Time) string { return url.QueryEscape(t.Format(time.RFC3339)) }
	for _, tc := range []struct {
		name, query string
		want        obj
	}{
		{"default period", "", obj{"entries_active": 1.0, "checks": 5.0, "hits": 3.0, "blocks": 3.0, "feedback": 2.0,
			"feedback_rate": 0.6667, "feedback_overdue": 1.0, "allowed_on_block": 1.0}},
		{"longer SLA", "?sla=48h", obj{"checks": 5.0, "feedback_overdue": 0.0}},
		{"period after the checks", "?from=" + ts(start.Add(10*time.Minute)), obj{"entries_active": 1.0, "checks": 0.0, "hits": 0.0, "feedback_rate": 0.0}},
	} {
		r := e.get("/v1/stats/overview"+tc.query, ndrc)
		want(t, r, http.StatusOK)
		for k, v := range tc.want {
			if r.get(k) != v {
				t.Errorf("%s: %s = %v, want %v: %s", tc.name, k, r.get(k), v, r.raw)
			}
		}
		if r.str("from") == "" || r.str("to") == "" {
			t.Errorf("%s: no period: %s", tc.name, r.raw)
		}
	}

	r := e.get("/v1/stats/departments", ndrc)
	want(t, r, http.StatusOK)
	deps, _ := r.get("departments").([]any)
	if len(deps) != 2 {
		t.Fatalf("departments: %s", r.raw)
	}
	wantDeps := []obj{
		{"code": "gy-airport", "name": "贵阳龙洞堡国际机场", "checks": 2.0, "hits": 1.0, "blocks": 1.0, "feedback": 0.0, "feedback_rate": 0.0,
			"feedback_overdue": 1.0, "allowed_on_block": 0.0, "median_feedback_minutes": nil,
			"items":               []any{obj{"item": "civil_aviation.ticket", "checks": 2.0, "hits": 1.0, "blocks": 1.0}},
			"items_never_checked": []any{}},
		{"code": "gy-housing", "name": "贵阳市不动产登记中心", "checks": 3.0, "hits": 2.0, "blocks": 2.0, "feedback": 2.0, "feedback_rate": 1.0,
			"feedback_overdue": 0.0, "allowed_on_block": 1.0, "median_feedback_minutes": 30.0,
			"items": []any{obj{"item": "real_estate.first_registration", "checks": 0.0, "hits": 0.0, "blocks": 0.0},
				obj{"item": "real_estate.transfer", "checks": 3.0, "hits": 2.0, "blocks": 2.0}},
			"items_never_checked": []any{"real_estate.first_registration"}},
	}
	for i, w := range wantDeps {
		got := deps[i].(map[string]any)
		for k, v := range w {
			if !reflect.DeepEqual(got[k], v) {
				t.Errorf("department %d: %s = %#v, want %#v", i, k, got[k], v)
			}
		}
	}

	csv := e.get("/v1/stats/departments?format=csv", ndrc)
	want(t, csv, http.StatusOK)
	lines := strings.Split(strings.TrimSpace(string(csv.raw)), "\n")
	if len(lines) != 3 || lines[0] != "\uFEFFcode,name,checks,hits,blocks,feedback,feedback_rate,feedback_overdue,allowed_on_block" ||
		lines[2] != "gy-housing,贵阳市不动产登记中心,3,2,2,2,1,0,1" {
		t.Errorf("CSV:\n%s", csv.raw)
	}

	for _, tc := range []struct {
		name, path, token string
		status            int
		field             string
	}{
		{"department", "/v1/stats/overview", housing, http.StatusForbidden, ""},
		{"department scorecard", "/v1/stats/departments", airport, http.StatusForbidden, ""},
		{"no token", "/v1/stats/overview", "", http.StatusUnauthorized, ""},
		{"bad from", "/v1/stats/overview?from=yesterday", ndrc, http.StatusUnprocessableEntity, "from"},
		{"bad to", "/v1/stats/departments?to=2026-13-01", ndrc, http.StatusUnprocessableEntity, "to"},
		{"bad sla", "/v1/stats/overview?sla=-1h", ndrc, http.StatusUnprocessableEntity, "sla"},
		{"from after to", "/v1/stats/overview?from=" + ts(start) + "&to=" + ts(start.Add(-time.Hour)), ndrc, http.StatusUnprocessableEntity, "from"},
	} {
		r := e.get(tc.path, tc.token)
		if r.status != tc.status || r.str("error", "field") != tc.field {
			t.Errorf("%s: %d %s, want %d field %q", tc.name, r.status, r.raw, tc.status, tc.field)
		}
	}
}

// The public query window: no token, masked identifiers, public fields only.
func TestPublicSearch(t *testing.T) {
	e := newEnv(t)
	court := e.org("bj-court", "北京市第一中级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	debtor := residentID("110101", "19800101", 2)
	hidden := residentID("110101", "19810101", 3)
	company := uscc("110000", "MA01ABCD")
	for _, b := range []obj{
		{"source_ref": "（2025）京01执1号", "subject": obj{"kind": "person", "id_type": "resident_id", "id": debtor, "name": "张某某"},
			"reason": "有履行能力而拒不履行", "details": obj{"court": "北京市第一中级人民法院", "province": "北京",
				"obligation": "偿还借款400000元", "performance": "全部未履行", "phone": "13800138000"}},
		{"source_ref": "（2025）京01执2号", "subject": obj{"kind": "org", "id_type": "uscc", "id": company, "name": "北京某某科技有限公司",
			"legal_rep": obj{"id_type": "resident_id", "id": residentID("110101", "19700101", 9), "name": "李某"}}, "reason": "隐匿财产规避执行"},
		{"source_ref": "（2025）京01执3号", "subject": obj{"kind": "person", "id_type": "resident_id", "id": hidden, "name": "王某"}, "reason": "虚假诉讼"},
	} {
		r := e.post("/v1/lists/court.dishonest/entries", court, b)
		want(t, r, http.StatusCreated)
		if b["source_ref"] == "（2025）京01执3号" {
			want(t, e.post("/v1/entries/"+r.str("entry_id")+"/mask", court, obj{"reason": "已履行", "reason_code": "performed"}), http.StatusOK)
		}
	}
	legacy := debtor[:6] + debtor[8:17] // the 15-digit form: two-digit year, no check digit
	maskedID := debtor[:4] + "**********" + debtor[14:]

	q := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return "/v1/public/search?" + v.Encode()
	}
	for _, tc := range []struct {
		name   string
		path   string
		status int
		field  string
		refs   []string
	}{
		{"by id", q("id", debtor), 200, "", []string{"（2025）京01执1号"}},
		{"by 15-digit id", q("id", legacy, "id_type", "resident_id"), 200, "", []string{"（2025）京01执1号"}},
		{"by name", q("name", "北京某某科技有限公司"), 200, "", []string{"（2025）京01执2号"}},
		{"by name and id of another", q("name", "张某某", "id", company), 200, "", nil},
		{"masked entry", q("id", hidden), 200, "", nil},
		{"neither", q(), 422, "name", nil},
		{"bad id", q("id", "12#"), 422, "id", nil},
		{"bad id in English", q("id", "12#", "lang", "en"), 422, "id", nil},
	} {
		r := e.get(tc.path, "")
		if r.status != tc.status || r.str("error", "field") != tc.field {
			t.Fatalf("%s: %d %s", tc.name, r.status, r.raw)
		}
		if tc.status != 200 {
			continue
		}
		res, _ := r.get("results").([]any)
		var refs []string
		for _, x := range res {
			refs = append(refs, x.(map[string]any)["source_ref"].(string))
		}
		if !reflect.DeepEqual(refs, tc.refs) {
			t.Errorf("%s: results %v, want %v: %s", tc.name, refs, tc.refs, r.raw)
		}
		if strings.Contains(string(r.raw), debtor) || strings.Contains(string(r.raw), company) ||
			strings.Contains(string(r.raw), "phone") || strings.Contains(string(r.raw), "13800138000") ||
			strings.Contains(string(r.raw), "details") || strings.Contains(string(r.raw), "entry_id") {
			t.Errorf("%s: leaks non-public data: %s", tc.name, r.raw)
		}
		if tc.name == "by id" {
			got := res[0].(map[string]any)
			wantRec := obj{"list": "court.dishonest", "list_name": "失信被执行人名单", "kind": "black", "name": "张某某",
				"id_masked": maskedID, "source_ref": "（2025）京01执1号", "reason": "有履行能力而拒不履行",
				"court": "北京市第一中级人民法院", "province": "北京", "obligation": "偿还借款400000元", "performance": "全部未履行"}
			for k, v := range wantRec {
				if got[k] != v {
					t.Errorf("by id: %s = %v, want %v", k, got[k], v)
				}
			}
			if got["published_at"] == nil {
				t.Errorf("by id: no published_at: %s", r.raw)
			}
		}
		if tc.name == "by name" {
			if got := res[0].(map[string]any); got["legal_rep_name"] != "李某" || got["id_masked"] != company[:4]+"**********"+company[14:] {
				t.Errorf("by name: %s", r.raw)
			}
		}
	}
	if r := e.get(q("id", "12#"), ""); r.str("error", "message") != "证件号码格式不正确" {
		t.Errorf("Chinese by default: %s", r.raw)
	}
	if r := e.get(q("id", "12#", "lang", "en"), ""); r.str("error", "message") != "the id is not a valid identifier" {
		t.Errorf("English on request: %s", r.raw)
	}
}

// Each client gets a burst of 10 searches, then 429 with Retry-After.
func TestPublicSearchRateLimit(t *testing.T) {
	e := newEnv(t)
	for range 10 {
		want(t, e.get("/v1/public/search?name=%E5%BC%A0%E4%B8%89", ""), http.StatusOK)
	}
	req, _ := http.NewRequest("GET", e.node.URL+"/v1/public/search?name=x", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9") // not trusted: still the same client
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("after the burst: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	r := e.get("/v1/public/search?name=x", "")
	if r.status != http.StatusTooManyRequests || r.str("error", "code") != "rate_limited" {
		t.Fatalf("429 shape: %d %s", r.status, r.raw)
	}
	e.clock.Advance(2 * time.Second) // 30 a minute: one token every 2 s
	want(t, e.get("/v1/public/search?name=x", ""), http.StatusOK)
}
