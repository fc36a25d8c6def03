package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/chengxin/chengxin"
)

// statusOf is the one place an error kind becomes an HTTP status.
var statusOf = map[chengxin.Kind]int{
	chengxin.KindInvalid:      http.StatusUnprocessableEntity,
	chengxin.KindBadRequest:   http.StatusBadRequest,
	chengxin.KindUnauthorized: http.StatusUnauthorized,
	chengxin.KindForbidden:    http.StatusForbidden,
	chengxin.KindNotFound:     http.StatusNotFound,
	chengxin.KindConflict:     http.StatusConflict,
	chengxin.KindTooLarge:     http.StatusRequestEntityTooLarge,
	chengxin.KindUnsupported:  http.StatusUnsupportedMediaType,
	chengxin.KindRateLimited:  http.StatusTooManyRequests,
	chengxin.KindUnavailable:  http.StatusServiceUnavailable,
	chengxin.KindInternal:     http.StatusInternalServerError,
}

// errorBody is the API's one error shape.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// english reports whether the caller asked for English messages; people get
// Chinese unless they switch.
func english(r *http.Request) bool {
	if l := r.URL.Query().Get("lang"); l != "" {
		return strings.HasPrefix(l, "en")
	}
	return strings.HasPrefix(r.Header.Get("Accept-Language"), "en")
}

func errorJSON(r *http.Request, err error) errorBody {
	e := chengxin.AsError(err)
	msg := e.ZH
	if english(r) {
		msg = e.EN
	}
	return errorBody{Code: e.Code, Message: msg, Field: e.Field}
}

// writeError answers with the error's status and shape; internal errors are
// logged here and reach the caller only as "internal error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := chengxin.AsError(err)
	if e.Kind == chengxin.KindInternal {
		s.log.Error("request failed", "method", r.Method, "route", r.Pattern, "err", err)
	}
	if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
		return
	}
	if e.Kind == chengxin.KindUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="chengxin"`)
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(e.RetryAfter.Seconds())))))
	}
	status := statusOf[e.Kind]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, struct {
		Error errorBody `json:"error"`
	}{errorJSON(r, err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}
