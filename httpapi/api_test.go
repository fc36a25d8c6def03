package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// The seed's story end to end: a court lists a debtor, the property registry
// is told to block, reports the interception, the court masks the entry when
// the debtor pays, and the next check is clear — and all of it survives a
// restart.
func TestCoreLoop(t *testing.T) {
	e := newEnv(t)
	court := e.org("gy-court", "贵阳市乌当区人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	housing := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer"})
	airport := e.org("gy-airport", "贵阳龙洞堡国际机场", []string{"department"}, nil, []string{"civil_aviation.ticket"})
	supervisor := e.org("gy-ndrc", "贵阳市发展和改革委员会", []string{"supervisor"}, nil, nil)

	debtor := residentID("520112", "19750314", 131)
	body := obj{
		"source_ref":  "（2019）黔0112执1234号",
		"subject":     obj{"kind": "person", "id_type": "resident_id", "id": debtor, "name": "封某全"},
		"reason":      "有履行能力而拒不履行生效法律文书确定义务",
		"legal_basis": "（2018）黔0112民初567号民事判决书",
		"details":     obj{"court": "贵阳市乌当区人民法院", "obligation": "偿还借款400000元", "performance": "全部未履行"},
	}
	r := e.post("/v1/lists/court.dishonest/entries", court, body)
	want(t, r, http.StatusCreated)
	entryID, seq := r.str("entry_id"), r.get("seq")
	if r.str("state") != "active" || entryID == "" {
		t.Fatalf("publish: %s", r.raw)
	}

	again := e.post("/v1/lists/court.dishonest/entries", court, body)
	want(t, again, http.StatusOK)
	if again.str("entry_id") != entryID || again.get("seq") != seq || again.get("changed") != false {
		t.Fatalf("the same body again must change nothing: %s", again.raw)
	}

	checkBody := obj{"item": "real_estate.transfer", "subject": obj{"id_type": "resident_id", "id": debtor, "name": "封某全"},
		"operator": "窗口03", "ref": "BDC-2026-000123"}
	c := e.post("/v1/checks", housing, checkBody)
	want(t, c, http.StatusOK)
	if c.str("outcome") != "block" || c.str("hits", "0", "entry_id") != entryID || c.str("hits", "0", "role") != "self" ||
		c.str("hits", "0", "measure", "code") != "consumption.real_estate" || c.str("hits", "0", "measure", "legal_basis") == "" ||
		c.get("name_mismatch") != false || c.get("receipt", "log_index") == nil {
		t.Fatalf("check: %s", c.raw)
	}
	checkID := c.str("check_id")

	fb := e.post("/v1/checks/"+checkID+"/feedback", housing, obj{"action": "intercepted", "note": "已暂停办理过户", "operator": "窗口03"})
	want(t, fb, http.StatusCreated)

	// A different name on the same ID is reported, not ignored.
	mism := e.post("/v1/checks", housing, obj{"item": "real_estate.transfer", "subject": obj{"id_type": "resident_id", "id": debtor, "name": "封某"}})
	if mism.get("name_mismatch") != true || mism.str("outcome") != "block" {
		t.Fatalf("name mismatch: %s", mism.raw)
	}

	m := e.post("/v1/entries/"+entryID+"/mask", court, obj{"reason": "被执行人已履行全部义务", "reason_code": "performed"})
	want(t, m, http.StatusOK)
	if m.str("state") != "masked" || m.get("changed") != true {
		t.Fatalf("mask: %s", m.raw)
	}
	if c := e.post("/v1/checks", housing, checkBody); c.str("outcome") != "clear" || len(c.get("hits").([]any)) != 0 {
		t.Fatalf("after mask: %s", c.raw)
	}

	// A company on the list: its legal representative may not fly.
	rep := residentID("520103", "19680101", 217)
	company := uscc("520100", "MA6DKQ3T")
	r = e.post("/v1/lists/court.dishonest/entries", court, obj{
		"source_ref": "（2020）黔0112执88号",
		"subject": obj{"kind": "org", "id_type": "uscc", "id": company, "name": "贵州某某建筑工程有限公司",
			"legal_rep": obj{"id_type": "resident_id", "id": rep, "name": "李某"}},
		"reason": "有履行能力而拒不履行生效法律文书确定义务",
	})
	want(t, r, http.StatusCreated)
	flight := obj{"item": "civil_aviation.ticket", "subject": obj{"id_type": "resident_id", "id": rep, "name": "李某"}}
	if c := e.post("/v1/checks", airport, flight); c.str("outcome") != "block" || c.str("hits", "0", "role") != "legal_rep" ||
		c.str("hits", "0", "measure", "code") != "consumption.flight" {
		t.Fatalf("legal rep check: %s", c.raw)
	}

	e.restart()

	if c := e.post("/v1/checks", housing, checkBody); c.str("outcome") != "clear" {
		t.Fatalf("masked entry matches after restart: %s", c.raw)
	}
	if c := e.post("/v1/checks", airport, flight); c.str("outcome") != "block" {
		t.Fatalf("company entry lost on restart: %s", c.raw)
	}
	stored := e.get("/v1/checks/"+checkID, supervisor)
	want(t, stored, http.StatusOK)
	if stored.str("outcome") != "block" || stored.str("feedback", "0", "action") != "intercepted" {
		t.Fatalf("stored check: %s", stored.raw)
	}
	hist := e.get("/v1/entries/"+entryID, court)
	want(t, hist, http.StatusOK)
	vs := hist.get("versions").([]any)
	if len(vs) != 2 || hist.str("versions", "1", "change") != "entry.masked" || hist.str("versions", "1", "actor") != "gy-court" ||
		hist.str("versions", "1", "reason") != "被执行人已履行全部义务" {
		t.Fatalf("history: %s", hist.raw)
	}

	// Restore puts the entry back in force.
	want(t, e.post("/v1/entries/"+entryID+"/restore", court, obj{"reason": "撤销屏蔽：履行款项未到账"}), http.StatusOK)
	if c := e.post("/v1/checks", housing, checkBody); c.str("outcome") != "block" {
		t.Fatalf("after restore: %s", c.raw)
	}
}

