package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/chengxin/chengxin"
)

const (
	maxBody      = 1 << 20  // a single write
	maxBatchBody = 64 << 20 // a batch upload
)

func badRequest(code, field, zh, en string) error {
	return chengxin.E(chengxin.KindBadRequest, code, field, zh, en)
}

// mediaType returns the request's media type, lower-cased, without parameters.
func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

func requireType(r *http.Request, types ...string) error {
	mt := mediaType(r)
	for _, t := range types {
		if mt == t {
			return nil
		}
	}
	return chengxin.E(chengxin.KindUnsupported, "unsupported_media_type", "Content-Type",
		"不支持的 Content-Type："+r.Header.Get("Content-Type")+"，应为 "+strings.Join(types, " 或 "),
		"unsupported Content-Type "+r.Header.Get("Content-Type")+"; use "+strings.Join(types, " or "))
}

// readBody reads at most limit bytes of valid UTF-8.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, chengxin.E(chengxin.KindTooLarge, "too_large", "",
				fmt.Sprintf("请求体超过 %d 字节上限", limit), fmt.Sprintf("request body exceeds %d bytes", limit))
		}
		return nil, badRequest("bad_body", "", "无法读取请求体", "cannot read the request body")
	}
	if !utf8.Valid(body) {
		return nil, badRequest("bad_utf8", "", "请求体含有无效的 UTF-8 字符", "the body is not valid UTF-8")
	}
	return body, nil
}

// decodeJSON reads one JSON object into v, refusing unknown fields: a
// misspelt field on a write must not be silently dropped.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if err := requireType(r, "application/json"); err != nil {
		return err
	}
	body, err := readBody(w, r, maxBody)
	if err != nil {
		return err
	}
	return unmarshalStrict(body, v)
}

func unmarshalStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			var doc any
			if json.Unmarshal(data, &doc) == nil {
				if path := unknownField(doc, reflect.TypeOf(v), ""); path != "" {
					return badRequest("unknown_field", path, "未知字段："+path, "unknown field: "+path)
				}
			}
		}
		return jsonError(err)
	}
	if dec.More() {
		return badRequest("bad_json", "", "JSON 之后还有多余内容", "unexpected data after the JSON value")
	}
	return nil
}

// unknownField finds the path of the first key in doc that type t has no
// field for: the decoder names only the key, a caller needs the path.
func unknownField(doc any, t reflect.Type, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch d := doc.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return ""
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(d))
		for k := range d {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[strings.ToLower(k)]
			if !ok {
				return join(path, k)
			}
			if p := unknownField(d[k], ft, join(path, k)); p != "" {
				return p
			}
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return ""
		}
		for i, x := range d {
			if p := unknownField(x, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// jsonFields maps the lower-cased JSON names of t's fields, embedded ones
// included, to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[strings.ToLower(name)] = f.Type
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonError turns a decoder error into one that names the field.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return badRequest("bad_json", "", fmt.Sprintf("JSON 格式错误（第 %d 字节）：%v", syn.Offset, syn), fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, syn))
	case errors.As(err, &typ):
		return badRequest("bad_type", typ.Field, "字段类型错误："+typ.Field+" 不能是 "+typ.Value, "wrong type: "+typ.Field+" cannot be "+typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("bad_json", "", "请求体为空或 JSON 不完整", "empty body or incomplete JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badRequest("unknown_field", field, "未知字段："+field, "unknown field: "+field)
	}
	return badRequest("bad_json", "", "JSON 无法解析："+err.Error(), "cannot parse JSON: "+err.Error())
}
