package httpapi

import (
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The OpenAPI document must describe exactly what the server serves (API.md).
// These checks compare the embedded document with the route table and keep
// the document internally sound.

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// parseOpenAPI reads the document into plain maps and slices.
func parseOpenAPI(data []byte) (map[string]any, error) {
	var raw any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	doc := asMap(raw)
	if doc == nil {
		return nil, fmt.Errorf("the document is not a mapping")
	}
	return doc, nil
}

// asMap returns v as a string-keyed map, or nil when it is not a mapping. Keys
// that YAML reads as numbers (an unquoted 200) become their text.
func asMap(v any) map[string]any {
	switch m := v.(type) {
	case map[string]any:
		return m
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[fmt.Sprint(k)] = x
		}
		return out
	}
	return nil
}

type docOperation struct {
	Method, Path string
	Item, Op     map[string]any
}

func (o docOperation) String() string { return o.Method + " " + o.Path }

// operations lists every operation under paths, sorted by path and method.
func operations(doc map[string]any) []docOperation {
	var out []docOperation
	for path, item := range asMap(doc["paths"]) {
		pi := asMap(item)
		for _, m := range httpMethods {
			if op := asMap(pi[m]); op != nil {
				out = append(out, docOperation{Method: strings.ToUpper(m), Path: path, Item: pi, Op: op})
			} else if _, ok := pi[m]; ok {
				out = append(out, docOperation{Method: strings.ToUpper(m), Path: path, Item: pi, Op: map[string]any{}})
			}
		}
	}
	slices.SortFunc(out, func(a, b docOperation) int {
		return strings.Compare(a.String(), b.String())
	})
	return out
}