func TestChangedBodyIsNewVersion(t *testing.T) {
	e := newEnv(t)
	court := e.org("gz-court", "贵州省高级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	body := obj{"source_ref": "（2021）黔01执5号", "reason": "隐匿财产规避执行",
		"subject": obj{"kind": "person", "id_type": "resident_id", "id": residentID("520102", "19800101", 11), "name": "王五"}}
	r1 := e.post("/v1/lists/court.dishonest/entries", court, body)
	want(t, r1, http.StatusCreated)
	body["details"] = obj{"performance": "部分履行"}
	r2 := e.post("/v1/lists/court.dishonest/entries", court, body)
	want(t, r2, http.StatusOK)
	if r2.str("entry_id") != r1.str("entry_id") || r2.get("version") != float64(2) || r2.get("changed") != true {
		t.Fatalf("changed body: %s", r2.raw)
	}
}

func TestAuth(t *testing.T) {
	e := newEnv(t)
	court := e.org("gy-court", "贵阳市中级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	housing := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer"})
	check := obj{"item": "real_estate.transfer", "subject": obj{"id_type": "resident_id", "id": "11010519491231002X"}}
	tests := []struct {
		name   string
		path   string
		token  string
		body   any
		status int
	}{
		{"no token", "/v1/checks", "", check, 401},
		{"unknown token", "/v1/checks", "cx_nope", check, 401},
		{"source checks", "/v1/checks", court, check, 403},
		{"department checks another item", "/v1/checks", housing, obj{"item": "civil_aviation.ticket", "subject": check["subject"]}, 403},
		{"department publishes", "/v1/lists/court.dishonest/entries", housing, obj{}, 403},
		{"source publishes to another list", "/v1/lists/tax.major_violation/entries", court, obj{}, 403},
		{"non-admin creates an org", "/v1/orgs", court, obj{"code": "x1", "name": "x", "roles": []string{"admin"}}, 403},
		{"department checks its item", "/v1/checks", housing, check, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.post(tc.path, tc.token, tc.body)
			want(t, r, tc.status)
			if tc.status >= 400 && r.str("error", "code") == "" {
				t.Fatalf("no error shape: %s", r.raw)
			}
		})
	}
	if r := e.get("/v1/lists", court); r.status != 200 {
		t.Fatalf("any token reads the catalog: %d", r.status)
	}
}

