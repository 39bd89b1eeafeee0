package defform

// An effect uses the fields of its type, a discount those of its kind;
// the form shows those first and keeps the others (empty unless set) in
// a closed section, so that a rule reads as what it does.

// byChoice lists, for a list's items, the field that chooses what the
// item is and the fields each choice uses besides those all items use.
var byChoice = map[string]struct {
	field  string
	common []string
	uses   map[string][]string
}{
	"effects": {"type", []string{"type"}, map[string][]string{
		"earn":     {"to", "percent_bp", "per_amount", "per_unit", "fixed", "points", "brackets", "lines", "pending_days", "expires_days"},
		"multiply": {"to", "factor_bp"},
		"stamps":   {"stamps"},
		"reward":   {"to", "reward_id", "name"},
		"coupon":   {"to", "reward_id", "name"},
		"counter":  {"counter", "value"},
		"message":  {"template"},
	}},
	"discounts": {"kind", []string{"id", "name", "kind", "condition", "min_order", "scope", "group", "exclusive", "reason"}, map[string][]string{
		"percent":           {"percent_bp"},
		"fixed_amount":      {"amount"},
		"card":              {"percent_bp", "entry_threshold"},
		"cumulative":        {"basis", "steps", "step_down_days"},
		"order_threshold":   {"steps"},
		"quantity_brackets": {"steps"},
		"amount_brackets":   {"steps"},
		"nth_item":          {"n", "percent_bp", "over"},
	}},
}

// Main are the children the form shows open: for an effect or a
// discount, the fields its type or kind uses and any that are set; for
// anything else, all of them.
func (n *Node) Main() []*Node {
	main, _ := n.split()
	return main
}

// More are the children left in the closed section.
func (n *Node) More() []*Node {
	_, more := n.split()
	return more
}

func (n *Node) split() (main, more []*Node) {
	rule, ok := byChoice[n.Key]
	if !ok || !n.Item {
		return n.Children, nil
	}
	var choice string
	for _, c := range n.Children {
		if c.Key == rule.field {
			choice = c.Value
		}
	}
	uses := map[string]bool{}
	for _, k := range append(append([]string{}, rule.common...), rule.uses[choice]...) {
		uses[k] = true
	}
	for _, c := range n.Children {
		if uses[c.Key] || c.set() {
			main = append(main, c)
		} else {
			more = append(more, c)
		}
	}
	return main, more
}

// set reports whether a node holds anything but its zero value.
func (n *Node) set() bool {
	switch n.Kind {
	case Optional:
		return n.On
	case List:
		return len(n.Children) > 0
	case Group:
		for _, c := range n.Children {
			if c.set() {
				return true
			}
		}
		return false
	}
	return n.Value != "" && n.Value != "0"
}
