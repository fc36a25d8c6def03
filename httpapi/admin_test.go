package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chengxin/chengxin/catalog"
)

func TestReplaceCatalog(t *testing.T) {
	e := newEnv(t)
	housing := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer"})
	shipped := string(catalog.DefaultYAML())
	version := func(y, v string) string {
		return strings.Replace(y, `version: "2026.11-1"`, `version: "`+v+`"`, 1)
	}
	// A new version that binds real_estate.transfer to no consumption measure
	// but to the heightened-supervision measure is a valid, different catalog.
	noItem := strings.Replace(version(shipped, "2026.11-2"), "  - code: real_estate.transfer\n", "  - code: real_estate.transfer_renamed\n", 1)
	const yaml = "application/yaml"
	tests := []struct {
		name   string
		token  string
		ctype  string
		body   string
		status int
		code   string
	}{
		{"not an admin", housing, yaml, version(shipped, "2026.11-9"), 403, "forbidden"},
		{"not YAML", adminToken, "application/json", "{}", 415, "unsupported_media_type"},
		{"invalid catalog", adminToken, yaml, "version: x\nlists: [{code: Bad}]\n", 422, "invalid_catalog"},
		{"same version again", adminToken, yaml, shipped, 409, "version_exists"},
		{"drops an item a department holds", adminToken, yaml, noItem, 409, "in_use"},
		{"a new version", adminToken, yaml, version(shipped, "2026.11-3"), 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("PUT", "/v1/catalog", tc.token, tc.ctype, []byte(tc.body))
			want(t, r, tc.status)
			if tc.code != "" && r.str("error", "code") != tc.code {
				t.Fatalf("code %s, want %s: %s", r.str("error", "code"), tc.code, r.raw)
			}
		})
	}
	e.restart()
	r := e.get("/v1/catalog", housing)
	want(t, r, http.StatusOK)
	if !strings.Contains(string(r.raw), `version: "2026.11-3"`) {
		t.Fatal("the replaced catalog is not the one in force after restart")
	}
}

func TestCatalogReads(t *testing.T) {
	e := newEnv(t)
	dept := e.org("gy-air", "贵阳龙洞堡国际机场", []string{"department"}, nil, []string{"civil_aviation.ticket"})
	items := e.do("GET", "/v1/items", dept, "", nil)
	want(t, items, http.StatusOK)
	for _, code := range []string{"real_estate.transfer", "civil_aviation.ticket", "railway.ticket", "public_bidding.bid", "private_school.enrol", "civil_service.recruit"} {
		if !strings.Contains(string(items.raw), `"code":"`+code+`"`) {
			t.Errorf("item %s missing", code)
		}
	}
	measures := e.do("GET", "/v1/measures", dept, "", nil)
	if !strings.Contains(string(measures.raw), `"code":"consumption.flight"`) || !strings.Contains(string(measures.raw), `"reaches_legal_rep":true`) {
		t.Errorf("measures: %.300s", measures.raw)
	}
	lists := e.do("GET", "/v1/lists", dept, "", nil)
	if !strings.Contains(string(lists.raw), `"code":"court.dishonest"`) || !strings.Contains(string(lists.raw), `"kind":"red"`) {
		t.Errorf("lists: %.300s", lists.raw)
	}
}

func TestOrgTokens(t *testing.T) {
	e := newEnv(t)
	old := e.org("gy-housing", "贵阳市不动产登记中心", []string{"department"}, nil, []string{"real_estate.transfer"})
	tests := []struct {
		name   string
		body   obj
		status int
		field  string
	}{
		{"taken code", obj{"code": "gy-housing", "name": "x", "roles": []string{"supervisor"}}, 409, "code"},
		{"bad code", obj{"code": "GY Housing", "name": "x", "roles": []string{"supervisor"}}, 422, "code"},
		{"unknown role", obj{"code": "gy-x", "name": "x", "roles": []string{"god"}}, 422, "roles[0]"},
		{"source without lists", obj{"code": "gy-x", "name": "x", "roles": []string{"source"}}, 422, "lists"},
		{"unknown item", obj{"code": "gy-x", "name": "x", "roles": []string{"department"}, "items": []string{"no.such"}}, 422, "items[0]"},
		{"no name", obj{"code": "gy-x", "roles": []string{"supervisor"}}, 422, "name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.post("/v1/orgs", adminToken, tc.body)
			want(t, r, tc.status)
			if r.str("error", "field") != tc.field {
				t.Fatalf("field %q, want %q", r.str("error", "field"), tc.field)
			}
		})
	}
	rot := e.post("/v1/orgs/gy-housing/token", adminToken, nil)
	want(t, rot, http.StatusOK)
	fresh := rot.str("token")
	e.restart()
	if r := e.get("/v1/lists", old); r.status != 401 {
		t.Fatalf("old token still works after rotation: %d", r.status)
	}
	if r := e.get("/v1/lists", fresh); r.status != 200 {
		t.Fatalf("new token refused: %d", r.status)
	}
	list := e.get("/v1/orgs", adminToken)
	if strings.Contains(string(list.raw), fresh) || strings.Contains(string(list.raw), "token_hash") {
		t.Fatal("organisation list leaks tokens")
	}
	if r := e.post("/v1/orgs/nobody/token", adminToken, nil); r.status != 404 {
		t.Fatalf("rotating an unknown org: %d", r.status)
	}
}