func TestBadInput(t *testing.T) {
	e := newEnv(t)
	court := e.org("gy-court", "贵阳市中级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	housing := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer"})
	person := func(id string) obj {
		return obj{"kind": "person", "id_type": "resident_id", "id": id, "name": "张三"}
	}
	good := func() obj {
		return obj{"source_ref": "（2022）黔0102执1号", "reason": "拒不履行", "subject": person(residentID("520102", "19800101", 11))}
	}
	with := func(k string, v any) obj {
		b := good()
		b[k] = v
		return b
	}
	const entries = "/v1/lists/court.dishonest/entries"
	tests := []struct {
		name        string
		path, token string
		ctype       string
		body        string
		status      int
		code, field string
	}{
		{"malformed JSON", entries, court, "application/json", `{"source_ref": `, 400, "bad_json", ""},
		{"unknown field", entries, court, "application/json", mustJSON(with("colour", "red")), 400, "unknown_field", "colour"},
		{"wrong content type", entries, court, "text/plain", mustJSON(good()), 415, "unsupported_media_type", "Content-Type"},
		{"invalid UTF-8", entries, court, "application/json", "{\"source_ref\": \"\xff\xfe\"}", 400, "bad_utf8", ""},
		{"oversized body", entries, court, "application/json", `{"reason": "` + strings.Repeat("x", 2<<20) + `"}`, 413, "too_large", ""},
		{"nested unknown field", entries, court, "application/json", mustJSON(with("subject", obj{"kind": "person", "id_type": "resident_id", "id": "11010519491231002X", "name": "x", "age": 3})), 400, "unknown_field", "subject.age"},
		{"wrong type", entries, court, "application/json", `{"source_ref": 12}`, 400, "bad_type", "source_ref"},
		{"bad check digit", entries, court, "application/json", mustJSON(with("subject", person("110105194912310021"))), 422, "bad_check_digit", "subject.id"},
		{"unknown id_type", entries, court, "application/json", mustJSON(with("subject", obj{"kind": "person", "id_type": "ssn", "id": "1", "name": "x"})), 422, "unknown_id_type", "subject.id_type"},
		{"bad date", entries, court, "application/json", mustJSON(with("published_at", "2024-13-01")), 422, "bad_date", "published_at"},
		{"expiry before publication", entries, court, "application/json", mustJSON(with("expires_at", "2001-01-01")), 422, "before_published", "expires_at"},
		{"missing reason", entries, court, "application/json", mustJSON(with("reason", " ")), 422, "required", "reason"},
		{"minor on the dishonest list", entries, court, "application/json", mustJSON(with("subject", person(residentID("520102", "20150601", 11)))), 422, "minor", "subject.id"},
		{"org with a person's id", entries, court, "application/json", mustJSON(with("subject", obj{"kind": "org", "id_type": "resident_id", "id": "11010519491231002X", "name": "x"})), 422, "wrong_kind", "subject.id_type"},
		{"unknown list", "/v1/lists/no.such/entries", court, "application/json", mustJSON(good()), 404, "unknown_list", "list"},
		{"check with bad id", "/v1/checks", housing, "application/json", `{"item":"real_estate.transfer","subject":{"id_type":"uscc","id":"91110000600037341X"}}`, 422, "bad_check_digit", "subject.id"},
		{"check unknown item", "/v1/checks", housing, "application/json", `{"item":"no.such","subject":{"id_type":"resident_id","id":"11010519491231002X"}}`, 422, "unknown_item", "item"},
		{"unknown route", "/v1/nothing", court, "application/json", `{}`, 404, "not_found", "route"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", tc.path, tc.token, tc.ctype, []byte(tc.body))
			want(t, r, tc.status)
			if r.str("error", "code") != tc.code || r.str("error", "field") != tc.field || r.str("error", "message") == "" {
				t.Fatalf("error %s, want code %q field %q", r.raw, tc.code, tc.field)
			}
		})
	}
	// Nothing bad was stored: the good body is still new.
	want(t, e.post(entries, court, good()), http.StatusCreated)

	// Messages are Chinese by default, English on request.
	r := e.do("POST", entries, court, "text/plain", nil)
	if !strings.Contains(r.str("error", "message"), "不支持") {
		t.Fatalf("default message not Chinese: %s", r.raw)
	}
	req := e.do("POST", entries+"?lang=en", court, "text/plain", nil)
	if !strings.Contains(req.str("error", "message"), "unsupported") {
		t.Fatalf("English message: %s", req.raw)
	}
}

