package httpapi

import (
	"encoding"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
)

// marshalJSON writes a response body with every nil list as [] rather than
// null: a client iterates over an empty list without a null check. Types
// that marshal themselves and fields tagged omitempty are left as they are.
func marshalJSON(w io.Writer, v any) error {
	if v != nil {
		if nv, changed := emptyLists(reflect.ValueOf(v)); changed {
			v = nv.Interface()
		}
	}
	return huma.DefaultJSONFormat.Marshal(w, v)
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	listFree          sync.Map // reflect.Type → bool: the type can hold no nil list to fill
)

// emptyLists returns v with its nil lists made empty, copying only the
// parts it changes (the original may be shared), and whether it changed.
func emptyLists(v reflect.Value) (reflect.Value, bool) {
	if !v.IsValid() || holdsNoLists(v.Type()) {
		return v, false
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return emptyListsIn(v)
	case reflect.Slice:
		if v.IsNil() {
			return reflect.MakeSlice(v.Type(), 0, 0), true
		}
		return emptyListsOfSlice(v)
	case reflect.Struct:
		return emptyListsOfStruct(v)
	case reflect.Map:
		return emptyListsOfMap(v)
	}
	return v, false
}

func emptyListsIn(v reflect.Value) (reflect.Value, bool) {
	if v.IsNil() {
		return v, false
	}
	e, changed := emptyLists(v.Elem())
	if !changed {
		return v, false
	}
	if v.Kind() == reflect.Interface {
		out := reflect.New(v.Type()).Elem()
		out.Set(e)
		return out, true
	}
	p := reflect.New(e.Type())
	p.Elem().Set(e)
	return p, true
}

func emptyListsOfSlice(v reflect.Value) (reflect.Value, bool) {
	var out reflect.Value
	for i := range v.Len() {
		e, changed := emptyLists(v.Index(i))
		if !changed {
			continue
		}
		if !out.IsValid() {
			out = reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(out, v)
		}
		out.Index(i).Set(e)
	}
	return out, out.IsValid()
}

func emptyListsOfStruct(v reflect.Value) (reflect.Value, bool) {
	var out reflect.Value
	for i := range v.NumField() {
		f := v.Type().Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" || strings.Contains(tag, ",omitempty") || strings.Contains(tag, ",omitzero") {
			continue
		}
		e, changed := emptyLists(v.Field(i))
		if !changed {
			continue
		}
		if !out.IsValid() {
			out = reflect.New(v.Type()).Elem()
			out.Set(v)
		}
		out.Field(i).Set(e)
	}
	return out, out.IsValid()
}

func emptyListsOfMap(v reflect.Value) (reflect.Value, bool) {
	var out reflect.Value
	for it := v.MapRange(); it.Next(); {
		e, changed := emptyLists(it.Value())
		if !changed {
			continue
		}
		if !out.IsValid() {
			out = reflect.MakeMapWithSize(v.Type(), v.Len())
			for c := v.MapRange(); c.Next(); {
				out.SetMapIndex(c.Key(), c.Value())
			}
		}
		out.SetMapIndex(it.Key(), e)
	}
	return out, out.IsValid()
}

// holdsNoLists says whether a type can hold no list that encoding/json
// would write as null; remembered per type, since it is asked per value.
func holdsNoLists(t reflect.Type) bool {
	if free, ok := listFree.Load(t); ok {
		return free.(bool)
	}
	listFree.Store(t, false) // while deciding: a recursive type may hold lists
	free := decideNoLists(t)
	listFree.Store(t, free)
	return free
}

func decideNoLists(t reflect.Type) bool {
	if t.Implements(marshalerType) || t.Implements(textMarshalerType) ||
		reflect.PointerTo(t).Implements(marshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
		return true
	}
	switch t.Kind() {
	case reflect.Interface:
		return false
	case reflect.Slice:
		return t.Elem().Kind() == reflect.Uint8 // []byte is base64, never a list
	case reflect.Pointer, reflect.Array, reflect.Map:
		return holdsNoLists(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() && !holdsNoLists(t.Field(i).Type) {
				return false
			}
		}
	}
	return true
}
