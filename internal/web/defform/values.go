package defform

import "net/url"

// Values are the form values of a form's nodes, markers included: what a
// browser sends back for it unchanged.
func (n *Node) Values() url.Values {
	vals := url.Values{}
	n.values(vals)
	return vals
}

func (n *Node) values(vals url.Values) {
	switch n.Kind {
	case Optional:
		if n.On {
			vals.Set(n.Name+onMark, "on")
		}
	case Group, List:
	default:
		if n.Value != "" {
			vals.Set(n.Name, n.Value)
		}
		return
	}
	if n.Item {
		vals.Set(n.Name+itemMark, "1")
	}
	for _, c := range n.Children {
		c.values(vals)
	}
}

// Keep shows what was typed in the fields with errors (a word where a
// number goes), with the errors beside them; the rest shows the
// definition as read.
func (n *Node) Keep(vals url.Values, errors map[string]string) {
	n.Fields(func(f *Node) {
		if msg, bad := errors[f.Name]; bad {
			f.Error = msg
			if v, sent := vals[f.Name]; sent && len(v) > 0 {
				f.Value = v[0]
			}
		}
	})
}