func TestFeedbackRules(t *testing.T) {
	e := newEnv(t)
	court := e.org("gy-court", "贵阳市中级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	school := e.org("gy-school", "贵阳某私立中学", []string{"department"}, nil, []string{"private_school.enrol"})
	other := e.org("gy-school2", "贵阳另一私立中学", []string{"department"}, nil, []string{"private_school.enrol"})
	id := residentID("520111", "19790505", 33)
	want(t, e.post("/v1/lists/court.dishonest/entries", court, obj{"source_ref": "（2017）黔0111执7号", "reason": "拒不履行",
		"subject": obj{"kind": "person", "id_type": "resident_id", "id": id, "name": "徐某"}}), 201)
	c := e.post("/v1/checks", school, obj{"item": "private_school.enrol", "subject": obj{"id_type": "resident_id", "id": id}})
	if c.str("outcome") != "block" {
		t.Fatalf("check: %s", c.raw)
	}
	clear := e.post("/v1/checks", school, obj{"item": "private_school.enrol", "subject": obj{"id_type": "resident_id", "id": "11010519491231002X"}})
	path := "/v1/checks/" + c.str("check_id") + "/feedback"
	tests := []struct {
		name   string
		path   string
		token  string
		body   obj
		status int
		field  string
	}{
		{"allowed on block without note", path, school, obj{"action": "allowed"}, 422, "note"},
		{"unknown action", path, school, obj{"action": "ignored"}, 422, "action"},
		{"another department", path, other, obj{"action": "intercepted"}, 403, ""},
		{"unknown check", "/v1/checks/nope/feedback", school, obj{"action": "intercepted"}, 404, "check_id"},
		{"on a clear check", "/v1/checks/" + clear.str("check_id") + "/feedback", school, obj{"action": "intercepted"}, 409, "check_id"},
		{"allowed with a note", path, school, obj{"action": "allowed", "note": "法院出具准许消费的决定书"}, 201, ""},
		{"a later correction", path, school, obj{"action": "intercepted", "note": "更正"}, 201, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.post(tc.path, tc.token, tc.body)
			want(t, r, tc.status)
			if tc.status >= 400 && r.str("error", "field") != tc.field {
				t.Fatalf("field %q, want %q", r.str("error", "field"), tc.field)
			}
		})
	}
	stored := e.get("/v1/checks/"+c.str("check_id"), school)
	if fb := stored.get("feedback").([]any); len(fb) != 2 || stored.str("feedback", "1", "action") != "intercepted" {
		t.Fatalf("feedback history: %s", stored.raw)
	}
	if r := e.get("/v1/checks/"+c.str("check_id"), other); r.status != 403 {
		t.Fatalf("another department reads the check: %d", r.status)
	}
}

func TestExpiry(t *testing.T) {
	e := newEnv(t)
	court := e.org("gy-court", "贵阳市中级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	housing := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer"})
	id := residentID("520113", "19700101", 55)
	expires := e.clock.Now().Add(48 * time.Hour).Format(time.RFC3339)
	r := e.post("/v1/lists/court.dishonest/entries", court, obj{"source_ref": "（2023）黔0113执9号", "reason": "违反限制消费令",
		"expires_at": expires, "subject": obj{"kind": "person", "id_type": "resident_id", "id": id, "name": "赵六"}})
	want(t, r, 201)
	check := obj{"item": "real_estate.transfer", "subject": obj{"id_type": "resident_id", "id": id}}
	if c := e.post("/v1/checks", housing, check); c.str("outcome") != "block" {
		t.Fatalf("before expiry: %s", c.raw)
	}
	e.clock.Advance(49 * time.Hour)
	if c := e.post("/v1/checks", housing, check); c.str("outcome") != "clear" {
		t.Fatalf("an expired entry still matches: %s", c.raw)
	}
	n, err := e.node.Platform.ExpireDue(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("ExpireDue = %d, %v", n, err)
	}
	h := e.get("/v1/entries/"+r.str("entry_id"), court)
	if h.str("state") != "expired" || h.str("versions", "1", "change") != "entry.expired" || h.str("versions", "1", "actor") != "system" {
		t.Fatalf("expiry not recorded: %s", h.raw)
	}
	// An expired entry cannot be restored; it must be published again.
	want(t, e.post("/v1/entries/"+r.str("entry_id")+"/restore", court, obj{"reason": "x"}), 409)
}