// routeDiff names the served routes the document lacks and the documented
// operations the server does not serve.
func routeDiff(doc map[string]any, routes []Route) (missing, extra []string) {
	documented := map[string]bool{}
	for _, op := range operations(doc) {
		documented[op.String()] = true
	}
	served := map[string]bool{}
	for _, r := range routes {
		k := r.Method + " " + r.Path
		served[k] = true
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !served[k] {
			extra = append(extra, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	return missing, extra
}

// resolve follows a local reference ("#/components/schemas/Error").
func resolve(doc map[string]any, ref string) (any, bool) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	var cur any = doc
	for _, tok := range strings.Split(ref[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m := asMap(cur)
		if m == nil {
			return nil, false
		}
		next, ok := m[tok]
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

// refProblems reports every $ref that does not resolve to a component.
func refProblems(doc map[string]any) []string {
	var probs []string
	var walk func(at string, v any)
	walk = func(at string, v any) {
		if m := asMap(v); m != nil {
			if r, ok := m["$ref"]; ok {
				ref, _ := r.(string)
				if !strings.HasPrefix(ref, "#/components/") {
					probs = append(probs, fmt.Sprintf("%s: $ref %q does not point into components", at, r))
				} else if _, ok := resolve(doc, ref); !ok {
					probs = append(probs, fmt.Sprintf("%s: $ref %q does not resolve", at, ref))
				}
			}
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(at+"/"+k, m[k])
			}
			return
		}
		if s, ok := v.([]any); ok {
			for i, x := range s {
				walk(fmt.Sprintf("%s[%d]", at, i), x)
			}
		}
	}
	walk("#", doc)
	return probs
}

var pathParam = regexp.MustCompile(`\{([^}/]+)\}`)

// deref returns the object v names, following one $ref if it is one.
func deref(doc map[string]any, v any) map[string]any {
	m := asMap(v)
	if ref, ok := m["$ref"].(string); ok {
		target, _ := resolve(doc, ref)
		return asMap(target)
	}
	return m
}

// pathParamsDeclared returns the names of the path parameters declared on
// the operation or its path item.
func pathParamsDeclared(doc map[string]any, op docOperation) map[string]bool {
	declared := map[string]bool{}
	for _, src := range []any{op.Item["parameters"], op.Op["parameters"]} {
		list, _ := src.([]any)
		for _, p := range list {
			pm := deref(doc, p)
			if pm["in"] == "path" {
				if name, ok := pm["name"].(string); ok {
					declared[name] = true
				}
			}
		}
	}
	return declared
}

// isPublic follows API.md: every /v1 call but /v1/public/* needs a token.
func isPublic(path string) bool {
	return !strings.HasPrefix(path, "/v1/") || strings.HasPrefix(path, "/v1/public/")
}

var successCode = regexp.MustCompile(`^2(\d\d|XX)$`)

// operationProblems applies the per-operation rules to every operation.
func operationProblems(doc map[string]any) []string {
	var probs []string
	ids := map[string]string{}
	for _, op := range operations(doc) {
		id, _ := op.Op["operationId"].(string)
		switch {
		case id == "":
			probs = append(probs, op.String()+": no operationId")
		case ids[id] != "":
			probs = append(probs, fmt.Sprintf("%s: operationId %q already used by %s", op, id, ids[id]))
		default:
			ids[id] = op.String()
		}

		if s, _ := op.Op["summary"].(string); strings.TrimSpace(s) == "" {
			probs = append(probs, op.String()+": no summary")
		}
		if tags, _ := op.Op["tags"].([]any); len(tags) == 0 {
			probs = append(probs, op.String()+": no tags")
		}

		has2xx := false
		for code := range asMap(op.Op["responses"]) {
			has2xx = has2xx || successCode.MatchString(code)
		}
		if !has2xx {
			probs = append(probs, op.String()+": no 2xx response")
		}

		declared := pathParamsDeclared(doc, op)
		for _, m := range pathParam.FindAllStringSubmatch(op.Path, -1) {
			if !declared[m[1]] {
				probs = append(probs, fmt.Sprintf("%s: path parameter {%s} is not declared", op, m[1]))
			}
		}

		sec, overrides := op.Op["security"]
		list, _ := sec.([]any)
		switch public := isPublic(op.Path); {
		case public && (!overrides || len(list) != 0):
			probs = append(probs, op.String()+": public route without security: []")
		case !public && overrides && len(list) == 0:
			probs = append(probs, op.String()+": needs a token but is marked security: []")
		}
	}
	return probs
}

// docProblems applies the document-level rules.
func docProblems(doc map[string]any) []string {
	var probs []string
	if v := fmt.Sprint(doc["openapi"]); v != "3.1.0" {
		probs = append(probs, fmt.Sprintf("openapi is %q, want 3.1.0", v))
	}
	if len(asMap(asMap(doc["components"])["securitySchemes"])) == 0 {
		probs = append(probs, "no security scheme")
	}
	if sec, _ := doc["security"].([]any); len(sec) == 0 {
		probs = append(probs, "no global security requirement")
	}
	return probs
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc, err := parseOpenAPI(OpenAPI())
	if err != nil {
		t.Fatalf("openapi.yaml does not parse: %v", err)
	}
	routes := New(nil, slog.Default()).Routes()
	if len(routes) == 0 {
		t.Fatal("the server reports no routes")
	}

	t.Run("routes", func(t *testing.T) {
		seen := map[Route]bool{}
		for _, r := range routes {
			if seen[r] {
				t.Errorf("route %s %s registered twice", r.Method, r.Path)
			}
			seen[r] = true
		}
		missing, extra := routeDiff(doc, routes)
		for _, k := range missing {
			t.Errorf("served but not documented: %s", k)
		}
		for _, k := range extra {
			t.Errorf("documented but not served: %s", k)
		}
	})

	for _, tc := range []struct {
		name   string
		checks func(map[string]any) []string
	}{
		{"document", docProblems},
		{"operations", operationProblems},
		{"refs", refProblems},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range tc.checks(doc) {
				t.Error(p)
			}
		})
	}
}

// TestOpenAPICheckersCatchDrift makes sure the checks above can fail: each
// case spoils a fresh copy of the document and expects the named problem.
func TestOpenAPICheckersCatchDrift(t *testing.T) {
	routes := New(nil, slog.Default()).Routes()
	for _, tc := range []struct {
		name  string
		spoil func(doc map[string]any)
		want  string
	}{
		{"undocumented route", func(doc map[string]any) {
			delete(asMap(doc["paths"]), "/v1/checks:batch")
		}, "served but not documented: POST /v1/checks:batch"},
		{"unserved operation", func(doc map[string]any) {
			asMap(asMap(doc["paths"])["/v1/checks"])["delete"] = map[string]any{"operationId": "x", "responses": map[string]any{"204": map[string]any{}}}
		}, "documented but not served: DELETE /v1/checks"},
		{"wrong method", func(doc map[string]any) {
			item := asMap(asMap(doc["paths"])["/v1/catalog"])
			item["post"] = item["put"]
			delete(item, "put")
		}, "served but not documented: PUT /v1/catalog"},
		{"version", func(doc map[string]any) { doc["openapi"] = "3.0.3" }, `openapi is "3.0.3"`},
		{"no operationId", func(doc map[string]any) {
			delete(asMap(asMap(asMap(doc["paths"])["/v1/checks"])["post"]), "operationId")
		}, "POST /v1/checks: no operationId"},
		{"duplicate operationId", func(doc map[string]any) {
			asMap(asMap(asMap(doc["paths"])["/v1/lists"])["get"])["operationId"] = "check"
		}, `operationId "check" already used`},
		{"no 2xx", func(doc map[string]any) {
			delete(asMap(asMap(asMap(asMap(doc["paths"])["/healthz"])["get"])["responses"]), "200")
		}, "GET /healthz: no 2xx response"},
		{"undeclared path parameter", func(doc map[string]any) {
			delete(asMap(asMap(asMap(doc["paths"])["/v1/entries/{id}"])["get"]), "parameters")
		}, "GET /v1/entries/{id}: path parameter {id} is not declared"},
		{"public route needs token", func(doc map[string]any) {
			delete(asMap(asMap(asMap(doc["paths"])["/healthz"])["get"]), "security")
		}, "GET /healthz: public route without security: []"},
		{"broken $ref", func(doc map[string]any) {
			delete(asMap(asMap(doc["components"])["schemas"]), "Hit")
		}, `"#/components/schemas/Hit" does not resolve`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := parseOpenAPI(OpenAPI())
			if err != nil {
				t.Fatal(err)
			}
			tc.spoil(doc)
			missing, extra := routeDiff(doc, routes)
			var all []string
			for _, k := range missing {
				all = append(all, "served but not documented: "+k)
			}
			for _, k := range extra {
				all = append(all, "documented but not served: "+k)
			}
			all = append(all, docProblems(doc)...)
			all = append(all, operationProblems(doc)...)
			all = append(all, refProblems(doc)...)
			for _, p := range all {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Errorf("spoiled document not caught; want a problem containing %q, got %q", tc.want, all)
		})
	}
}
