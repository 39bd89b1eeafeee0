package defform

import (
	"reflect"
	"strconv"
	"strings"
)

// build makes the node of a value of the definition.
func build(name, key string, v reflect.Value) *Node {
	n := &Node{Name: name, Key: key}
	t := v.Type()
	switch {
	case t.Kind() == reflect.Struct:
		n.Kind, n.Children = Group, fields(name, v)
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		n.Kind, n.elem, n.On = Optional, t.Elem(), !v.IsNil()
		if v.IsNil() {
			v = reflect.New(t.Elem())
		}
		n.Children = fields(name, v.Elem())
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		n.Kind, n.elem = List, t.Elem()
		for i := 0; i < v.Len(); i++ {
			n.Children = append(n.Children, item(name, key, i, v.Index(i)))
		}
	default:
		scalar(n, v)
	}
	return n
}

// item is one item of a list.
func item(list, key string, i int, v reflect.Value) *Node {
	c := build(itemName(list, i), key, v)
	c.Item, c.Index = true, i
	return c
}

// NewItem adds an empty item to the list of that name; it reports
// whether there is such a list.
func (n *Node) NewItem(list string) bool {
	l := n.Find(list)
	if l == nil || l.Kind != List {
		return false
	}
	it := item(l.Name, l.Key, len(l.Children), reflect.New(l.elem).Elem())
	it.Fields(func(f *Node) {
		if f.Kind == Select && f.Value == "" && choices[f.Key][0] != "" {
			f.Value, f.Options = choices[f.Key][0], choices[f.Key] // a new effect earns until told otherwise
		}
	})
	l.Children = append(l.Children, it)
	return true
}

// fields are the nodes of a struct's fields; embedded structs without a
// JSON name add their fields to the same group, as JSON does.
func fields(prefix string, v reflect.Value) []*Node {
	var out []*Node
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		key, inline := jsonName(t.Field(i))
		switch {
		case inline:
			out = append(out, fields(prefix, v.Field(i))...)
		case key != "":
			out = append(out, build(join(prefix, key), key, v.Field(i)))
		}
	}
	celScopes(out)
	return out
}

// celScopes tells a per-line amount which sibling filters its lines.
func celScopes(sibs []*Node) {
	var lines string
	for _, c := range sibs {
		if c.Key == "lines" && c.Kind == CEL {
			lines = c.Name
		}
	}
	for _, c := range sibs {
		if c.Kind == CEL && c.CELKind == "amount" && lines != "" {
			c.Scope = lines
		}
	}
}

// scalar fills a field's kind and value.
func scalar(n *Node, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		n.Kind, n.Value = Text, v.String()
		if k, ok := celFields[n.Key]; ok {
			n.Kind, n.CELKind = CEL, k
			if n.Key == "lines" {
				n.Scope = "line"
			}
		} else if opts, ok := choices[n.Key]; ok {
			n.Kind, n.Options = Select, withValue(opts, n.Value)
		}
	case reflect.Int, reflect.Int64:
		n.Kind, n.Value = Int, strconv.FormatInt(v.Int(), 10)
	case reflect.Bool:
		n.Kind = Bool
		if v.Bool() {
			n.Value = "on"
		}
	case reflect.Pointer: // *int: an override, unset when nil
		n.Kind = OptInt
		if !v.IsNil() {
			n.Value = strconv.FormatInt(v.Elem().Int(), 10)
		}
	case reflect.Slice: // []string
		n.Kind = Lines
		words := make([]string, v.Len())
		for i := range words {
			words[i] = v.Index(i).String()
		}
		n.Value = strings.Join(words, "\n")
	default:
		panic("defform: a definition field of a kind the form does not know: " + v.Kind().String())
	}
}

// withValue keeps a value the list does not know (written in raw JSON)
// among the choices, so the form never changes it silently.
func withValue(opts []string, v string) []string {
	for _, o := range opts {
		if o == v {
			return opts
		}
	}
	return append(append([]string{}, opts...), v)
}