func TestIdentityChain(t *testing.T) {
	e := newEnv(t)
	market := e.org("gz-market", "贵州省市场监督管理局", []string{"source"}, []string{"market.serious_illegal"}, nil)
	bidding := e.org("gy-bidding", "贵阳市公共资源交易中心", []string{"department"}, nil, []string{"public_bidding.bid"})
	legacy := e.org("gy-legacy", "某区住建局", []string{"department"}, nil, []string{"real_estate.transfer"})
	court := e.org("gy-court", "贵阳市中级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	company := uscc("520115", "58731290")
	want(t, e.post("/v1/lists/market.serious_illegal/entries", market, obj{"source_ref": "黔市监严违〔2024〕12号", "reason": "提交虚假材料取得登记",
		"subject": obj{"kind": "org", "id_type": "uscc", "id": company, "name": "贵阳某某商贸有限公司"}}), 201)
	// The legacy organisation code (characters 9–17 of the USCC) names the same subject.
	orgCode := company[8:16] + "-" + company[16:17]
	if c := e.post("/v1/checks", bidding, obj{"item": "public_bidding.bid", "subject": obj{"id_type": "org_code", "id": orgCode}}); c.str("outcome") != "restrict" || c.str("hits", "0", "list") != "market.serious_illegal" {
		t.Fatalf("org code did not find the USCC's entry: %s", c.raw)
	}
	// A 15-digit legacy resident ID finds the 18-digit entry.
	want(t, e.post("/v1/lists/court.dishonest/entries", court, obj{"source_ref": "（2016）黔01执1号", "reason": "拒不履行",
		"subject": obj{"kind": "person", "id_type": "resident_id", "id": "130503196704010016", "name": "孙某"}}), 201)
	if c := e.post("/v1/checks", legacy, obj{"item": "real_estate.transfer", "subject": obj{"id_type": "resident_id", "id": "130503670401001"}}); c.str("outcome") != "block" {
		t.Fatalf("15-digit ID did not match: %s", c.raw)
	}
}

func TestCheckBatch(t *testing.T) {
	e := newEnv(t)
	court := e.org("gy-court", "贵阳市中级人民法院", []string{"source"}, []string{"court.dishonest"}, nil)
	rail := e.org("gy-rail", "贵阳车务段", []string{"department"}, nil, []string{"railway.ticket"})
	listed := residentID("520181", "19660606", 71)
	want(t, e.post("/v1/lists/court.dishonest/entries", court, obj{"source_ref": "（2018）黔0181执3号", "reason": "拒不履行",
		"subject": obj{"kind": "person", "id_type": "resident_id", "id": listed, "name": "周某"}}), 201)
	r := e.post("/v1/checks:batch", rail, obj{"item": "railway.ticket", "operator": "售票系统", "subjects": []obj{
		{"id_type": "resident_id", "id": "11010519491231002X"},
		{"id_type": "resident_id", "id": listed},
		{"id_type": "resident_id", "id": "123"},
	}})
	want(t, r, 200)
	if r.str("results", "0", "outcome") != "clear" || r.str("results", "1", "outcome") != "block" ||
		r.str("results", "2", "error", "field") != "subjects[2].id" {
		t.Fatalf("batch: %s", r.raw)
	}
	if s := e.get("/v1/checks/"+r.str("results", "1", "check_id"), rail); s.str("outcome") != "block" {
		t.Fatalf("a batch check is stored one by one: %s", s.raw)
	}
}
