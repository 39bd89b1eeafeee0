// Package defform maps a program definition (engine.Definition) to the
// fields of an HTML form and back, by the definition's own types: every
// mechanic the definition has is in the form, and a definition loaded
// into the form and saved again is the same definition. Names are the
// paths the program service names its errors by ("rules[0].condition"),
// so an error goes next to its field.
package defform

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/engine"
)

// Node kinds: fields, and the groups that hold them.
const (
	Text     = "text"     // a string
	Int      = "int"      // an integer; empty is 0
	OptInt   = "optint"   // an integer that may be unset (an override)
	Bool     = "bool"     // a checkbox
	Lines    = "lines"    // a list of words, one per line
	CEL      = "cel"      // an expression, checked live
	Select   = "select"   // one of known values
	Group    = "group"    // a struct: its fields
	Optional = "optional" // a struct that may be absent (a pointer): its fields and a switch
	List     = "list"     // a list of structs: its items
)

// Marker fields a form carries besides the definition's own.
const (
	itemMark = "._item" // one per list item: the item exists
	onMark   = "._on"   // an optional group's switch
)

// Node is one part of the form: a field, or a group of them.
type Node struct {
	Name     string // the form name and error path: "rules[0].effects[1].percent_bp"; a group's prefix
	Key      string // the JSON name: the label's translation key
	Kind     string
	Value    string            // a field's value as the form shows it
	On       bool              // an optional group is present
	Index    int               // a list item's position
	Item     bool              // the node is an item of a list
	CELKind  string            // a CEL field: "condition", "amount"
	Scope    string            // a CEL field's line filter sibling (its form name) or "line" for a filter
	Options  []string          // a select's values
	Labels   map[string]string // a select's labels by value, where not the value itself
	Error    string            // what is wrong with the field
	Children []*Node
	elem     reflect.Type // a list's item type, an optional's struct
}

// Encode builds the form of a definition.
func Encode(def engine.Definition) *Node {
	return build("", "", reflect.ValueOf(def))
}

// join names a child of a group.
func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func itemName(list string, i int) string { return list + "[" + strconv.Itoa(i) + "]" }

// jsonName is a struct field's JSON name; "" for fields JSON skips, and
// inline for embedded structs without a name.
func jsonName(f reflect.StructField) (name string, inline bool) {
	tag := f.Tag.Get("json")
	if tag == "-" || !f.IsExported() {
		return "", false
	}
	name, _, _ = strings.Cut(tag, ",")
	if name == "" && f.Anonymous && f.Type.Kind() == reflect.Struct {
		return "", true
	}
	if name == "" {
		name = f.Name
	}
	return name, false
}

// Find returns the node of a name, or nil.
func (n *Node) Find(name string) *Node {
	if n.Name == name {
		return n
	}
	for _, c := range n.Children {
		if c.Name == name || strings.HasPrefix(name, c.Name+".") || strings.HasPrefix(name, c.Name+"[") || c.Name == "" {
			if f := c.Find(name); f != nil {
				return f
			}
		}
	}
	return nil
}

// Fields walks every field (not group) of the form.
func (n *Node) Fields(visit func(*Node)) {
	switch n.Kind {
	case Group, Optional, List:
		for _, c := range n.Children {
			c.Fields(visit)
		}
	default:
		visit(n)
	}
}
