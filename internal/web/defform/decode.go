package defform

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// RemoveMark is the switch of a list item that the next submission drops.
const RemoveMark = "._remove"

// Decode reads a definition from the form's values. A field that is not
// a number where one is needed is an error named by the field; the rest
// of the definition is still read, so the form can be shown again.
func Decode(vals url.Values) (engine.Definition, error) {
	var def engine.Definition
	var f errs.Fields
	d := decoder{vals: vals, f: &f}
	d.structFields("", reflect.ValueOf(&def).Elem())
	return def, f.Err()
}

type decoder struct {
	vals url.Values
	f    *errs.Fields
}

func (d decoder) structFields(prefix string, v reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		key, inline := jsonName(t.Field(i))
		switch {
		case inline:
			d.structFields(prefix, v.Field(i))
		case key != "":
			d.value(join(prefix, key), v.Field(i))
		}
	}
}

// value reads one field or group into v.
func (d decoder) value(name string, v reflect.Value) {
	t := v.Type()
	switch {
	case t.Kind() == reflect.Struct:
		d.structFields(name, v)
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		if d.vals.Get(name+onMark) == "on" {
			v.Set(reflect.New(t.Elem()))
			d.structFields(name, v.Elem())
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		d.list(name, v)
	default:
		d.scalar(name, v)
	}
}

// list reads the items the form has, in order, without those removed.
func (d decoder) list(name string, v reflect.Value) {
	for i := 0; d.vals.Has(itemName(name, i) + itemMark); i++ {
		in := itemName(name, i)
		if d.vals.Get(in+RemoveMark) == "on" {
			continue
		}
		e := reflect.New(v.Type().Elem()).Elem()
		d.value(in, e)
		v.Set(reflect.Append(v, e))
	}
}

func (d decoder) scalar(name string, v reflect.Value) {
	raw := d.vals.Get(name)
	switch v.Kind() {
	case reflect.String:
		v.SetString(strings.TrimSpace(strings.ReplaceAll(raw, "\r\n", "\n")))
	case reflect.Int, reflect.Int64:
		v.SetInt(d.number(name, raw))
	case reflect.Bool:
		v.SetBool(raw == "on")
	case reflect.Pointer:
		if strings.TrimSpace(raw) != "" {
			p := reflect.New(v.Type().Elem())
			p.Elem().SetInt(d.number(name, raw))
			v.Set(p)
		}
	case reflect.Slice:
		for _, w := range strings.Split(raw, "\n") {
			if w = strings.TrimSpace(w); w != "" {
				v.Set(reflect.Append(v, reflect.ValueOf(w).Convert(v.Type().Elem())))
			}
		}
	}
}

// number reads a whole number; empty is 0.
func (d decoder) number(name, raw string) int64 {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		d.f.Add(name, "not_a_number", "write a whole number (minor units, basis points or points), without separators")
	}
	return n
}
