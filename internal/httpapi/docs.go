package httpapi

import (
	_ "embed"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

//go:embed assets/docs.html
var docsHTML string

// docsCSS is the docs page's style sheet, a file of its own so that the
// page's Content-Security-Policy allows no inline style.
//
//go:embed assets/docs.css
var docsCSS []byte

func serveDocsCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(docsCSS)
}

var docsTmpl = template.Must(template.New("docs").Funcs(template.FuncMap{
	"typeOf": schemaType, "lower": strings.ToLower, "anchor": func(s string) string { return strings.ReplaceAll(s, " ", "-") },
}).Parse(docsHTML))

// docOp is one operation as the docs page shows it.
type docOp struct {
	Method, Path  string
	Op            *huma.Operation
	Body          string // the request body's schema name
	Result        string // the success response's schema name
	BodyExample   string // JSON examples of the request body and the response
	ResultExample string
}

type docTag struct {
	Name string
	Ops  []docOp
}

type docSchema struct {
	Name   string
	Schema *huma.Schema
	Fields []string // property names, sorted
}

// docs serves a self-contained reference of the API, rendered from the
// generated OpenAPI document: no scripts, no CDN, works offline.
func (a *API) docs(w http.ResponseWriter, r *http.Request) {
	oapi := a.huma.OpenAPI()
	byTag := map[string]*docTag{}
	var tags []*docTag
	for path, item := range oapi.Paths {
		for _, m := range []struct {
			method string
			op     *huma.Operation
		}{{"GET", item.Get}, {"POST", item.Post}, {"PUT", item.Put}, {"PATCH", item.Patch}, {"DELETE", item.Delete}} {
			if m.op == nil {
				continue
			}
			tag := "Other"
			if len(m.op.Tags) > 0 {
				tag = m.op.Tags[0]
			}
			t := byTag[tag]
			if t == nil {
				t = &docTag{Name: tag}
				byTag[tag] = t
				tags = append(tags, t)
			}
			t.Ops = append(t.Ops, docOp{Method: m.method, Path: path, Op: m.op, Body: bodySchema(m.op), Result: resultSchema(m.op),
				BodyExample: bodyExample(m.op), ResultExample: resultExample(m.op)})
		}
	}
	slices.SortFunc(tags, func(x, y *docTag) int { return strings.Compare(x.Name, y.Name) })
	for _, t := range tags {
		slices.SortFunc(t.Ops, func(x, y docOp) int { return strings.Compare(x.Path+x.Method, y.Path+y.Method) })
	}
	var schemas []docSchema
	for name, s := range oapi.Components.Schemas.Map() {
		fields := make([]string, 0, len(s.Properties))
		for f := range s.Properties {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		schemas = append(schemas, docSchema{Name: name, Schema: s, Fields: fields})
	}
	slices.SortFunc(schemas, func(x, y docSchema) int { return strings.Compare(x.Name, y.Name) })
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := docsTmpl.Execute(w, map[string]any{"Info": oapi.Info, "Tags": tags, "Schemas": schemas}); err != nil {
		a.log.ErrorContext(r.Context(), "render docs", "err", err)
	}
}

func refName(s *huma.Schema) string {
	if s == nil {
		return ""
	}
	if s.Ref != "" {
		return s.Ref[strings.LastIndexByte(s.Ref, '/')+1:]
	}
	return ""
}

func bodySchema(op *huma.Operation) string {
	if op.RequestBody == nil {
		return ""
	}
	for _, mt := range op.RequestBody.Content {
		return refName(mt.Schema)
	}
	return ""
}

func bodyExample(op *huma.Operation) string {
	if op.RequestBody == nil {
		return ""
	}
	return exampleJSON(op.RequestBody.Content)
}

func resultExample(op *huma.Operation) string {
	for code, resp := range op.Responses {
		if strings.HasPrefix(code, "2") {
			return exampleJSON(resp.Content)
		}
	}
	return ""
}

func resultSchema(op *huma.Operation) string {
	for code, resp := range op.Responses {
		if strings.HasPrefix(code, "2") {
			for _, mt := range resp.Content {
				return refName(mt.Schema)
			}
		}
	}
	return ""
}

// schemaType describes a schema in a few words: "string", "[]Member",
// "one of a, b".
func schemaType(s *huma.Schema) string {
	if s == nil {
		return ""
	}
	if n := refName(s); n != "" {
		return n
	}
	t := s.Type
	if t == "array" && s.Items != nil {
		t = "[]" + schemaType(s.Items)
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	return t
}
