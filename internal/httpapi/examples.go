package httpapi

import (
	"encoding/json"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// addExamples gives every JSON request body and success response without
// one an example built from its schema (the fields' own examples, defaults
// or first allowed value, else a value of the right type and format), for
// the docs page and for clients' generators.
func addExamples(oapi *huma.OpenAPI) {
	reg := oapi.Components.Schemas
	for _, item := range oapi.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			if op.RequestBody != nil {
				fillExamples(reg, op.RequestBody.Content)
			}
			for code, resp := range op.Responses {
				if strings.HasPrefix(code, "2") {
					fillExamples(reg, resp.Content)
				}
			}
		}
	}
}

func fillExamples(reg huma.Registry, content map[string]*huma.MediaType) {
	for ct, mt := range content {
		if strings.Contains(ct, "json") && mt.Example == nil && mt.Schema != nil {
			mt.Example = example(reg, mt.Schema, map[string]bool{})
		}
	}
}

// example is a value a schema accepts; inside names the schemas being
// built, so that a recursive type stops (as an absent field) rather than
// loop.
func example(reg huma.Registry, s *huma.Schema, inside map[string]bool) any {
	if s != nil && s.Ref != "" {
		if inside[s.Ref] {
			return nil
		}
		inside[s.Ref] = true
		defer delete(inside, s.Ref)
		s = reg.SchemaFromRef(s.Ref)
	}
	switch {
	case s == nil:
		return nil
	case len(s.Examples) > 0:
		return s.Examples[0]
	case s.Default != nil:
		return s.Default
	case len(s.Enum) > 0:
		return s.Enum[0]
	}
	switch s.Type {
	case huma.TypeObject:
		m := map[string]any{}
		for name, p := range s.Properties {
			if v := example(reg, p, inside); v != nil {
				m[name] = v
			}
		}
		return m
	case huma.TypeArray:
		if v := example(reg, s.Items, inside); v != nil {
			return []any{v}
		}
		return []any{}
	case huma.TypeString:
		return stringExample(s)
	case huma.TypeInteger, huma.TypeNumber:
		if s.Minimum != nil {
			return *s.Minimum
		}
		return 0
	case huma.TypeBoolean:
		return false
	case "":
		return map[string]any{} // any JSON (a raw document)
	}
	return nil
}

func stringExample(s *huma.Schema) string {
	switch s.Format {
	case "date-time":
		return "2027-03-01T09:00:00Z"
	case "date":
		return "2027-03-01"
	case "email":
		return "ann@example.com"
	case "uri":
		return "https://example.com"
	}
	switch {
	case s.MinLength != nil && *s.MinLength > 6:
		return strings.Repeat("x", *s.MinLength)
	case s.MaxLength != nil && *s.MaxLength < 6:
		return strings.Repeat("X", *s.MaxLength)
	}
	return "string"
}

// exampleJSON renders an operation's example for the docs page.
func exampleJSON(content map[string]*huma.MediaType) string {
	for ct, mt := range content {
		if strings.Contains(ct, "json") && mt.Example != nil {
			b, err := json.MarshalIndent(mt.Example, "", "  ")
			if err == nil {
				return string(b)
			}
		}
	}
	return ""
}
